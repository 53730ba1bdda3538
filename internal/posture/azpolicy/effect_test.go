package azpolicy

import (
	"errors"
	"testing"
)

func TestEffects(t *testing.T) {
	def := `{"properties": {"mode": "Indexed", "parameters": {
		"effect": {"type": "String", "defaultValue": "Audit", "allowedValues": ["Audit", "Deny", "Disabled"]}},
		"policyRule": {"if": {"field": "location", "notIn": ["eastus"]}, "then": {"effect": "[parameters('effect')]"}}}}`
	p, err := ParseDefinition([]byte(def), nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.Mode != "Indexed" || !p.Parameters["effect"].HasDefault {
		t.Errorf("definition metadata not read: %+v", p)
	}
	res := map[string]any{"location": "westeurope"}
	for params, want := range map[string]string{"": "Audit", "Deny": "Deny", "Disabled": ""} {
		in := Input{Resource: res}
		if params != "" {
			in.Parameters = map[string]any{"EFFECT": params}
		}
		out, err := p.Evaluate(in)
		if err != nil || out.Effect != want || out.Match != (want != "") {
			t.Errorf("effect param %q: got %+v, %v; want %q", params, out, err, want)
		}
	}
	if out, _ := p.Evaluate(Input{Resource: map[string]any{"location": "EastUS"}}); out.Match {
		t.Error("compliant resource matched")
	}
	if _, err := p.Evaluate(Input{Resource: res, Parameters: map[string]any{"effect": "explode"}}); err == nil {
		t.Error("unknown effect from a parameter should be an error")
	}
}

func TestModifyAndAppendDetails(t *testing.T) {
	modify := `{"if": {"field": "tags['env']", "exists": false}, "then": {"effect": "modify", "details": {
		"roleDefinitionIds": ["/r/1"],
		"operations": [{"operation": "addOrReplace", "field": "tags['env']", "value": "[concat(resourceGroup().name, '-env')]",
			"condition": "[greater(1, 0)]"}]}}}`
	p, err := ParseRule([]byte(modify), nil)
	if err != nil {
		t.Fatal(err)
	}
	out, err := p.Evaluate(Input{
		Resource: map[string]any{"id": "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Web/sites/a", "tags": map[string]any{}},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := mustJSON(t, `{"roleDefinitionIds": ["/r/1"], "operations": [{"operation": "addOrReplace", "field": "tags['env']",
		"value": "rg1-env", "condition": "[greater(1, 0)]"}]}`)
	if !out.Match || !deepEqual(out.Details, want) {
		t.Errorf("modify details = %s", toJSON(out.Details))
	}

	appendRule := `{"if": {"field": "type", "equals": "x"}, "then": {"effect": "append", "details": [
		{"field": "properties.minimumTlsVersion", "value": "[toUpper('tls1_2')]"}]}}`
	out = evalRule(t, appendRule, `{"type": "X"}`, nil, nil)
	if want := mustJSON(t, `[{"field": "properties.minimumTlsVersion", "value": "TLS1_2"}]`); !deepEqual(out.Details, want) {
		t.Errorf("append details = %s", toJSON(out.Details))
	}
}

func TestIfNotExists(t *testing.T) {
	vmID := "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1"
	vm := map[string]any{"id": vmID, "name": "vm1", "type": "Microsoft.Compute/virtualMachines", "location": "eastus"}
	otherExt := map[string]any{
		"id":   "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm2/extensions/mde",
		"name": "mde", "type": "Microsoft.Compute/virtualMachines/extensions",
		"properties": map[string]any{"publisher": "Microsoft.Azure.AzureDefenderForServers"},
	}
	ownExt := map[string]any{
		"id":   vmID + "/extensions/mde",
		"name": "mde", "type": "Microsoft.Compute/virtualMachines/extensions",
		"properties": map[string]any{"publisher": "Microsoft.Azure.AzureDefenderForServers", "location": "eastus"},
	}
	rule := `{"if": {"field": "type", "equals": "Microsoft.Compute/virtualMachines"}, "then": {"effect": "auditIfNotExists", "details": {
		"type": "Microsoft.Compute/virtualMachines/extensions", "name": "[concat(field('name'), '/mde')]",
		"existenceCondition": {"allOf": [
			{"field": "Microsoft.Compute/virtualMachines/extensions/publisher", "equals": "Microsoft.Azure.AzureDefenderForServers"},
			{"field": "properties.location", "equals": "[field('location')]"}]}}}}`
	p, err := ParseRule([]byte(rule), nil)
	if err != nil {
		t.Fatal(err)
	}
	// Another VM's extension does not count; the VM's own one does.
	out, err := p.Evaluate(Input{Resource: vm, Related: InventoryLookup([]map[string]any{vm, otherExt})})
	if err != nil || !out.Match || out.Related == nil || out.Related.Name != "vm1/mde" {
		t.Errorf("without the extension: %+v, %v", out, err)
	}
	out, err = p.Evaluate(Input{Resource: vm, Related: InventoryLookup([]map[string]any{vm, otherExt, ownExt})})
	if err != nil || out.Match {
		t.Errorf("with the extension: %+v, %v", out, err)
	}
	// Lookup failures surface as errors.
	boom := errors.New("boom")
	if _, err := p.Evaluate(Input{Resource: vm, Related: func(RelatedQuery) ([]map[string]any, error) { return nil, boom }}); !errors.Is(err, boom) {
		t.Errorf("lookup error not returned: %v", err)
	}
}

func TestInventoryLookupScope(t *testing.T) {
	server := map[string]any{"id": "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Sql/servers/a", "type": "Microsoft.Sql/servers"}
	rgWorkspace := map[string]any{"id": "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.OperationalInsights/workspaces/w", "type": "Microsoft.OperationalInsights/workspaces", "name": "w"}
	otherRG := map[string]any{"id": "/subscriptions/s1/resourceGroups/rg2/providers/Microsoft.OperationalInsights/workspaces/w2", "type": "Microsoft.OperationalInsights/workspaces", "name": "w2"}
	lookup := InventoryLookup([]map[string]any{server, rgWorkspace, otherRG})
	got, _ := lookup(RelatedQuery{Type: "microsoft.operationalinsights/workspaces", Resource: server})
	if len(got) != 1 || got[0]["name"] != "w" {
		t.Errorf("resource group scope: %v", got)
	}
	got, _ = lookup(RelatedQuery{Type: "Microsoft.OperationalInsights/workspaces", ExistenceScope: "subscription", Resource: server})
	if len(got) != 2 {
		t.Errorf("subscription scope: %v", got)
	}
	got, _ = lookup(RelatedQuery{Type: "Microsoft.OperationalInsights/workspaces", Name: "w2", ResourceGroupName: "rg2", Resource: server})
	if len(got) != 1 || got[0]["name"] != "w2" {
		t.Errorf("named lookup in another group: %v", got)
	}
}

func TestParseErrors(t *testing.T) {
	for _, rule := range []string{
		`{"then": {"effect": "deny"}}`,
		`{"if": {"field": "type", "equals": "x"}}`,
		`{"if": {"field": "type", "equals": "x"}, "then": {}}`,
		`{"if": {"field": "type", "equals": "x"}, "then": {"effect": "explode"}}`,
		`{"if": {"field": "type"}, "then": {"effect": "deny"}}`,
		`{"if": {"field": "type", "equals": "x", "extra": 1}, "then": {"effect": "deny"}}`,
		`{"if": {"field": "type", "value": "x", "equals": "x"}, "then": {"effect": "deny"}}`,
		`{"if": {"allOf": {"field": "type", "equals": "x"}}, "then": {"effect": "deny"}}`,
		`{"if": {"not": [], "field": "type", "equals": "x"}, "then": {"effect": "deny"}}`,
		`{"if": {"field": "type", "in": "notAnArray"}, "then": {"effect": "deny"}}`,
		`{"if": {"field": "type", "exists": "maybe"}, "then": {"effect": "deny"}}`,
		`{"if": {"field": "a..b", "equals": 1}, "then": {"effect": "deny"}}`,
		`{"if": {"value": "[guid('x')]", "equals": 1}, "then": {"effect": "deny"}}`,
		`{"if": {"value": 1, "equals": 1}, "then": {"effect": "deny"}, "else": {}}`,
		`"just a string"`,
		`{"if": {"value": 1, "equals": 1}, "then": {"effect": "deny"}} trailing`,
	} {
		if _, err := ParseRule([]byte(rule), nil); !errors.Is(err, ErrParse) {
			t.Errorf("%s: err = %v, want ErrParse", rule, err)
		}
	}
	if _, err := ParseDefinition([]byte(`{"properties": {"displayName": "no rule"}}`), nil); !errors.Is(err, ErrParse) {
		t.Errorf("definition without policyRule: %v", err)
	}
}

func TestUTCNowIsStable(t *testing.T) {
	rule := `{"if": {"value": "[utcNow()]", "greater": "[utcNow()]"}, "then": {"effect": "audit"}}`
	if evalRule(t, rule, `{}`, nil, nil).Match {
		t.Error("two utcNow() calls in one evaluation differ")
	}
}

func TestEmbeddedChildren(t *testing.T) {
	nsgID := "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/n"
	res, _ := mustJSON(t, `{"id": "`+nsgID+`", "type": "Microsoft.Network/networkSecurityGroups",
		"properties": {"securityRules": [{"id": "`+nsgID+`/securityRules/ssh", "name": "ssh",
			"properties": {"access": "Allow", "direction": "Inbound", "destinationPortRange": "22-22", "sourceAddressPrefix": "*"}}],
			"other": [{"id": "/elsewhere/x"}]}}`).(map[string]any)
	kids := EmbeddedChildren(res)
	if len(kids) != 1 || kids[0]["type"] != "Microsoft.Network/networkSecurityGroups/securityRules" {
		t.Fatalf("children = %v", kids)
	}
	port := "field('Microsoft.Network/networkSecurityGroups/securityRules/destinationPortRange')"
	rule := `{"if": {"allOf": [{"field": "type", "equals": "Microsoft.Network/networkSecurityGroups/securityRules"},
		{"value": "[if(contains(` + port + `, '-'), and(lessOrEquals(int(first(split(` + port + `, '-'))), 22), ` +
		`greaterOrEquals(int(last(split(` + port + `, '-'))), 22)), false())]", "equals": true}]}, "then": {"effect": "audit"}}`
	p, err := ParseRule([]byte(rule), nil)
	if err != nil {
		t.Fatal(err)
	}
	if out, err := p.Evaluate(Input{Resource: kids[0]}); err != nil || !out.Match {
		t.Errorf("port range 22-22 not flagged: %+v %v", out, err)
	}
}

// A compiled policy is shared by the goroutines of a scan.
func TestConcurrentEvaluate(t *testing.T) {
	p, err := ParseRule([]byte(`{"if": {"count": {"field": "properties.rules[*]", "where": {
		"field": "[concat('properties.rules[*].', parameters('prop'))]", "equals": "[utcNow()]"}}, "equals": 0},
		"then": {"effect": "audit"}}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	for g := 0; g < 4; g++ {
		go func(g int) {
			var err error
			for i := 0; i < 50 && err == nil; i++ {
				in := Input{
					Resource:   map[string]any{"properties": map[string]any{"rules": []any{map[string]any{"a": "x"}}}},
					Parameters: map[string]any{"prop": string(rune('a' + (g+i)%5))},
				}
				var res Result
				if res, err = p.Evaluate(in); err == nil && !res.Match {
					err = errors.New("no match")
				}
			}
			done <- err
		}(g)
	}
	for g := 0; g < 4; g++ {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
