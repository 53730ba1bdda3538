package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rampart-soc/rampart/internal/client"
)

const postureTestPolicy = `
- id: APPTEST-1
  title: Test buckets should be encrypted
  severity: High
  provider: aws
  controls: [DP-5]
  standards: {pci-dss-4.0: ["3.5.1"]}
  remediation: Encrypt the bucket.
  rules:
  - types: [test:bucket]
    check: "get(p, 'encrypted') == true"
    evidence: [encrypted]
`

// Inventory imported through the API is assessed; a high-severity resource turning
// unhealthy raises a Posture alert; score, compliance (JSON and CSV) and findings are
// served; findings land in SecurityRecommendation for KQL.
func TestPostureThroughAPI(t *testing.T) {
	dir := t.TempDir()
	pol := filepath.Join(dir, "policies.yaml")
	if err := os.WriteFile(pol, []byte(postureTestPolicy), 0o600); err != nil {
		t.Fatal(err)
	}
	ts := startServer(t, Config{PolicyPaths: []string{pol}})
	c := client.New(ts.base, adminKey)
	ctx := context.Background()
	put := func(encrypted bool) {
		t.Helper()
		body := map[string]any{"source": "test", "snapshot": true, "resources": []map[string]any{
			{"id": "bucket-1", "name": "bucket-1", "provider": "aws", "type": "test:bucket", "properties": map[string]any{"encrypted": encrypted}}}}
		var sum struct{ Created, Modified int }
		if err := c.JSON(ctx, "POST", "/api/v1/posture/resources", body, &sum); err != nil {
			t.Fatal(err)
		}
		if err := c.JSON(ctx, "POST", "/api/v1/posture/assess", nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	put(true)
	put(false)
	var alerts struct {
		Alerts []struct{ Title, Severity, Product string }
	}
	for start := time.Now(); time.Since(start) < 10*time.Second && len(alerts.Alerts) == 0; time.Sleep(20 * time.Millisecond) {
		c.JSON(ctx, "GET", "/api/v1/alerts", nil, &alerts)
	}
	if len(alerts.Alerts) != 1 || alerts.Alerts[0].Product != "Posture" || !strings.Contains(alerts.Alerts[0].Title, "bucket-1") {
		t.Fatalf("alerts = %+v", alerts)
	}
	var findings struct {
		Total    int
		Findings []struct{ State, Policy string }
	}
	c.JSON(ctx, "GET", "/api/v1/posture/findings?policy=APPTEST-1", nil, &findings)
	if findings.Total != 1 || findings.Findings[0].State != "Unhealthy" {
		t.Fatalf("findings = %+v", findings)
	}
	var comp struct {
		Standards []struct {
			Standard string
			Failed   int
		}
	}
	c.JSON(ctx, "GET", "/api/v1/posture/compliance/pci-dss-4.0", nil, &comp)
	if len(comp.Standards) != 1 || comp.Standards[0].Failed != 1 {
		t.Fatalf("compliance = %+v", comp)
	}
	csv, err := c.Raw(ctx, "GET", "/api/v1/posture/compliance/pci-dss-4.0?format=csv")
	if err != nil || !strings.Contains(string(csv), "pci-dss-4.0,3.5.1,") {
		t.Fatalf("csv: %v %.200s", err, csv)
	}
	var bad map[string]any
	if err := c.JSON(ctx, "GET", "/api/v1/posture/findings?limit=100000", nil, &bad); err == nil {
		t.Error("an unbounded page was accepted")
	}
	ts.rowSink.Flush()
	if n := ts.count(t, `SELECT count(*) FROM "SecurityRecommendation" WHERE "RecommendationId" = 'APPTEST-1' AND "RecommendationState" = 'Unhealthy'`); n != 1 {
		t.Fatalf("%d SecurityRecommendation rows", n)
	}
	if n := ts.count(t, `SELECT count(*) FROM "SecureScores"`); n < 2 {
		t.Fatalf("%d SecureScores rows", n)
	}
}
