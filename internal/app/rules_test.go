package app

import (
	"context"
	"testing"

	"github.com/rampart-soc/rampart/internal/client"
)

func TestRulesAPI(t *testing.T) {
	ts := startServer(t, Config{})
	c := client.New(ts.base, adminKey)
	ctx := context.Background()
	yaml := `id: r-brute-force
name: Brute force
severity: Medium
queryFrequency: 1h
queryPeriod: 1h
triggerOperator: gt
triggerThreshold: 0
tactics: [CredentialAccess]
relevantTechniques: [T1110]
query: SecurityEvent | where EventID == 4625
kind: Scheduled
---
id: bad-rule
name: Bad
severity: Extreme
query: x
---
title: Whoami
id: 502b42de-4306-40b4-9596-6f590c81f073
level: medium
logsource: {category: process_creation, product: windows}
detection: {sel: {Image|endswith: '\whoami.exe'}, condition: sel}
`
	var out struct {
		Imported, Unchanged int
		Problems            []struct{ Line int }
	}
	if err := c.Do(ctx, client.Request{Method: "POST", Path: "/api/v1/rules/import?name=mixed.yaml", Body: []byte(yaml), ContentType: "application/yaml"}, &out); err != nil {
		t.Fatal(err)
	}
	if out.Imported != 2 || len(out.Problems) == 0 || out.Problems[0].Line != 15 {
		t.Fatalf("import = %+v", out)
	}
	var list struct{ Rules []map[string]any }
	c.JSON(ctx, "GET", "/api/v1/rules", nil, &list)
	if len(list.Rules) != 2 {
		t.Fatalf("%d rules", len(list.Rules))
	}
	if err := c.JSON(ctx, "POST", "/api/v1/rules/r-brute-force/disable", nil, nil); err != nil {
		t.Fatal(err)
	}
	var vs struct{ Versions []map[string]any }
	c.JSON(ctx, "GET", "/api/v1/rules/r-brute-force/versions", nil, &vs)
	if len(vs.Versions) != 2 || vs.Versions[0]["action"] != "disabled" {
		t.Fatalf("versions = %+v", vs)
	}
	if err := c.JSON(ctx, "DELETE", "/api/v1/rules/nope", nil, nil); err == nil {
		t.Fatal("deleting a missing rule succeeded")
	}
	// A reader may look but not change.
	var key struct{ Secret string }
	c.JSON(ctx, "POST", "/api/v1/keys", map[string]string{"name": "r", "role": "reader"}, &key)
	rc := client.New(ts.base, key.Secret)
	if err := rc.JSON(ctx, "POST", "/api/v1/rules/r-brute-force/enable", nil, nil); err == nil {
		t.Fatal("reader enabled a rule")
	}
	// Export and re-import: nothing changes.
	exported, err := c.Raw(ctx, "GET", "/api/v1/rules/export")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Do(ctx, client.Request{Method: "POST", Path: "/api/v1/rules/import?name=export.yaml", Body: exported, ContentType: "application/yaml"}, &out); err != nil {
		t.Fatal(err)
	}
	if out.Imported != 0 || out.Unchanged != 2 || len(out.Problems) != 0 {
		t.Fatalf("re-import of the export = %+v\n%s", out, exported)
	}
}
