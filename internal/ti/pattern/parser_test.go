package pattern

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func mustParse(t *testing.T, src string) *Pattern {
	t.Helper()
	p, err := Parse(src)
	if err != nil {
		t.Fatalf("Parse(%q): %v", src, err)
	}
	return p
}

// Canonical rendering shows what the parser built: precedence, flattening,
// spellings and literal decoding.
func TestParseCanonical(t *testing.T) {
	cases := []struct{ in, want string }{
		{"[ipv4-addr:value = '198.51.100.1']", "[ipv4-addr:value = '198.51.100.1']"},
		{"[domain-name:value == 'x.org']", "[domain-name:value = 'x.org']"},
		{"[domain-name:value <> 'x.org']", "[domain-name:value != 'x.org']"},
		{"[file:hashes.'SHA-256' = 'ab']", "[file:hashes.'SHA-256' = 'ab']"},
		{"[file:hashes.'MD5' = 'ab']", "[file:hashes.MD5 = 'ab']"},
		{`[file:name = 'O\'Brien \\ x']`, `[file:name = 'O\'Brien \\ x']`},
		{"[file:size = +1024]", "[file:size = 1024]"},
		{"[file:size > .5 AND file:size < -1.25]", "[file:size > 0.5 AND file:size < -1.25]"},
		{"[file:size = 99999999999999999999]", "[file:size = 99999999999999999999]"},
		{"[file:created = t'2014-01-13T07:03:17.120Z']", "[file:created = t'2014-01-13T07:03:17.12Z']"},
		{"[file:magic_number_hex = h'FFD8']", "[file:magic_number_hex = h'ffd8']"},
		{"[artifact:payload_bin = b'dGhpcyBpcyBhIHRlc3Q=']", "[artifact:payload_bin = b'dGhpcyBpcyBhIHRlc3Q=']"},
		{"[process:is_hidden = true]", "[process:is_hidden = true]"},
		{"[file:name IN ('a', 'b')]", "[file:name IN ('a', 'b')]"},
		{"[file:name IN ()]", "[file:name IN ()]"},
		{"[file:name NOT IN ('a')]", "[file:name NOT IN ('a')]"},
		{"[file:name NOT LIKE 'a%']", "[file:name NOT LIKE 'a%']"},
		{"[NOT EXISTS file:hashes.MD5]", "[NOT EXISTS file:hashes.MD5]"},
		{"[EXISTS windows-registry-key:values[*].data]", "[EXISTS windows-registry-key:values[*].data]"},
		{"[email-message:body_multipart[-1].body_raw_ref.name = 'a']", "[email-message:body_multipart[-1].body_raw_ref.name = 'a']"},
		{"[network-traffic:extensions.'http-request-ext'.request_header.'Accept-Encoding' = 'gzip']",
			"[network-traffic:extensions.'http-request-ext'.request_header.'Accept-Encoding' = 'gzip']"},
		{"[x:'AND' = 1]", "[x:'AND' = 1]"},
		// AND binds tighter than OR inside brackets, and parentheses survive
		// only where precedence needs them.
		{"[a:x = 1 AND a:y = 2 OR a:z = 3]", "[a:x = 1 AND a:y = 2 OR a:z = 3]"},
		{"[(a:x = 1 OR a:y = 2) AND a:z = 3]", "[(a:x = 1 OR a:y = 2) AND a:z = 3]"},
		{"[((a:x = 1))]", "[a:x = 1]"},
		{"[a:x = 1 OR (a:y = 2 OR a:z = 3)]", "[a:x = 1 OR a:y = 2 OR a:z = 3]"},
		// Observation precedence: AND > OR > FOLLOWEDBY.
		{"[a:x = 1] AND [b:y = 2] OR [c:z = 3] FOLLOWEDBY [d:w = 4]", "[a:x = 1] AND [b:y = 2] OR [c:z = 3] FOLLOWEDBY [d:w = 4]"},
		{"([a:x = 1] OR [b:y = 2]) AND [c:z = 3]", "([a:x = 1] OR [b:y = 2]) AND [c:z = 3]"},
		{"[a:x = 1] WITHIN 5 SECONDS AND [b:y = 2]", "[a:x = 1] WITHIN 5 SECONDS AND [b:y = 2]"},
		{"([a:x = 1] AND [b:y = 2]) WITHIN 0.5 SECONDS", "([a:x = 1] AND [b:y = 2]) WITHIN 0.5 SECONDS"},
		{"[a:x = 1] REPEATS 5 TIMES WITHIN +60 SECONDS", "[a:x = 1] REPEATS 5 TIMES WITHIN 60 SECONDS"},
		{"[a:x = 1] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'", "[a:x = 1] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'"},
		{"(([a:x = 1] WITHIN 5 SECONDS)) WITHIN 10 SECONDS", "([a:x = 1] WITHIN 5 SECONDS) WITHIN 10 SECONDS"},
		{"[a:x = 1] /* c */ AND // line\n [b:y = 2]", "[a:x = 1] AND [b:y = 2]"},
		{"\u00a0[a:x\u3000=\u20031]\n", "[a:x = 1]"},
		{"[a:x=1]AND[b:y=2]REPEATS 2TIMES", "[a:x = 1] AND [b:y = 2] REPEATS 2 TIMES"},
	}
	for _, c := range cases {
		p := mustParse(t, c.in)
		if got := p.String(); got != c.want {
			t.Errorf("Parse(%q).String() = %q, want %q", c.in, got, c.want)
		}
		if again := mustParse(t, p.String()).String(); again != p.String() {
			t.Errorf("round trip of %q: %q", p.String(), again)
		}
	}
}

