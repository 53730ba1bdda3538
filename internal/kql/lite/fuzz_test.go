package lite

import (
	"testing"
	"time"

	"github.com/rampart-soc/rampart/internal/schema"
)

// FuzzCompile: any text compiles to SQL or to an error, never a panic.
func FuzzCompile(f *testing.F) {
	for _, q := range []string{
		`SecurityEvent | where EventID == 4625 | summarize count() by Computer`,
		`print x = strcat("a", 1), y = dynamic({"a":[1,2]}).a[0]`,
		`datatable(a:long, s:string)[1, "x"] | extend b = a * 2 | project-away s`,
		`range x from 1 to 10 step 2 | mv-expand y = pack_array(x, x) | parse tostring(y) with * "1" z:long`,
		`let f = (a:long) { a + 1 }; let T = print v = f(1); T | join kind=leftouter (T) on v | lookup T on v`,
		`print d = parse_json('{"k":1}') | summarize arg_max(1, *), make_bag(d), percentiles(1, 50, 90)`,
	} {
		f.Add(q)
	}
	tables, _ := schema.Builtin()
	cat := schema.NewCatalogue(tables)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, q string) {
		Compile(q, cat, now, Window{})
	})
}

// FuzzJSON: dynamic values read by the Go functions survive a round trip unchanged.
func FuzzJSON(f *testing.F) {
	for _, s := range []string{`{"b":1,"a":[1,2.5,"x",null,true,{"c":{}}]}`, `[]`, `"s"`, `1e400`, `{"a":1,"a":2}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := parseJSON(s)
		if err != nil {
			return
		}
		out := toJSON(v)
		w, err := parseJSON(out)
		if err != nil || toJSON(w) != out {
			t.Fatalf("%q → %q → %v %q", s, out, err, toJSON(w))
		}
	})
}

// FuzzTextParsers: the parsers behind parse_url, parse_path, parse_urlquery, the parse
// operator's groups and the format functions take any text.
func FuzzTextParsers(f *testing.F) {
	for _, s := range []string{`https://u:p@h:1/p?q=1&r=%20#f`, `C:\dir\file.txt:ads`, `\\srv\share\f`, `yyyy-MM-dd HH:mm:ss.fff tt`, `a\1$2\`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		parseURL(s)
		parsePath(s)
		queryBag(s)
		kustoRewrite(s)
		formatKustoDatetime(now, s)
		formatKustoTimespan(-123456789, s)
		splitPath(s)
		replaceStrings(s, []any{"a", s, ""}, []any{s})
		parseTimespan(s)
		parseDatetime(s)
		parseXML(s)
		parseWKT(s)
		s2FromToken(s)
		punyDecode(s)
		punyEncode(s)
		mapLabels(s, true)
		parseKV(s, " ", "=", "\"", true)
		parseKV(s, ",", ":", "()", false)
	})
}
