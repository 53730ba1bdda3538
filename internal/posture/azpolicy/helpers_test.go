package azpolicy

import (
	"testing"
)

// mustJSON decodes a JSON literal used in a test.
func mustJSON(t *testing.T, s string) any {
	t.Helper()
	v, err := decodeJSON([]byte(s))
	if err != nil {
		t.Fatalf("bad test JSON %s: %v", s, err)
	}
	return v
}

// evalRule compiles a bare rule and evaluates it on a resource.
func evalRule(t *testing.T, rule, resource string, params map[string]any, aliases *Aliases) Result {
	t.Helper()
	p, err := ParseRule([]byte(rule), aliases)
	if err != nil {
		t.Fatalf("parse %s: %v", rule, err)
	}
	res, _ := mustJSON(t, resource).(map[string]any)
	out, err := p.Evaluate(Input{Resource: res, Parameters: params})
	if err != nil {
		t.Fatalf("evaluate %s: %v", rule, err)
	}
	return out
}

// evalTemplateString evaluates one template string in an empty context.
func evalTemplateString(s string, params map[string]any) (any, error) {
	t, err := parseTemplate(s)
	if err != nil {
		return nil, err
	}
	if t.isExpr() {
		if err := validateExpr(t.expr, false); err != nil {
			return nil, err
		}
	}
	c := (&Policy{}).newCtx(&Input{Parameters: params})
	return c.evalTemplate(&t)
}
