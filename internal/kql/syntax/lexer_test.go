package syntax

import (
	"strings"
	"testing"
)

// tokSummary renders tokens as "Kind:Text" (or "Kind=Value" for strings
// and raw literals) separated by spaces, without the EOF.
func tokSummary(toks []Token) string {
	var parts []string
	for _, t := range toks {
		switch t.Kind {
		case EOF:
		case String, RawLit:
			parts = append(parts, t.Kind.String()+"="+t.Value)
		default:
			parts = append(parts, t.Text)
		}
	}
	return strings.Join(parts, " ")
}

func TestLexer(t *testing.T) {
	tests := []struct{ src, want string }{
		{"T | where a>=1", "T | where a >= 1"},
		{"a==b!=c<>d=~e!~f<=g", "a == b != c <> d =~ e !~ f <= g"},
		{"x !has 'y'", "x ! has string=y"},
		{"1..10", "1 .. 10"},
		{"1.5 1e3 2.5E-2 0x1F 1.e3", "1.5 1e3 2.5E-2 0x1F 1.e3"},
		{"5m 1.5h 100ms 10microseconds 2d 3tick", "5m 1.5h 100ms 10microseconds 2d 3tick"},
		{"5h_MovingAvg 2mins", "5h_MovingAvg 2mins"},
		{`"a\tb\"c" 'it\'s'`, "string=a\tb\"c string=it's"},
		{`@"c:\temp" @'a''b'`, `string=c:\temp string=a'b`},
		{"```line1\nline2``` ~~~x~~~", "string=line1\nline2 string=x"},
		{`h'secret' H"s2" h@'c:\x'`, `string=secret string=s2 string=c:\x`},
		{`"\u00e9\x41\101"`, "string=éAA"},
		{"datetime(2020-01-01 10:00) time(1.02:03:04) guid(8c1f0e2a-0000-0000-0000-000000000000)",
			"literal=2020-01-01 10:00 literal=1.02:03:04 literal=8c1f0e2a-0000-0000-0000-000000000000"},
		{"timespan(15 seconds)", "literal=15 seconds"},
		{"todatetime(x)", "todatetime ( x )"},
		{"a // comment\n| b", "a | b"},
		{"$left.x", "$left . x"},
		{"['my col']", "[ string=my col ]"},
		{"a=>b", "a => b"},
		{"mv-expand", "mv - expand"},
		{"é_col", "é_col"},
	}
	for _, tt := range tests {
		toks, errs := Lex(tt.src)
		if len(errs) > 0 {
			t.Errorf("Lex(%q): %v", tt.src, errs[0])
			continue
		}
		if got := tokSummary(toks); got != tt.want {
			t.Errorf("Lex(%q)\n got %q\nwant %q", tt.src, got, tt.want)
		}
	}
}

func TestLexerPositionsAndDepth(t *testing.T) {
	toks, _ := Lex("f(a, [b])")
	wantDepth := []int{0, 0, 1, 1, 1, 2, 1, 0, 0}
	for i, tk := range toks {
		if tk.Depth != wantDepth[i] {
			t.Errorf("token %d %q: depth %d, want %d", i, tk.Text, tk.Depth, wantDepth[i])
		}
	}
	if toks[2].Pos != 2 || toks[2].End != 3 {
		t.Errorf("token a at [%d,%d), want [2,3)", toks[2].Pos, toks[2].End)
	}
}

func TestLexerErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{`print "abc`, `string literal is missing its closing "`},
		{`print 'a\qb'`, `invalid escape sequence \q`},
		{"print 1.5xyz", `invalid number "1.5xyz"`},
		{"print ```abc", "missing its closing ```"},
		{"print datetime(2020", "datetime literal is missing its closing ')'"},
		{"print a # b", "unexpected character '#'"},
	}
	for _, tt := range tests {
		_, errs := Lex(tt.src)
		if len(errs) == 0 || !strings.Contains(errs[0].Message, tt.want) {
			t.Errorf("Lex(%q) errors %v, want one containing %q", tt.src, errs, tt.want)
		}
	}
}
