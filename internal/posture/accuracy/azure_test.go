package accuracy

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/rampart-soc/rampart/internal/posture/importers/azure"
	"github.com/rampart-soc/rampart/internal/posture/importers/terraform"
	"github.com/rampart-soc/rampart/internal/posture/inventory"
	"github.com/rampart-soc/rampart/internal/posture/policy"
	"github.com/rampart-soc/rampart/internal/testutil"
)

// Figures reached; a change that lowers them fails the harness.
const (
	azureTerragoatMinPassed = 127 // of 133 Checkov findings
	azureCustodianMinRes    = 495
	azureCustodianMinUnh    = 625 // unhealthy findings over the recorded subscriptions
)

// checkovTruth is a goat set's ground_truth.checkov.json.
type checkovTruth struct {
	Findings []struct {
		CheckID  string `json:"checkId"`
		File     string `json:"file"`
		Resource string `json:"resource"`
	} `json:"findings"`
}

// TestAzureTerragoatRecall imports TerraGoat's Azure Terraform, assesses it with the
// built-in policies and counts the Checkov findings that one of our Unhealthy findings on
// the same resource reproduces, through the policies' equivalents.
func TestAzureTerragoatRecall(t *testing.T) {
	set := testutil.Shared(t, "corpus", "posture", "inventories", "azure", "terragoat-azure")
	var truth checkovTruth
	data, err := os.ReadFile(filepath.Join(set, "ground_truth.checkov.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &truth); err != nil {
		t.Fatal(err)
	}
	res := terraform.ImportDir(filepath.Join(set, "iac"))
	for _, e := range res.Errors {
		t.Logf("terraform import: %v", e)
	}
	ps, err := policy.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	findings := ps.Assess(res.Resources)

	// resource -> Checkov ids our unhealthy findings stand for.
	fired := map[string]map[string]bool{}
	for _, f := range findings {
		if f.State == policy.Error && strings.HasPrefix(f.PolicyID, "RP-AZ-") {
			t.Errorf("%s on %s: evaluation error: %s", f.PolicyID, f.ResourceID, f.Error)
		}
		if f.State != policy.Unhealthy {
			continue
		}
		if fired[f.ResourceID] == nil {
			fired[f.ResourceID] = map[string]bool{}
		}
		for _, e := range ps.Policy(f.PolicyID).Equivalents {
			fired[f.ResourceID][strings.ToUpper(e)] = true
		}
	}
	passed, failed := 0, 0
	var missed []string
	for _, g := range truth.Findings {
		if fired[g.Resource][strings.ToUpper(g.CheckID)] {
			passed++
			continue
		}
		failed++
		missed = append(missed, g.CheckID+" "+g.Resource)
	}
	sort.Strings(missed)
	for _, m := range missed {
		t.Logf("missed: %s", m)
	}
	fmt.Printf("posture recall terragoat-azure: %d passed, %d failed\n", passed, failed)
	if passed < azureTerragoatMinPassed {
		t.Errorf("recall dropped: %d passed, want ≥ %d", passed, azureTerragoatMinPassed)
	}
}

// TestAzureCustodianSanity assesses the recorded Azure subscriptions: every policy must
// evaluate without error, and known-bad resources must be reported.
func TestAzureCustodianSanity(t *testing.T) {
	dir := testutil.Shared(t, "corpus", "posture", "inventories", "azure")
	files, _ := filepath.Glob(filepath.Join(dir, "custodian-azure-*", "resources.json"))
	var all inventory.Result
	for _, f := range files {
		all.Merge(azure.ImportFile(f))
	}
	for _, e := range all.Errors {
		t.Errorf("import: %v", e)
	}
	ps, err := policy.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	findings := ps.Assess(all.Resources)
	var errs, unhealthy, assessed int
	state := map[string]string{} // policy|resource -> state
	for _, f := range findings {
		state[f.PolicyID+"|"+f.ResourceID] = f.State
		switch f.State {
		case policy.Error:
			errs++
			t.Errorf("%s on %s: evaluation error: %s", f.PolicyID, f.ResourceID, f.Error)
		case policy.Unhealthy:
			unhealthy++
			assessed++
		case policy.Healthy:
			assessed++
		}
	}
	fmt.Printf("posture azure custodian: %d resources, %d findings, %d errors\n", len(all.Resources), len(findings), errs)
	t.Logf("posture azure custodian: %d assessed, %d unhealthy", assessed, unhealthy)
	if len(all.Resources) < azureCustodianMinRes {
		t.Errorf("only %d resources imported, want ≥ %d", len(all.Resources), azureCustodianMinRes)
	}
	if unhealthy < azureCustodianMinUnh {
		t.Errorf("only %d unhealthy findings, want ≥ %d", unhealthy, azureCustodianMinUnh)
	}
	// Spot checks on resources whose recordings show the misconfiguration.
	const sub = "/subscriptions/ea42f556-5106-4743-99b0-c129bfa71a47/resourcegroups/"
	for _, c := range []struct{ policy, resource, want string }{
		{"RP-AZ-001", sub + "anzoloch-csefs-2/providers/microsoft.storage/storageaccounts/anzolochcsefs2bda0", policy.Unhealthy},
		{"RP-AZ-060", sub + "stacklet-dev-westus/providers/microsoft.network/networksecuritygroups/nsg-allow-all-ingress", policy.Unhealthy},
		{"RP-AZ-061", sub + "stacklet-dev-westus/providers/microsoft.network/networksecuritygroups/nsg-allow-all-ingress", policy.Unhealthy},
		{"RP-AZ-103", sub + "293-rg-green/providers/microsoft.sql/servers/293-sql1-green", policy.Unhealthy},
		{"RP-AZ-182", sub + "vv/providers/microsoft.automation/automationaccounts/vvtestac/variables/testvar", policy.Unhealthy},
		{"RP-AZ-062", sub + "test_networksecuritygroup/providers/microsoft.network/networkwatchers/b90898c96b6945298b451436/flowlogs/b90898c96b6945298b451436", policy.Healthy},
	} {
		if got := state[c.policy+"|"+c.resource]; got != c.want {
			t.Errorf("%s on %s: %q, want %s", c.policy, c.resource, got, c.want)
		}
	}
}

// Hand-labelled scenarios: the corpora show mostly misconfigured resources, so these pin
// down the healthy side as well, and the paths through links (diagnostic settings, site
// config children, JIT policies, Terraform companion resources).
const azureScenarioARM = `[
 {"id": "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/good", "type": "Microsoft.Storage/storageAccounts",
  "properties": {"supportsHttpsTrafficOnly": true, "minimumTlsVersion": "TLS1_2", "allowBlobPublicAccess": false,
   "networkAcls": {"defaultAction": "Deny", "bypass": "Logging, AzureServices"}}},
 {"id": "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/bad", "type": "Microsoft.Storage/storageAccounts",
  "properties": {"supportsHttpsTrafficOnly": false, "networkAcls": {"defaultAction": "Allow"}}},
 {"id": "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/nsg", "type": "Microsoft.Network/networkSecurityGroups",
  "properties": {"securityRules": [
   {"name": "ssh-admins", "properties": {"access": "Allow", "direction": "Inbound", "protocol": "Tcp", "sourceAddressPrefix": "10.0.0.0/8", "destinationPortRange": "22"}},
   {"name": "rdp", "properties": {"access": "Allow", "direction": "Inbound", "protocol": "*", "sourceAddressPrefix": "Internet", "destinationPortRanges": ["443", "3380-3390"]}}]}},
 {"id": "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv", "type": "Microsoft.KeyVault/vaults",
  "properties": {"enableSoftDelete": true, "enablePurgeProtection": true, "networkAcls": {"defaultAction": "Deny"}}},
 {"id": "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv/providers/Microsoft.Insights/diagnosticSettings/audit", "type": "Microsoft.Insights/diagnosticSettings",
  "properties": {"logs": [{"category": "AuditEvent", "enabled": true}]}},
 {"id": "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Web/sites/app", "type": "Microsoft.Web/sites", "kind": "app",
  "properties": {"httpsOnly": true, "siteConfig": {"minTlsVersion": "1.2"}}},
 {"id": "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Web/sites/app/config/web", "type": "Microsoft.Web/sites/config",
  "properties": {"minTlsVersion": "1.0", "ftpsState": "FtpsOnly"}},
 {"id": "/subscriptions/s1/providers/Microsoft.Security/assessments/6240402e-f77c-46fa-9060-a7ce53997754", "type": "Microsoft.Security/assessments",
  "properties": {"displayName": "MFA should be enabled on accounts with owner permissions", "status": {"code": "Unhealthy"}}},
 {"id": "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm", "type": "Microsoft.Compute/virtualMachines",
  "properties": {"osProfile": {"linuxConfiguration": {"disablePasswordAuthentication": false}}}},
 {"id": "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Security/locations/westeurope/jitNetworkAccessPolicies/default", "type": "Microsoft.Security/locations/jitNetworkAccessPolicies",
  "properties": {"virtualMachines": [{"id": "/subscriptions/s1/resourceGroups/RG/providers/Microsoft.Compute/virtualMachines/VM", "ports": [{"number": 22}]}]}},
 {"id": "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks", "type": "Microsoft.ContainerService/managedClusters",
  "properties": {"enableRBAC": true, "networkProfile": {"networkPolicy": "calico"},
   "apiServerAccessProfile": {"authorizedIPRanges": ["203.0.113.0/24"]}, "addonProfiles": {"KubeDashboard": {"enabled": true}}}}
]`

const azureScenarioTF = `
resource "azurerm_storage_account" "sa" {
  name                     = "sa"
  account_tier             = "Standard"
  account_replication_type = "GRS"
  min_tls_version          = "TLS1_2"
  network_rules {
    default_action = "Deny"
    bypass         = ["AzureServices"]
  }
}
resource "azurerm_mssql_server" "sql" {
  name                = "sql"
  version             = "12.0"
  minimum_tls_version = "1.2"
}
resource "azurerm_mssql_server_extended_auditing_policy" "audit" {
  server_id         = azurerm_mssql_server.sql.id
  retention_in_days = 120
}
resource "azurerm_kubernetes_cluster" "aks" {
  name                              = "aks"
  role_based_access_control_enabled = true
  azure_policy_enabled              = true
  local_account_disabled            = true
  oms_agent {
    log_analytics_workspace_id = "ws"
  }
}
`

func TestAzureScenarios(t *testing.T) {
	res := azure.Parse([]byte(azureScenarioARM), "scenarios.json")
	for _, e := range res.Errors {
		t.Fatalf("import: %v", e)
	}
	tf := terraform.ImportSources(map[string][]byte{"main.tf": []byte(azureScenarioTF)})
	for _, e := range tf.Errors {
		t.Fatalf("terraform import: %v", e)
	}
	res.Merge(tf)
	ps, err := policy.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	state := map[string]string{}
	for _, f := range ps.Assess(res.Resources) {
		state[f.PolicyID+" "+f.ResourceID] = f.State
		if f.State == policy.Error {
			t.Errorf("%s on %s: %s", f.PolicyID, f.ResourceID, f.Error)
		}
	}
	const rg = "/subscriptions/s1/resourcegroups/rg/providers/"
	cases := []struct{ policy, resource, want string }{
		{"RP-AZ-001", rg + "microsoft.storage/storageaccounts/good", policy.Healthy},
		{"RP-AZ-002", rg + "microsoft.storage/storageaccounts/good", policy.Healthy},
		{"RP-AZ-003", rg + "microsoft.storage/storageaccounts/good", policy.Healthy},
		{"RP-AZ-004", rg + "microsoft.storage/storageaccounts/good", policy.Healthy},
		{"RP-AZ-005", rg + "microsoft.storage/storageaccounts/good", policy.Healthy},
		{"RP-AZ-001", rg + "microsoft.storage/storageaccounts/bad", policy.Unhealthy},
		{"RP-AZ-002", rg + "microsoft.storage/storageaccounts/bad", policy.Unhealthy},
		{"RP-AZ-003", rg + "microsoft.storage/storageaccounts/bad", policy.Unhealthy},
		{"RP-AZ-004", rg + "microsoft.storage/storageaccounts/bad", policy.NotApplicable},
		{"RP-AZ-060", rg + "microsoft.network/networksecuritygroups/nsg", policy.Healthy},
		{"RP-AZ-061", rg + "microsoft.network/networksecuritygroups/nsg", policy.Unhealthy},
		{"RP-AZ-068", rg + "microsoft.network/networksecuritygroups/nsg", policy.Healthy},
		{"RP-AZ-020", rg + "microsoft.keyvault/vaults/kv", policy.Healthy},
		{"RP-AZ-021", rg + "microsoft.keyvault/vaults/kv", policy.Healthy},
		{"RP-AZ-022", rg + "microsoft.keyvault/vaults/kv", policy.Healthy},
		{"RP-AZ-025", rg + "microsoft.keyvault/vaults/kv", policy.Healthy},
		{"RP-AZ-080", rg + "microsoft.web/sites/app", policy.Healthy},
		{"RP-AZ-081", rg + "microsoft.web/sites/app", policy.Unhealthy}, // the config child wins
		{"RP-AZ-082", rg + "microsoft.web/sites/app", policy.Healthy},
		{"RP-AZ-086", rg + "microsoft.web/sites/app", policy.NotApplicable},
		{"RP-AZ-180", "/subscriptions/s1/providers/microsoft.security/assessments/6240402e-f77c-46fa-9060-a7ce53997754", policy.Unhealthy},
		{"RP-AZ-040", rg + "microsoft.compute/virtualmachines/vm", policy.Unhealthy},
		{"RP-AZ-046", rg + "microsoft.compute/virtualmachines/vm", policy.Healthy},
		{"RP-AZ-150", rg + "microsoft.containerservice/managedclusters/aks", policy.Healthy},
		{"RP-AZ-151", rg + "microsoft.containerservice/managedclusters/aks", policy.Healthy},
		{"RP-AZ-152", rg + "microsoft.containerservice/managedclusters/aks", policy.Healthy},
		{"RP-AZ-153", rg + "microsoft.containerservice/managedclusters/aks", policy.Unhealthy},
		{"RP-AZ-156", rg + "microsoft.containerservice/managedclusters/aks", policy.Unhealthy},
		{"RP-AZ-002", "azurerm_storage_account.sa", policy.Healthy},
		{"RP-AZ-003", "azurerm_storage_account.sa", policy.Healthy},
		{"RP-AZ-004", "azurerm_storage_account.sa", policy.Healthy},
		{"RP-AZ-012", "azurerm_storage_account.sa", policy.Healthy},
		{"RP-AZ-100", "azurerm_mssql_server.sql", policy.Healthy},
		{"RP-AZ-101", "azurerm_mssql_server.sql", policy.Healthy},
		{"RP-AZ-102", "azurerm_mssql_server.sql", policy.Healthy},
		{"RP-AZ-103", "azurerm_mssql_server.sql", policy.Unhealthy},
		{"RP-AZ-150", "azurerm_kubernetes_cluster.aks", policy.Healthy},
		{"RP-AZ-154", "azurerm_kubernetes_cluster.aks", policy.Healthy},
		{"RP-AZ-155", "azurerm_kubernetes_cluster.aks", policy.Healthy},
		{"RP-AZ-158", "azurerm_kubernetes_cluster.aks", policy.Healthy},
		{"RP-AZ-151", "azurerm_kubernetes_cluster.aks", policy.Unhealthy},
	}
	passed, failed := 0, 0
	for _, c := range cases {
		if got := state[c.policy+" "+c.resource]; got != c.want {
			failed++
			t.Errorf("%s on %s: %q, want %s", c.policy, c.resource, got, c.want)
			continue
		}
		passed++
	}
	fmt.Printf("posture azure scenarios: %d passed, %d failed\n", passed, failed)
}
