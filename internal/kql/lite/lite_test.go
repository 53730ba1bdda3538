package lite

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rampart-soc/rampart/internal/ingest"
	"github.com/rampart-soc/rampart/internal/schema"
	"github.com/rampart-soc/rampart/internal/store"
	"github.com/rampart-soc/rampart/internal/store/duckdb"
)

var now = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func engine(t *testing.T) *Engine {
	st, err := duckdb.Open("", duckdb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	tables, _ := schema.Builtin()
	cat := schema.NewCatalogue(tables)
	se, _ := cat.Get("SecurityEvent")
	ctx := context.Background()
	if err := st.EnsureTables(ctx, se); err != nil {
		t.Fatal(err)
	}
	rows := `{"TimeGenerated":"2026-11-23T11:00:00Z","Computer":"DC1.contoso.com","EventID":4625,"Account":"CONTOSO\\bob","IpAddress":"203.0.113.5"}
{"TimeGenerated":"2026-11-23T11:10:00Z","Computer":"dc1.contoso.com","EventID":4625,"Account":"CONTOSO\\bob","IpAddress":"203.0.113.5"}
{"TimeGenerated":"2026-11-23T11:20:00Z","Computer":"ws7","EventID":4624,"Account":"CONTOSO\\ann","CommandLine":"powershell -enc AAAA"}
{"TimeGenerated":"2026-11-20T11:20:00Z","Computer":"ws7","EventID":4688,"Account":"CONTOSO\\ann","CommandLine":"cmd.exe /c whoami"}
`
	b, err := ingest.DecodeJSON(se, []byte(rows), now)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Append(ctx, []*store.Batch{b}); err != nil {
		t.Fatal(err)
	}
	return New(st.DB(), cat)
}

func TestQueries(t *testing.T) {
	e := engine(t)
	cases := []struct {
		q    string
		want string // JSON of rows
		cols string
	}{
		{`SecurityEvent | where EventID == 4625 | count`, `[[2]]`, "Count:long"},
		{`SecurityEvent | where Computer =~ "DC1.CONTOSO.COM" | summarize count() by Computer | order by Computer asc`, `[["DC1.contoso.com",1],["dc1.contoso.com",1]]`, "Computer:string,count_:long"},
		{`SecurityEvent | where CommandLine has "whoami" | project Computer, EventID`, `[["ws7",4688]]`, "Computer:string,EventID:int"},
		{`SecurityEvent | where CommandLine has "who" | count`, `[[0]]`, ""},
		{`SecurityEvent | where CommandLine contains "WHO" | count`, `[[1]]`, ""},
		{`SecurityEvent | where TimeGenerated > ago(1d) and EventID in (4624, 4625) | summarize dcount(Account), n = count()`, `[[2,3]]`, "dcount_Account:long,n:long"},
		{`SecurityEvent | where isnotempty(IpAddress) | extend Who = strcat(Account, "@", IpAddress) | project Who | take 1`, `[["CONTOSO\\bob@203.0.113.5"]]`, ""},
		{`SecurityEvent | summarize c = count() by bin(TimeGenerated, 1h) | top 1 by c`, `[["2026-11-23T11:00:00.0000000Z",3]]`, "TimeGenerated:datetime,c:long"},
		{`SecurityEvent | where Account !in~ ("contoso\\BOB") | distinct Account`, `[["CONTOSO\\ann"]]`, ""},
		{`SecurityEvent | where Computer startswith "dc" and Computer endswith ".COM" | count`, `[[2]]`, ""},
		{"let lookback = 2d;\nlet ids = dynamic([4624, 4688]);\nlet Recent = SecurityEvent | where TimeGenerated > ago(lookback);\nRecent | where EventID in (ids) | count", `[[1]]`, ""},
	}
	for _, c := range cases {
		res, err := e.Query(context.Background(), c.q, Options{Now: now})
		if err != nil {
			t.Errorf("%s: %v", c.q, err)
			continue
		}
		got, _ := json.Marshal(res.Rows)
		if string(got) != c.want {
			t.Errorf("%s\n got %s\nwant %s", c.q, got, c.want)
		}
		if c.cols != "" {
			var cs []string
			for _, col := range res.Columns {
				cs = append(cs, col.Name+":"+string(col.Type))
			}
			if strings.Join(cs, ",") != c.cols {
				t.Errorf("%s: columns %v, want %s", c.q, cs, c.cols)
			}
		}
	}
}

func TestErrorsPointAtTheProblem(t *testing.T) {
	e := engine(t)
	cases := []struct{ q, want string }{
		{"SecurityEvent\n| where Nope == 1", `line 2, column 9: unknown column "Nope"`},
		{"NoTable | take 1", `unknown table "NoTable"`},
		{"SecurityEvent | where (EventID == ", "line 1"},
		{"SecurityEvent | mv-expand x", `unknown column "x"`},
		{"SecurityEvent | fork (take 1)", `operator "fork" is not supported yet`},
		{"SecurityEvent | where foo(EventID)", "function foo() is not supported yet"},
	}
	for _, c := range cases {
		_, err := e.Query(context.Background(), c.q, Options{Now: now})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.q, err, c.want)
		}
	}
	if _, err := e.Query(context.Background(), "SecurityEvent", Options{Now: now, MaxRows: 2}); err == nil || !strings.Contains(err.Error(), "more than 2 rows") {
		t.Errorf("row bound: %v", err)
	}
	res, err := e.Query(context.Background(), "SecurityEvent | count", Options{Now: now, Window: Window{From: now.Add(-2 * time.Hour), To: now}})
	if err != nil || res.Rows[0][0] != int64(3) {
		t.Errorf("window: %v %v", res, err)
	}
}

func TestIngestionTime(t *testing.T) {
	e := engine(t)
	res, err := e.Query(context.Background(), "SecurityEvent | where ingestion_time() == datetime(2026-11-23 12:00) | count", Options{Now: now})
	if err != nil || res.Rows[0][0] != int64(4) {
		t.Fatalf("ingestion_time: %v %v", res, err)
	}
	res, err = e.Query(context.Background(), "SecurityEvent | extend t = ingestion_time() | take 1", Options{Now: now})
	if err != nil || res.Columns[len(res.Columns)-1].Name != "t" {
		t.Fatalf("hidden column shown: %v %v", res.Columns, err)
	}
}
