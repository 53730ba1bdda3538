package sigma

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rampart-soc/rampart/internal/sigma/correlation"
	"github.com/rampart-soc/rampart/internal/sigma/internal/testdata"
	"github.com/rampart-soc/rampart/internal/sigma/rule"
)

type tableRow struct {
	table string
	row   map[string]any
	json  []byte
}

// regressionRows converts every regression event into its table row.
func regressionRows(t testing.TB, dir string) []tableRow {
	t.Helper()
	var rows []tableRow
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		fh, err := os.Open(p)
		if err != nil {
			return err
		}
		defer fh.Close()
		dec := json.NewDecoder(fh)
		dec.UseNumber()
		for dec.More() {
			var rec map[string]any
			if err := dec.Decode(&rec); err != nil {
				return err
			}
			table, row, err := WindowsRow(rec)
			if err != nil {
				return err
			}
			b, _ := json.Marshal(row)
			rows = append(rows, tableRow{table, row, b})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func names(rs []*Rule) string {
	var s []string
	for _, r := range rs {
		s = append(s, r.ID)
	}
	sort.Strings(s)
	return strings.Join(s, ",")
}

// The indexed, prefiltered Ruleset must return exactly what evaluating every rule
// one by one returns, on the corpus rules and the regression events (also
// case-mangled and as JSON bytes).
func TestRulesetAgreesWithBruteForce(t *testing.T) {
	loaded, err := NewCompiler(nil).LoadDir(testdata.Shared(t, "corpus/sigma/rules"))
	if err != nil {
		t.Fatal(err)
	}
	rs := NewRuleset(loaded.Rules)
	rows := regressionRows(t, testdata.Shared(t, "corpus/sigma/regression"))
	var upper func(m map[string]any) map[string]any
	upper = func(m map[string]any) map[string]any {
		out := map[string]any{}
		for k, v := range m {
			switch x := v.(type) {
			case string:
				out[k] = strings.ToUpper(x)
			case map[string]any:
				out[k] = upper(x)
			default:
				out[k] = v
			}
		}
		return out
	}
	total := 0
	for i, r := range rows {
		for variant, evt := range []Event{NewMapEvent(r.row), NewMapEvent(upper(r.row)), mustJSON(t, r.json)} {
			got := rs.Match(nil, r.table, evt)
			var want []*Rule
			for _, rule := range loaded.Rules {
				if rule.Match(r.table, evt) {
					want = append(want, rule)
				}
			}
			if names(got) != names(want) {
				t.Fatalf("row %d variant %d: ruleset %v, brute force %v", i, variant, names(got), names(want))
			}
			total += len(got)
		}
	}
	if total == 0 {
		t.Fatal("no matches at all")
	}
	t.Logf("%d rows, %d rule matches across variants, %d rules", len(rows), total, len(loaded.Rules))
}

func mustJSON(t testing.TB, b []byte) *JSONEvent {
	e, err := ParseJSONEvent(b)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestRulesetTablesAndPrefilter(t *testing.T) {
	var rules []*Rule
	for _, d := range []string{
		"sel:\n    CommandLine|contains: 'mimikatz'\ncondition: sel",
		"sel:\n    CommandLine|re: 'sekurlsa::[a-z]+'\ncondition: sel",
		"sel:\n    Image|endswith: '\\évil.exe'\ncondition: sel",
		"sel:\n    User: null\ncondition: sel", // no literal: always evaluated
		"sel:\n    CommandLine|contains: 'abc'\nfilter:\n    CommandLine|contains: 'abcd'\ncondition: sel and not filter",
	} {
		rules = append(rules, mustCompile(t, indent(d)))
	}
	for i, r := range rules {
		r.ID = string(rune('a' + i))
	}
	rs := NewRuleset(rules)
	if got := rs.Tables(); len(got) != 1 || got[0] != "T" {
		t.Fatalf("tables %v", got)
	}
	cases := []struct {
		ev   map[string]any
		want string
	}{
		{ev("CommandLine", "MIMIKATZ sekurlsa::logonpasswords", "User", "x"), "a,b"},
		{ev("CommandLine", "x", "Image", `C:\ÉVIL.EXE`, "User", "x"), "c"},
		{ev("CommandLine", "zzabczz"), "d,e"},
		{ev("CommandLine", "abcd", "User", "x"), ""},
	}
	for _, c := range cases {
		if got := names(rs.Match(nil, "T", NewMapEvent(c.ev))); got != c.want {
			t.Errorf("%v: got %q want %q", c.ev, got, c.want)
		}
	}
	if rs.Match(nil, "Other", NewMapEvent(ev())) != nil {
		t.Error("unknown table matched")
	}
}

func TestFilters(t *testing.T) {
	const src = `title: Admin logon
id: 00000000-0000-0000-0000-000000000001
name: admin_logon
logsource: {product: test}
detection:
    sel: {EventID: 4624}
    condition: sel
`
	filter := func(body string) *rule.Filter {
		docs, probs := rule.Parse([]byte("title: f\nlogsource: {product: test}\nfilter:\n"+body), "f.yml")
		if probs.HasErrors() {
			t.Fatal(probs)
		}
		return docs[0].Filter
	}
	exclude := filter("    rules: [admin_logon]\n    sel:\n        User|startswith: 'svc_'\n    condition: not sel\n")
	byID := filter("    rules: [00000000-0000-0000-0000-000000000001]\n    sel:\n        User|startswith: 'svc_'\n    condition: not sel\n")
	restrict := filter("    rules: any\n    sel:\n        Computer: dc1\n    condition: sel\n")
	other := filter("    rules: [another_rule]\n    sel:\n        User: bob\n    condition: not sel\n")
	wrongLS, _ := rule.Parse([]byte("title: f\nlogsource: {product: test, service: other}\nfilter:\n    rules: any\n    sel: {User: bob}\n    condition: not sel\n"), "f.yml")

	check := func(name string, filters []*rule.Filter, e map[string]any, want bool) {
		t.Helper()
		r, err := compileTest(t, &Compiler{Pipeline: testPipeline, Filters: filters}, src)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.Match("T", NewMapEvent(e)); got != want {
			t.Errorf("%s: got %v want %v", name, got, want)
		}
	}
	svc := ev("EventID", 4624, "User", "svc_backup", "Computer", "dc1")
	bob := ev("EventID", 4624, "User", "bob", "Computer", "ws7")
	check("no filter", nil, svc, true)
	check("exclude by name", []*rule.Filter{exclude}, svc, false)
	check("exclude by id", []*rule.Filter{byID}, svc, false)
	check("exclude keeps others", []*rule.Filter{exclude}, bob, true)
	check("condition: sel restricts (pySigma reading)", []*rule.Filter{restrict}, bob, false)
	check("restrict keeps matching", []*rule.Filter{restrict}, svc, true)
	check("filter for another rule", []*rule.Filter{other}, bob, true)
	// The filter's logsource (service=other) does not contain the rule's.
	check("logsource not contained", []*rule.Filter{wrongLS[0].Filter}, bob, true)
}

func TestConditionForms(t *testing.T) {
	r := mustCompile(t, indent(`selection_a:
    A: 1
selection_b:
    B: 1
_hidden:
    H: 1
condition: 1 of selection_* and not 1 of filter_*`))
	if !r.Match("T", NewMapEvent(ev("A", 1))) || r.Match("T", NewMapEvent(ev("C", 1))) {
		t.Error("a missing filter_* pattern must be dropped, not break the rule")
	}
	all := mustCompile(t, indent("s1: {A: 1}\ns2: {B: 1}\n_h: {H: 1}\ncondition: all of them"))
	if !all.Match("T", NewMapEvent(ev("A", 1, "B", 1))) {
		t.Error("all of them ignores _ identifiers")
	}
	two := mustCompile(t, indent("s1: {A: 1}\ns2: {B: 1}\ns3: {C: 1}\ncondition: 2 of s*"))
	if two.Match("T", NewMapEvent(ev("A", 1))) || !two.Match("T", NewMapEvent(ev("A", 1, "C", 1))) {
		t.Error("2 of s*")
	}
	prec := mustCompile(t, indent("a: {A: 1}\nb: {B: 1}\nc: {C: 1}\ncondition: a or b and not c"))
	if !prec.Match("T", NewMapEvent(ev("A", 1, "C", 1))) || prec.Match("T", NewMapEvent(ev("B", 1, "C", 1))) {
		t.Error("precedence")
	}
	list := mustCompile(t, indent("a: {A: 1}\nb: {B: 1}\ncondition:\n    - a\n    - b"))
	if !list.Match("T", NewMapEvent(ev("B", 1))) {
		t.Error("condition list is an OR")
	}
	wild := mustCompile(t, indent("sel_x|endswith: {A: 1}\ncondition: 1 of sel*"))
	if !wild.Match("T", NewMapEvent(ev("A", 1))) {
		t.Error("identifier with odd characters reached by pattern")
	}
	orMaps := mustCompile(t, indent("sel:\n    - {A: 1, B: 1}\n    - {C: 1}\ncondition: sel"))
	if orMaps.Match("T", NewMapEvent(ev("A", 1))) || !orMaps.Match("T", NewMapEvent(ev("C", 1))) || !orMaps.Match("T", NewMapEvent(ev("A", 1, "B", 1))) {
		t.Error("list of maps")
	}
}

func TestRulesetToCorrelation(t *testing.T) {
	docs, probs := rule.Parse([]byte(`title: Failed logon
id: 00000000-0000-0000-0000-0000000000f1
name: failed
logsource: {product: windows, service: security}
detection:
    sel: {EventID: 4625}
    condition: sel
---
title: Brute force
correlation:
    type: event_count
    rules: [failed]
    group-by: [TargetUserName]
    timespan: 1m
    condition: {gte: 3}
`), "c.yml")
	if probs.HasErrors() {
		t.Fatal(probs)
	}
	r, err := NewCompiler(nil).Compile(docs[0].Rule)
	if err != nil {
		t.Fatal(err)
	}
	if tables := r.Tables(); len(tables) != 1 || tables[0] != "SecurityEvent" {
		t.Fatalf("tables %v", tables)
	}
	rs := NewRuleset([]*Rule{r})
	eng, err := correlation.NewEngine([]*rule.Correlation{docs[1].Correlation}, correlation.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var alerts []correlation.Alert
	base := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 3; i++ {
		e := NewMapEvent(map[string]any{"EventID": 4625, "TargetUserName": "alice", "Channel": "Security"})
		for _, m := range rs.Match(nil, "SecurityEvent", e) {
			alerts = append(alerts, eng.Observe(CorrelationMatch(m, "SecurityEvent", e, base.Add(time.Duration(i)*time.Second)))...)
		}
	}
	if len(alerts) != 1 || alerts[0].Group["TargetUserName"] != "alice" {
		t.Fatalf("alerts %+v", alerts)
	}
	if eng.Generates(r.ID, r.Name) {
		t.Error("generate defaults to false")
	}
}
