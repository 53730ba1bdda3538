package stix

import (
	"testing"
	"time"

	"github.com/rampart-soc/rampart/internal/schema"
)

func TestThreatIntelRows(t *testing.T) {
	res, err := Parse([]byte(`{"type":"bundle","id":"bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","objects":[
	 {"type":"identity","spec_version":"2.1","id":"identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z","name":"ACME CERT"},
	 {"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2020-01-01T00:00:00.000Z","modified":"2020-02-01T00:00:00.000Z",
	  "created_by_ref":"identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","labels":["c2"],"confidence":80,
	  "pattern":"[ipv4-addr:value = '198.51.100.0/24' OR file:hashes.SHA256 = 'AB12']","pattern_type":"stix",
	  "valid_from":"2020-01-01T00:00:00Z","valid_until":"2030-01-01T00:00:00Z"},
	 {"type":"indicator","spec_version":"2.1","id":"indicator--9e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z",
	  "pattern":"[file:size > 10]","pattern_type":"stix","valid_from":"2020-01-01T00:00:00Z","revoked":true}
	]}`), Options{})
	if err != nil || !res.Valid() {
		t.Fatal(err, res.Errors)
	}
	st := NewStore()
	st.Import(res)
	opt := RowOptions{Now: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), Store: st, Markings: st.Markings(), UpdateMethod: "TAXIIFeed"}
	rows, err := ThreatIntelIndicatorRows(st.Get("indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"), opt)
	if err != nil || len(rows) != 2 {
		t.Fatalf("%d rows, %v", len(rows), err)
	}
	want := map[string]string{"Id": "QUNNRSBDRVJU---indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "Source": "ACME CERT",
		"Confidence": "80", "IsActive": "true", "Revoked": "false", "IsDeleted": "false", "Tags": `["c2"]`,
		"Modified": "2020-02-01T00:00:00Z", "ValidUntil": "2030-01-01T00:00:00Z", "LastUpdateMethod": "TAXIIFeed",
		"ObservableKey": "ipv4-addr:value", "ObservableValue": "198.51.100.0/24", "Type": "ThreatIntelIndicators"}
	for col, v := range want {
		if rows[0][col] != v {
			t.Errorf("%s = %q, want %q", col, rows[0][col], v)
		}
	}
	if rows[1]["ObservableKey"] != "file:hashes.'SHA-256'" || rows[1]["ObservableValue"] != "ab12" || rows[1]["Id"] != rows[0]["Id"] {
		t.Errorf("second row = %v", rows[1])
	}
	// A pattern that reduces to no pair gives one row with the pattern only.
	rows, _ = ThreatIntelIndicatorRows(st.Get("indicator--9e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"), opt)
	if len(rows) != 1 || rows[0]["ObservableKey"] != "" || rows[0]["Pattern"] != "[file:size > 10]" || rows[0]["IsActive"] != "false" || rows[0]["Revoked"] != "true" {
		t.Errorf("pattern-only row = %v", rows)
	}
	obj := ThreatIntelObjectRow(st.Get("identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"), RowOptions{Provider: "feed"})
	if obj["StixType"] != "identity" || obj["Source"] != "feed" || obj["Data"] == "" || obj["Id"] != "ZmVlZA==---identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f" {
		t.Errorf("object row = %v", obj)
	}
	// Every column written exists in the catalogue's tables.
	tables, err := schema.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	cat := schema.NewCatalogue(tables)
	for name, row := range map[string]map[string]string{"ThreatIntelIndicators": rows[0], "ThreatIntelObjects": obj} {
		tb, ok := cat.Get(name)
		if !ok {
			t.Fatalf("no table %s", name)
		}
		for col := range row {
			if _, ok := tb.Column(col); !ok {
				t.Errorf("%s has no column %s", name, col)
			}
		}
	}
	if _, err := ThreatIntelIndicatorRows(st.Get("identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"), opt); err == nil {
		t.Error("an identity gave indicator rows")
	}
}
