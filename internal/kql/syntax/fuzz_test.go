package syntax

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

var fuzzSeeds = []string{
	"T | where a > 1 | summarize count() by bin(TimeGenerated, 5m)",
	"let x = 5; let f = (T:(*), n:long = 3) { T | take n }; f(Events)",
	"datatable(a:long, b:string)[1, 'x', 2, \"y\"] | extend c = a * 2",
	"print d = dynamic({\"a\": [1, 2, {\"b\": null}]}), t = datetime(2020-01-01 10:00), s = 1.5h",
	"union withsource=T kind=outer Sec*, (U | where x), database('d').V",
	"T | join kind=leftouter hint.strategy=shuffle (U) on $left.a == $right.b, c",
	"T | mv-expand bagexpansion=array with_itemindex=i x to typeof(long) limit 10",
	"T | parse kind=regex flags=Ui Msg with * 'id=' Id:long ',' Rest",
	"T | make-series n=count() default=0 on Time from ago(1d) to now() step 1h by Host",
	"T | scan declare (s:long = 0) with (step a: x > 1 => s = a.s + 1; step b: true;)",
	"search in (A, B*) kind=case_sensitive Col:\"x\" and \"y*\"",
	"T | top-nested 3 of a with others = 'o' by sum(b), top-nested of c by max(d) desc",
	"T | render timechart with (title='x', ycolumns=a, b)",
	"T | evaluate bag_unpack(d, 'p_') : (*, x:long)",
	"T | where x in~ ('a', 'b') and y !between (1 .. 5) and z matches regex @'\\d+'",
	"T | fork (where a | take 1) b=(summarize count())",
	"T | partition hint.strategy=native by k (top 1 by t)",
	"externaldata(a:string)[h@'https://x/y.csv'] with (format='csv', ignoreFirstRecord=true)",
	"T | extend x = a.b['c'][0], y = ['odd name'], z = $left",
	"set notruncation; declare query_parameters(p:string = 'x'); T",
	"T | where",
	"T | where (a",
	"let",
	"print '\\u00e9' ```multi\nline``` h'secret'",
	"((((((((((1))))))))))",
}

// FuzzParse checks that Parse never panics, reports errors at valid
// positions, and that accepted queries survive a print/parse round trip.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	for _, q := range corpusSeeds(f, 250) {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 1<<16 {
			return
		}
		q, errs := Parse(src)
		if q == nil {
			t.Fatal("nil query")
		}
		for _, e := range errs {
			if strings.HasPrefix(e.Message, "internal parser error") {
				t.Fatalf("%s\n%q", e.Message, src)
			}
			if e.Offset < 0 || e.Offset > len(src) || e.Line < 1 || e.Column < 1 {
				t.Fatalf("bad error position %+v for %q", e, src)
			}
			_ = e.Format(src)
		}
		if len(errs) == 0 && utf8.ValidString(src) {
			if msg := checkTree(src, q); msg != "" {
				t.Fatalf("%s\nsource: %q", msg, src)
			}
		}
	})
}

// corpusSeeds reads up to n queries from the shared corpus when present.
func corpusSeeds(f *testing.F, n int) []string {
	dir := sharedDirIfPresent()
	if dir == "" {
		return nil
	}
	var out []string
	for _, name := range []string{"corpus/kql-docs/parse-only.jsonl", "corpus/sentinel/rules.jsonl"} {
		path := filepath.Join(dir, name)
		if _, err := os.Stat(path); err != nil {
			continue
		}
		// Short queries only: the fuzzer minimises every new input, and
		// long ones make it stall for minutes.
		qs := readJSONL[docQuery](f, path)
		for i := 0; i < len(qs) && len(out) < n; i++ {
			if len(qs[i].Query) <= 600 {
				out = append(out, qs[i].Query)
			}
		}
	}
	return out
}
