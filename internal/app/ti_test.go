package app

import (
	"context"
	"testing"
	"time"

	"github.com/rampart-soc/rampart/internal/client"
)

// A STIX bundle imported through the API: indicators become ThreatIntelligenceIndicator
// rows and can be looked up; an event carrying an indicator's IP or hash raises a TI alert.
func TestThreatIntelMatching(t *testing.T) {
	ts := startServer(t, Config{})
	c := client.New(ts.base, adminKey)
	ctx := context.Background()
	bundle := `{"type":"bundle","id":"bundle--6c3c3b47-9b5a-4b0c-8a39-8e2a58a3e5a1","objects":[
 {"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z",
  "name":"C2 server","indicator_types":["malicious-activity"],"pattern":"[ipv4-addr:value = '198.51.100.7']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00.000Z","confidence":85,
  "kill_chain_phases":[{"kill_chain_name":"mitre-attack","phase_name":"command-and-control"}]},
 {"type":"indicator","spec_version":"2.1","id":"indicator--a932fcc6-e032-476c-826f-cb970a5a1ade","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z",
  "pattern":"[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00.000Z"},
 {"type":"malware","spec_version":"2.1","id":"malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","name":"Poison Ivy","is_family":true},
 {"type":"relationship","spec_version":"2.1","id":"relationship--44298a74-ba52-4f0c-87a3-1824e67d7fad","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z",
  "relationship_type":"indicates","source_ref":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","target_ref":"malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b"},
 {"type":"indicator","spec_version":"2.1","id":"indicator--11111111-e032-476c-826f-cb970a5a1ade","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","pattern":"[ipv4-addr:value = ","pattern_type":"stix","valid_from":"2026-01-01T00:00:00.000Z"}
]}`
	var res struct {
		Inserted, Indicators, IndexedObservables int
		Errors, Warnings                         []any
	}
	if err := c.Do(ctx, client.Request{Method: "POST", Path: "/api/v1/ti/import?source=test-feed", Body: []byte(bundle), ContentType: "application/json"}, &res); err != nil {
		t.Fatal(err)
	}
	// The indicator with a broken pattern is kept, with a warning naming it, and not indexed.
	if res.Inserted != 5 || res.Indicators != 3 || res.IndexedObservables != 2 || len(res.Warnings) != 1 {
		t.Fatalf("import = %+v", res)
	}
	var look struct{ Matches []struct{ Related []string } }
	c.JSON(ctx, "GET", "/api/v1/ti/lookup?value=198.51.100.7", nil, &look)
	if len(look.Matches) != 1 || len(look.Matches[0].Related) != 1 || look.Matches[0].Related[0] != "Poison Ivy" {
		t.Fatalf("lookup = %+v", look)
	}
	events := `[{"DeviceVendor":"Fortinet","SourceIP":"10.0.0.5","DestinationIP":"198.51.100.7","Computer":"fw1"},
	{"DeviceVendor":"Fortinet","SourceIP":"10.0.0.6","DestinationIP":"203.0.113.1"}]`
	if err := c.Do(ctx, client.Request{Method: "POST", Path: "/api/v1/ingest/CommonSecurityLog", Body: []byte(events), ContentType: "application/json"}, nil); err != nil {
		t.Fatal(err)
	}
	var alerts struct {
		Alerts []struct {
			Title, Severity string
			Tactics         []string
			Entities        []map[string]any
		}
	}
	for start := time.Now(); time.Since(start) < 10*time.Second && len(alerts.Alerts) == 0; time.Sleep(20 * time.Millisecond) {
		c.JSON(ctx, "GET", "/api/v1/alerts?rule=ti-map", nil, &alerts)
	}
	if len(alerts.Alerts) != 1 || alerts.Alerts[0].Severity != "High" || alerts.Alerts[0].Tactics[0] != "CommandAndControl" {
		t.Fatalf("alerts = %+v", alerts)
	}
	ts.rowSink.Flush()
	if n := ts.count(t, `SELECT count(*) FROM "ThreatIntelligenceIndicator" WHERE "NetworkIP" = '198.51.100.7' OR "FileHashValue" <> ''`); n != 2 {
		t.Fatalf("%d ThreatIntelligenceIndicator rows", n)
	}
}
