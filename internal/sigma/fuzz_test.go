package sigma

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzJSONEvent: the event parser accepts exactly what encoding/json accepts as an
// object (for valid UTF-8), and every top-level string reads back unchanged.
func FuzzJSONEvent(f *testing.F) {
	for _, s := range []string{`{"a":"b","n":1.5e3,"t":true,"z":null,"arr":[1,"x",{"k":"v"}],"o":{"p":{"q":"r"}}}`,
		`{"esc":"a\"b\\c\u00e9\ud83d\ude00"}`, `{}`, `[]`, `{"a":}`, `{"a":"b"} x`, `{"a":01}`, `{"a":"\ud800"}`,
		`{"a":"1","b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9,"a":"last","EventData":{"x":1}}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ev, err := ParseJSONEventString(s)
		var ref map[string]any
		refErr := json.Unmarshal([]byte(s), &ref)
		if !utf8.ValidString(s) {
			return // encoding/json replaces invalid UTF-8; we keep bytes
		}
		if (err == nil) != (refErr == nil && ref != nil) {
			t.Fatalf("%q: ours %v, encoding/json %v", s, err, refErr)
		}
		if err != nil {
			return
		}
		for k, v := range ref {
			got, ok := ev.Get(k)
			if !ok {
				t.Fatalf("%q: key %q missing", s, k)
			}
			if str, isStr := v.(string); isStr && got.Str != str && !strings.Contains(s, `\ud`) && !strings.Contains(s, `\uD`) {
				t.Fatalf("%q: key %q = %q, want %q", s, k, got.Str, str)
			}
		}
		ev.Range(func(Value) bool { return true })
		ev.Get("a.b.c")
	})
}

// FuzzEmbedded: decoding embedded JSON, XML and key=value text never panics.
func FuzzEmbedded(f *testing.F) {
	for _, s := range []string{`<EventData><Data Name="A">b</Data><Data>x</Data></EventData>`, `{"a":{"b":1}}`,
		`type=SYSCALL msg=audit(1:2): exe="/bin/x" a0='q'`, `<a><b c="d">e</b>`, `k=`, `=v`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, _ := decodeEmbedded(s)
		e := NewMapEvent(map[string]any{"S": s})
		e.Get("S.A")
		e.Get("S.a.b")
		_ = m
	})
}

// globToRegexp is an independent oracle for Sigma string patterns.
func globToRegexp(t tokens, cased bool) *regexp.Regexp {
	var b strings.Builder
	if !cased {
		b.WriteString("(?i)")
	}
	b.WriteString("(?s)^")
	for _, x := range t {
		switch x.kind {
		case tokLit:
			b.WriteString(regexp.QuoteMeta(x.s))
		case tokStar:
			b.WriteString(".*")
		case tokOne:
			b.WriteString(".")
		case tokDash:
			b.WriteString("[-/\u2013\u2014\u2015]")
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

// FuzzPattern compares the compiled matcher with a regular-expression oracle on
// ASCII input (where simple case folding and lower-casing agree).
func FuzzPattern(f *testing.F) {
	f.Add("*a?c*", "xxabcxx", false, false)
	f.Add("a\\*b", "a*b", false, false)
	f.Add(" -x", " /X", true, false)
	f.Add("*ab*ab", "abab", false, true)
	f.Fuzz(func(t *testing.T, value, text string, dash, cased bool) {
		if !isASCII(value) || !isASCII(text) || len(value) > 64 {
			return
		}
		toks := parseValue(value)
		if dash {
			toks = windash(toks)
		}
		p := compilePattern(toks, cased)
		want := globToRegexp(toks, cased).MatchString(text)
		if got := p.match(text); got != want {
			t.Fatalf("value %q (dash %v cased %v) vs %q: got %v want %v", value, dash, cased, text, got, want)
		}
		// The prefilter literal must occur in every match.
		if want {
			if l := p.literal(); l != "" && !strings.Contains(strings.ToLower(text), strings.ToLower(l)) {
				t.Fatalf("literal %q not in matching text %q", l, text)
			}
		}
	})
}

// runeGlob is a slow, obviously correct matcher: rune-wise ToLower comparison
// with dynamic programming over `*`, `?` and the dash class.
func runeGlob(t tokens, text string, cased bool) bool {
	type el struct {
		kind tokKind
		r    rune
	}
	var pat []el
	low := func(r rune) rune {
		if cased {
			return r
		}
		return unicode.ToLower(r)
	}
	for _, x := range t {
		if x.kind == tokLit {
			for _, r := range x.s {
				pat = append(pat, el{tokLit, low(r)})
			}
			continue
		}
		pat = append(pat, el{kind: x.kind})
	}
	h := []rune(text)
	// dp[j]: pattern prefix of length j matches text prefix of length i.
	dp := make([]bool, len(pat)+1)
	dp[0] = true
	for j := 1; j <= len(pat); j++ {
		dp[j] = dp[j-1] && pat[j-1].kind == tokStar
	}
	for i := 1; i <= len(h); i++ {
		next := make([]bool, len(pat)+1)
		for j := 1; j <= len(pat); j++ {
			switch p := pat[j-1]; p.kind {
			case tokStar:
				next[j] = next[j-1] || dp[j]
			case tokOne:
				next[j] = dp[j-1]
			case tokDash:
				next[j] = dp[j-1] && isDash(h[i-1])
			default:
				next[j] = dp[j-1] && low(h[i-1]) == p.r
			}
		}
		dp = next
	}
	return dp[len(pat)]
}

// FuzzPatternUnicode checks the fast paths (rare byte, non-ASCII first rune, the
// Kelvin sign and dotted capital I) against runeGlob on arbitrary valid UTF-8.
func FuzzPatternUnicode(f *testing.F) {
	f.Add("*kit*", "\u212Ait", false)
	f.Add("*İstanbul", "x istanbul", false)
	f.Add("*\U0001F600*", "a \U0001F600 b", false)
	f.Add("*é.exe", `C:\CAFÉ.EXE`, false)
	f.Add("ПРИВЕТ*", "привет мир", false)
	f.Add("*ab*", "xAbx", true)
	f.Fuzz(func(t *testing.T, value, text string, cased bool) {
		if !utf8.ValidString(value) || !utf8.ValidString(text) || len(value) > 48 || len(text) > 256 {
			return
		}
		toks := parseValue(value)
		p := compilePattern(toks, cased)
		if got, want := p.match(text), runeGlob(toks, text, cased); got != want {
			t.Fatalf("value %q cased %v vs %q: got %v want %v", value, cased, text, got, want)
		}
	})
}