func TestParseAST(t *testing.T) {
	p := mustParse(t, "[network-traffic:dst_ref.value = '10.0.0.1' AND network-traffic:dst_port IN (80, 443)] FOLLOWEDBY [file:hashes.SHA256 = 'AB'] WITHIN 60 SECONDS")
	g, ok := p.Root.(*ObsGroup)
	if !ok || g.Op != ObsFollowedBy || len(g.Operands) != 2 {
		t.Fatalf("root = %#v", p.Root)
	}
	q, ok := g.Operands[1].(*ObsQualified)
	if !ok || q.Qualifiers[0].Kind != QualWithin || q.Qualifiers[0].Window != time.Minute {
		t.Fatalf("second operand = %#v", g.Operands[1])
	}
	b := g.Operands[0].(*ObsBracket)
	and := b.Expr.(*CmpGroup)
	c := and.Operands[1].(*Comparison)
	if c.Op != OpIn || len(c.Set) != 2 || c.Set[1].Int != 443 || c.Path.Key() != "network-traffic:dst_port" {
		t.Errorf("IN comparison = %+v", c)
	}
	h := q.Expr.(*ObsBracket).Expr.(*Comparison)
	if h.Path.String() != "file:hashes.SHA256" || h.Path.Key() != "file:hashes.'SHA-256'" {
		t.Errorf("hash path %q key %q", h.Path.String(), h.Path.Key())
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		in       string
		class    ErrorClass
		col      int
		contains string
	}{
		{"file:name = 'a'", ClassSyntax, 1, "expected '[' or '('"},
		{"[file:name = 'a'", ClassSyntax, 17, "expected AND, OR or ']'"},
		{"[]", ClassSyntax, 2, "empty observation"},
		{"[file:name]", ClassSyntax, 11, "expected comparison operator, found ']'"},
		{"[file:name = ]", ClassSyntax, 14, "expected a literal"},
		{"[file name = 'a']", ClassSyntax, 7, "expected ':'"},
		{"[file:name = 'a'] AND", ClassSyntax, 22, "expected '[' or '('"},
		{"[file:name = 'a'] [b:c = 1]", ClassSyntax, 19, "end of pattern"},
		{"[file:hashes.SHA-256 = 'a']", ClassSyntax, 14, "must be quoted"},
		{`[file:name = "a"]`, ClassLexical, 14, "double quotes"},
		{`[file:name = 'a\n']`, ClassLexical, 16, "invalid escape"},
		{"[file:name = 'a]", ClassLexical, 17, "unterminated string"},
		{"[file:size = 01024]", ClassLiteral, 14, "leading zero"},
		{"[file:size > true]", ClassSyntax, 14, "booleans only work with = and !="},
		{"[process:is_hidden = TRUE]", ClassSyntax, 22, "expected a literal"},
		{"[file:created = t'2014-01-13T07:03:17+01:00']", ClassLiteral, 17, "end in upper-case Z"},
		{"[file:created = t'2014-13-13T07:03:17Z']", ClassLiteral, 17, "month out of range"},
		{"[file:created = t'2015-02-29T07:03:17Z']", ClassLiteral, 17, "no such date"},
		{"[file:created = t'2014-01-13t07:03:17Z']", ClassLiteral, 17, "upper-case T"},
		{"[file:m = h'ffd']", ClassLiteral, 11, "whole bytes"},
		{"[a:p = b'dGhpcyBpcyBhIHRlc3Q']", ClassLiteral, 8, "padded base64"},
		{"[a:p = b'']", ClassLiteral, 8, "padded base64"},
		{"[file:name IN 'a']", ClassSyntax, 15, "'(' to open the IN set"},
		{"[file:name IN ('a' 'b')]", ClassSyntax, 20, "',' or ')'"},
		{"[file:name LIKE 5]", ClassSyntax, 17, "a string after LIKE"},
		{"[file:name NOT EXISTS]", ClassSyntax, 16, "comparison operator after NOT"},
		{"[NOT file:name = 'a']", ClassSyntax, 6, "EXISTS after a leading NOT"},
		{"[a:x = 1] WITHIN 300", ClassSyntax, 21, "SECONDS"},
		{"[a:x = 1] WITHIN -5 SECONDS", ClassSyntax, 18, "positive number"},
		{"[a:x = 1] WITHIN 0 SECONDS", ClassRule, 18, "positive"},
		{"[a:x = 1] REPEATS 0 TIMES", ClassRule, 19, "positive integer"},
		{"[a:x = 1] REPEATS 2.5 TIMES", ClassSyntax, 19, "positive integer"},
		{"[a:x = 1] REPEATS 99999999999999999999 TIMES", ClassLimit, 19, "limit"},
		{"[a:x = 1] START '2016-06-01T00:00:00Z' STOP '2016-07-01T00:00:00Z'", ClassSyntax, 17, "plain strings were STIX 2.0"},
		{"[a:x = 1] START t'2016-07-01T00:00:00Z' STOP t'2016-06-01T00:00:00Z'", ClassRule, 46, "later than START"},
		{"[a:x = 1] WITHIN 5 SECONDS WITHIN 6 SECONDS", ClassRule, 28, "same qualifier twice"},
		{"[a:x = 1] and [b:y = 2]", ClassSyntax, 11, "found identifier 'and'"},
		{"[a:x = 1] /* open", ClassLexical, 11, "unterminated /* comment"},
		{"[a:x = 1 ! 2]", ClassLexical, 10, "unexpected '!'"},
		{"[a:x = 1]\n  [b:y = 2]", ClassSyntax, 3, "end of pattern"},
		{"[a:x[1.5] = 1]", ClassSyntax, 6, "list index"},
		{"[a:x = 'é' OR é]", ClassLexical, 15, "unexpected character 'é'"},
		{"[a:x = 1] LAST 5", ClassSyntax, 11, "found 'LAST'"},
	}
	for _, c := range cases {
		_, err := Parse(c.in)
		var pe *Error
		if !errors.As(err, &pe) {
			t.Errorf("Parse(%q) = %v, want *Error", c.in, err)
			continue
		}
		if pe.Class != c.class || pe.Column != c.col || !strings.Contains(pe.Error(), c.contains) {
			t.Errorf("Parse(%q):\n got %s [%s col %d]\nwant %s col %d containing %q", c.in, pe, pe.Class, pe.Column, c.class, c.col, c.contains)
		}
	}
}

