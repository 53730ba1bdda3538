package stix

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSentinelIndicatorRow(t *testing.T) {
	res, err := Parse([]byte(`{"type":"bundle","id":"bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","objects":[
	 {"type":"identity","spec_version":"2.1","id":"identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z","name":"ACME CERT"},
	 {"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z",
	  "created_by_ref":"identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","name":"C2","indicator_types":["malicious-activity"],"labels":["c2"],"confidence":80,
	  "pattern":"[ipv4-addr:value = '198.51.100.0/24' OR file:hashes.SHA256 = 'AB12' OR domain-name:value = 'Evil.Example' OR network-traffic:src_ref.value = '203.0.113.9']","pattern_type":"stix",
	  "valid_from":"2020-01-01T00:00:00Z","valid_until":"2030-01-01T00:00:00Z",
	  "kill_chain_phases":[{"kill_chain_name":"mitre-attack","phase_name":"command-and-control"}],
	  "object_marking_refs":["marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"]},
	 {"type":"malware","spec_version":"2.1","id":"malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z","name":"Emotet","is_family":true},
	 {"type":"relationship","spec_version":"2.1","id":"relationship--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z","relationship_type":"indicates","source_ref":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","target_ref":"malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"}
	]}`), Options{})
	if err != nil || !res.Valid() {
		t.Fatal(err, res.Errors)
	}
	st := NewStore()
	st.Import(res)
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	row, err := SentinelIndicatorRow(st.Get("indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"), RowOptions{Now: now, Store: st, Markings: st.Markings()})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"IndicatorId": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "Active": "true",
		"NetworkCidrBlock": "198.51.100.0/24", "FileHashType": "SHA256", "FileHashValue": "ab12",
		"DomainName": "evil.example", "NetworkSourceIP": "203.0.113.9", "ThreatType": "malicious-activity",
		"ConfidenceScore": "80", "ExpirationDateTime": "2030-01-01T00:00:00Z", "Tags": `["c2"]`,
		"TrafficLightProtocolLevel": "Green", "KillChainC2": "true", "KillChainDelivery": "false",
		"MalwareNames": `["Emotet"]`, "IndicatorProvider": "ACME CERT", "Description": "C2",
		"TimeGenerated": "2024-01-01T00:00:00Z", "Action": "alert",
	}
	for col, v := range want {
		if row[col] != v {
			t.Errorf("%s = %q, want %q", col, row[col], v)
		}
	}
	if _, ok := row["NetworkIP"]; ok {
		t.Error("a CIDR went to NetworkIP")
	}
	cols := sentinelColumns(t)
	for col := range row {
		if cols != nil && !cols[col] {
			t.Errorf("column %s is not in ThreatIntelligenceIndicator", col)
		}
	}
	var extra struct{ Observables [][2]string }
	if json.Unmarshal([]byte(row["AdditionalInformation"]), &extra) != nil || len(extra.Observables) != 4 {
		t.Errorf("AdditionalInformation: %s", row["AdditionalInformation"])
	}
}

// sentinelColumns reads the legacy table's columns from the shared
// Sentinel schemas, or nil (no column check) when absent outside CI.
func sentinelColumns(t *testing.T) map[string]bool {
	dir := filepath.Join(filepath.Dir(corpusDir(t)), "sentinel", "schemas.json")
	data, err := os.ReadFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	var schemas map[string][]struct{ Name string }
	if err := json.Unmarshal(data, &schemas); err != nil {
		t.Fatal(err)
	}
	cols := map[string]bool{}
	for _, c := range schemas["ThreatIntelligenceIndicator"] {
		cols[c.Name] = true
	}
	for _, newer := range []string{"ThreatIntelIndicators", "ThreatIntelObjects"} {
		if _, ok := schemas[newer]; ok {
			t.Logf("%s now exists in schemas.json: add its rows (see the layout in sentinel.go)", newer)
		}
	}
	return cols
}

// TestSentinelRowsCorpus maps every indicator of the two large bundles
// and counts how many rows get an observable column.
func TestSentinelRowsCorpus(t *testing.T) {
	cols := sentinelColumns(t)
	for _, name := range []string{"fireeye-pivy-report-with-indicators.json.gz", "emotet.json.gz"} {
		f, err := os.Open(filepath.Join(corpusDir(t), "bundles", name))
		if err != nil {
			t.Fatal(err)
		}
		res, err := Read(f, Options{SkipPatterns: true})
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		st := NewStore()
		st.Import(res)
		rows, withObservable := 0, 0
		for _, o := range res.Objects {
			if o.Indicator == nil {
				continue
			}
			row, err := SentinelIndicatorRow(o, RowOptions{Store: st, Markings: st.Markings()})
			if err != nil {
				t.Fatal(err)
			}
			rows++
			for col := range row {
				if !cols[col] {
					t.Fatalf("%s: column %s unknown", o.ID, col)
				}
				if strings.HasPrefix(col, "Network") || col == "DomainName" || col == "Url" || col == "FileHashValue" ||
					col == "EmailSenderAddress" || col == "FileName" || col == "FileMutexName" || col == "FilePath" {
					withObservable++
					break
				}
			}
		}
		t.Logf("%s: %d indicator rows, %d with an observable column", name, rows, withObservable)
		if rows == 0 || withObservable < rows/2 {
			t.Errorf("%s: %d of %d rows have observables", name, withObservable, rows)
		}
	}
}
