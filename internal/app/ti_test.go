package app

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rampart-soc/rampart/internal/client"
	"github.com/rampart-soc/rampart/internal/ti"
	"github.com/rampart-soc/rampart/internal/ti/taxii"
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

// Rampart's TAXII server, with API keys: a reader polls the published collection, an
// ingest key adds to it, and what it adds is imported.
func TestTAXIIServer(t *testing.T) {
	ts := startServer(t, Config{})
	ctx := context.Background()
	c := client.New(ts.base, adminKey)
	var key struct{ Secret string }
	c.JSON(ctx, "POST", "/api/v1/keys", map[string]string{"name": "feed-writer", "role": "ingest"}, &key)
	writer := &taxii.Client{Auth: taxii.BearerAuth{Token: key.Secret}}
	reader := &taxii.Client{Auth: taxii.BearerAuth{Token: adminKey}}
	disc, err := reader.Discovery(ctx, ts.base+"/taxii2/")
	if err != nil || len(disc.APIRoots) != 1 {
		t.Fatalf("discovery = %+v, %v", disc, err)
	}
	collURL := ts.base + "/taxii2/" + ti.TAXIIRoot + "/collections/" + ti.TAXIICollection + "/"
	ind := json.RawMessage(`{"type":"indicator","spec_version":"2.1","id":"indicator--c410e480-e42b-47d1-9476-85307c12bcbf","created":"2026-02-01T00:00:00.000Z","modified":"2026-02-01T00:00:00.000Z","pattern":"[domain-name:value = 'evil.example.com']","pattern_type":"stix","valid_from":"2026-02-01T00:00:00.000Z"}`)
	st, err := writer.AddObjects(ctx, collURL, []json.RawMessage{ind})
	if err != nil || st.SuccessCount != 1 {
		t.Fatalf("add = %+v, %v", st, err)
	}
	var got int
	err = reader.AllObjects(ctx, collURL, taxii.Filter{}, func(p *taxii.ObjectsPage) error {
		got += len(p.Objects)
		return nil
	})
	if err != nil || got != 1 {
		t.Fatalf("poll = %d objects, %v", got, err)
	}
	var look struct{ Matches []any }
	c.JSON(ctx, "GET", "/api/v1/ti/lookup?value=EVIL.example.com.", nil, &look)
	if len(look.Matches) != 1 {
		t.Fatalf("the TAXII-added indicator is not indexed: %+v", look)
	}
	// An ingest key cannot read; no key gets nothing.
	if err := writer.AllObjects(ctx, collURL, taxii.Filter{}, func(*taxii.ObjectsPage) error { return nil }); err == nil {
		t.Fatal("ingest key read the collection")
	}
	if _, err := (&taxii.Client{}).Discovery(ctx, ts.base+"/taxii2/"); err == nil {
		t.Fatal("anonymous discovery succeeded")
	}
}

// One Rampart polls another's TAXII collection as a feed, saving its watermark.
func TestTAXIIFeedPolling(t *testing.T) {
	ctx := context.Background()
	a := startServer(t, Config{})
	ind := `{"type":"indicator","spec_version":"2.1","id":"indicator--0b6a2a1f-2f0c-4a3e-9f1e-3c5d7e9f1a2b","created":"2026-03-01T00:00:00.000Z","modified":"2026-03-01T00:00:00.000Z","pattern":"[url:value = 'http://bad.example.net/payload']","pattern_type":"stix","valid_from":"2026-03-01T00:00:00.000Z"}`
	if err := client.New(a.base, adminKey).Do(ctx, client.Request{Method: "POST", Path: "/api/v1/ti/import", Body: []byte(ind), ContentType: "application/json"}, nil); err != nil {
		t.Fatal(err)
	}
	b := startServer(t, Config{})
	cb := client.New(b.base, adminKey)
	feed := map[string]string{"collectionUrl": a.base + "/taxii2/" + ti.TAXIIRoot + "/collections/" + ti.TAXIICollection + "/", "token": adminKey, "interval": "1h"}
	if err := cb.JSON(ctx, "PUT", "/api/v1/ti/feeds/peer", feed, nil); err != nil {
		t.Fatal(err)
	}
	if err := cb.JSON(ctx, "PUT", "/api/v1/ti/feeds/bad name", feed, nil); err == nil {
		t.Fatal("invalid feed name accepted")
	}
	var look struct{ Matches []any }
	for start := time.Now(); time.Since(start) < 10*time.Second && len(look.Matches) == 0; time.Sleep(50 * time.Millisecond) {
		cb.JSON(ctx, "GET", "/api/v1/ti/lookup?value=http://bad.example.net/payload", nil, &look)
	}
	if len(look.Matches) != 1 {
		t.Fatal("the feed's indicator did not arrive")
	}
	var feeds struct {
		Feeds []struct {
			State struct {
				Objects    int64
				AddedAfter time.Time
			}
		}
	}
	cb.JSON(ctx, "GET", "/api/v1/ti/feeds", nil, &feeds)
	if len(feeds.Feeds) != 1 || feeds.Feeds[0].State.Objects != 1 || feeds.Feeds[0].State.AddedAfter.IsZero() {
		t.Fatalf("feeds = %+v", feeds)
	}
}

