package azpolicy

import (
	"fmt"
	"testing"
)

// BenchmarkEvaluateNSG evaluates an "SSH open to the Internet" rule, with a
// field count and template functions, against a network security group of
// 50 rules.
func BenchmarkEvaluateNSG(b *testing.B) {
	rule := `{"if": {"allOf": [
		{"field": "type", "equals": "Microsoft.Network/networkSecurityGroups"},
		{"count": {"field": "Microsoft.Network/networkSecurityGroups/securityRules[*]", "where": {"allOf": [
			{"field": "Microsoft.Network/networkSecurityGroups/securityRules[*].access", "equals": "Allow"},
			{"field": "Microsoft.Network/networkSecurityGroups/securityRules[*].direction", "equals": "Inbound"},
			{"anyOf": [
				{"field": "Microsoft.Network/networkSecurityGroups/securityRules[*].destinationPortRange", "in": ["22", "*"]},
				{"value": "[if(contains(first(field('Microsoft.Network/networkSecurityGroups/securityRules[*].destinationPortRange')), '-'), and(lessOrEquals(int(first(split(first(field('Microsoft.Network/networkSecurityGroups/securityRules[*].destinationPortRange')), '-'))), 22), greaterOrEquals(int(last(split(first(field('Microsoft.Network/networkSecurityGroups/securityRules[*].destinationPortRange')), '-'))), 22)), false())]", "equals": true}]},
			{"field": "Microsoft.Network/networkSecurityGroups/securityRules[*].sourceAddressPrefix", "in": "[parameters('sources')]"}]}},
		 "greater": 0}]},
		"then": {"effect": "[parameters('effect')]"}}`
	p, err := ParseRule([]byte(rule), nil)
	if err != nil {
		b.Fatal(err)
	}
	var rules []any
	for i := 0; i < 50; i++ {
		rules = append(rules, map[string]any{"name": fmt.Sprintf("r%d", i), "properties": map[string]any{
			"access": "Allow", "direction": "Inbound", "destinationPortRange": fmt.Sprintf("%d-%d", 1000+i, 1010+i),
			"sourceAddressPrefix": "10.0.0.0/8"}})
	}
	in := Input{
		Resource:   map[string]any{"type": "Microsoft.Network/networkSecurityGroups", "properties": map[string]any{"securityRules": rules}},
		Parameters: map[string]any{"effect": "Audit", "sources": []any{"*", "Internet"}},
	}
	b.ReportAllocs()
	for b.Loop() {
		if res, err := p.Evaluate(in); err != nil || res.Match {
			b.Fatal(res, err)
		}
	}
}
