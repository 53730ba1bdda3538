package ingest

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rampart-soc/rampart/internal/schema"
	"github.com/rampart-soc/rampart/internal/store"
)

var now = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func testTable(t testing.TB) *schema.Table {
	tb, err := schema.NewTable("T_CL", []schema.Column{
		{Name: "TimeGenerated", Type: schema.DateTime},
		{Name: "Msg", Type: schema.String},
		{Name: "N", Type: schema.Int},
		{Name: "L", Type: schema.Long},
		{Name: "R", Type: schema.Real},
		{Name: "B", Type: schema.Bool},
		{Name: "D", Type: schema.Dynamic},
		{Name: "G", Type: schema.GUID},
		{Name: "S", Type: schema.TimeSpan},
	})
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

func cells(b *store.Batch, row int) map[string]any {
	out := map[string]any{}
	for _, c := range b.Row(row) {
		out[b.Table.Columns[c.Col].Name] = c.Val
	}
	return out
}

func TestDecodeNDJSONAndArray(t *testing.T) {
	tb := testTable(t)
	nd := `{"TimeGenerated":"2026-01-02T03:04:05.5Z","Msg":"a","N":"0x10","L":12,"R":"1.5","B":"true","D":{"x":[1]},"G":"{6F9619FF-8B86-D011-B42D-00C04FC964FF}","S":"00:01:00","Other":{"k":1}}

{"Msg":7,"N":3.0,"D":"[1,2]","B":1,"TimeGenerated":1767323045123}
`
	arr := "[" + strings.ReplaceAll(strings.TrimSpace(strings.ReplaceAll(nd, "\n\n", "\n")), "\n", ",") + "]"
	for name, body := range map[string]string{"ndjson": nd, "array": arr} {
		b, err := DecodeJSON(tb, []byte(body), now)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if b.Len() != 2 {
			t.Fatalf("%s: %d rows", name, b.Len())
		}
		r0, r1 := cells(b, 0), cells(b, 1)
		if r0["TimeGenerated"] != time.Date(2026, 1, 2, 3, 4, 5, 5e8, time.UTC) || r0["N"] != int64(16) || r0["L"] != int64(12) ||
			r0["R"] != 1.5 || r0["B"] != true || r0["D"] != `{"x":[1]}` || r0["S"] != int64(600_000_000) || len(r0["G"].([]byte)) != 16 {
			t.Errorf("%s: row 0 = %v", name, r0)
		}
		if b.Extra[0] != `{"Other":{"k":1}}` || b.Extra[1] != "" {
			t.Errorf("%s: extra = %q", name, b.Extra)
		}
		if r1["Msg"] != "7" || r1["N"] != int64(3) || r1["D"] != "[1,2]" || r1["B"] != true ||
			r1["TimeGenerated"] != time.UnixMilli(1767323045123).UTC() {
			t.Errorf("%s: row 1 = %v", name, r1)
		}
		if len(b.Present) != 10-1 {
			t.Errorf("%s: present %v", name, b.Present)
		}
	}
}

func TestDecodeDefaultsTimeGenerated(t *testing.T) {
	b, err := DecodeJSON(testTable(t), []byte(`{"Msg":"x"}`), now)
	if err != nil {
		t.Fatal(err)
	}
	if got := cells(b, 0)["TimeGenerated"]; got != now {
		t.Fatalf("TimeGenerated = %v, want ingestion time", got)
	}
}

func TestDecodeErrorsNameLineAndField(t *testing.T) {
	tb := testTable(t)
	cases := []struct{ body, want string }{
		{"{\"Msg\":\"ok\"}\n{\"N\":\"abc\"}", `line 2, field "N": cannot read "abc" as an integer`},
		{"{\"Msg\":\"ok\"}\n{\"N\":", "line 2: invalid JSON"},
		{"[1]", "line 1: expected a JSON object"},
		{`{"N": 1.5}`, `field "N": 1.5 is not an integer`},
		{`{"N": 99999999999}`, "out of range for int"},
		{`{"TimeGenerated":"yesterday"}`, `cannot read "yesterday" as a datetime`},
		{`{"G":"xyz"}`, "as a guid"},
		{`{"B":{"a":1}}`, "cannot be a bool"},
		{`[{"Msg":"a"},`, "invalid JSON array"},
	}
	for _, c := range cases {
		_, err := DecodeJSON(tb, []byte(c.body), now)
		var fe *FieldError
		if err == nil || !errors.As(err, &fe) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("DecodeJSON(%q) error = %v, want it to contain %q", c.body, err, c.want)
		}
	}
}

func TestParseTimeFormats(t *testing.T) {
	want := time.Date(2022, 3, 31, 10, 51, 35, 0, time.UTC)
	for _, s := range []string{
		"2022-03-31T10:51:35Z", "2022-03-31T12:51:35+02:00", "2022-03-31 10:51:35", "2022-03-31T10:51:35",
		"3/31/2022, 10:51:35.000 AM", "31/Mar/2022:10:51:35 +0000", "Thu, 31 Mar 2022 10:51:35 GMT",
		"1648723895", "1648723895000", "1648723895000000", "2022-03-31 10:51:35 +00:00",
	} {
		got, err := ParseTime(s, now)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseTime(%q) = %v, %v", s, got, err)
		}
	}
	// BSD syslog has no year: December read in January belongs to last year.
	jan := time.Date(2027, 1, 1, 0, 5, 0, 0, time.UTC)
	got, err := ParseTime("Dec 31 23:59:00", jan)
	if err != nil || got.Year() != 2026 {
		t.Errorf("year rollover: %v %v", got, err)
	}
}

func TestParseTimespan(t *testing.T) {
	for s, want := range map[string]int64{"1.02:03:04.5": ((26*60+3)*60+4)*1e7 + 5e6, "5m": 3e9, "100ms": 1e6, "-1d": -864e9, "1.5h": 54e9} {
		got, err := ParseTimespan(s)
		if err != nil || got != want {
			t.Errorf("ParseTimespan(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
	if _, err := ParseTimespan("soon"); err == nil {
		t.Error("ParseTimespan accepted garbage")
	}
}

func FuzzDecodeJSON(f *testing.F) {
	f.Add([]byte(`{"TimeGenerated":"2026-01-02T03:04:05Z","Msg":"a","N":1,"D":{"a":[1,{"b":null}]}}`))
	f.Add([]byte(`[{"Msg":"a"},{"G":"6f9619ff-8b86-d011-b42d-00c04fc964ff","S":"1.00:00:00"}]`))
	f.Add([]byte("{\"R\":1e308}\n{\"L\":-9223372036854775808}\n"))
	f.Add([]byte(`{"TimeGenerated":"Dec 31 23:59:00","B":"no","X":"\ud800"}`))
	tb := testTable(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		b, err := DecodeJSON(tb, body, now)
		if err != nil {
			return
		}
		for i := 0; i < b.Len(); i++ {
			for _, c := range b.Row(i) {
				if int(c.Col) >= len(tb.Columns) {
					t.Fatalf("cell column %d out of range", c.Col)
				}
			}
		}
	})
}
