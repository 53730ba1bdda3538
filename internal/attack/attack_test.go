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
	tac, tech2, err := c.Normalize([]string{"InitialAccess", "lateral-movement"}, []string{"T1078", "t1021.002"})
	if err != nil || len(tac) != 2 || tech2[1] != "T1021.002" {
		t.Fatalf("Normalize = %v %v %v", tac, tech2, err)
	}
	if _, _, err := c.Normalize([]string{"Teleportation"}, []string{"T9999", "X1"}); err == nil {
		t.Fatal("unknown tactic and techniques accepted")
	}
	if !Covers([]string{"T1003"}, "T1003.001") || !Covers([]string{"T1003.001"}, "T1003") || Covers([]string{"T1059"}, "T1003") {
		t.Fatal("Covers")
	}
}
