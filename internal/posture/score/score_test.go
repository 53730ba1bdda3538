package score

import (
	"testing"

	"github.com/rampart-soc/rampart/internal/posture/policy"
)

// The documentation's example: max 6, 78 resources, 4 healthy -> 0.31 points.
func TestComputeDefenderExample(t *testing.T) {
	pols := map[string]*policy.Policy{
		"upd":  {ID: "upd", Title: "System updates should be installed", Controls: []string{"PV-6"}},
		"tls":  {ID: "tls", Title: "TLS 1.2", Controls: []string{"DP-3"}},
		"tls2": {ID: "tls2", Title: "HTTPS only", Controls: []string{"DP-3"}},
	}
	var fs []policy.Finding
	for i := 0; i < 78; i++ {
		st := policy.Unhealthy
		if i < 4 {
			st = policy.Healthy
		}
		fs = append(fs, policy.Finding{ResourceID: string(rune('a' + i)), PolicyID: "upd", State: st})
	}
	// One resource healthy for one policy of the control and unhealthy for the other counts
	// as unhealthy once; an exempt one leaves the denominator.
	fs = append(fs,
		policy.Finding{ResourceID: "s1", PolicyID: "tls", State: policy.Healthy},
		policy.Finding{ResourceID: "s1", PolicyID: "tls2", State: policy.Unhealthy},
		policy.Finding{ResourceID: "s2", PolicyID: "tls", State: policy.Healthy},
		policy.Finding{ResourceID: "s3", PolicyID: "tls", State: policy.Exempt},
		policy.Finding{ResourceID: "s4", PolicyID: "tls", State: policy.NotApplicable})
	s := Compute(fs, func(id string) *policy.Policy { return pols[id] })
	got := map[string]Control{}
	for _, c := range s.Controls {
		got[c.ID] = c
	}
	if c := got["system-updates"]; c.CurrentScore != 0.31 || c.Healthy != 4 || c.Unhealthy != 74 || c.PotentialIncrease != 5.69 {
		t.Errorf("system updates: %+v", c)
	}
	if c := got["encryption-in-transit"]; c.CurrentScore != 2 || c.Healthy != 1 || c.Unhealthy != 1 || c.Exempt != 1 || c.NotApplicable != 1 {
		t.Errorf("encryption in transit: %+v", c)
	}
	if s.MaxScore != 10 || s.CurrentScore != 2.31 || s.Percentage != 23.1 {
		t.Errorf("overall: %v / %v = %v%%", s.CurrentScore, s.MaxScore, s.Percentage)
	}
}
