package azpolicy

import (
	"testing"
)

func TestApplyOp(t *testing.T) {
	tests := []struct {
		op       string
		lhs, rhs any
		want     bool
	}{
		// equals: case-insensitive, full Unicode folding, type coercion.
		{"equals", "Microsoft.Compute/virtualMachines", "microsoft.compute/VIRTUALMACHINES", true},
		{"equals", "Straße", "STRASSE", true},
		{"equals", "ﬃce", "FFICE", true},
		{"equals", "κοσμος", "ΚΟΣΜΟΣ", true},
		{"equals", "443", int64(443), true},
		{"equals", int64(80), "80", true},
		{"equals", "not-a-number", int64(80), false},
		{"equals", "TRUE", true, true},
		{"equals", false, "False", true},
		{"equals", "yes", true, false},
		{"equals", nil, nil, true},
		{"equals", undefined, nil, true},
		{"equals", undefined, "x", false},
		{"equals", []any{"A", int64(1)}, []any{"a", "1"}, true},
		{"equals", map[string]any{"K": "v"}, map[string]any{"k": "V"}, true},
		{"notEquals", undefined, "x", true},
		{"notEquals", "WestUS2", "westus2", false},
		// like / match
		{"like", "my-prod-vm", "MY-*-VM", true},
		{"like", "app.prod.east", "*.prod.*", true},
		{"like", "app.dev.east", "*.prod.*", false},
		{"like", "Die Straße ist lang", "die strasse*", true},
		{"like", undefined, "*", false},
		{"notLike", undefined, "*", true},
		{"like", int64(5), "*", false},
		{"match", "abc-12", "abc-##", true},
		{"match", "ABC-12", "abc-##", false},
		{"match", "abc-1", "abc-##", false},
		{"match", "x.y", "?.?", true},
		{"match", "1.y", "?.?", false},
		{"matchInsensitively", "ABC-12", "abc-##", true},
		{"notMatch", "ABC-12", "abc-##", true},
		{"notMatchInsensitively", "ABC-12", "abc-##", false},
		// contains on strings and arrays
		{"contains", "my-prod-vm", "PROD", true},
		{"contains", "", "x", false},
		{"contains", "anything", "", true},
		{"contains", []any{"eastus", "westus2"}, "WESTUS2", true},
		{"contains", undefined, "x", false},
		{"notContains", undefined, "x", true},
		// in / notIn
		{"in", "westus2", []any{"EASTUS", "WESTUS2"}, true},
		{"in", "443", []any{int64(80), int64(443)}, true},
		{"in", undefined, []any{"a"}, false},
		{"notIn", undefined, []any{"a"}, true},
		{"notIn", "Straße", []any{"STRASSE"}, false},
		// containsKey
		{"containsKey", map[string]any{"environment": "x"}, "Environment", true},
		{"containsKey", "notAnObject", "x", false},
		{"notContainsKey", map[string]any{"a": "x"}, "b", true},
		// ordering
		{"greater", "beta", "ALPHA", true},
		{"greater", "hello", "HELLO", false},
		{"greaterOrEquals", "hello", "HELLO", true},
		{"less", "2019-06-01-preview", "2020-01-01", true},
		{"greater", "8080", int64(1024), true},
		{"less", int64(80), "100", true},
		{"greater", float64(0.75), float64(0.5), true},
		{"greater", undefined, "z", false},
		{"less", undefined, "z", false},
		{"greater", "abc", int64(1), false},
		{"lessOrEquals", "Straße", "STRASSE", true},
		// exists
		{"exists", "", true, true},
		{"exists", undefined, "false", true},
		{"exists", nil, true, false},
		{"exists", int64(0), "TRUE", true},
	}
	for _, tt := range tests {
		got, err := applyOp(opNames[lower(tt.op)], tt.lhs, tt.rhs)
		if err != nil {
			t.Errorf("%v %s %v: %v", tt.lhs, tt.op, tt.rhs, err)
			continue
		}
		if got != tt.want {
			t.Errorf("%s %s %s = %v, want %v", toJSON(tt.lhs), tt.op, toJSON(tt.rhs), got, tt.want)
		}
	}
}

func lower(s string) string { return fold(s) }

func TestApplyOpErrors(t *testing.T) {
	for _, tt := range []struct {
		op       opKind
		lhs, rhs any
	}{
		{opIn, "a", "not-an-array"},
		{opLike, "a", int64(1)},
		{opExists, "a", "maybe"},
		{opContainsKey, map[string]any{}, int64(1)},
	} {
		if _, err := applyOp(tt.op, tt.lhs, tt.rhs); err == nil {
			t.Errorf("op %d with %s: expected an error", tt.op, toJSON(tt.rhs))
		}
	}
}

// Outside a count, a [*] field holds only when every member does; an empty
// array satisfies any condition and a missing one none but exists:false.
func TestImplicitAllOf(t *testing.T) {
	rule := `{"if": {"field": "items[*].status", "equals": "active"}, "then": {"effect": "deny"}}`
	for _, tt := range []struct {
		resource string
		want     bool
	}{
		{`{"items": [{"status": "active"}, {"status": "ACTIVE"}]}`, true},
		{`{"items": [{"status": "active"}, {"status": "inactive"}]}`, false},
		{`{"items": []}`, true},
		{`{}`, false},
	} {
		if got := evalRule(t, rule, tt.resource, nil, nil).Match; got != tt.want {
			t.Errorf("%s: match = %v, want %v", tt.resource, got, tt.want)
		}
	}
	missing := `{"if": {"field": "items[*].name", "exists": false}, "then": {"effect": "deny"}}`
	if !evalRule(t, missing, `{"items": [{"other": 1}, {"name": null}]}`, nil, nil).Match {
		t.Error("exists:false should hold when every member lacks the property")
	}
}
