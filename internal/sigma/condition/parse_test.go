package condition

import (
	"strings"
	"testing"
)

func TestPrecedence(t *testing.T) {
	cases := map[string]string{
		"a":                              "a",
		"a or b and not c":               "(a or (b and not c))",
		"not a and b":                    "(not a and b)",
		"a and b or c and d":             "((a and b) or (c and d))",
		"(a or b) and c":                 "((a or b) and c)",
		"not (a or b)":                   "not (a or b)",
		"not not a":                      "not not a",
		"1 of sel* and not 1 of filter*": "(1 of sel* and not 1 of filter*)",
		"all of them":                    "all of them",
		"1 of them":                      "1 of them",
		"any of sel_*":                   "1 of sel_*",
		"2 of sel_*":                     "2 of sel_*",
		"a and\n    (b or c)":            "(a and (b or c))",
		"sel-1 or sel.2":                 "(sel-1 or sel.2)",
	}
	for src, want := range cases {
		n, err := Parse(src)
		if err != nil {
			t.Errorf("%q: %v", src, err)
			continue
		}
		if got := String(n); got != want {
			t.Errorf("%q: got %s want %s", src, got, want)
		}
	}
}

func TestErrors(t *testing.T) {
	cases := map[string]string{
		"":                          "expected a search identifier",
		"a and":                     "end of the condition",
		"(a or b":                   "expected ')'",
		"a b":                       "unexpected \"b\"",
		"sel | count() > 5":         "aggregation",
		"a near b":                  "near",
		"sel*":                      "needs a quantifier",
		"all sel":                   "expected 'of'",
		"1 of (a)":                  "after 'of'",
		"a & b":                     "unexpected character",
		strings.Repeat("(", 500):    "too deeply",
		strings.Repeat("not ", 500): "too deeply",
	}
	for src, want := range cases {
		_, err := Parse(src)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want error containing %q", src, err, want)
		}
	}
	_, err := Parse("a and )")
	if e, ok := err.(*Error); !ok || e.Offset != 6 {
		t.Errorf("offset: %v", err)
	}
}

func TestSelect(t *testing.T) {
	names := []string{"selection_a", "selection_b", "filter_main", "_private", "_sel_hidden"}
	sel := func(src string) string {
		n, err := Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(n.(*Of).Select(names), ",")
	}
	if got := sel("1 of selection_*"); got != "selection_a,selection_b" {
		t.Error(got)
	}
	if got := sel("all of them"); got != "selection_a,selection_b,filter_main" {
		t.Error("them must skip _ names:", got)
	}
	if got := sel("1 of *"); got != "selection_a,selection_b,filter_main" {
		t.Error("pattern without _ must skip _ names:", got)
	}
	if got := sel("1 of _*"); got != "_private,_sel_hidden" {
		t.Error(got)
	}
	if got := sel("1 of *_b"); got != "selection_b" {
		t.Error(got)
	}
	if got := sel("1 of nothing*"); got != "" {
		t.Error(got)
	}
}

func TestGlob(t *testing.T) {
	for _, c := range []struct {
		p, n string
		want bool
	}{
		{"sel*", "selection", true}, {"sel*", "xsel", false}, {"*", "", true},
		{"a*b*c", "aXXbYYc", true}, {"a*b*c", "aXXbYY", false}, {"abc", "abc", true}, {"abc", "abcd", false},
		{"**a", "ba", true}, {"*a*a*a*a*b", strings.Repeat("a", 100), false},
	} {
		if got := Glob(c.p, c.n); got != c.want {
			t.Errorf("Glob(%q,%q) = %v", c.p, c.n, got)
		}
	}
}