func TestErrorLineColumn(t *testing.T) {
	_, err := Parse("[a:x = 1]\nAND\n  [b:y ~ 2]")
	pe := err.(*Error)
	if pe.Line != 3 || pe.Column != 8 || pe.Offset != 21 {
		t.Errorf("got line %d column %d offset %d: %v", pe.Line, pe.Column, pe.Offset, pe)
	}
	if _, err := Parse("[a:x = 'ok'] AND \xff"); err == nil || err.(*Error).Offset != 17 {
		t.Errorf("invalid UTF-8: %v", err)
	}
}

func TestParseSTIX20(t *testing.T) {
	// START/STOP took plain strings in STIX 2.0.
	p, err := ParseVersion("[a:x = 1] START '2016-06-01T00:00:00Z' STOP '2016-07-01T00:00:00Z'", "2.0")
	if err != nil {
		t.Fatal(err)
	}
	if q := p.Root.(*ObsQualified).Qualifiers[0]; !q.Start.Equal(time.Date(2016, 6, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("start = %v", q.Start)
	}
	if _, err := ParseVersion("[a:x = 1] START 'June' STOP '2016-07-01T00:00:00Z'", "2.0"); err == nil {
		t.Error("2.0 START with a non-timestamp string parsed")
	}
	if _, err := ParseVersion("[a:x = 1] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'", "2.0"); err != nil {
		t.Errorf("2.0 with t'' timestamps: %v", err)
	}
	// EXISTS is new in 2.1.
	_, err = ParseVersion("[EXISTS file:name]", "2.0")
	if pe, ok := err.(*Error); !ok || pe.Class != ClassVersion {
		t.Errorf("2.0 EXISTS: %v", err)
	}
	// The 2.0 grammar did not require base64 padding.
	if _, err := ParseVersion("[a:p = b'dGhpcyBpcyBhIHRlc3Q']", "2.0"); err != nil {
		t.Errorf("2.0 unpadded base64: %v", err)
	}
	if v := VersionOf(""); v != V21 {
		t.Errorf("VersionOf(\"\") = %v", v)
	}
}

func TestLimits(t *testing.T) {
	deep := strings.Repeat("(", 100000) + "[a:x = 1]" + strings.Repeat(")", 100000)
	if _, err := Parse(deep); err == nil || err.(*Error).Class != ClassLimit {
		t.Errorf("deep nesting: %v", err)
	}
	deepCmp := "[" + strings.Repeat("(", 100000) + "a:x = 1" + strings.Repeat(")", 100000) + "]"
	if _, err := Parse(deepCmp); err == nil || err.(*Error).Class != ClassLimit {
		t.Errorf("deep comparison nesting: %v", err)
	}
	many := "[" + strings.Repeat("a:x = 1 OR ", 30) + "a:x = 1]"
	if _, err := ParseOptions(many, Options{Limits: Limits{MaxComparisons: 10}}); err == nil || err.(*Error).Class != ClassLimit {
		t.Errorf("comparison limit: %v", err)
	}
	if _, err := ParseOptions("[a:x = 1]", Options{Limits: Limits{MaxLength: 5}}); err == nil {
		t.Error("length limit not applied")
	}
	obs := strings.Repeat("[a:x = 1] OR ", 20) + "[a:x = 1]"
	if _, err := ParseOptions(obs, Options{Limits: Limits{MaxObservations: 20}}); err == nil {
		t.Error("observation limit not applied")
	}
	// A wide, flat pattern is fine and linear.
	wide := "[" + strings.Repeat("file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e' OR ", 5000) + "file:name = 'x']"
	start := time.Now()
	if _, err := Parse(wide); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("5,000-comparison pattern took %v", d)
	}
}

