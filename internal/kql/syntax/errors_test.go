package syntax

import (
	"math/rand"
	"strings"
	"testing"
	"time"
)

func TestErrorMessages(t *testing.T) {
	tests := []struct {
		src       string
		line, col int
		msg       string
	}{
		{"print f(a b)", 1, 11, "expected ')' after function arguments, found 'b'"},
		{"T\n| summarize count(x where y", 2, 21, "expected ')' after function arguments, found 'where'"},
		{"T | where", 1, 10, "expected an expression, found end of query"},
		{"T | extend = 1", 1, 12, "expected an expression, found '='"},
		{"T | project a,", 1, 15, "expected an expression, found end of query"},
		{"T | join kind=inner on a", 1, 21, "expected the right table of 'join', found 'on'"},
		{"T | sort a", 1, 10, "expected 'by' after 'sort', found 'a'"},
		{"T | foo", 1, 5, "expected a query operator after '|', found 'foo'"},
		{"T where a > 1", 1, 3, "expected '|' before 'where'"},
		{"let = 1; T", 1, 5, "expected a name after 'let', found '='"},
		{"print dynamic([1, 2", 1, 20, "expected ']' to close the dynamic array, found end of query"},
		{"T | where x in (1, 2", 1, 21, "expected ')' to close the list after 'in', found end of query"},
		{"T | where x between (1, 2)", 1, 23, "expected '..' between the bounds of 'between', found ','"},
		{"T | make-series count() on t", 1, 29, "expected 'step' in make-series, found end of query"},
		{"datatable(a:lng)[1]", 1, 13, "unknown type 'lng'"},
		{"print a.by", 1, 9, "expected a name after '.', found keyword 'by'"},
		{"print 'abc", 1, 7, "string literal is missing its closing '"},
		{"T | where a > 1 | | count", 1, 19, "expected a query operator after '|', found '|'"},
		{"print 1)", 1, 8, "expected ';' or end of query after statement, found ')'"},
		{"T | where a == b == c", 1, 18, "operator '==' cannot follow '==' without parentheses"},
		{"print 'é' + )", 1, 13, "expected an expression, found ')'"}, // columns count characters
		{"let x = 1;; x", 1, 11, "expected a statement, found ';'"},
	}
	for _, tt := range tests {
		_, errs := Parse(tt.src)
		if len(errs) == 0 {
			t.Errorf("Parse(%q): no error, want %q", tt.src, tt.msg)
			continue
		}
		e := errs[0]
		if e.Line != tt.line || e.Column != tt.col || !strings.HasPrefix(e.Message, tt.msg) {
			t.Errorf("Parse(%q)\n got %d:%d %s\nwant %d:%d %s", tt.src, e.Line, e.Column, e.Message, tt.line, tt.col, tt.msg)
		}
		if want := PositionOf(tt.src, Pos(e.Offset)); want.Line != e.Line || want.Column != e.Column {
			t.Errorf("Parse(%q): offset %d does not match %d:%d", tt.src, e.Offset, e.Line, e.Column)
		}
	}
}

func TestErrorFormat(t *testing.T) {
	src := "T\n| where x > 1\n|\tsummarize count(x where y)"
	_, errs := Parse(src)
	if len(errs) == 0 {
		t.Fatal("want an error")
	}
	got := errs[0].Format(src)
	want := "3:21: expected ')' after function arguments, found 'where'\n" +
		"|\tsummarize count(x where y)\n" +
		" \t                  ^"
	if got != want {
		t.Errorf("Format:\n%s\nwant:\n%s", got, want)
	}
}

// TestErrorRecovery checks that parsing resumes at the next '|' or ';'
// so that one query reports several errors.
func TestErrorRecovery(t *testing.T) {
	tests := []struct {
		src  string
		errs int
		ops  int // operators kept in the result statement
	}{
		{"T | where a > | project b | extend = 1 | take 5", 2, 2},
		{"let x = ; let y = 1 +; T | count", 2, 1},
		{"T | foo | bar | take 1", 2, 1},
		{"let f = (a:long) { a + }; T | where (x | count", 2, 0},
	}
	for _, tt := range tests {
		q, errs := Parse(tt.src)
		if len(errs) != tt.errs {
			t.Errorf("Parse(%q): %d errors, want %d:\n%s", tt.src, len(errs), tt.errs, ErrorList(tt.src, errs))
		}
		if tt.ops > 0 {
			r := q.Result()
			p, ok := r.X.(*Pipe)
			if !ok || len(p.Ops) != tt.ops {
				t.Errorf("Parse(%q): result %s, want %d operators", tt.src, Format(r), tt.ops)
			}
		}
	}
}

// TestHostileInput checks that pathological input neither panics nor takes
// long: deep nesting, long chains, and garbage.
func TestHostileInput(t *testing.T) {
	inputs := []string{
		strings.Repeat("(", 100000),
		"print " + strings.Repeat("(", 5000) + "1" + strings.Repeat(")", 5000),
		"print " + strings.Repeat("f(", 5000) + "1" + strings.Repeat(")", 5000),
		"print 1" + strings.Repeat(" or a", 50000),
		"T" + strings.Repeat(" | where a > 1", 20000),
		"print " + strings.Repeat("datetime(", 20000),
		"print " + strings.Repeat("'a' ", 50000),
		strings.Repeat("#", 100000),
		strings.Repeat("let x = ;", 10000),
		"print dynamic(" + strings.Repeat("[", 50000),
		"T | project " + strings.Repeat("a, ", 50000) + "b",
	}
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 200; i++ {
		b := make([]byte, r.Intn(300))
		for j := range b {
			b[j] = "()[]{}|;,.=<>!~'\"@`-+*/%: \nabcdefhinoprstuwxyz0123456789$"[r.Intn(54)]
		}
		inputs = append(inputs, string(b))
	}
	for _, src := range inputs {
		start := time.Now()
		q, errs := Parse(src)
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("Parse took %v on input starting %q", d, src[:min(40, len(src))])
		}
		if q == nil {
			t.Fatal("nil query")
		}
		for _, e := range errs {
			if strings.HasPrefix(e.Message, "internal parser error") {
				t.Fatalf("%s on %q", e.Message, src)
			}
		}
		if len(errs) > maxErrors {
			t.Errorf("%d errors reported, want at most %d", len(errs), maxErrors)
		}
	}
}
