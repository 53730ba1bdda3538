package pattern

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

// ev builds an observation "name" at t0+sec with fields given as
// "path=value" pairs.
func ev(id string, sec float64, kv ...string) Observation {
	o := Observation{ID: id, Time: t0.Add(time.Duration(sec * float64(time.Second))), Fields: map[string][]any{}}
	for _, p := range kv {
		k, v, _ := strings.Cut(p, "=")
		o.Fields[k] = append(o.Fields[k], v)
	}
	return o
}

// run pushes the stream and renders the matches as "ids@push" strings.
func run(t *testing.T, pattern string, opt CorrelatorOptions, stream ...Observation) []string {
	t.Helper()
	c, err := NewCorrelator(mustParse(t, pattern), opt)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, o := range stream {
		for _, m := range c.Push(o) {
			var ids []string
			for _, mo := range m.Observations {
				ids = append(ids, mo.ID)
			}
			out = append(out, strings.Join(ids, "+")+"@"+o.ID)
		}
	}
	return out
}

func TestCorrelator(t *testing.T) {
	a := func(id string, sec float64) Observation { return ev(id, sec, "file:name=a") }
	b := func(id string, sec float64) Observation { return ev(id, sec, "process:name=b") }
	x := func(id string, sec float64) Observation { return ev(id, sec, "file:name=x") }
	cases := []struct {
		name, pattern string
		opt           CorrelatorOptions
		stream        []Observation
		want          string
	}{
		{"single", "[file:name = 'a']", CorrelatorOptions{}, []Observation{a("a1", 0), x("x1", 1), a("a2", 2)}, "a1@a1 a2@a2"},
		{"and either order", "[file:name = 'a'] AND [process:name = 'b']", CorrelatorOptions{},
			[]Observation{b("b1", 0), x("x1", 1), a("a1", 2)}, "b1+a1@a1"},
		{"and needs distinct observations", "[file:name = 'a'] AND [file:name = 'a']", CorrelatorOptions{},
			[]Observation{a("a1", 0), a("a2", 1)}, "a1+a2@a2"},
		{"or", "[file:name = 'a'] OR [process:name = 'b']", CorrelatorOptions{},
			[]Observation{a("a1", 0), b("b1", 1)}, "a1@a1 b1@b1"},
		{"followedby in order", "[file:name = 'a'] FOLLOWEDBY [process:name = 'b']", CorrelatorOptions{},
			[]Observation{b("b0", 0), a("a1", 1), b("b1", 2)}, "a1+b1@b1"},
		{"followedby equal times", "[file:name = 'a'] FOLLOWEDBY [process:name = 'b']", CorrelatorOptions{},
			[]Observation{b("b1", 5), a("a1", 5)}, "b1+a1@a1"},
		{"followedby late arrival", "[file:name = 'a'] FOLLOWEDBY [process:name = 'b']", CorrelatorOptions{},
			[]Observation{b("b1", 10), a("a1", 3)}, "a1+b1@a1"},
		{"followedby chain", "[file:name = 'a'] FOLLOWEDBY [process:name = 'b'] FOLLOWEDBY [file:name = 'x']", CorrelatorOptions{},
			[]Observation{x("x0", 0), a("a1", 1), x("x1", 2), b("b1", 3), x("x2", 4)}, "a1+b1+x2@x2"},
		{"within", "([file:name = 'a'] AND [process:name = 'b']) WITHIN 10 SECONDS", CorrelatorOptions{},
			[]Observation{a("a1", 0), b("b1", 11), a("a2", 15)}, "b1+a2@a2"},
		{"within boundary", "([file:name = 'a'] FOLLOWEDBY [process:name = 'b']) WITHIN 10 SECONDS", CorrelatorOptions{},
			[]Observation{a("a1", 0), b("b1", 10)}, "a1+b1@b1"},
		{"repeats", "[file:name = 'a'] REPEATS 3 TIMES", CorrelatorOptions{},
			[]Observation{a("a1", 0), a("a2", 1), x("x1", 2), a("a3", 3)}, "a1+a2+a3@a3"},
		{"repeats within", "[file:name = 'a'] REPEATS 3 TIMES WITHIN 5 SECONDS", CorrelatorOptions{},
			[]Observation{a("a1", 0), a("a2", 1), a("a3", 7), a("a4", 8), a("a5", 9)}, "a3+a4+a5@a5"},
		{"repeats consume", "[file:name = 'a'] REPEATS 2 TIMES", CorrelatorOptions{Consume: true},
			[]Observation{a("a1", 0), a("a2", 1), a("a3", 2), a("a4", 3)}, "a1+a2@a2 a3+a4@a4"},
		{"repeats without consume", "[file:name = 'a'] REPEATS 2 TIMES", CorrelatorOptions{},
			[]Observation{a("a1", 0), a("a2", 1), a("a3", 2)}, "a1+a2@a2 a2+a3@a3"},
		{"start stop", "[file:name = 'a'] START t'2024-05-01T12:00:05Z' STOP t'2024-05-01T12:00:10Z'", CorrelatorOptions{},
			[]Observation{a("a1", 4), a("a2", 5), a("a3", 9.5), a("a4", 10)}, "a2@a2 a3@a3"},
		{"start stop on a group", "([file:name = 'a'] AND [process:name = 'b']) START t'2024-05-01T12:00:05Z' STOP t'2024-05-01T12:00:10Z'", CorrelatorOptions{},
			[]Observation{a("a1", 4), b("b1", 6), a("a2", 7)}, "b1+a2@a2"},
		{"qualified operand", "[file:name = 'a'] REPEATS 2 TIMES FOLLOWEDBY [process:name = 'b']", CorrelatorOptions{},
			[]Observation{a("a1", 0), b("b0", 1), a("a2", 2), b("b1", 3)}, "a1+a2+b1@b1"},
		{"horizon expires state", "[file:name = 'a'] AND [process:name = 'b']", CorrelatorOptions{Horizon: time.Minute},
			[]Observation{a("a1", 0), b("b1", 61), a("a2", 90)}, "b1+a2@a2"},
		{"consume across operators", "[file:name = 'a'] AND [process:name = 'b']", CorrelatorOptions{Consume: true},
			[]Observation{a("a1", 0), b("b1", 1), b("b2", 2), a("a2", 3)}, "a1+b1@b1 b2+a2@a2"},
	}
	for _, c := range cases {
		got := strings.Join(run(t, c.pattern, c.opt, c.stream...), " ")
		if got != c.want {
			t.Errorf("%s: %s\n got %q\nwant %q", c.name, c.pattern, got, c.want)
		}
	}
}

