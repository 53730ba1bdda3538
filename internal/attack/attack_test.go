package attack

import "testing"

func TestCatalog(t *testing.T) {
	c := Enterprise()
	if len(c.Tactics) != 14 || len(c.Techniques) < 600 {
		t.Fatalf("%d tactics, %d techniques", len(c.Tactics), len(c.Techniques))
	}
	tech, ok := c.Technique("t1003.001")
	if !ok || tech.Parent != "T1003" {
		t.Fatalf("T1003.001 = %+v, %v", tech, ok)
	}
	for _, n := range []string{"TA0006", "credential-access", "Credential Access", "CredentialAccess"} {
		if tac, ok := c.Tactic(n); !ok || tac.Name != "CredentialAccess" {
			t.Errorf("Tactic(%q) = %+v, %v", n, tac, ok)
		}
	}
	tac, tech2, warn, err := c.Normalize([]string{"InitialAccess", "lateral-movement"}, []string{"T1078", "t1021.002"})
	if err != nil || len(warn) != 0 || len(tac) != 2 || tech2[1] != "T1021.002" {
		t.Fatalf("Normalize = %v %v %v %v", tac, tech2, warn, err)
	}
	if _, _, _, err := c.Normalize(nil, []string{"X1"}); err == nil {
		t.Fatal("malformed technique accepted")
	}
	tac, tech2, warn, err = c.Normalize([]string{"PreAttack"}, []string{"T0853"})
	if err != nil || len(warn) != 2 || tac[0] != "PreAttack" || tech2[0] != "T0853" {
		t.Fatalf("names outside Enterprise: %v %v %v %v", tac, tech2, warn, err)
	}
	if !Covers([]string{"T1003"}, "T1003.001") || !Covers([]string{"T1003.001"}, "T1003") || Covers([]string{"T1059"}, "T1003") {
		t.Fatal("Covers")
	}
}
