package syntax

import (
	"fmt"
	"testing"
)

// TestOperators parses one query per operator form and checks the
// canonical form (empty want: same as the input) and the operator's type.
func TestOperators(t *testing.T) {
	tests := []struct {
		src, want, op string
	}{
		{"T | as hint.materialized=true X", "", "AsOp"},
		{"T | consume decodeblocks=true", "", "ConsumeOp"},
		{"T | count", "", "CountOp"},
		{"datatable(a:long, b:string, c:dynamic)[1, \"x\", dynamic([1]), -2, 'y', dynamic(null),]",
			"datatable(a:long, b:string, c:dynamic) [1, \"x\", dynamic([1]), -2, \"y\", dynamic(null)]", "DatatableOp"},
		{"T | distinct a, b", "", "DistinctOp"},
		{"T | distinct *", "", "DistinctOp"},
		{"T | evaluate hint.distribution=per_node bag_unpack(d, 'p_', columnsConflict='replace_source')",
			"T | evaluate hint.distribution=per_node bag_unpack(d, \"p_\", columnsConflict=\"replace_source\")", "EvaluateOp"},
		{"T | evaluate pivot(k, sum(v), a, b)", "", "EvaluateOp"},
		{"T | evaluate narrow()", "", "EvaluateOp"},
		{"T | evaluate autocluster(0.6)", "", "EvaluateOp"},
		{"T | evaluate basket(0.05)", "", "EvaluateOp"},
		{"T | evaluate bag_unpack(d) : (*, x:long, y:string)", "", "EvaluateOp"},
		{"evaluate python(typeof(*, fx:double), 'result = df')",
			"evaluate python(typeof(*, fx:real), \"result = df\")", "EvaluateOp"},
		{"T | extend a = 1, b, (c, d) = f(x), ['e f'] = 2",
			"T | extend a = 1, b, (c, d) = f(x), [\"e f\"] = 2", "ExtendOp"},
		{"externaldata(a:string, b:long)[h@\"https://x/y.csv\", \"https://x/z.csv\"] with (format=\"csv\", ignoreFirstRecord=true)",
			"externaldata (a:string, b:long) [h\"https://x/y.csv\", \"https://x/z.csv\"] with (format=\"csv\", ignoreFirstRecord=true)", "ExternalDataOp"},
		{"T | facet by a, b with (where x > 1 | take 5)", "", "FacetOp"},
		{"find withsource=Src in (T1, T2*, database(\"d\").T3) where x == 1 project a, b:string, pack_all()", "", "FindOp"},
		{"find \"Kusto\"",
			"find where \"Kusto\"", "FindOp"},
		{"find in (T) where x > 1 project-smart", "", "FindOp"},
		{"T | fork (where a | take 1) (summarize count()) named=(project b)", "", "ForkOp"},
		{"T | getschema", "", "GetSchemaOp"},
		{"T | invoke f(1, 2)", "", "InvokeOp"},
		{"T | join kind=leftouter hint.strategy=broadcast hint.remote=auto (U | where x) on a, $left.b == $right.c", "", "JoinOp"},
		{"T | join U on $left.t between ($right.s .. $right.e)", "", "JoinOp"},
		{"T | join kind=inner U on a", "", "JoinOp"},
		{"T | lookup kind=leftouter (U) on a, $left.b == $right.c", "", "LookupOp"},
		{"T | make-series kind=nonempty n=count() default=0, s = avg(x) on Time from ago(1d) to now() step 1h by Host, bin(y, 2)",
			"T | make-series kind=nonempty n = count() default=0, s = avg(x) on Time from ago(1d) to now() step 1h by Host, bin(y, 2)", "MakeSeriesOp"},
		{"T | make-series sum(x) on t in range(datetime(2020-01-01), datetime(2020-02-01), 1d)",
			"T | make-series sum(x) on t in range(datetime(2020-01-01T00:00:00Z), datetime(2020-02-01T00:00:00Z), 1d)", "MakeSeriesOp"},
		{"T | mv-apply x to typeof(long), y on (summarize m = max(x) | take 1)", "", "MvApplyOp"},
		{"T | mv-apply with_itemindex=i z = arr on (where z > 0)", "", "MvApplyOp"},
		{"T | mv-expand bagexpansion=array with_itemindex=Idx a to typeof(string), b = c limit 100", "", "MvExpandOp"},
		{"T | mvexpand d limit 5", "", "MvExpandOp"},
		{"T | order by a asc nulls first, b desc nulls last, c", "", "SortOp"},
		{"T | sort by a", "", "SortOp"},
		{"T | parse Msg with * \"id=\" Id:long \", name=\" Name \".\" *", "", "ParseOp"},
		{"T | parse kind=regex flags=Ui Msg with \"(?<x>\\\\d+)\" x:long", "", "ParseOp"},
		{"T | parse kind=relaxed Msg with \"a\" b:int", "", "ParseOp"},
		{"T | parse-where Msg with \"x=\" x:string", "", "ParseOp"},
		{"T | parse-kv Text as (a:long, b:string) with (pair_delimiter=\",\", kv_delimiter=\"=\", quote='\"')",
			"T | parse-kv Text as (a:long, b:string) with (pair_delimiter=\",\", kv_delimiter=\"=\", quote=\"\\\"\")", "ParseKvOp"},
		{"T | partition hint.strategy=native by k (top 1 by t)", "", "PartitionOp"},
		{"T | partition by k { T | take 1 }", "", "PartitionOp"},
		{"print x = 1, 2, y = \"s\"", "", "PrintOp"},
		{"T | project a, b = c + 1, ['odd col']",
			"T | project a, b = c + 1, [\"odd col\"]", "ProjectOp"},
		{"T | project-away a, b*, *c", "", "ProjectAwayOp"},
		{"T | project-keep a*, b", "", "ProjectKeepOp"},
		{"T | project-rename n = o, ['x y'] = p",
			"T | project-rename n = o, [\"x y\"] = p", "ProjectRenameOp"},
		{"T | project-reorder a asc, b*, c granny-desc", "", "ProjectReorderOp"},
		{"T | project-by-names \"a\", dynamic([\"b\"])", "", "ProjectByNamesOp"},
		{"range x from 1 to 10 step 2", "", "RangeOp"},
		{"T | reduce by Msg with threshold=0.5, characters=\"-_\"", "", "ReduceOp"},
		{"T | render timechart with (title=\"t\", ycolumns=a, b, ysplit=panels)", "", "RenderOp"},
		{"T | render piechart", "", "RenderOp"},
		{"T | sample 10", "", "SampleOp"},
		{"T | sample-distinct 5 of Host", "", "SampleDistinctOp"},
		{"T | scan with_match_id=m declare (s:long = 0, t:datetime) with (step a output=none: x > 1 => s = a.s + 1, t = Time; step b: true;)",
			"T | scan with_match_id=m declare (s:long = 0, t:datetime) with ( step a output=none: x > 1 => s = a.s + 1, t = Time; step b: true; )", "ScanOp"},
		{"T | scan order by t partition by k with (step a: x;)",
			"T | scan order by t partition by k with ( step a: x; )", "ScanOp"},
		{"search \"err\"", "", "SearchOp"},
		{"search kind=case_sensitive in (T, U*) Col:\"x\" and \"y*\" or * has \"z\"",
			"search kind=case_sensitive in (T, U*) Col : \"x\" and \"y*\" or * has \"z\"", "SearchOp"},
		{"T | search \"x\"", "", "SearchOp"},
		{"T | serialize", "", "SerializeOp"},
		{"T | serialize rn = row_number()", "", "SerializeOp"},
		{"T | summarize hint.shufflekey=k count(), s = sum(x), arg_max(t, *) by k, bin(TimeGenerated, 5m), b = tostring(c)", "", "SummarizeOp"},
		{"T | summarize by a", "", "SummarizeOp"},
		{"T | take 10", "", "TakeOp"},
		{"T | limit 5", "", "TakeOp"},
		{"T | top 5 by x desc nulls last", "", "TopOp"},
		{"T | top-nested 3 of a with others = \"o\" by s = sum(b) desc, top-nested of c by max(d)",
			"T | top-nested 3 of a with others=\"o\" by s = sum(b) desc, top-nested of c by max(d)", "TopNestedOp"},
		{"T | top-hitters 5 of a by b", "", "TopHittersOp"},
		{"union withsource=Src kind=outer isfuzzy=true T1, Sec*, (U | where x), database(\"d\").V, table(\"w\")", "", "UnionOp"},
		{"T | union U", "", "UnionOp"},
		{"union *", "", "UnionOp"},
		{"T | where a > 1", "", "WhereOp"},
		{"T | filter a > 1", "", "WhereOp"},
		{"T | where * has \"x\"", "", "WhereOp"},
		{"T | make-graph a --> b with N on id partitioned-by p (graph-match (x)-[e*1..3]->(y) project x.id | limit 5)", "", "MakeGraphOp"},
		{"G | graph-match cycles=none (a)-[e]->(b)<-[f]-(c)-->(d), (a)--(c) where a.x == 1 project a, b", "", "GraphMatchOp"},
		{"G | graph-shortest-paths output=all (s)-[e*1..5]->(t) where t.y project s", "", "GraphMatchOp"},
		{"G | graph-to-table nodes as N with_node_id=id, edges as E with_source_id=s with_target_id=t", "", "GraphToTableOp"},
		{"G | graph-mark-components kind=weak with_component_id=c", "", "GraphMarkComponentsOp"},
		{"macro-expand entity_group [cluster('a').database('b'), cluster('c').database('d')] as X (X.T | count)",
			"macro-expand entity_group [cluster(\"a\").database(\"b\"), cluster(\"c\").database(\"d\")] as X (X.T | count)", "MacroExpandOp"},
		// Deprecated and alternative spellings.
		{"T | mvexpand x", "", "MvExpandOp"},
		{"T | order by x", "", "SortOp"},
		{"T | summarize makeset(x), make_set(y)", "", "SummarizeOp"},
		{"T | project-away ['a b']", "T | project-away [\"a b\"]", "ProjectAwayOp"},
		{"T | join kind = inner (U) on a", "T | join kind=inner (U) on a", "JoinOp"},
		{"T | join (U) on $left.a == $right.b and $left.t < $right.t", "", "JoinOp"},
		{"T | where a = 'x'", "T | where a = \"x\"", "WhereOp"},
		{"T | extend x = 1 | where x > 0 | take 3", "", "TakeOp"},
	}
	for _, tt := range tests {
		q, errs := Parse(tt.src)
		if len(errs) > 0 {
			t.Errorf("Parse(%q): %s", tt.src, errs[0].Format(tt.src))
			continue
		}
		want := tt.want
		if want == "" {
			want = tt.src
		}
		if got := Format(q); got != want {
			t.Errorf("Parse(%q)\n got %s\nwant %s", tt.src, got, want)
		}
		var last Node = q.Result().X
		if p, ok := last.(*Pipe); ok {
			last = p.Ops[len(p.Ops)-1]
		}
		if got := fmt.Sprintf("%T", last); got != "*syntax."+tt.op {
			t.Errorf("Parse(%q): last operator is %s, want %s", tt.src, got, tt.op)
		}
	}
}