// Inputs that have broken parsers elsewhere: none may panic.
func TestParseNeverPanics(t *testing.T) {
	inputs := []string{
		"", " ", "[", "]", "(", ")", "[(", "[a", "[a:", "[a:b", "[a:b.", "[a:b[", "[a:b[*", "[a:b[*]",
		"[a:b =", "[a:b = '", "[a:b = t'", "[a:b = h'", "[a:b = b'", "[a:b IN (", "[a:b IN ('x',",
		"[a:b = 1] WITHIN", "[a:b = 1] REPEATS", "[a:b = 1] START", "[a:b = 1] START t'2016-06-01T00:00:00Z' STOP",
		"[a:b = 1] FOLLOWEDBY", "/*", "//", "'", "\\", "+", "-", "-.", ".", "[a:b = -]", "[a:b = 1.]",
		"[a:b = t'2016-06-01T00:00:00.Z']", "[a:b = t'0000-01-01T00:00:60Z']", "[a:b[-0] = 1]",
		"[a:b[99999999999999999999] = 1]", "[a:b = 1] WITHIN 1" + strings.Repeat("0", 400) + " SECONDS",
		"[a:b MATCHES '(?<!x)y']", "[a:b ISSUBSET 'nope']", "\x00", "[a:b = '\x00']",
	}
	for _, in := range inputs {
		p, err := Parse(in)
		if err == nil {
			p.Match(Observation{})
			p.Observables()
			_ = p.String()
			if _, err := NewCorrelator(p, CorrelatorOptions{}); err != nil {
				t.Logf("%q: correlator: %v", in, err)
			}
		} else if pe, ok := err.(*Error); !ok || pe.Offset < 0 || pe.Offset > len(in) {
			t.Errorf("Parse(%q): bad error %v", in, err)
		}
	}
}

// Inputs built to trigger quadratic scans must stay fast.
func TestParseLinearTime(t *testing.T) {
	inputs := []string{
		"[a:b MATCHES '[" + strings.Repeat("[:", 200000) + "']",
		"[a:b MATCHES '" + strings.Repeat("(?'", 1) + strings.Repeat("x", 400000) + "']",
		"[a:b LIKE '" + strings.Repeat("%_", 200000) + "']",
		strings.Repeat("/* */", 100000) + "[a:b = 1]",
		"[a:b = '" + strings.Repeat(`\\`, 300000) + "']",
		strings.Repeat("[a:b = 1] OR ", 999) + "[a:b = 1]",
	}
	for _, in := range inputs {
		start := time.Now()
		p, err := Parse(in)
		if err == nil {
			p.Match(Observation{Fields: map[string][]any{"a:b": {strings.Repeat("y", 1000)}}})
			_ = p.String()
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%.30q...: %v", in, d)
		}
	}
}
