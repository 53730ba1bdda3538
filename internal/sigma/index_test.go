package sigma

import (
	"testing"

	"github.com/rampart-soc/rampart/internal/sigma/pipeline"
	"github.com/rampart-soc/rampart/internal/sigma/rule"
)

// The route index must select a bucket whenever its row conditions can hold:
// numbers as text or floats, case, arrays, wildcard and boolean conditions.
func TestRouteIndex(t *testing.T) {
	p, err := pipeline.Load([]byte(`
name: idx
tables:
  T: {passthrough: true}
sources:
  - {logsource: {product: p, service: a}, targets: [{table: T, where: {Channel: Sysmon, EventID: 1}}]}
  - {logsource: {product: p, service: b}, targets: [{table: T, where: {Channel: Sysmon, EventID: [12, 13]}}]}
  - {logsource: {product: p, service: c}, targets: [{table: T, where: {Channel: Sysmon, EventID: 7}}]}
  - {logsource: {product: p, service: d}, targets: [{table: T, where: {Channel: Sysmon, EventID: 8}}]}
  - {logsource: {product: p, service: e}, targets: [{table: T, where: {Channel: Sysmon}}]}
  - {logsource: {product: p, service: f}, targets: [{table: T, where: {Channel: 'App*'}}]}
  - {logsource: {product: p, service: g}, targets: [{table: T, where: {Flag: true}}]}
`))
	if err != nil {
		t.Fatal(err)
	}
	var rules []*Rule
	for _, svc := range []string{"a", "b", "c", "d", "e", "f", "g"} {
		src := "title: t\nid: " + svc + "\nlogsource: {product: p, service: " + svc + "}\ndetection:\n    sel: {User|contains: admin}\n    condition: sel\n"
		docs, probs := rule.Parse([]byte(src), svc+".yml")
		if probs.HasErrors() {
			t.Fatal(probs)
		}
		r, err := (&Compiler{Pipeline: p}).Compile(docs[0].Rule)
		if err != nil {
			t.Fatal(err)
		}
		rules = append(rules, r)
	}
	rs := NewRuleset(rules)
	cases := []struct {
		ev   map[string]any
		want string
	}{
		{ev("Channel", "Sysmon", "EventID", 1, "User", "ADMIN"), "a,e"},
		{ev("Channel", "SYSMON", "EventID", "1", "User", "admin"), "a,e"},
		{ev("Channel", "sysmon", "EventID", 13.0, "User", "admin"), "b,e"},
		{ev("Channel", "Sysmon", "EventID", []any{"7", 99}, "User", "admin"), "c,e"},
		{ev("Channel", "Sysmon", "EventID", "01", "User", "admin"), "e"},
		{ev("Channel", "Application", "User", "admin"), "f"},
		{ev("Channel", "x", "Flag", "TRUE", "User", "admin"), "g"},
		{ev("Channel", "x", "Flag", true, "User", "admin"), "g"},
	}
	for _, c := range cases {
		got := names(rs.Match(nil, "T", NewMapEvent(c.ev)))
		var want []*Rule
		for _, r := range rules {
			if r.Match("T", NewMapEvent(c.ev)) {
				want = append(want, r)
			}
		}
		if got != c.want || got != names(want) {
			t.Errorf("%v: got %q, want %q (one by one %q)", c.ev, got, c.want, names(want))
		}
	}
}

// Keyword literals are scanned for by route scope; an event visiting two branches
// of the index (an array of event ids) or only the table-wide buckets still finds
// every keyword.
func TestKeywordScopes(t *testing.T) {
	p, err := pipeline.Load([]byte(`
name: kw
tables:
  T: {passthrough: true}
sources:
  - {logsource: {product: p, service: a}, targets: [{table: T, where: {Channel: Sysmon, EventID: 1}}]}
  - {logsource: {product: p, service: b}, targets: [{table: T, where: {Channel: Sysmon, EventID: 7}}]}
  - {logsource: {product: p, service: c}, targets: [{table: T, where: {Channel: Sysmon, EventID: 8}}]}
  - {logsource: {product: p, service: d}, targets: [{table: T, where: {Channel: Sysmon, EventID: 9}}]}
  - {logsource: {product: p, service: e}, targets: [{table: T, where: {Channel: Other}}]}
  - {logsource: {product: p}, targets: [{table: T}]}
`))
	if err != nil {
		t.Fatal(err)
	}
	var rules []*Rule
	for i, ls := range []string{"{product: p, service: a}", "{product: p, service: b}", "{product: p, service: e}", "{product: p}",
		"{product: p, service: c}", "{product: p, service: d}"} {
		kw := []string{"alpha", "bravo", "charlie", "delta", "echo", "foxtrot"}[i]
		src := "title: t\nid: " + kw + "\nlogsource: " + ls + "\ndetection:\n    kw:\n        - " + kw + "\n    condition: kw\n"
		docs, probs := rule.Parse([]byte(src), kw+".yml")
		if probs.HasErrors() {
			t.Fatal(probs)
		}
		r, err := (&Compiler{Pipeline: p}).Compile(docs[0].Rule)
		if err != nil {
			t.Fatal(err)
		}
		rules = append(rules, r)
	}
	rs := NewRuleset(rules)
	for _, e := range []map[string]any{
		ev("Channel", "Sysmon", "EventID", 1, "X", "ALPHA bravo charlie delta"),
		ev("Channel", "Sysmon", "EventID", []any{1, 7}, "X", "alpha bravo delta"),
		ev("Channel", "Sysmon", "EventID", []any{7, 1}, "X", "alpha bravo delta"),
		ev("Channel", "Sysmon", "EventID", 8, "X", "alpha delta"),
		ev("Channel", "Other", "X", "charlie delta"),
		ev("Channel", "None", "X", "alpha bravo charlie delta"),
	} {
		var want []*Rule
		for _, r := range rules {
			if r.Match("T", NewMapEvent(e)) {
				want = append(want, r)
			}
		}
		if got := names(rs.Match(nil, "T", NewMapEvent(e))); got != names(want) {
			t.Errorf("%v: got %q want %q", e, got, names(want))
		}
	}
}
