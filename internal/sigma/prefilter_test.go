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
	want := `[[{CommandLine .exe\..\} {CommandLine \..\windows\}] [{CommandLine .exe\..\} {Image \windows\}]]`
	if got != want {
		t.Errorf("got %s want %s", got, want)
	}
	if top := mustCompile(t, indent("a: {A: x}\nb: {B|contains: abcdef}\ncondition: a or b")); !top.Targets[0].req.top() {
		t.Errorf("a side without literals must leave nothing: %v", top.Targets[0].req.clauses)
	}
}