// An indicator imported after the event was stored still finds it (retroactive matching).
func TestThreatIntelRetroactive(t *testing.T) {
	ts := startServer(t, Config{})
	c := client.New(ts.base, adminKey)
	ctx := context.Background()
	ev := `{"Computer":"ws9","RemoteIP":"192.0.2.99","SourceIP":"10.1.1.1","DestinationIP":"192.0.2.99","DeviceVendor":"X"}`
	if err := c.Do(ctx, client.Request{Method: "POST", Path: "/api/v1/ingest/CommonSecurityLog", Body: []byte(ev), ContentType: "application/json"}, nil); err != nil {
		t.Fatal(err)
	}
	ind := `{"type":"indicator","spec_version":"2.1","id":"indicator--5e5e5e5e-2f0c-4a3e-9f1e-3c5d7e9f1a2b","created":"2026-03-01T00:00:00.000Z","modified":"2026-03-01T00:00:00.000Z","pattern":"[ipv4-addr:value = '192.0.2.99']","pattern_type":"stix","valid_from":"2026-03-01T00:00:00.000Z"}`
	if err := c.Do(ctx, client.Request{Method: "POST", Path: "/api/v1/ti/import", Body: []byte(ind), ContentType: "application/json"}, nil); err != nil {
		t.Fatal(err)
	}
	var alerts struct{ Alerts []struct{ Title string } }
	for start := time.Now(); time.Since(start) < 10*time.Second && len(alerts.Alerts) == 0; time.Sleep(50 * time.Millisecond) {
		c.JSON(ctx, "GET", "/api/v1/alerts?rule=ti-map-retro", nil, &alerts)
	}
	if len(alerts.Alerts) != 1 {
		t.Fatalf("retroactive alerts = %+v", alerts)
	}
}

