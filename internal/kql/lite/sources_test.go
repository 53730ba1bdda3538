package lite

import (
	"context"
	"testing"
)

func TestSources(t *testing.T) {
	runCases(t, []qcase{
		{`print 1, x = "a", 2.5`, `[[1,"a",2.5]]`, "print_0:long,x:string,print_2:real"},
		{`print d = datetime(2020-01-02 03:04:05), t = 90m, b = true, n = int(null)`, `[["2020-01-02T03:04:05.0000000Z","01:30:00",true,null]]`, "d:datetime,t:timespan,b:bool,n:int"},
		{`datatable(a:long, s:string, d:dynamic)[1, "x", dynamic({"k":[1,2]}), 2, "y", dynamic(null)]`, `[[1,"x",{"k":[1,2]}],[2,"y",null]]`, "a:long,s:string,d:dynamic"},
		{`datatable(a:long)[] | count`, `[[0]]`, ""},
		{`range x from 1 to 7 step 3`, `[[1],[4],[7]]`, "x:long"},
		{`range x from 0.5 to 1.5 step 0.5`, `[[0.5],[1],[1.5]]`, "x:real"},
		{`range t from datetime(2020-01-01) to datetime(2020-01-01 02:00) step 1h`, `[["2020-01-01T00:00:00.0000000Z"],["2020-01-01T01:00:00.0000000Z"],["2020-01-01T02:00:00.0000000Z"]]`, ""},
		{`range s from 1h to 3h step 1h | where s > 1h`, `[["02:00:00"],["03:00:00"]]`, "s:timespan"},
		{`let T = datatable(a:long)[1, 2]; let U = print b = "x"; union T, U | order by a asc nulls last`, `[[1,""],[2,""],[null,"x"]]`, "a:long,b:string"},
		{`union withsource=Src (print a = 1), (print a = 2) | order by a asc`, `[["union_arg0",1],["union_arg1",2]]`, "Src:string,a:long"},
		{`print a = 1 | union (print a = 2) | count`, `[[2]]`, ""},
		{`let f = (x:long, y:long = 10) { x * y }; print f(2), f(2, 3)`, `[[20,6]]`, ""},
		{`let T = (n:long) { range i from 1 to n step 1 }; T(3) | count`, `[[3]]`, ""},
		{`let addOne = (T:(x:long)) { T | extend y = x + 1 }; range x from 1 to 2 step 1 | invoke addOne()`, `[[1,2],[2,3]]`, "x:long,y:long"},
		{`let n = toscalar(range x from 1 to 5 step 1 | summarize max(x)); print n`, `[[5]]`, ""},
		{`datatable(a:long)[3, 1, 2] | order by a asc | extend r = row_number()`, `[[1,1],[2,2],[3,3]]`, ""},
		{`print s = "a" | getschema`, `[["s",0,"System.String","string"]]`, ""},
	})
}

func TestBatch(t *testing.T) {
	e := emptyEngine(t)
	res, err := e.QueryAll(context.Background(), "print a = 1; print b = 2", Options{Now: now})
	if err != nil || len(res) != 2 || res[1].Columns[0].Name != "b" {
		t.Fatalf("batch: %v %v", res, err)
	}
}
