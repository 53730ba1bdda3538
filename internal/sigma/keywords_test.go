package sigma

import (
	"testing"
	"time"
)

// The keyword scan skips numbers and booleans only when no keyword literal could
// occur in their text.
func TestKeywordScanNonText(t *testing.T) {
	for _, c := range []struct {
		kw   string
		ev   map[string]any
		want bool
	}{
		{"'mimikatz'", ev("A", "x MIMIKATZ y", "N", 4688), true},
		{"'4688'", ev("A", "x", "N", 4688), true},
		{"'468'", ev("A", "x", "N", 4688.5), true},
		{"'true'", ev("A", "x", "B", true), true},
		{"'mimikatz'", ev("A", "x", "N", 4688), false},
		{"'mimikatz'", ev("A", map[string]any{"B": []any{"x", "MimiKatz"}}), true},
		{"'2024'", ev("T", time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)), true},
	} {
		r := mustCompile(t, indent("kw:\n    - "+c.kw+"\ncondition: kw"))
		rs := NewRuleset([]*Rule{r})
		got := len(rs.Match(nil, "T", NewMapEvent(c.ev))) == 1
		if got != c.want || r.Match("T", NewMapEvent(c.ev)) != c.want {
			t.Errorf("%s on %v: ruleset %v, want %v", c.kw, c.ev, got, c.want)
		}
	}
}
