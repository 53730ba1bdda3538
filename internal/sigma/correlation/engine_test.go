package correlation

import (
	"testing"
	"time"

	"github.com/rampart-soc/rampart/internal/sigma/rule"
)

var t0 = time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)

func at(sec int) time.Time { return t0.Add(time.Duration(sec) * time.Second) }

func fields(kv ...string) func(string) (string, bool) {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func parseOne(t *testing.T, src string) []*rule.Correlation {
	t.Helper()
	docs, probs := rule.Parse([]byte(src), "test.yml")
	if probs.HasErrors() {
		t.Fatalf("parse: %v", probs)
	}
	var out []*rule.Correlation
	for _, d := range docs {
		if d.Correlation != nil {
			out = append(out, d.Correlation)
		}
	}
	return out
}

func engine(t *testing.T, src string) *Engine {
	t.Helper()
	e, err := NewEngine(parseOne(t, src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

const bruteForce = `
title: Many failed logons
id: 11111111-1111-1111-1111-111111111111
correlation:
    type: event_count
    rules: [failed_logon]
    group-by: [TargetUserName, IpAddress]
    timespan: 10m
    condition:
        gte: 3
level: high
`

func TestEventCountSlidingWindow(t *testing.T) {
	e := engine(t, bruteForce)
	m := func(sec int, user string) []Alert {
		return e.Observe(Match{RuleID: "failed_logon", Time: at(sec), Field: fields("TargetUserName", user, "IpAddress", "10.0.0.1")})
	}
	if a := m(0, "alice"); len(a) != 0 {
		t.Fatal("fired early")
	}
	m(300, "alice")
	m(310, "bob") // other group
	// 601 s after the first: the first match has left the window.
	if a := m(601, "alice"); len(a) != 0 {
		t.Fatalf("fired with an expired match: %+v", a)
	}
	a := m(650, "alice")
	if len(a) != 1 {
		t.Fatalf("want one alert, got %d", len(a))
	}
	if a[0].Value != 3 || a[0].Group["TargetUserName"] != "alice" || a[0].Group["IpAddress"] != "10.0.0.1" {
		t.Fatalf("alert %+v", a[0])
	}
	if !a[0].Start.Equal(at(300)) || !a[0].End.Equal(at(650)) {
		t.Fatalf("window %v..%v", a[0].Start, a[0].End)
	}
	// State was cleared: one more match does not fire again.
	if a := m(651, "alice"); len(a) != 0 {
		t.Fatal("fired twice on the same events")
	}
}

func TestEventCountWindowEdgeInclusive(t *testing.T) {
	e := engine(t, bruteForce)
	f := fields("TargetUserName", "a", "IpAddress", "x")
	e.Observe(Match{RuleID: "failed_logon", Time: at(0), Field: f})
	e.Observe(Match{RuleID: "failed_logon", Time: at(100), Field: f})
	// Exactly timespan (600 s) after the first match: still inside.
	if a := e.Observe(Match{RuleID: "failed_logon", Time: at(600), Field: f}); len(a) != 1 {
		t.Fatalf("match exactly timespan apart: %d alerts", len(a))
	}
}

func TestOutOfOrderAndLate(t *testing.T) {
	e := engine(t, bruteForce)
	f := fields("TargetUserName", "a", "IpAddress", "x")
	e.Observe(Match{RuleID: "failed_logon", Time: at(500), Field: f})
	e.Observe(Match{RuleID: "failed_logon", Time: at(400), Field: f}) // out of order, in window
	if a := e.Observe(Match{RuleID: "failed_logon", Time: at(450), Field: f}); len(a) != 1 {
		t.Fatal("out-of-order matches not counted")
	}
	e.Observe(Match{RuleID: "failed_logon", Time: at(5000), Field: f})
	before := e.Dropped
	e.Observe(Match{RuleID: "failed_logon", Time: at(100), Field: f}) // far too late
	if e.Dropped != before+1 {
		t.Fatal("late match not dropped")
	}
}

func TestMissingGroupField(t *testing.T) {
	e := engine(t, bruteForce)
	for i := 0; i < 5; i++ {
		if a := e.Observe(Match{RuleID: "failed_logon", Time: at(i), Field: fields("TargetUserName", "a")}); len(a) != 0 {
			t.Fatal("fired without the IpAddress group field")
		}
	}
	if e.Dropped != 5 {
		t.Fatalf("dropped %d", e.Dropped)
	}
}

func TestUpperBoundClosesAtWindowEnd(t *testing.T) {
	e := engine(t, `
title: Few heartbeats
correlation:
    type: event_count
    rules: [heartbeat]
    group-by: [Computer]
    timespan: 1h
    condition:
        lt: 3
`)
	f := fields("Computer", "srv1")
	e.Observe(Match{RuleID: "heartbeat", Time: at(0), Field: f})
	if a := e.Observe(Match{RuleID: "heartbeat", Time: at(60), Field: f}); len(a) != 0 {
		t.Fatal("lt fired before the window ended")
	}
	a := e.Advance(at(3601))
	if len(a) != 1 || a[0].Value != 2 {
		t.Fatalf("want one alert with 2 events, got %+v", a)
	}
	if e.Groups() != 0 {
		t.Fatal("closed group kept")
	}
	// Range condition: gt 1 and lte 2.
	e2 := engine(t, `
title: Range
correlation:
    type: event_count
    rules: [r]
    group-by: [h]
    timespan: 10s
    condition: {gt: 1, lte: 2}
`)
	g := fields("h", "x")
	for _, s := range []int{0, 1, 2} {
		e2.Observe(Match{RuleID: "r", Time: at(s), Field: g})
	}
	if a := e2.Advance(at(11)); len(a) != 0 {
		t.Fatal("range fired with 3 events")
	}
	e2.Observe(Match{RuleID: "r", Time: at(100), Field: g})
	e2.Observe(Match{RuleID: "r", Time: at(101), Field: g})
	if a := e2.Advance(at(200)); len(a) != 1 {
		t.Fatal("range did not fire with 2 events")
	}
}

func TestValueCount(t *testing.T) {
	e := engine(t, `
title: Password spray
correlation:
    type: value_count
    rules: [failed_logon]
    group-by: [IpAddress]
    timespan: 5m
    condition:
        gte: 3
        field: TargetUserName
`)
	ip := "10.1.1.1"
	obs := func(sec int, user string) []Alert {
		return e.Observe(Match{RuleID: "failed_logon", Time: at(sec), Field: fields("IpAddress", ip, "TargetUserName", user)})
	}
	obs(0, "a")
	obs(1, "a")
	obs(2, "b")
	if a := obs(3, "b"); len(a) != 0 {
		t.Fatal("fired with two distinct users")
	}
	a := obs(4, "c")
	if len(a) != 1 || a[0].Value != 3 || a[0].Events != 5 {
		t.Fatalf("got %+v", a)
	}
}

func TestTemporalAndOrdered(t *testing.T) {
	src := `
title: Recon then exfil
name: recon_exfil
correlation:
    type: %s
    rules: [recon, exfil]
    group-by: [User]
    timespan: 10m
`
	for _, typ := range []string{"temporal", "temporal_ordered"} {
		e := engine(t, sprintf(src, typ))
		u := fields("User", "mallory")
		// exfil first, then recon.
		e.Observe(Match{RuleID: "exfil", Time: at(0), Field: u})
		a := e.Observe(Match{RuleID: "recon", Time: at(60), Field: u})
		if typ == "temporal" && len(a) != 1 {
			t.Fatalf("temporal: any order should fire, got %d", len(a))
		}
		if typ == "temporal_ordered" {
			if len(a) != 0 {
				t.Fatal("temporal_ordered fired out of order")
			}
			a = e.Observe(Match{RuleID: "exfil", Time: at(120), Field: u})
			if len(a) != 1 || a[0].Rules[0] != "recon" {
				t.Fatalf("temporal_ordered: got %+v", a)
			}
		}
		// Too far apart.
		e2 := engine(t, sprintf(src, typ))
		e2.Observe(Match{RuleID: "recon", Time: at(0), Field: u})
		if a := e2.Observe(Match{RuleID: "exfil", Time: at(601), Field: u}); len(a) != 0 {
			t.Fatalf("%s fired across more than the timespan", typ)
		}
	}
}

func sprintf(format string, arg string) string {
	out := ""
	for i := 0; i < len(format); i++ {
		if format[i] == '%' && i+1 < len(format) && format[i+1] == 's' {
			out += arg
			i++
			continue
		}
		out += string(format[i])
	}
	return out
}

func TestValueSumAvgPercentile(t *testing.T) {
	e := engine(t, `
title: Big transfer
correlation:
    type: value_sum
    rules: [upload]
    group-by: [User]
    timespan: 1h
    condition: {gt: 1000, field: Bytes}
---
title: Large average
correlation:
    type: value_avg
    rules: [upload]
    group-by: [User]
    timespan: 1h
    condition: {gte: 500, field: Bytes}
`)
	obs := func(sec int, bytes string) []Alert {
		return e.Observe(Match{RuleID: "upload", Time: at(sec), Field: fields("User", "u", "Bytes", bytes)})
	}
	if a := obs(0, "400"); len(a) != 0 {
		t.Fatal("fired at 400")
	}
	a := obs(1, "700") // sum 1100 > 1000, avg 550 >= 500
	if len(a) != 2 {
		t.Fatalf("want sum and avg alerts, got %+v", a)
	}
	if obs(2, "not a number"); e.Dropped == 0 {
		t.Fatal("non-numeric value not dropped")
	}

	p := engine(t, `
title: Rare process for the host
correlation:
    type: value_percentile
    rules: [proc]
    group-by: [Computer]
    timespan: 1d
    condition: {lte: 10, field: Image}
`)
	var fired int
	for i := 0; i < 20; i++ {
		fired += len(p.Observe(Match{RuleID: "proc", Time: at(i), Field: fields("Computer", "h", "Image", "common.exe")}))
	}
	if fired != 0 {
		t.Fatal("common value reported as rare")
	}
	if a := p.Observe(Match{RuleID: "proc", Time: at(30), Field: fields("Computer", "h", "Image", "rare.exe")}); len(a) != 1 {
		t.Fatal("rare value (1 of 21 < 10 %) not reported")
	}
}

func TestAliasesChainingGenerate(t *testing.T) {
	e := engine(t, `
title: Logon then process
name: logon_proc
correlation:
    type: temporal
    rules: [logon, proc]
    aliases:
        user:
            logon: TargetUserName
            proc: User
    group-by: [user]
    timespan: 5m
---
title: Repeated
correlation:
    type: event_count
    rules: [logon_proc]
    group-by: [user]
    timespan: 1h
    condition: {gte: 2}
    generate: true
`)
	if e.Generates("x", "logon") {
		t.Fatal("logon is a building block of a generate:false correlation")
	}
	if !e.Generates("x", "unrelated") {
		t.Fatal("unrelated rule suppressed")
	}
	var alerts []Alert
	for i, base := range []int{0, 1000} {
		alerts = append(alerts, e.Observe(Match{RuleID: "id1", RuleName: "logon", Time: at(base), Field: fields("TargetUserName", "bob")})...)
		alerts = append(alerts, e.Observe(Match{RuleID: "id2", RuleName: "proc", Time: at(base + 10), Field: fields("User", "bob")})...)
		if i == 0 && len(alerts) != 1 {
			t.Fatalf("first pair: %d alerts", len(alerts))
		}
	}
	if len(alerts) != 3 || alerts[2].Correlation.Title != "Repeated" || alerts[2].Group["user"] != "bob" {
		t.Fatalf("chained correlation: %+v", alerts)
	}
}

func TestCycleRejected(t *testing.T) {
	_, err := NewEngine(parseOne(t, `
title: A
name: a
correlation: {type: event_count, rules: [b], group-by: [x], timespan: 1m, condition: {gte: 1}}
---
title: B
name: b
correlation: {type: event_count, rules: [a], group-by: [x], timespan: 1m, condition: {gte: 1}}
`), Options{})
	if err == nil {
		t.Fatal("cycle accepted")
	}
}

func TestBoundedMemory(t *testing.T) {
	e, err := NewEngine(parseOne(t, bruteForce), Options{MaxGroups: 100, MaxEventsPerGroup: 10})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 10_000; i++ {
		e.Observe(Match{RuleID: "failed_logon", Time: at(i), Field: fields("TargetUserName", string(rune('a'+i%500)), "IpAddress", "x")})
	}
	if g := e.Groups(); g > 100 {
		t.Fatalf("%d groups kept, limit 100", g)
	}
	e.Advance(at(1_000_000))
	if g := e.Groups(); g != 0 {
		t.Fatalf("%d groups after everything expired", g)
	}
}