// TestOperatorStructure spot-checks the fields of a few operators.
func TestOperatorStructure(t *testing.T) {
	q, errs := Parse("T | summarize hint.shufflekey=k c = count(), arg_max(t, *) by k, bin(t, 1h)")
	if len(errs) > 0 {
		t.Fatal(errs[0])
	}
	s := q.Result().X.(*Pipe).Ops[0].(*SummarizeOp)
	if len(s.Params) != 1 || s.Params[0].Name.Name != "hint.shufflekey" || len(s.Aggs) != 2 || len(s.By) != 2 {
		t.Errorf("summarize: %s", Format(s))
	}
	if a, ok := s.Aggs[0].(*Assign); !ok || a.Names[0].Name != "c" {
		t.Errorf("summarize first aggregate: %#v", s.Aggs[0])
	}

	q, _ = Parse("T | join kind=leftouter (U | where x) on a, $left.b == $right.c")
	j := q.Result().X.(*Pipe).Ops[0].(*JoinOp)
	if j.Params[0].Value.(*Ident).Name != "leftouter" || len(j.On) != 2 {
		t.Errorf("join: %s", Format(j))
	}
	if _, ok := j.Right.(*Paren).X.(*Pipe); !ok {
		t.Errorf("join right side: %T", j.Right)
	}

	q, _ = Parse("T | mv-expand with_itemindex=i x to typeof(long) limit 5")
	m := q.Result().X.(*Pipe).Ops[0].(*MvExpandOp)
	if m.Items[0].ToType.Name != "long" || m.Limit == nil || m.Params[0].Name.Name != "with_itemindex" {
		t.Errorf("mv-expand: %s", Format(m))
	}

	q, _ = Parse("T | parse kind=regex Msg with 'a' x:long * 'b' y")
	p := q.Result().X.(*Pipe).Ops[0].(*ParseOp)
	if len(p.Pattern) != 5 || p.Pattern[1].(*ColumnDecl).Type.Name != "long" || p.Pattern[4].(*ColumnDecl).Type != nil {
		t.Errorf("parse: %s", Format(p))
	}

	q, _ = Parse("union withsource=S isfuzzy=true T*, (U), table('V')")
	u := q.Result().X.(*UnionOp)
	if _, ok := u.Tables[0].(*Wildcard); !ok || len(u.Params) != 2 {
		t.Errorf("union: %s", Format(u))
	}

	q, _ = Parse("T | partition by k (top 1 by t)")
	pt := q.Result().X.(*Pipe).Ops[0].(*PartitionOp)
	if sub := pt.Query.(*Pipe); sub.Source != nil || len(sub.Ops) != 1 {
		t.Errorf("partition sub-query should read its input implicitly: %s", Format(pt))
	}
}
