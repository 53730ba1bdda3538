package syntax

import "testing"

func TestExprPrecedence(t *testing.T) {
	tests := []struct{ src, want string }{
		{"a + b * c - d", "(- (+ a (* b c)) d)"},
		{"a / b % c", "(% (/ a b) c)"},
		{"-a * b", "(* (- a) b)"},
		{"a or b and c or d", "(or (or a (and b c)) d)"},
		{"a == 1 and b != 2 or c <> 3", "(or (and (== a 1) (!= b 2)) (<> c 3))"},
		{"a < b == c > d", "(== (< a b) (> c d))"},
		{"x + 1 > y * 2", "(> (+ x 1) (* y 2))"},
		// String operators bind tighter than arithmetic, as in Kusto.
		{"1 + x has 'a'", "(+ 1 (has x \"a\"))"},
		{"a =~ 'x' and b !~ 'y'", "(and (=~ a \"x\") (!~ b \"y\"))"},
		{"a has 'x' == true", "(== (has a \"x\") true)"},
		{"a !has 'x'", "(!has a \"x\")"},
		{"a !contains_cs 'x'", "(!contains_cs a \"x\")"},
		{"a containscs 'x'", "(contains_cs a \"x\")"},
		{"a notcontains 'x'", "(!contains a \"x\")"},
		{"a hasprefix_cs 'x'", "(hasprefix_cs a \"x\")"},
		{"a !hassuffix 'x'", "(!hassuffix a \"x\")"},
		{"a !startswith_cs 'x'", "(!startswith_cs a \"x\")"},
		{"a endswith 'x'", "(endswith a \"x\")"},
		{"a matches regex '^x'", "(matches regex a \"^x\")"},
		{"a like 'x%'", "(like a \"x%\")"},
		{"Col:'x'", "(: Col \"x\")"},
		{"* has 'x'", "(has * \"x\")"},
		{"x in (1, 2)", "(in x 1 2)"},
		{"x !in ('a')", "(!in x \"a\")"},
		{"x in~ ('a', 'b')", "(in~ x \"a\" \"b\")"},
		{"x !in~ ('a')", "(!in~ x \"a\")"},
		{"x has_any ('a', 'b')", "(has_any x \"a\" \"b\")"},
		{"x has_all (list)", "(has_all x list)"},
		{"x + 1 in (2)", "(in (+ x 1) 2)"},
		{"x in (T | project y)", "(in x T | project y)"},
		{"t between (ago(1d) .. now())", "(between t (call ago 1d) (call now))"},
		{"t !between (1 .. 2)", "(!between t 1 2)"},
		{"(a + b) * c", "(* (+ a b) c)"},
		{"not(a and b)", "(call not (and a b))"},
	}
	for _, tt := range tests {
		x, errs := ParseExpr(tt.src)
		if len(errs) > 0 {
			t.Errorf("ParseExpr(%q): %s", tt.src, errs[0].Format(tt.src))
			continue
		}
		if got := dump(x); got != tt.want {
			t.Errorf("ParseExpr(%q)\n got %s\nwant %s", tt.src, got, tt.want)
		}
	}
}

func TestExprAccessAndCalls(t *testing.T) {
	tests := []struct{ src, want string }{
		{"a.b.c", "(. (. a b) c)"},
		{"a['b'][0]", "([] ([] a \"b\") 0)"},
		{"a[-1]", "([] a (- 1))"},
		{"a.['b c']", "(. a b c)"},
		{"a.[0]", "([] a 0)"},
		{"$left.x == $right.y", "(== (. $left x) (. $right y))"},
		{"['my col'].y", "(. my col y)"},
		{"Properties.type", "(. Properties type)"},
		{"count()", "(call count)"},
		{"arg_max(t, *)", "(call arg_max t *)"},
		{"bag_unpack(d, columnsConflict='keep')", "(call bag_unpack d (:= columnsConflict \"keep\"))"},
		{"database('db').Table", "(. (call database \"db\") Table)"},
		{"cluster('c').database('d').T", "(. (call (. (call cluster \"c\") database) \"d\") T)"},
		{"table('T')", "(call table \"T\")"},
		{"toscalar(T | summarize count())", "(call toscalar T | summarize count())"},
		{"materialize(T | take 1)", "(call materialize T | take 1)"},
		{"f((T | count))", "(call f T | count)"},
		{"datetime_diff('day', now(), t)", "(call datetime_diff \"day\" (call now) t)"},
		{"typeof(long)", "typeof(long)"},
		{"typeof(*, x:string)", "typeof(*, x:string)"},
	}
	for _, tt := range tests {
		x, errs := ParseExpr(tt.src)
		if len(errs) > 0 {
			t.Errorf("ParseExpr(%q): %s", tt.src, errs[0].Format(tt.src))
			continue
		}
		if got := dump(x); got != tt.want {
			t.Errorf("ParseExpr(%q)\n got %s\nwant %s", tt.src, got, tt.want)
		}
	}
}

func TestExprRejects(t *testing.T) {
	for _, src := range []string{
		"a == b == c", // comparisons do not chain
		"a < b < c",   // nor do relational operators
		"a has 'x' has 'y'",
		"x in 1",       // in needs a parenthesised list
		"x in ()",      // ... that is not empty
		"x in (1, )",   // ... without a trailing comma
		"f(1, )",       // no trailing comma in calls
		"f(T | count)", // a pipe argument needs parentheses
		"- - 1",        // one sign only
		"by + 1",       // reserved word as a name
		"a.by",         // ... also after a dot
		"(1, 2)",       // KQL has no tuples
		"x == *",       // * only before an operator
	} {
		if _, errs := ParseExpr(src); len(errs) == 0 {
			t.Errorf("ParseExpr(%q) succeeded, want an error", src)
		}
	}
}

func TestKeywordsAsNames(t *testing.T) {
	// Contextual keywords Kusto allows as plain names.
	for _, src := range []string{
		"T | project type, kind, count, on, with, step, from, limit, default, nulls, range, extend",
		"T | where kind == 'x' and type != 1 | summarize count() by type",
		"T | extend to = 1, where = 2",
		"T | project ['by'], ['where']",
		"datatable(from:string, to:string)['a', 'b']",
	} {
		if _, errs := Parse(src); len(errs) > 0 {
			t.Errorf("Parse(%q): %s", src, errs[0].Format(src))
		}
	}
}
