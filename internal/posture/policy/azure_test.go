package policy

import (
	"testing"

	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

const secureTransfer = `{"properties": {"displayName": "Secure transfer to storage accounts should be enabled", "mode": "Indexed",
 "parameters": {"effect": {"type": "String", "defaultValue": "Audit"}},
 "policyRule": {"if": {"allOf": [
   {"field": "type", "equals": "Microsoft.Storage/storageAccounts"},
   {"anyOf": [{"allOf": [{"value": "[requestContext().apiVersion]", "less": "2019-04-01"},
                         {"field": "Microsoft.Storage/storageAccounts/supportsHttpsTrafficOnly", "exists": "false"}]},
              {"field": "Microsoft.Storage/storageAccounts/supportsHttpsTrafficOnly", "equals": "false"}]}]},
  "then": {"effect": "[parameters('effect')]"}}},
 "name": "404c3081-a854-4457-ae30-26a93ef643f9"}`

// A user's Azure Policy definition runs through the Azure Policy interpreter on the
// resource types its rule names.
func TestAzurePolicyDefinition(t *testing.T) {
	p, err := ParseAzurePolicy([]byte(secureTransfer), "secure.json")
	if err != nil {
		t.Fatal(err)
	}
	if p.ID != "404c3081-a854-4457-ae30-26a93ef643f9" || p.Rules[0].Types[0] != "microsoft.storage/storageaccounts" {
		t.Fatalf("policy %+v types %v", p, p.Rules[0].Types)
	}
	s, err := NewSet(p)
	if err != nil {
		t.Fatal(err)
	}
	sa := func(id string, https bool) *inventory.Resource {
		return &inventory.Resource{ID: id, Provider: "azure", Type: "microsoft.storage/storageaccounts", Properties: map[string]any{
			"id": id, "type": "Microsoft.Storage/storageAccounts", "properties": map[string]any{"supportsHttpsTrafficOnly": https}}}
	}
	vm := &inventory.Resource{ID: "vm", Provider: "azure", Type: "microsoft.compute/virtualmachines", Properties: map[string]any{"type": "Microsoft.Compute/virtualMachines"}}
	got := map[string]string{}
	for _, f := range s.Assess([]*inventory.Resource{sa("bad", false), sa("good", true), vm}) {
		got[f.ResourceID] = f.State + f.Error
	}
	if got["bad"] != Unhealthy || got["good"] != Healthy || got["vm"] != "" {
		t.Errorf("states %v", got)
	}
	if _, err := ParseAzurePolicy([]byte(`{"properties": {}}`), "x.json"); err == nil {
		t.Error("a definition without policyRule was accepted")
	}
}
