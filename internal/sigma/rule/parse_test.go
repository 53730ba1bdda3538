package rule

import (
	"strings"
	"testing"
	"time"
)

const fullRule = `title: Suspicious Thing
id: 5f8c3b5e-1c8b-4d1e-9b0e-3f0c9a1b2c3d
name: suspicious_thing
status: test
description: test rule
references:
    - https://example.com
author: someone
date: 2024-01-31
modified: 2024-02-01
tags:
    - attack.execution
    - attack.t1059.001
    - attack.defense-evasion
    - cve.2021-44228
related:
    - id: 11111111-2222-3333-4444-555555555555
      type: derived
logsource:
    product: windows
    category: process_creation
detection:
    selection:
        Image|endswith: '\powershell.exe'
        CommandLine|contains|all:
            - ' -enc '
            - 'bypass'
    selection_list:
        - ParentImage: x
        - ParentImage: y
    keywords:
        - evil
        - 42
    filter_null:
        User: null
    condition:
        - selection and not filter_null
        - selection_list or keywords
fields:
    - CommandLine
falsepositives:
    - Admin scripts
level: high
regression_tests_path: regression_data/x/info.yml
`

func TestParseFullRule(t *testing.T) {
	docs, probs := Parse([]byte(fullRule), "r.yml")
	if len(probs) != 0 {
		t.Fatalf("problems: %v", probs)
	}
	r := docs[0].Rule
	if docs[0].Kind != KindRule || r.Title != "Suspicious Thing" || r.Level != "high" || r.Status != "test" || r.Name != "suspicious_thing" {
		t.Fatalf("meta: %+v", r.Meta)
	}
	if r.Date != "2024-01-31" {
		t.Errorf("date must stay text: %q", r.Date)
	}
	if r.LogSource != (LogSource{Product: "windows", Category: "process_creation"}) {
		t.Errorf("logsource %+v", r.LogSource)
	}
	if len(r.Related) != 1 || r.Related[0].Type != "derived" {
		t.Errorf("related %+v", r.Related)
	}
	tac, tech := r.Attack()
	if strings.Join(tac, ",") != "Execution,DefenseEvasion" || strings.Join(tech, ",") != "T1059.001" {
		t.Errorf("attack: %v %v", tac, tech)
	}
	if len(r.Detection.Conditions) != 2 {
		t.Fatalf("conditions %+v", r.Detection.Conditions)
	}
	sel := r.Detection.Search("selection")
	if len(sel.Groups) != 1 || len(sel.Groups[0]) != 2 {
		t.Fatalf("selection groups %+v", sel.Groups)
	}
	it := sel.Groups[0][1]
	if it.Field != "CommandLine" || !it.Has(ModContains) || !it.Has(ModAll) || len(it.Values) != 2 || it.Pos.Line != 25 {
		t.Errorf("item %+v", it)
	}
	if g := r.Detection.Search("selection_list").Groups; len(g) != 2 {
		t.Errorf("list of maps: %+v", g)
	}
	kw := r.Detection.Search("keywords").Groups[0][0]
	if kw.Field != "" || len(kw.Values) != 2 || kw.Values[1].Kind != ValInt || kw.Values[1].Text != "42" {
		t.Errorf("keywords %+v", kw)
	}
	if v := r.Detection.Search("filter_null").Groups[0][0].Values[0]; v.Kind != ValNull {
		t.Errorf("null %+v", v)
	}
}

func TestProblemsHaveLines(t *testing.T) {
	src := `title: Broken
id: not-a-uuid
level: severe
logsource:
    product: windows
detection:
    selection:
        Image|nosuchmod: x
        CommandLine|re|contains: y
    other:
        F|exists: maybe
    condition: selection and missing
tags:
    - Attack.Bad Tag
`
	_, probs := Parse([]byte(src), "b.yml")
	want := []struct {
		line int
		text string
		sev  Severity
	}{
		{8, `unknown modifier "nosuchmod"`, SevError},
		{9, `cannot be combined with "re"`, SevError},
		{11, `"exists" takes true or false`, SevError},
		{12, `unknown search identifier "missing"`, SevError},
		{1, `level "severe"`, SevError},
		{1, `is not a UUID`, SevWarning},
		{1, `does not match namespace.value`, SevWarning},
		{10, `"other" is not used`, SevWarning},
	}
	for _, w := range want {
		found := false
		for _, p := range probs {
			if p.Line == w.line && strings.Contains(p.Msg, w.text) && p.Severity == w.sev {
				found = true
			}
		}
		if !found {
			t.Errorf("missing problem at line %d: %s\ngot:\n%v", w.line, w.text, probs)
		}
	}
	// Column of the unknown identifier inside the condition string.
	for _, p := range probs {
		if strings.Contains(p.Msg, `"missing"`) && p.Col != 30 {
			t.Errorf("condition column %d, want 30", p.Col)
		}
	}
}

