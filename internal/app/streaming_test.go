package app

import (
	"context"
	"testing"
	"time"

	"github.com/rampart-soc/rampart/internal/client"
)

// A Sigma rule imported through the API fires on an event as it is ingested, and the
// alert opens an incident.
func TestSigmaStreamingDetection(t *testing.T) {
	ts := startServer(t, Config{})
	c := client.New(ts.base, adminKey)
	ctx := context.Background()
	rule := `title: Whoami execution
id: 8f6a1b2c-0d3e-4f5a-9b6c-7d8e9f0a1b2c
level: high
tags: [attack.discovery, attack.t1033]
logsource: {category: process_creation, product: windows}
detection:
  sel: {Image|endswith: '\whoami.exe'}
  condition: sel
`
	var imp struct {
		Imported int
		Problems []any
	}
	if err := c.Do(ctx, client.Request{Method: "POST", Path: "/api/v1/rules/import?name=whoami.yml", Body: []byte(rule), ContentType: "application/yaml"}, &imp); err != nil || imp.Imported != 1 {
		t.Fatalf("import = %+v, %v", imp, err)
	}
	events := `{"Computer":"ws1","EventID":4688,"NewProcessName":"C:\\Windows\\System32\\whoami.exe","SubjectUserName":"bob","CommandLine":"whoami /all"}
{"Computer":"ws1","EventID":4688,"NewProcessName":"C:\\Windows\\System32\\notepad.exe","SubjectUserName":"bob"}
{"Computer":"ws2","EventID":4624,"NewProcessName":"C:\\Windows\\System32\\whoami.exe"}
`
	start := time.Now()
	if err := c.Do(ctx, client.Request{Method: "POST", Path: "/api/v1/ingest/SecurityEvent", Body: []byte(events), ContentType: "application/x-ndjson"}, nil); err != nil {
		t.Fatal(err)
	}
	var list struct {
		Incidents []struct {
			Number     int
			Title      string
			Severity   string
			Techniques []string
			AlertIDs   []string
		}
	}
	for time.Since(start) < 10*time.Second {
		if err := c.JSON(ctx, "GET", "/api/v1/incidents", nil, &list); err != nil {
			t.Fatal(err)
		}
		if len(list.Incidents) > 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("event accepted → incident visible: %v", time.Since(start))
	if len(list.Incidents) != 1 {
		t.Fatalf("incidents = %+v", list.Incidents)
	}
	inc := list.Incidents[0]
	if inc.Title != "Whoami execution" || inc.Severity != "High" || len(inc.AlertIDs) != 1 || inc.Techniques[0] != "T1033" {
		t.Fatalf("incident = %+v", inc)
	}
	var alerts struct {
		Alerts []struct {
			Entities      []map[string]any
			CustomDetails map[string]string
		}
	}
	c.JSON(ctx, "GET", "/api/v1/alerts", nil, &alerts)
	if len(alerts.Alerts) != 1 || alerts.Alerts[0].CustomDetails["MatchedEvents"] != "1" || len(alerts.Alerts[0].Entities) < 2 {
		t.Fatalf("alerts = %+v", alerts)
	}
}

func TestAttackCoverage(t *testing.T) {
	ts := startServer(t, Config{})
	c := client.New(ts.base, adminKey)
	ctx := context.Background()
	rule := "title: t\nid: 11111111-0d3e-4f5a-9b6c-7d8e9f0a1b2c\ntags: [attack.t1059.001]\nlogsource: {category: process_creation, product: windows}\ndetection: {sel: {Image|endswith: x.exe}, condition: sel}\n"
	c.Do(ctx, client.Request{Method: "POST", Path: "/api/v1/rules/import?name=r.yml", Body: []byte(rule), ContentType: "application/yaml"}, nil)
	var cov struct {
		Tactics []struct {
			Name       string
			Techniques []struct {
				ID    string
				Rules int
			}
		}
	}
	if err := c.JSON(ctx, "GET", "/api/v1/attack/coverage", nil, &cov); err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, tac := range cov.Tactics {
		for _, te := range tac.Techniques {
			if (te.ID == "T1059" || te.ID == "T1059.001") && te.Rules == 1 {
				found++
			}
		}
	}
	if len(cov.Tactics) != 14 || found < 2 {
		t.Fatalf("coverage: %d tactics, T1059 cells with a rule: %d", len(cov.Tactics), found)
	}
}

// A Sigma correlation (event_count) over a base rule fires once its threshold is reached
// within the window, grouped by host; the base rule, marked generate: false, stays quiet.
func TestSigmaCorrelationStreaming(t *testing.T) {
	ts := startServer(t, Config{})
	c := client.New(ts.base, adminKey)
	ctx := context.Background()
	rules := `title: Failed logon
id: 0b4e7a10-1111-4c4c-8e8e-000000000001
name: failed_logon
level: low
logsource: {product: windows, service: security}
detection:
  sel: {EventID: 4625}
  condition: sel
---
title: Many failed logons on one host
id: 0b4e7a10-1111-4c4c-8e8e-000000000002
level: high
tags: [attack.credential_access, attack.t1110]
correlation:
  type: event_count
  rules: [failed_logon]
  group-by: [Computer]
  timespan: 5m
  condition: {gte: 3}
`
	var imp struct {
		Imported int
		Problems []any
	}
	if err := c.Do(ctx, client.Request{Method: "POST", Path: "/api/v1/rules/import?name=corr.yml", Body: []byte(rules), ContentType: "application/yaml"}, &imp); err != nil || imp.Imported != 2 {
		t.Fatalf("import = %+v, %v", imp, err)
	}
	var evs string
	for i := 0; i < 3; i++ {
		evs += `{"Computer":"dc1","EventID":4625,"TargetUserName":"bob"}` + "\n"
	}
	evs += `{"Computer":"dc2","EventID":4625,"TargetUserName":"eve"}` + "\n"
	if err := c.Do(ctx, client.Request{Method: "POST", Path: "/api/v1/ingest/SecurityEvent", Body: []byte(evs), ContentType: "application/x-ndjson"}, nil); err != nil {
		t.Fatal(err)
	}
	var alerts struct {
		Alerts []struct {
			Title         string
			RuleID        string
			CustomDetails map[string]string
		}
	}
	for start := time.Now(); time.Since(start) < 10*time.Second && len(alerts.Alerts) == 0; time.Sleep(20 * time.Millisecond) {
		c.JSON(ctx, "GET", "/api/v1/alerts", nil, &alerts)
	}
	time.Sleep(200 * time.Millisecond)
	c.JSON(ctx, "GET", "/api/v1/alerts", nil, &alerts)
	if len(alerts.Alerts) != 1 || alerts.Alerts[0].Title != "Many failed logons on one host" || alerts.Alerts[0].CustomDetails["GroupBy.Computer"] != "dc1" {
		t.Fatalf("alerts = %+v", alerts.Alerts)
	}
}
