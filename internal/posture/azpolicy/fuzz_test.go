package azpolicy

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

var fuzzResource = map[string]any{
	"id":       "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/n",
	"name":     "n",
	"type":     "Microsoft.Network/networkSecurityGroups",
	"location": "eastus",
	"tags":     map[string]any{"env": "prod"},
	"properties": map[string]any{"securityRules": []any{
		map[string]any{"name": "r", "properties": map[string]any{"access": "Allow", "destinationPortRange": "22",
			"destinationPortRanges": []any{"80", "1-100"}}},
	}},
}

// FuzzParseDefinition: policy definitions are user input; parsing and
// evaluating them must never panic.
func FuzzParseDefinition(f *testing.F) {
	f.Add([]byte(`{"properties": {"parameters": {"e": {"type": "String", "defaultValue": "Audit"}},
		"policyRule": {"if": {"field": "type", "equals": "Microsoft.Network/networkSecurityGroups"}, "then": {"effect": "[parameters('e')]"}}}}`))
	f.Add([]byte(`{"if": {"count": {"field": "properties.securityRules[*]", "where": {"field": "properties.securityRules[*].properties.destinationPortRanges[*]", "like": "1-*"}}, "greater": 0}, "then": {"effect": "deny"}}`))
	f.Add([]byte(`{"if": {"count": {"value": "[range(0, 3)]", "name": "i", "where": {"value": "[format('{0:D3}', current('i'))]", "equals": "002"}}, "equals": 1}, "then": {"effect": "append", "details": [{"field": "tags['x']", "value": "[utcNow()]"}]}}`))
	f.Add([]byte(`{"if": {"field": "Microsoft.Network/networkSecurityGroups/securityRules[*].access", "notEquals": "Deny"}, "then": {"effect": "auditIfNotExists", "details": {"type": "Microsoft.Network/networkSecurityGroups", "existenceCondition": {"field": "name", "equals": "[field('name')]"}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		related := func(RelatedQuery) ([]map[string]any, error) { return []map[string]any{fuzzResource}, nil }
		in := Input{Resource: fuzzResource, Related: related, Parameters: map[string]any{"p": []any{"a"}}}
		if p, err := ParseDefinition(data, nil); err == nil {
			_, _ = p.Evaluate(in)
		}
		if p, err := ParseRule(data, nil); err == nil {
			_, _ = p.Evaluate(in)
		}
	})
}

// FuzzTemplate covers the expression parser and every function it reaches.
func FuzzTemplate(f *testing.F) {
	for _, s := range []string{
		"[concat('a', parameters('p')[0], -1.5)]",
		"[if(contains(toLower(field('location')), 'us'), 'a', 'b')]",
		"[format('{0,5:N2}|{1:X4}', 1234.5, 255)]",
		"[dateTimeAdd(addDays('2024-01-30T00:00:00Z', 5), '-P1Y2M3DT4H5M6.5S')]",
		"[ipRangeContains('10.0.0.0/8', field('properties.securityRules[0].properties.destinationPortRange'))]",
		"[first(split(field('fullName'), '/'))]",
		"[json(base64ToString(base64('{\"a\":[1]}'))).a[0]]",
		"[[literal]",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tmpl, err := parseTemplate(s)
		if err != nil || !tmpl.isExpr() {
			return
		}
		if validateExpr(tmpl.expr, false) != nil {
			return
		}
		c := (&Policy{}).newCtx(&Input{Resource: fuzzResource, Parameters: map[string]any{"p": []any{"x"}}})
		_, _ = c.evalTemplate(&tmpl)
		_ = tmpl.expr.String()
	})
}

// FuzzFieldPath covers field path parsing and walking.
func FuzzFieldPath(f *testing.F) {
	for _, s := range []string{"properties.securityRules[*].properties.destinationPortRanges[*]", "tags['a.b']", `tags["x"]`, "tags[x]", "a[0].b", "tags[]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := parsePath(s)
		if err != nil {
			return
		}
		_ = walk(fuzzResource, p, true, walkCondition, nil)
		_ = walk(fuzzResource, p, false, walkCount, nil)
		_ = p.String()
	})
}

// FuzzLoadAliases covers the alias catalogue reader.
func FuzzLoadAliases(f *testing.F) {
	f.Add([]byte(testCatalogue))
	f.Add([]byte(`{"value": [{"namespace": "A", "resourceTypes": [{"resourceType": "b", "aliases": [{"name": "A/b/c", "paths": [{"path": "properties.c[*]", "apiVersions": ["1"]}]}]}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := LoadAliases(data)
		if err != nil {
			return
		}
		p, err := ParseRule([]byte(`{"if": {"field": "A/b/c", "exists": true}, "then": {"effect": "audit"}}`), a)
		if err == nil {
			_, _ = p.Evaluate(Input{Resource: fuzzResource, APIVersion: "1"})
		}
	})
}

// FuzzRunCases covers the YAML case-file reader behind `policy-test`.
func FuzzRunCases(f *testing.F) {
	f.Add([]byte("cases:\n  - note: a\n    policy_rule: '{\"if\": {\"field\": \"name\", \"equals\": \"n\"}, \"then\": {\"effect\": \"deny\"}}'\n    resource: {name: n}\n    want_effect: deny\n"))
	f.Add([]byte("builtin: azure.policy.fn.pad_left\ncases:\n  - note: b\n    args: [\"7\", 3, \"0\"]\n    want: \"007\"\n"))
	f.Add([]byte("a: &x [*x, *x]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "case.yaml")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		_, _, _ = RunCases([]string{path}, io.Discard)
	})
}
