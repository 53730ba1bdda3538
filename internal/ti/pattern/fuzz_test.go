package pattern

import (
	"errors"
	"testing"
	"time"
)

// FuzzParse checks that any input either parses to a pattern whose
// canonical form parses to itself, or fails with a positioned *Error;
// and that evaluating a parsed pattern never panics. Seeds: every
// pattern of the shared STIX corpus.
func FuzzParse(f *testing.F) {
	for _, l := range readJSONL[corpusPattern](f, "patterns.jsonl") {
		f.Add(l.Pattern)
	}
	for _, l := range readJSONL[grammarCase](f, "pattern-grammar-cases.jsonl") {
		f.Add(l.Pattern)
	}
	ev := Observation{ID: "e", Time: time.Unix(1700000000, 0).UTC(), Fields: map[string][]any{
		"file:name": {"a.exe"}, "ipv4-addr:value": {"10.0.0.1"}, "file:size": {int64(10)},
		"network-traffic:protocols[*]": {"tcp"}, "artifact:payload_bin": {[]byte("x")},
	}}
	f.Fuzz(func(t *testing.T, src string) {
		start := time.Now()
		defer func() {
			// Generous: the machine is shared; linear work takes microseconds.
			if d := time.Since(start); d > 10*time.Second {
				t.Fatalf("%d-byte input took %v", len(src), d)
			}
		}()
		p, err := Parse(src)
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) || pe.Offset < 0 || pe.Offset > len(src) || pe.Line < 1 || pe.Column < 1 {
				t.Fatalf("Parse(%q): bad error %#v", src, err)
			}
			return
		}
		canon := p.String()
		p2, err := Parse(canon)
		if err != nil {
			t.Fatalf("canonical form of %q does not parse: %q: %v", src, canon, err)
		}
		if again := p2.String(); again != canon {
			t.Fatalf("canonical form unstable: %q -> %q", canon, again)
		}
		p.Match(ev)
		p.Observables()
		p.Candidates()
		if c, err := NewCorrelator(p, CorrelatorOptions{MaxPartials: 20, MaxMatches: 5}); err == nil {
			for i := 0; i < 3; i++ {
				ev.Time = ev.Time.Add(time.Second)
				c.Push(ev)
			}
		}
	})
}

// FuzzCanonicalKey covers the object-path parser used for event keys.
func FuzzCanonicalKey(f *testing.F) {
	for _, s := range []string{"file:hashes.SHA256", "a:b[*].'c-d'", "x:y[-1]", "email-message:to_refs[0].value", "a:'\\''"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k, err := CanonicalKey(s)
		if err != nil {
			return
		}
		k2, err := CanonicalKey(k)
		if err != nil || k2 != k {
			t.Fatalf("CanonicalKey(%q) = %q, then %q, %v", s, k, k2, err)
		}
	})
}
