package azpolicy

import (
	"fmt"
	"strings"
)

// Builtin case files call one template function with literal arguments.
// Their names are snake_case forms of the ARM function names, with a few
// internal ones mapped to the ARM function that does the same.

var builtinAliases = map[string]string{
	"int_div":   "div",
	"int_mod":   "mod",
	"logic_all": "and",
	"logic_any": "or",
}

func builtinFunction(name string) string {
	name = strings.TrimPrefix(name, "azure.policy.")
	name = strings.TrimPrefix(name, "fn.")
	if fn, ok := builtinAliases[name]; ok {
		return fn
	}
	return strings.ReplaceAll(name, "_", "")
}

func (r *caseRunner) runBuiltinFile(file string, top map[string]any, cases []any) {
	name, _ := top["builtin"].(string)
	fn := builtinFunction(name)
	for i, cv := range cases {
		c, _ := cv.(map[string]any)
		note, _ := c["note"].(string)
		if note == "" {
			note = fmt.Sprintf("case %d", i)
		}
		if reason := builtinCase(fn, c); reason != "" {
			r.fail(file, note, "%s", reason)
		} else {
			r.passed++
		}
	}
}

// builtinCase calls fn and checks the result. Azure reports a failing
// function as an evaluation error, so an error satisfies both want_error
// and want_undefined; want_error also names words the message must hold.
func builtinCase(fn string, c map[string]any) string {
	args, _ := normalize(c["args"]).([]any)
	call := callExpr{name: fn, raw: fn}
	for _, a := range args {
		call.args = append(call.args, litExpr{v: a})
	}
	if err := validateExpr(call, false); err != nil {
		return err.Error()
	}
	ctx := (&Policy{}).newCtx(&Input{})
	got, err := ctx.call(call)
	want, hasWant := c["want"]
	switch {
	case c["want_error"] != nil:
		msg, _ := c["want_error"].(string)
		if err == nil {
			return fmt.Sprintf("expected an error mentioning %q, got %s", msg, toJSON(got))
		}
		if !strings.Contains(strings.ToLower(err.Error()), strings.ToLower(msg)) {
			return fmt.Sprintf("error %q does not mention %q", err, msg)
		}
	case c["want_undefined"] == true:
		if err == nil && !isUndef(got) {
			return fmt.Sprintf("expected no value, got %s", toJSON(got))
		}
	case err != nil:
		return "unexpected error: " + err.Error()
	case c["want_null"] == true:
		if got != nil {
			return fmt.Sprintf("expected null, got %s", toJSON(got))
		}
	case hasWant:
		if !deepEqual(normalize(got), want) {
			return fmt.Sprintf("got %s, want %s", toJSON(got), toJSON(want))
		}
	}
	return ""
}
