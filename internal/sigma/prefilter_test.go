package sigma

import (
	"fmt"
	"testing"
)

// (a and b) or c needs (a or c) and (b or c): both clauses reach the prefilter.
func TestRequirementDistributesOr(t *testing.T) {
	r := mustCompile(t, indent(`sel1:
    Image|contains: '\windows\'
    CommandLine|contains: '\..\windows\'
sel2:
    CommandLine|contains: '.exe\..\'
condition: 1 of sel*`))
	got := fmt.Sprint(r.Targets[0].req.clauses)
	want := `[[{CommandLine .exe\..\ false} {CommandLine \..\windows\ false}] [{CommandLine .exe\..\ false} {Image \windows\ false}]]`
	if got != want {
		t.Errorf("got %s want %s", got, want)
	}
	if top := mustCompile(t, indent("a: {A: null}\nb: {B|contains: abcdef}\ncondition: a or b")); !top.Targets[0].req.top() {
		t.Errorf("a side without literals must leave nothing: %v", top.Targets[0].req.clauses)
	}
}

// Whole-value equalities (strings without wildcards, numbers, booleans) become
// prefilter clauses looked up by the folded value.
func TestRequirementEquality(t *testing.T) {
	r := mustCompile(t, indent("sel:\n    EventID: 4624\n    User: Admin\ncondition: sel"))
	got := fmt.Sprint(r.Targets[0].req.clauses)
	want := `[[{EventID 4624 true}] [{User admin true}]]`
	if got != want {
		t.Errorf("got %s want %s", got, want)
	}
	rs := NewRuleset([]*Rule{r})
	for _, c := range []struct {
		ev   map[string]any
		want int
	}{
		{ev("EventID", 4624, "User", "ADMIN"), 1},
		{ev("EventID", "4624", "User", "admin"), 1},
		{ev("EventID", 4624.0, "User", "admin"), 1},
		{ev("EventID", []any{1, 4624}, "User", "admin"), 1},
		{ev("EventID", 4625, "User", "admin"), 0},
		{ev("EventID", 4624, "User", "admin2"), 0},
	} {
		if got := len(rs.Match(nil, "T", NewMapEvent(c.ev))); got != c.want {
			t.Errorf("%v: %d matches, want %d", c.ev, got, c.want)
		}
	}
}
