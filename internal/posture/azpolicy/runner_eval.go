package azpolicy

import (
	"fmt"
)

// Evaluation case files: a policy rule or definition, an optional alias
// catalogue, and cases giving a resource, parameters, context, related
// resources (host_await) and the expected effect.

var evalCaseKeys = map[string]bool{
	"note": true, "policy_rule": true, "policy_definition": true, "resource": true, "parameters": true,
	"want_effect": true, "want_details": true, "want_compile_error": true, "want_undefined": true,
	"want_parse_error": true, "api_version": true, "request_context": true, "context": true,
	"host_await": true, "skip": true,
}

func (r *caseRunner) runEvalFile(file string, top map[string]any, cases []any) {
	var aliases *Aliases
	if name, ok := top["aliases"].(string); ok && name != "" {
		a, err := r.loadAliases(file, name)
		if err != nil {
			r.fail(file, "file", "%v", err)
			return
		}
		aliases = a
	}
	for i, cv := range cases {
		c, ok := cv.(map[string]any)
		if !ok {
			r.fail(file, fmt.Sprintf("case %d", i), "case is not a mapping")
			continue
		}
		note, _ := c["note"].(string)
		if note == "" {
			note = fmt.Sprintf("case %d", i)
		}
		if c["skip"] == true {
			r.skipped++
			continue
		}
		if reason := r.evalCase(top, c, aliases); reason != "" {
			r.fail(file, note, "%s", reason)
		} else {
			r.passed++
		}
	}
}

// evalCase runs one evaluation case and returns why it failed, or "".
func (r *caseRunner) evalCase(top, c map[string]any, aliases *Aliases) string {
	for k := range c {
		if !evalCaseKeys[k] {
			return fmt.Sprintf("unknown case key %q", k)
		}
	}
	src, isDef := pickSource(top, c)
	if src == "" {
		return "no policy_rule or policy_definition"
	}
	var p *Policy
	var err error
	if isDef {
		p, err = ParseDefinition([]byte(src), aliases)
	} else {
		p, err = ParseRule([]byte(src), aliases)
	}
	wantErr := c["want_parse_error"] == true || c["want_compile_error"] == true
	switch {
	case wantErr && err == nil:
		return "expected a parse error, got none"
	case wantErr:
		return ""
	case err != nil:
		return "unexpected error: " + err.Error()
	}
	res, err := p.Evaluate(caseInput(c))
	if err != nil {
		return "evaluation error: " + err.Error()
	}
	wantEffect, hasEffect := c["want_effect"].(string)
	switch {
	case c["want_undefined"] == true || (!hasEffect && c["want_effect"] == nil && hasKey(c, "want_effect")):
		if res.Match {
			return fmt.Sprintf("expected no effect, got %q (details %s)", res.Effect, toJSON(res.Details))
		}
	case hasEffect:
		if !res.Match {
			return fmt.Sprintf("expected effect %q, got none", wantEffect)
		}
		if res.Effect != wantEffect {
			return fmt.Sprintf("expected effect %q, got %q", wantEffect, res.Effect)
		}
		if want, ok := c["want_details"]; ok && !deepEqual(normalize(res.Details), normalize(want)) {
			return fmt.Sprintf("details differ: got %s, want %s", toJSON(res.Details), toJSON(want))
		}
	}
	return ""
}

func hasKey(m map[string]any, k string) bool { _, ok := m[k]; return ok }

// pickSource chooses the case's own policy over the file's.
func pickSource(top, c map[string]any) (src string, isDef bool) {
	for _, m := range []map[string]any{c, top} {
		if s, ok := m["policy_definition"].(string); ok {
			return s, true
		}
		if s, ok := m["policy_rule"].(string); ok {
			return s, false
		}
	}
	return "", false
}

// caseInput builds the evaluation input, with the suite's default context.
func caseInput(c map[string]any) Input {
	in := Input{}
	in.Resource, _ = normalize(c["resource"]).(map[string]any)
	in.Parameters, _ = normalize(c["parameters"]).(map[string]any)
	in.APIVersion, _ = c["api_version"].(string)
	ctx, ok := normalize(c["context"]).(map[string]any)
	if !ok {
		ctx = map[string]any{
			"resourceGroup": map[string]any{"name": "myResourceGroup", "location": "eastus"},
			"subscription":  map[string]any{"subscriptionId": "00000000-0000-0000-0000-000000000000"},
		}
	}
	in.Context.ResourceGroup, _ = ctx["resourceGroup"].(map[string]any)
	in.Context.Subscription, _ = ctx["subscription"].(map[string]any)
	in.Context.Policy, _ = ctx["policy"].(map[string]any)
	in.Context.UTCNow, _ = ctx["utcNow"].(string)
	in.Context.RequestContext, _ = ctx["requestContext"].(map[string]any)
	if in.Context.RequestContext == nil {
		in.Context.RequestContext, _ = normalize(c["request_context"]).(map[string]any)
	}
	var related []map[string]any
	entries, _ := c["host_await"].([]any)
	for _, e := range entries {
		em, _ := e.(map[string]any)
		resp, ok := normalize(em["response"]).(map[string]any)
		if !ok {
			continue
		}
		// resource_type says which type's aliases apply to the response.
		if t, ok := em["resource_type"].(string); ok && resp["type"] == nil {
			resp["type"] = t
		}
		related = append(related, resp)
	}
	in.Related = func(RelatedQuery) ([]map[string]any, error) { return related, nil }
	return in
}