// State stays bounded on a long stream: by the WITHIN window when there
// is one, else by the horizon, and always by MaxPartials.
func TestCorrelatorBoundedState(t *testing.T) {
	c, err := NewCorrelator(mustParse(t, "([file:name = 'a'] FOLLOWEDBY [process:name = 'never']) WITHIN 10 SECONDS"), CorrelatorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5000; i++ {
		c.Push(ev(fmt.Sprint(i), float64(i), "file:name=a"))
	}
	if n := c.Pending(); n > 11 {
		t.Errorf("WITHIN 10 SECONDS at one event per second holds %d partials", n)
	}
	c, _ = NewCorrelator(mustParse(t, "[file:name = 'a'] AND [process:name = 'never']"), CorrelatorOptions{MaxPartials: 50})
	for i := 0; i < 5000; i++ {
		c.Push(ev(fmt.Sprint(i), 0, "file:name=a"))
	}
	if n := c.Pending(); n > 50 {
		t.Errorf("MaxPartials 50 holds %d partials", n)
	}
}

// A pattern whose bindings explode (every event matches every operand)
// is cut off by MaxMatches and the per-push step budget, not by time.
func TestCorrelatorBlowUp(t *testing.T) {
	p := mustParse(t, "[file:name = 'a'] AND [file:name = 'a'] AND [file:name = 'a'] AND [file:name = 'a']")
	c, err := NewCorrelator(p, CorrelatorOptions{MaxPartials: 200, MaxMatches: 10})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for i := 0; i < 300; i++ {
		if n := len(c.Push(ev(fmt.Sprint(i), float64(i), "file:name=a"))); n > 10 {
			t.Fatalf("push %d returned %d matches", i, n)
		}
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
}

func TestCorrelatorLimits(t *testing.T) {
	if _, err := NewCorrelator(mustParse(t, "[a:b = 1] REPEATS 5000 TIMES"), CorrelatorOptions{}); err == nil {
		t.Error("REPEATS beyond MaxPartials accepted")
	}
	if _, err := NewCorrelator(mustParse(t, "([a:b = 1] REPEATS 40 TIMES) REPEATS 40 TIMES"), CorrelatorOptions{}); err == nil {
		t.Error("match size 1600 accepted")
	}
	if _, err := NewCorrelator(nil, CorrelatorOptions{}); err == nil {
		t.Error("nil pattern accepted")
	}
}

func TestCorrelatorMatchContents(t *testing.T) {
	c, _ := NewCorrelator(mustParse(t, "[process:name = 'b'] AND [file:name = 'a']"), CorrelatorOptions{})
	c.Push(ev("later", 9, "file:name=a"))
	ms := c.Push(ev("earlier", 3, "process:name=b"))
	if len(ms) != 1 {
		t.Fatalf("matches %v", ms)
	}
	m := ms[0]
	if m.Observations[0].ID != "earlier" || m.Observations[1].ID != "later" || !m.First.Equal(t0.Add(3*time.Second)) || !m.Last.Equal(t0.Add(9*time.Second)) {
		t.Errorf("match %+v", m)
	}
}
