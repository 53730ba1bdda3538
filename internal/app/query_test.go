package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rampart-soc/rampart/internal/client"
)

// KQL through the API; a scheduled KQL rule raises an alert on its window.
func TestQueryAndScheduledRule(t *testing.T) {
	ts := startServer(t, Config{})
	c := client.New(ts.base, adminKey)
	ctx := context.Background()
	evs := ""
	for i := 0; i < 25; i++ {
		evs += `{"Computer":"dc1","EventID":4625,"Account":"CONTOSO\\bob"}` + "\n"
	}
	if err := c.Do(ctx, client.Request{Method: "POST", Path: "/api/v1/ingest/SecurityEvent", Body: []byte(evs), ContentType: "application/x-ndjson"}, nil); err != nil {
		t.Fatal(err)
	}
	var res struct {
		Columns []struct{ Name, Type string }
		Rows    [][]any
	}
	q := map[string]string{"query": "SecurityEvent | where EventID == 4625 | summarize Failures = count() by Account, Computer", "timespan": "P1D"}
	if err := c.JSON(ctx, "POST", "/api/v1/query", q, &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 1 || res.Rows[0][2] != 25.0 || res.Columns[2].Name != "Failures" || res.Columns[2].Type != "long" {
		t.Fatalf("query = %+v", res)
	}
	err := c.JSON(ctx, "POST", "/api/v1/query", map[string]string{"query": "SecurityEvent\n| where Nope > 1"}, nil)
	if err == nil || !strings.Contains(err.Error(), "line 2, column 9") {
		t.Fatalf("bad query error = %v", err)
	}
	rule := `id: brute-force-1
name: Brute force on {{Computer}}
severity: Medium
queryFrequency: 5m
queryPeriod: 1h
triggerOperator: gt
triggerThreshold: 0
relevantTechniques: [T1110]
tactics: [CredentialAccess]
query: SecurityEvent | where EventID == 4625 | summarize Failures = count() by Account, Computer | where Failures > 20
entityMappings:
  - entityType: Account
    fieldMappings: [{identifier: FullName, columnName: Account}]
eventGroupingSettings: {aggregationKind: AlertPerResult}
kind: Scheduled
`
	if err := c.Do(ctx, client.Request{Method: "POST", Path: "/api/v1/rules/import?name=bf.yaml", Body: []byte(rule), ContentType: "application/yaml"}, nil); err != nil {
		t.Fatal(err)
	}
	ts.scheduler.RunDue(ctx) // the first window ends now and covers the last hour
	var alerts struct {
		Alerts []struct {
			Title    string
			Entities []map[string]any
		}
	}
	for start := time.Now(); time.Since(start) < 5*time.Second && len(alerts.Alerts) == 0; time.Sleep(20 * time.Millisecond) {
		c.JSON(ctx, "GET", "/api/v1/alerts?rule=brute-force-1", nil, &alerts)
	}
	if len(alerts.Alerts) != 1 || alerts.Alerts[0].Entities[0]["FullName"] != `CONTOSO\bob` {
		t.Fatalf("scheduled alerts = %+v", alerts)
	}
}

// An NRT rule sees each ingested row once, whatever its TimeGenerated: rows ingested before
// the rule existed are not alerted on; a backdated row ingested afterwards is, once.
func TestNRTRule(t *testing.T) {
	ts := startServer(t, Config{})
	c := client.New(ts.base, adminKey)
	ctx := context.Background()
	ingest := func(account string) {
		t.Helper()
		// Backdated a month: outside any recent TimeGenerated window, inside retention.
		ev := `{"Computer":"dc1","EventID":4720,"TargetAccount":"` + account + `","TimeGenerated":"` +
			time.Now().AddDate(0, -1, 0).UTC().Format(time.RFC3339) + `"}`
		if err := c.Do(ctx, client.Request{Method: "POST", Path: "/api/v1/ingest/SecurityEvent", Body: []byte(ev), ContentType: "application/x-ndjson"}, nil); err != nil {
			t.Fatal(err)
		}
	}
	ingest("before")
	rule := `id: nrt-user-created
name: User account created
severity: Low
kind: NRT
query: SecurityEvent | where EventID == 4720 | project TimeGenerated, TargetAccount, Computer
eventGroupingSettings: {aggregationKind: AlertPerResult}
`
	if err := c.Do(ctx, client.Request{Method: "POST", Path: "/api/v1/rules/import?name=nrt.yaml", Body: []byte(rule), ContentType: "application/yaml"}, nil); err != nil {
		t.Fatal(err)
	}
	ts.scheduler.RunDue(ctx) // starts the rule at the current watermark
	ingest("after")
	// The watermark passes the row once every batch stamped before it has committed.
	var alerts struct{ Alerts []struct{ Product string } }
	for start := time.Now(); time.Since(start) < 10*time.Second && len(alerts.Alerts) == 0; time.Sleep(50 * time.Millisecond) {
		ts.scheduler.RunDue(ctx)
		c.JSON(ctx, "GET", "/api/v1/alerts?rule=nrt-user-created", nil, &alerts)
	}
	ts.scheduler.RunDue(ctx) // nothing new: no second alert
	time.Sleep(100 * time.Millisecond)
	c.JSON(ctx, "GET", "/api/v1/alerts?rule=nrt-user-created", nil, &alerts)
	if len(alerts.Alerts) != 1 || alerts.Alerts[0].Product != "NRT Alerts" {
		raw, _ := c.Raw(ctx, "GET", "/api/v1/rules/nrt-user-created/runs")
		t.Fatalf("NRT alerts = %+v; watermark %s; runs %s", alerts, ts.pipeline.Watermark().Format(time.RFC3339Nano), raw)
	}
	var runs struct {
		Health struct{ Healthy bool }
		Runs   []struct {
			Status string
			Alerts int
		}
	}
	if err := c.JSON(ctx, "GET", "/api/v1/rules/nrt-user-created/runs", nil, &runs); err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, r := range runs.Runs {
		total += r.Alerts
		if r.Status != "succeeded" {
			t.Errorf("run %+v", r)
		}
	}
	if !runs.Health.Healthy || len(runs.Runs) == 0 || total != 1 {
		t.Fatalf("runs = %+v", runs)
	}
}
