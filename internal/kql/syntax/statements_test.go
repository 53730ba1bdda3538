package syntax

import "testing"

func TestStatements(t *testing.T) {
	tests := []struct{ src, want string }{
		{"let x = 5; let y = x * 2; print y", ""},
		{"let T1 = T | where a > 1; T1 | count", ""},
		{"let f = (a:long, b:string = \"x\") { a + 1 }; print f(1)", ""},
		{"let g = (T:(*), n:long = 3) { T | take n }; g(Events)", ""},
		{"let h = (T:(a:long, b:string), c:dynamic) { T | where a > 1 }; h(U, dynamic(null))", ""},
		{"let k = (T:(a:long, *)) { T }; k(U)", ""},
		{"let v = view () { T | take 1 }; v", ""},
		{"let m = materialize(T | summarize count() by k); m | join (m) on k", ""},
		{"let d = datatable(a:long)[1, 2]; d", "let d = datatable(a:long) [1, 2]; d"},
		{"let f = () { let a = 1; let b = 2; print a + b }; f()", ""},
		{"let ['odd name'] = 1; print ['odd name']", "let [\"odd name\"] = 1; print [\"odd name\"]"},
		{"let only = 1;", "let only = 1"},
		{"set notruncation; set truncationmaxsize=1048576; T",
			"set notruncation; set truncationmaxsize = 1048576; T"},
		{"set query_results_cache_max_age = time(5m); T", "set query_results_cache_max_age = 5m; T"},
		{"declare query_parameters(p:string = \"x\", n:long); T | take n", ""},
		{"alias database db = cluster(\"https://c.kusto.windows.net\").database(\"d\"); T", ""},
		{"restrict access to (T1, database(\"d\").*, cluster(\"c\").database(\"e\").T*); T1", ""},
		{"declare pattern app = (applicationId:string)[eventType:string] { (\"A\").[\"Start\"] = { T | where x }; }; union app(\"A\").Start", ""},
		{"declare pattern ip;", "declare pattern ip"},
		{"T | where x > 1;", "T | where x > 1"},
		{"binary_not(100)", ""},
		{"let x = 1; x + 1", ""},
		{"T; U | count", ""},
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
	}
}

func TestLetForms(t *testing.T) {
	q, errs := Parse("let f = (T:(*), n:long = 3, s:string) { T | take n }; let v = view () { T }; let s = 1; f(U)")
	if len(errs) > 0 {
		t.Fatal(errs[0])
	}
	f := q.Stmts[0].(*LetStmt).Value.(*FuncDecl)
	if len(f.Params) != 3 || !f.Params[0].Type.Tabular || !f.Params[0].Type.Star || f.Params[1].Default == nil || f.Params[2].Type.Name != "string" {
		t.Errorf("function parameters: %s", Format(f))
	}
	if _, ok := f.Body.Stmts[0].(*ExprStmt).X.(*Pipe); !ok {
		t.Errorf("function body: %s", Format(f.Body))
	}
	if v := q.Stmts[1].(*LetStmt).Value.(*FuncDecl); !v.View {
		t.Errorf("view not marked")
	}
	if _, ok := q.Stmts[2].(*LetStmt).Value.(*Literal); !ok {
		t.Errorf("scalar let: %T", q.Stmts[2].(*LetStmt).Value)
	}
	if c, ok := q.Result().X.(*Call); !ok || c.Name() != "f" {
		t.Errorf("result: %s", Format(q.Result()))
	}
}

func TestPositions(t *testing.T) {
	src := "T\n| where Name == 'é x'\n| project Name"
	q, errs := Parse(src)
	if len(errs) > 0 {
		t.Fatal(errs[0])
	}
	pipe := q.Result().X.(*Pipe)
	where := pipe.Ops[0].(*WhereOp)
	if got := src[where.Pos():where.End()]; got != "where Name == 'é x'" {
		t.Errorf("where span %q", got)
	}
	bin := where.Pred.(*Binary)
	if p := q.Position(bin.OpPos); p.Line != 2 || p.Column != 14 {
		t.Errorf("== at %v, want 2:14", p)
	}
	proj := pipe.Ops[1].(*ProjectOp)
	if p := q.Position(proj.Columns[0].Pos()); p.Line != 3 || p.Column != 11 || p.Offset != int(proj.Columns[0].Pos()) {
		t.Errorf("project column at %+v, want 3:11", p)
	}
	if msg := checkSpans(src, q); msg != "" {
		t.Error(msg)
	}
	// Inspect visits nodes in source order.
	var names []string
	Inspect(q, func(n Node) bool {
		if id, ok := n.(*Ident); ok {
			names = append(names, id.Name)
		}
		return true
	})
	if got := len(names); got != 3 || names[0] != "T" || names[2] != "Name" {
		t.Errorf("Inspect names %v", names)
	}
}
