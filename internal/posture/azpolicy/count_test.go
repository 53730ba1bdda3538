package azpolicy

import (
	"testing"
)

const nsg = `{
  "type": "Microsoft.Network/networkSecurityGroups",
  "properties": {"securityRules": [
    {"name": "ssh", "properties": {"access": "Allow", "direction": "Inbound", "destinationPortRange": "22",
      "destinationPortRanges": []}},
    {"name": "web", "properties": {"access": "Allow", "direction": "Inbound", "destinationPortRange": "443",
      "destinationPortRanges": ["80", "8000-8100"]}},
    {"name": "out", "properties": {"access": "Deny", "direction": "Outbound", "destinationPortRange": "*"}}
  ]}
}`

func TestFieldCount(t *testing.T) {
	for _, tt := range []struct {
		name  string
		count string
		op    string
		want  bool
	}{
		{"all members", `{"field": "properties.securityRules[*]"}`, `"equals": 3`, true},
		{"where", `{"field": "properties.securityRules[*]", "where": {"field": "properties.securityRules[*].properties.access", "equals": "allow"}}`, `"equals": 2`, true},
		{"where allOf", `{"field": "properties.securityRules[*]", "where": {"allOf": [
			{"field": "properties.securityRules[*].properties.access", "equals": "Allow"},
			{"field": "properties.securityRules[*].properties.destinationPortRange", "in": ["22", "3389"]}]}}`, `"equals": 1`, true},
		{"missing array counts zero", `{"field": "properties.nothing[*]"}`, `"equals": 0`, true},
		{"nested count over the current member", `{"field": "properties.securityRules[*]", "where": {"count": {
			"field": "properties.securityRules[*].properties.destinationPortRanges[*]"}, "greater": 0}}`, `"equals": 1`, true},
		{"field() of the counted array is the current member", `{"field": "properties.securityRules[*]", "where": {
			"value": "[first(field('properties.securityRules[*].name'))]", "equals": "web"}}`, `"equals": 1`, true},
		{"current() of a field count", `{"field": "properties.securityRules[*].properties.destinationPortRanges[*]", "where": {
			"value": "[current('properties.securityRules[*].properties.destinationPortRanges[*]')]", "like": "8000-*"}}`, `"equals": 1`, true},
		{"unbound [*] inside where is an implicit allOf", `{"field": "properties.securityRules[*]", "where": {
			"field": "properties.securityRules[*].properties.destinationPortRanges[*]", "notEquals": "22"}}`, `"equals": 3`, true},
	} {
		rule := `{"if": {"count": ` + tt.count + `, ` + tt.op + `}, "then": {"effect": "audit"}}`
		if got := evalRule(t, rule, nsg, nil, nil).Match; got != tt.want {
			t.Errorf("%s: match = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestValueCount(t *testing.T) {
	params := map[string]any{"ports": []any{"22", "443", "3389"}, "tags": []any{"env", "owner"}}
	for _, tt := range []struct {
		name string
		cond string
		want bool
	}{
		{"length", `{"count": {"value": "[parameters('ports')]"}, "equals": 3}`, true},
		{"named current", `{"count": {"value": "[parameters('ports')]", "name": "p", "where": {"value": "[current('p')]", "in": ["22", "3389"]}}, "equals": 2}`, true},
		{"zero-arg current", `{"count": {"value": [1, 2, 3], "where": {"value": "[current()]", "greater": 1}}, "equals": 2}`, true},
		{"field inside value count", `{"count": {"value": "[parameters('tags')]", "name": "t", "where": {
			"field": "[concat('tags[', current('t'), ']')]", "exists": true}}, "equals": 1}`, true},
		{"value count around a field count", `{"count": {"value": "[parameters('ports')]", "name": "port", "where": {
			"count": {"field": "properties.securityRules[*]", "where": {
				"field": "properties.securityRules[*].properties.destinationPortRange", "equals": "[current('port')]"}},
			"greater": 0}}, "equals": 2}`, true},
		{"nested value counts, innermost current()", `{"count": {"value": ["a", "b"], "name": "outer", "where": {
			"count": {"value": ["x", "y"], "name": "inner", "where": {"value": "[concat(current('outer'), current())]", "equals": "bx"}},
			"greater": 0}}, "equals": 1}`, true},
		{"null value counts zero", `{"count": {"value": "[null()]"}, "equals": 0}`, true},
	} {
		rule := `{"if": ` + tt.cond + `, "then": {"effect": "audit"}}`
		res := `{"type": "Microsoft.Network/networkSecurityGroups", "tags": {"ENV": "prod"},` + nsg[len(`{
  "type": "Microsoft.Network/networkSecurityGroups",`):]
		if got := evalRule(t, rule, res, params, nil).Match; got != tt.want {
			t.Errorf("%s: match = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestCountParseErrors(t *testing.T) {
	for _, cond := range []string{
		`{"count": {}, "equals": 0}`,
		`{"count": {"field": "a[*]", "value": [1]}, "equals": 0}`,
		`{"count": {"field": "a[*]", "name": "x"}, "equals": 0}`,
		`{"count": {"field": "a.b"}, "equals": 0}`,
		`{"count": {"value": [1], "name": 3}, "equals": 0}`,
		`{"count": {"value": [1], "where": {"field": "x"}}, "equals": 0}`,
		`{"count": {"value": [1]}, "equals": 0, "less": 1}`,
	} {
		rule := `{"if": ` + cond + `, "then": {"effect": "audit"}}`
		if _, err := ParseRule([]byte(rule), nil); err == nil {
			t.Errorf("%s: expected a parse error", cond)
		}
	}
}

func TestCountBudget(t *testing.T) {
	rule := `{"if": {"count": {"value": "[range(0, 10000)]", "where": {"count": {"value": "[range(0, 10000)]",
		"where": {"value": 1, "equals": 1}}, "greater": 0}}, "greater": 0}, "then": {"effect": "audit"}}`
	p, err := ParseRule([]byte(rule), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Evaluate(Input{}); err == nil {
		t.Error("expected the count budget to stop a 10^8-step evaluation")
	}
}