// Sentinel's 2025 tables: an imported bundle gives ThreatIntelIndicators one row per
// (indicator, observable) or a pattern-only row, and ThreatIntelObjects a row per other
// object, each with the whole STIX object in Data; KQL joins them as Sentinel's docs do.
func TestThreatIntelTables(t *testing.T) {
	ts := startServer(t, Config{})
	c := client.New(ts.base, adminKey)
	ctx := context.Background()
	bundle := `{"type":"bundle","id":"bundle--0f7c3b47-9b5a-4b0c-8a39-8e2a58a3e5a1","objects":[
 {"type":"indicator","spec_version":"2.1","id":"indicator--2f2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z",
  "name":"C2 pair","indicator_types":["malicious-activity"],"labels":["c2"],"pattern":"[ipv4-addr:value = '198.51.100.9' OR domain-name:value = 'C2.Example.net']","pattern_type":"stix",
  "valid_from":"2026-01-01T00:00:00.000Z","confidence":70,"object_marking_refs":["marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"]},
 {"type":"indicator","spec_version":"2.1","id":"indicator--3f2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z",
  "pattern":"[file:name = 'a.exe'] FOLLOWEDBY [domain-name:value = 'b.example']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00.000Z"},
 {"type":"threat-actor","spec_version":"2.1","id":"threat-actor--41b940d4-6f7f-459a-80ea-9c1f17b5891b","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","name":"Sandworm"},
 {"type":"relationship","spec_version":"2.1","id":"relationship--54298a74-ba52-4f0c-87a3-1824e67d7fad","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z",
  "relationship_type":"indicates","source_ref":"indicator--2f2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","target_ref":"threat-actor--41b940d4-6f7f-459a-80ea-9c1f17b5891b"}
]}`
	if err := c.Do(ctx, client.Request{Method: "POST", Path: "/api/v1/ti/import?source=acme", Body: []byte(bundle), ContentType: "application/json"}, nil); err != nil {
		t.Fatal(err)
	}
	ts.rowSink.Flush()
	for q, want := range map[string]int64{
		`SELECT count(*) FROM "ThreatIntelIndicators"`: 3,
		`SELECT count(*) FROM "ThreatIntelIndicators" WHERE "ObservableKey" = 'domain-name:value' AND "ObservableValue" = 'c2.example.net'
		   AND "IsActive" AND NOT "IsDeleted" AND "Confidence" = 70 AND "Source" = 'acme' AND "Id" = 'YWNtZQ==---indicator--2f2e2d2b-17d4-4cbf-938f-98ee46b3cd3f'
		   AND json_extract_string("Data", '$.indicator_types[0]') = 'malicious-activity' AND json_extract_string("AdditionalFields", '$.TLPLevel') = 'Green'`: 1,
		`SELECT count(*) FROM "ThreatIntelIndicators" WHERE "ObservableKey" = '' AND "Pattern" LIKE '%FOLLOWEDBY%'`: 1,
		`SELECT count(*) FROM "ThreatIntelObjects"`:                                                                 2,
		`SELECT count(*) FROM "ThreatIntelObjects" WHERE "StixType" = 'relationship' AND json_extract_string("Data", '$.source_ref') = 'indicator--2f2e2d2b-17d4-4cbf-938f-98ee46b3cd3f'`: 1,
		`SELECT count(*) FROM "ThreatIntelligenceIndicator"`: 2,
	} {
		if n := ts.count(t, q); n != want {
			t.Errorf("%d rows, want %d: %s", n, want, q)
		}
	}
	// The relationship query of Sentinel's docs: indicator → indicates → threat actor.
	var res struct{ Rows [][]any }
	q := `ThreatIntelIndicators
| where ObservableKey == 'ipv4-addr:value'
| extend IndicatorId = tostring(Data.id)
| join kind=inner (ThreatIntelObjects | where StixType == 'relationship' | extend IndicatorId = tostring(Data.source_ref), ActorId = tostring(Data.target_ref)) on IndicatorId
| join kind=inner (ThreatIntelObjects | where StixType == 'threat-actor' | extend ActorId = tostring(Data.id), Actor = tostring(Data.name)) on ActorId
| project ObservableValue, Actor`
	if err := c.JSON(ctx, "POST", "/api/v1/query", map[string]string{"query": q, "timespan": "P1D"}, &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 1 || res.Rows[0][0] != "198.51.100.9" || res.Rows[0][1] != "Sandworm" {
		t.Fatalf("join = %+v", res.Rows)
	}
}

// A pattern over two observations: two events, each with one of the indicator's
// observables, raise one alert naming both.
func TestThreatIntelMultiObservationPattern(t *testing.T) {
	ts := startServer(t, Config{})
	c := client.New(ts.base, adminKey)
	ctx := context.Background()
	ind := `{"type":"indicator","spec_version":"2.1","id":"indicator--6d1c2f3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z",
  "name":"Beacon then staging","pattern":"([ipv4-addr:value = '198.51.100.20'] AND [domain-name:value = 'stage.bad.example']) WITHIN 600 SECONDS","pattern_type":"stix","valid_from":"2026-01-01T00:00:00.000Z","confidence":90}`
	if err := c.Do(ctx, client.Request{Method: "POST", Path: "/api/v1/ti/import", Body: []byte(ind), ContentType: "application/json"}, nil); err != nil {
		t.Fatal(err)
	}
	for _, ev := range []string{
		`{"DeviceVendor":"Fortinet","SourceIP":"10.0.0.5","DestinationIP":"198.51.100.20"}`,
		`{"DeviceVendor":"Fortinet","SourceIP":"10.0.0.5","DestinationHostName":"Stage.Bad.Example"}`,
	} {
		if err := c.Do(ctx, client.Request{Method: "POST", Path: "/api/v1/ingest/CommonSecurityLog", Body: []byte(ev), ContentType: "application/json"}, nil); err != nil {
			t.Fatal(err)
		}
	}
	var alerts struct {
		Alerts []struct {
			Title, Severity string
			Entities        []map[string]any
			Evidence        []struct{ Table, Query string }
		}
	}
	for start := time.Now(); time.Since(start) < 10*time.Second && len(alerts.Alerts) == 0; time.Sleep(20 * time.Millisecond) {
		c.JSON(ctx, "GET", "/api/v1/alerts?rule=ti-pattern", nil, &alerts)
	}
	time.Sleep(200 * time.Millisecond) // no second alert follows
	c.JSON(ctx, "GET", "/api/v1/alerts?rule=ti-pattern", nil, &alerts)
	if len(alerts.Alerts) != 1 {
		t.Fatalf("alerts = %+v", alerts)
	}
	a := alerts.Alerts[0]
	var ip, dns bool
	for _, e := range a.Entities {
		ip = ip || e["Address"] == "198.51.100.20"
		dns = dns || e["DomainName"] == "Stage.Bad.Example"
	}
	if !ip || !dns || a.Severity != "High" || len(a.Evidence) != 2 || !strings.Contains(a.Title, "Beacon then staging") {
		t.Fatalf("alert = %+v", a)
	}
	var other struct{ Alerts []any }
	c.JSON(ctx, "GET", "/api/v1/alerts?rule=ti-map", nil, &other)
	if len(other.Alerts) != 0 {
		t.Fatalf("single-observable alerts for a two-observation pattern: %+v", other.Alerts)
	}
}
