package compliance

import (
	"bytes"
	"strings"
	"testing"

	"github.com/rampart-soc/rampart/internal/posture/policy"
)

func TestEvaluate(t *testing.T) {
	pols := map[string]*policy.Policy{
		"a": {ID: "a", Provider: "aws", Controls: []string{"DP-3"}, Standards: map[string][]string{"CIS AWS 6.0": {"2.1.1"}, "PCI DSS 4.0": {"4.2.1"}}},
		"b": {ID: "b", Provider: "aws", Controls: []string{"DP-3", "NS-1"}, Standards: map[string][]string{"cis": {"2.1.1"}, "my-std": {"X"}}},
	}
	fs := []policy.Finding{
		{ResourceID: "r1", PolicyID: "a", State: policy.Healthy},
		{ResourceID: "r2", PolicyID: "a", State: policy.Unhealthy},
		{ResourceID: "r1", PolicyID: "b", State: policy.Healthy},
	}
	reps := Evaluate(fs, func(id string) *policy.Policy { return pols[id] })
	byStd := map[string]Report{}
	for _, r := range reps {
		byStd[r.Standard] = r
	}
	ctl := func(std, id string) ControlResult {
		for _, c := range byStd[std].Controls {
			if c.ID == id {
				return c
			}
		}
		t.Fatalf("%s %s missing", std, id)
		return ControlResult{}
	}
	if c := ctl("mcsb-v1", "DP-3"); c.State != Failed || c.Unhealthy != 1 || c.Healthy != 2 || c.FailedResources[0] != "r2" {
		t.Errorf("DP-3: %+v", c)
	}
	if c := ctl("mcsb-v1", "NS-1"); c.State != Passed {
		t.Errorf("NS-1: %+v", c)
	}
	if c := ctl("mcsb-v1", "IM-6"); c.State != NotAssessed || c.Title == "" {
		t.Errorf("IM-6: %+v", c)
	}
	if c := ctl("cis-aws-6.0", "2.1.1"); c.State != Failed || len(c.Policies) != 2 {
		t.Errorf("cis 2.1.1: %+v", c)
	}
	if c := ctl("my-std", "X"); c.State != Passed {
		t.Errorf("custom standard: %+v", c)
	}
	if r := byStd["mcsb-v1"]; r.Passed != 1 || r.Failed != 1 || r.NotAssessed != 84 {
		t.Errorf("mcsb counts %d/%d/%d", r.Passed, r.Failed, r.NotAssessed)
	}
	var b bytes.Buffer
	if err := WriteCSV(&b, reps); err != nil || !strings.Contains(b.String(), "mcsb-v1,DP-3,") {
		t.Errorf("csv: %v %q", err, b.String()[:200])
	}
}

func TestCanonical(t *testing.T) {
	for in, want := range map[string]string{"CIS_Azure_2.0.0": "cis-azure-2.0", "iso27001-2022": "iso27001-2022",
		"ISO 27001:2013": "iso27001-2013", "PCI DSS 4.0.1": "pci-dss-4.0", "nist-800-53-r5": "nist-800-53-r5",
		"SOC 2": "soc2", "cis-kubernetes-1.12": "cis-kubernetes-1.12", "CIS Controls v8.1": "cis-controls-8.1", "nsa-cisa": "nsa-cisa"} {
		if got := Canonical(in, "azure"); got != want {
			t.Errorf("Canonical(%q) = %q, want %q", in, got, want)
		}
	}
}