func TestYAMLErrorsAndLimits(t *testing.T) {
	_, probs := Parse([]byte("title: x\ndetection: [\n"), "y.yml")
	if !probs.HasErrors() || probs[0].Line == 0 {
		t.Errorf("yaml error without line: %v", probs)
	}
	_, probs = Parse([]byte("title: &a x\nid: *a\n"), "a.yml")
	if !probs.HasErrors() || !strings.Contains(probs.Error(), "aliases") {
		t.Errorf("alias accepted: %v", probs)
	}
	_, probs = Parse([]byte("title: a\ntitle: b\n"), "d.yml")
	if !strings.Contains(probs.Error(), "duplicate key") {
		t.Errorf("duplicate key: %v", probs)
	}
	_, probs = Parse([]byte(""), "e.yml")
	if !probs.HasErrors() {
		t.Error("empty file accepted")
	}
	_, probs = Parse([]byte("title: x\nlogsource: {product: a}\ndetection:\n  sel: {a: 1}\n  condition: sel\n  timeframe: 5m\n"), "t.yml")
	if !strings.Contains(probs.Error(), "timeframe") {
		t.Errorf("timeframe: %v", probs)
	}
}

const multiDoc = `title: Failed logon
name: failed_logon
id: 00000000-0000-0000-0000-00000000000a
logsource: {product: windows, service: security}
detection:
    sel: {EventID: 4625}
    condition: sel
---
title: Brute force
id: 00000000-0000-0000-0000-00000000000b
status: test
correlation:
    type: value_count
    rules:
        - failed_logon
    group-by:
        - IpAddress
    aliases:
        user:
            failed_logon: TargetUserName
    timespan: 90m
    condition:
        gte: 10
        field: TargetUserName
    generate: true
level: high
---
title: Ignore admins
id: 00000000-0000-0000-0000-00000000000c
logsource: {product: windows}
filter:
    rules:
        - failed_logon
    sel:
        TargetUserName|startswith: adm_
    condition: not sel
`

func TestMultiDocument(t *testing.T) {
	docs, probs := Parse([]byte(multiDoc), "m.yml")
	if probs.HasErrors() {
		t.Fatal(probs)
	}
	if len(docs) != 3 || docs[0].Kind != KindRule || docs[1].Kind != KindCorrelation || docs[2].Kind != KindFilter {
		t.Fatalf("kinds: %d docs", len(docs))
	}
	c := docs[1].Correlation
	if c.Type != ValueCount || c.Timespan != 90*time.Minute || len(c.Condition) != 1 || c.Condition[0] != (Comparison{"gte", 10}) ||
		c.Field[0] != "TargetUserName" || !c.Generate || c.Aliases["user"]["failed_logon"] != "TargetUserName" || docs[1].Pos.Line != 9 {
		t.Fatalf("correlation %+v", c)
	}
	f := docs[2].Filter
	if f.Any || len(f.Rules) != 1 || f.Rules[0] != "failed_logon" || f.Detection.Search("sel") == nil || f.Detection.Search("rules") != nil {
		t.Fatalf("filter %+v", f)
	}
}

func TestCorrelationValidation(t *testing.T) {
	bad := map[string]string{
		"no type":       "title: x\ncorrelation: {rules: [a], timespan: 1m, group-by: [x]}\n",
		"bad type":      "title: x\ncorrelation: {type: count, rules: [a], timespan: 1m}\n",
		"bad timespan":  "title: x\ncorrelation: {type: temporal, rules: [a, b], timespan: 5 minutes}\n",
		"no field":      "title: x\ncorrelation: {type: value_count, rules: [a], timespan: 1m, condition: {gt: 1}}\n",
		"no condition":  "title: x\ncorrelation: {type: event_count, rules: [a], timespan: 1m}\n",
		"bad op":        "title: x\ncorrelation: {type: event_count, rules: [a], timespan: 1m, condition: {more: 1}}\n",
		"alias unknown": "title: x\ncorrelation: {type: temporal, rules: [a, b], timespan: 1m, aliases: {u: {c: f}}}\n",
	}
	for name, src := range bad {
		if _, probs := Parse([]byte(src), name); !probs.HasErrors() {
			t.Errorf("%s accepted", name)
		}
	}
	for in, want := range map[string]time.Duration{"30s": 30 * time.Second, "5m": 5 * time.Minute, "2h": 2 * time.Hour, "1d": 24 * time.Hour, "1w": 7 * 24 * time.Hour} {
		if d, ok := ParseTimespan(in); !ok || d != want {
			t.Errorf("ParseTimespan(%s) = %v", in, d)
		}
	}
}
