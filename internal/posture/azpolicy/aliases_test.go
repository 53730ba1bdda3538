package azpolicy

import (
	"testing"
)

const testCatalogue = `[
 {"namespace": "Microsoft.Storage", "resourceTypes": [{"resourceType": "storageAccounts", "aliases": [
   {"name": "Microsoft.Storage/storageAccounts/supportsHttpsTrafficOnly", "defaultPath": "properties.supportsHttpsTrafficOnly",
    "defaultMetadata": {"attributes": "Modifiable", "type": "Boolean"}, "paths": []},
   {"name": "Microsoft.Storage/storageAccounts/primaryEndpoints.blob", "defaultPath": "properties.primaryEndpoints.blob",
    "defaultMetadata": {"attributes": "None"}, "paths": []},
   {"name": "Microsoft.Storage/storageAccounts/networkAcls.ipRules[*]", "defaultPath": "properties.networkAcls.ipRules[*]", "paths": []},
   {"name": "Microsoft.Storage/storageAccounts/networkAcls.ipRules[*].value", "defaultPath": "properties.networkAcls.ipRules[*].value", "paths": []},
   {"name": "Microsoft.Storage/storageAccounts/accountType", "defaultPath": "sku.name", "paths": [
     {"path": "properties.accountType", "apiVersions": ["2015-06-15", "2015-05-01-preview"]},
     {"path": "sku.name", "apiVersions": ["2019-06-01"]}]}
 ]}]},
 {"namespace": "Microsoft.Compute", "resourceTypes": [
   {"resourceType": "virtualMachines", "aliases": [
     {"name": "Microsoft.Compute/imagePublisher", "defaultPath": "properties.storageProfile.imageReference.publisher", "paths": []}]},
   {"resourceType": "virtualMachineScaleSets", "aliases": [
     {"name": "Microsoft.Compute/imagePublisher", "defaultPath": "properties.virtualMachineProfile.storageProfile.imageReference.publisher", "paths": []}]}
 ]}
]`

func loadTestAliases(t *testing.T) *Aliases {
	t.Helper()
	a, err := LoadAliases([]byte(testCatalogue))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestLoadAliases(t *testing.T) {
	a := loadTestAliases(t)
	if a.Len() != 7 {
		t.Errorf("Len = %d, want 7", a.Len())
	}
	al := a.lookup("microsoft.storage/storageaccounts", "MICROSOFT.STORAGE/STORAGEACCOUNTS/ACCOUNTTYPE")
	if al == nil {
		t.Fatal("case-insensitive lookup failed")
	}
	for v, want := range map[string]string{"2015-06-15": "properties.accountType", "2019-06-01": "sku.name", "2099-01-01": "sku.name", "": "sku.name"} {
		if got := al.pathFor(v).String(); got != want {
			t.Errorf("api %q: path %s, want %s", v, got, want)
		}
	}
	for _, bad := range []string{`"x"`, `[1]`, `[{"resourceTypes": [{"aliases": [{"defaultPath": "a"}]}]}]`, `{`} {
		if _, err := LoadAliases([]byte(bad)); err == nil {
			t.Errorf("%s: expected an error", bad)
		}
	}
}

func TestAliasEvaluation(t *testing.T) {
	a := loadTestAliases(t)
	storage := `{"type": "Microsoft.Storage/storageAccounts", "sku": {"name": "Standard_LRS"},
		"properties": {"supportsHttpsTrafficOnly": false, "accountType": "Premium_LRS",
		"networkAcls": {"defaultAction": "Deny", "ipRules": [{"value": "10.0.0.0/24"}, {"value": "1.2.3.4"}]}}}`
	vm := `{"type": "Microsoft.Compute/virtualMachines", "properties": {"storageProfile": {"imageReference": {"publisher": "Canonical"}}}}`
	vmss := `{"type": "Microsoft.Compute/virtualMachineScaleSets", "properties": {"virtualMachineProfile": {"storageProfile": {"imageReference": {"publisher": "Canonical"}}}}}`
	for _, tt := range []struct {
		name, cond, resource string
		want                 bool
	}{
		{"scalar alias", `{"field": "Microsoft.Storage/storageAccounts/supportsHttpsTrafficOnly", "equals": false}`, storage, true},
		{"default path", `{"field": "Microsoft.Storage/storageAccounts/accountType", "equals": "Standard_LRS"}`, storage, true},
		{"alias count with where", `{"count": {"field": "Microsoft.Storage/storageAccounts/networkAcls.ipRules[*]",
			"where": {"field": "Microsoft.Storage/storageAccounts/networkAcls.ipRules[*].value", "like": "10.*"}}, "equals": 1}`, storage, true},
		{"same alias name, per-type path (VM)", `{"field": "Microsoft.Compute/imagePublisher", "equals": "canonical"}`, vm, true},
		{"same alias name, per-type path (scale set)", `{"field": "Microsoft.Compute/imagePublisher", "equals": "canonical"}`, vmss, true},
		{"uncatalogued alias falls back to properties", `{"field": "Microsoft.Storage/storageAccounts/networkAcls.defaultAction", "equals": "deny"}`, storage, true},
		{"unknown alias, missing", `{"field": "Microsoft.Storage/storageAccounts/noSuchProperty", "exists": false}`, storage, true},
	} {
		rule := `{"if": ` + tt.cond + `, "then": {"effect": "audit"}}`
		if got := evalRule(t, rule, tt.resource, nil, a).Match; got != tt.want {
			t.Errorf("%s: match = %v, want %v", tt.name, got, tt.want)
		}
	}

	p, err := ParseRule([]byte(`{"if": {"field": "Microsoft.Storage/storageAccounts/accountType", "equals": "Premium_LRS"}, "then": {"effect": "deny"}}`), a)
	if err != nil {
		t.Fatal(err)
	}
	res, _ := mustJSON(t, storage).(map[string]any)
	out, err := p.Evaluate(Input{Resource: res, APIVersion: "2015-06-15"})
	if err != nil || !out.Match {
		t.Errorf("versioned path: match=%v err=%v, want a match on properties.accountType", out.Match, err)
	}
}

func TestModifiableAliases(t *testing.T) {
	a := loadTestAliases(t)
	rule := func(field string) string {
		return `{"if": {"field": "type", "equals": "Microsoft.Storage/storageAccounts"}, "then": {"effect": "modify", "details": {
			"roleDefinitionIds": ["/providers/Microsoft.Authorization/roleDefinitions/x"],
			"operations": [{"operation": "addOrReplace", "field": "` + field + `", "value": true}]}}}`
	}
	for field, ok := range map[string]bool{
		"Microsoft.Storage/storageAccounts/supportsHttpsTrafficOnly": true,
		"Microsoft.Storage/storageAccounts/primaryEndpoints.blob":    false,
		"Microsoft.Storage/storageAccounts/notCatalogued":            true,
		"tags['owner']": true,
	} {
		_, err := ParseRule([]byte(rule(field)), a)
		if (err == nil) != ok {
			t.Errorf("%s: err = %v, want ok=%v", field, err, ok)
		}
	}
}
