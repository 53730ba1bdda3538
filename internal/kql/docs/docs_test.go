package docs

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rampart-soc/rampart/internal/kql/lite"
	"github.com/rampart-soc/rampart/internal/schema"
	"github.com/rampart-soc/rampart/internal/store/duckdb"
	"github.com/rampart-soc/rampart/internal/testutil"
)

// docsPassThreshold guards how many documentation examples the engine reproduces; raise
// it as the engine grows, never lower it.
const docsPassThreshold = 452

// noTables is the empty database the examples run against.
type noTables struct{}

func (noTables) Get(string) (*schema.Table, bool) { return nil, false }

var now = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// TestDocExamples runs every self-contained documentation example and compares its result
// with the table the docs print. KQL_DOCS_SHOW=<id substrings, comma-separated> logs those
// examples' details.
func TestDocExamples(t *testing.T) {
	path := testutil.Shared(t, "corpus", "kql-docs", "examples.jsonl")
	examples, err := loadExamples(path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := duckdb.Open("", duckdb.Options{Threads: 2, MemoryLimit: "1GB"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	eng := lite.New(st.DB(), noTables{})
	show := os.Getenv("KQL_DOCS_SHOW")
	shown := func(id string) bool {
		for _, s := range strings.Split(show, ",") {
			if s != "" && strings.Contains(id, s) {
				return true
			}
		}
		return false
	}
	trace := os.Getenv("KQL_DOCS_TRACE") != ""
	var detail *os.File // KQL_DOCS_OUT=file lists every failure and its cause
	if p := os.Getenv("KQL_DOCS_OUT"); p != "" {
		if detail, err = os.Create(p); err != nil {
			t.Fatal(err)
		}
		defer detail.Close()
	}
	passed, failed, skipped := 0, 0, 0
	causes := map[string][]string{}
	for _, e := range examples {
		if reason, ok := errata[e.ID]; ok {
			skipped++
			if shown(e.ID) {
				t.Logf("%s: skipped (errata: %s)", e.ID, reason)
			}
			continue
		}
		if trace {
			fmt.Fprintln(os.Stderr, "run", e.ID)
		}
		cause, got := runExample(eng, e, e.Query)
		if cause != "" && e.RunLinkQuery != "" {
			if c2, _ := runExample(eng, e, e.RunLinkQuery); c2 == "" {
				cause = ""
			}
		}
		if detail != nil && cause != "" {
			fmt.Fprintf(detail, "%s\t%s\n", e.ID, strings.ReplaceAll(cause, "\n", " "))
		}
		if cause == "" {
			passed++
		} else {
			failed++
			k := causeKey(cause)
			causes[k] = append(causes[k], e.ID)
		}
		if shown(e.ID) {
			t.Logf("%s: %s\n%s\ngot:%s", e.ID, orOK(cause), e.Query, describe(got))
		}
	}
	type kv struct {
		k   string
		ids []string
	}
	var top []kv
	for k, v := range causes {
		top = append(top, kv{k, v})
	}
	sort.Slice(top, func(i, j int) bool {
		if len(top[i].ids) != len(top[j].ids) {
			return len(top[i].ids) > len(top[j].ids)
		}
		return top[i].k < top[j].k
	})
	for _, x := range top {
		ex := x.ids
		if len(ex) > 3 {
			ex = ex[:3]
		}
		t.Logf("%4d %s  (%s)", len(x.ids), x.k, strings.Join(ex, ", "))
	}
	fmt.Printf("kql-docs: %d passed, %d failed (%d skipped as doc errata)\n", passed, failed, skipped)
	if passed < docsPassThreshold {
		t.Fatalf("%d examples pass, threshold %d", passed, docsPassThreshold)
	}
}

func orOK(cause string) string {
	if cause == "" {
		return "ok"
	}
	return cause
}

// describe prints results for diagnostics.
func describe(rs []*lite.Result) string {
	var b strings.Builder
	for _, r := range rs {
		for _, c := range r.Columns {
			fmt.Fprintf(&b, " %s:%s", c.Name, c.Type)
		}
		b.WriteString("\n")
		for i, row := range r.Rows {
			if i == 10 {
				break
			}
			var cells []string
			for _, v := range row {
				cells = append(cells, truncate(render(v)))
			}
			b.WriteString("  " + strings.Join(cells, " | ") + "\n")
		}
	}
	return b.String()
}

// runExample runs one query and returns "" or the first reason it does not match.
func runExample(eng *lite.Engine, e *example, query string) (cause string, results []*lite.Result) {
	defer func() {
		if r := recover(); r != nil {
			cause = fmt.Sprintf("panic: %v", r)
			results = nil
		}
	}()
	if e.flag("scalar-expression") && query == e.Query {
		query = "print result = " + query
	}
	opt := lite.Options{Now: now, MaxRows: 100_000, Timeout: 5 * time.Minute} // semantics, not speed: a loaded CI machine must not fail an example
	results, err := eng.QueryAll(context.Background(), query, opt)
	if err != nil {
		return "error: " + err.Error(), nil
	}
	want := append([]table{{e.Columns, e.Rows}}, e.ExtraResults...)
	if len(results) != len(want) {
		return fmt.Sprintf("wrong result count: got %d, want %d", len(results), len(want)), results
	}
	m := modeOf(e)
	for i, w := range want {
		if c := compareTable(e, w, results[i], m); c != "" {
			return c, results
		}
	}
	return "", results
}

var (
	positionRE = regexp.MustCompile(`^line \d+, column \d+: `)
	quotedRE   = regexp.MustCompile(`"[^"]*"`)
)

// causeKey groups failures: the unsupported operator or function, or the kind of mismatch.
func causeKey(cause string) string {
	cause = strings.TrimPrefix(cause, "error: ")
	cause = positionRE.ReplaceAllString(cause, "")
	if i := strings.Index(cause, " is not supported"); i >= 0 {
		return "unsupported: " + cause[:i]
	}
	for _, p := range []string{"wrong value: ", "wrong columns", "wrong row count", "wrong result count", "query failed: ", "unknown column", "panic"} {
		if strings.HasPrefix(cause, p) {
			rest := strings.TrimPrefix(cause, p)
			switch p {
			case "wrong value: ":
				// keep the column's type: "wrong value: real"
				if f := strings.Fields(rest); len(f) > 1 {
					return p + strings.TrimSuffix(f[1], ":")
				}
			case "query failed: ":
				rest = quotedRE.ReplaceAllString(rest, `"…"`)
				if i := strings.IndexAny(rest, "\n:"); i > 0 {
					rest = rest[:i]
				}
				return p + rest
			}
			return strings.TrimSuffix(p, ": ")
		}
	}
	if len(cause) > 80 {
		cause = cause[:80]
	}
	return cause
}
