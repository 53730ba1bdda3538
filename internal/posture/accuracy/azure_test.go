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
		if f.State == policy.Error && f.Provider == inventory.Azure {
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
