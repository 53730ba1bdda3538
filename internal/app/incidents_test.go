package app

import (
	"fmt"
	"testing"
	"time"
)

// An alert raised through the API becomes an incident an analyst works through the API;
// both appear as rows of SecurityAlert and SecurityIncident.
func TestIncidentWorkflowAPI(t *testing.T) {
	ts := startServer(t, Config{})
	post := func(method, path, body string) (int, map[string]any) {
		code, out, _ := ts.do(t, call{method: method, path: path, key: adminKey, ctype: "application/json", body: []byte(body)})
		return code, out
	}
	alert := `{"title":"Password spray","severity":"High","ruleId":"rule-1","tactics":["CredentialAccess"],"techniques":["T1110.003"],
		"entities":[{"Type":"account","Name":"bob"},{"Type":"ip","Address":"203.0.113.9"}],"startTime":"%s"}`
	start := time.Now().Add(-2 * time.Minute).UTC().Format(time.RFC3339)
	code, out := post("POST", "/api/v1/alerts", fmt.Sprintf(alert, start))
	if code != 201 || out["incident"] != 1.0 {
		t.Fatalf("raise = %d %v", code, out)
	}
	if code, _ := post("POST", "/api/v1/alerts", `{"title":"x","techniques":["T00"]}`); code != 400 {
		t.Fatalf("bad technique = %d", code)
	}
	post("POST", "/api/v1/alerts", fmt.Sprintf(alert, start)) // groups into incident 1
	code, out = post("GET", "/api/v1/incidents?status=New&severity=High", "")
	if code != 200 || out["total"] != 1.0 {
		t.Fatalf("list = %d %v", code, out)
	}
	code, out = post("GET", "/api/v1/incidents/1", "")
	if code != 200 || len(out["alerts"].([]any)) != 2 {
		t.Fatalf("get = %d %v", code, out)
	}
	if code, out = post("PATCH", "/api/v1/incidents/1", `{"status":"Closed"}`); code != 400 {
		t.Fatalf("close without classification = %d %v", code, out)
	}
	if code, out = post("POST", "/api/v1/incidents/1/comments", `{"text":"benign test account"}`); code != 201 {
		t.Fatalf("comment = %d %v", code, out)
	}
	if code, out = post("PATCH", "/api/v1/incidents/1", `{"status":"Closed","classification":"BenignPositive","owner":{"name":"ann"}}`); code != 200 || out["status"] != "Closed" {
		t.Fatalf("close = %d %v", code, out)
	}
	if code, _ := post("GET", "/api/v1/incidents/42", ""); code != 404 {
		t.Fatalf("missing incident = %d", code)
	}
	code, out = post("GET", "/api/v1/soc/metrics", "")
	if code != 200 || out["alerts"] != 2.0 || out["meanTimeToDetectSeconds"].(float64) < 100 {
		t.Fatalf("metrics = %d %v", code, out)
	}
	ts.rowSink.Flush()
	if n := ts.count(t, `SELECT count(*) FROM "SecurityAlert" WHERE "AlertSeverity" = 'High' AND "Tactics" = 'CredentialAccess'`); n != 2 {
		t.Errorf("%d SecurityAlert rows", n)
	}
	if n := ts.count(t, `SELECT count(DISTINCT "Status") FROM "SecurityIncident" WHERE "IncidentNumber" = 1`); n != 2 {
		t.Errorf("SecurityIncident rows carry %d statuses, want New and Closed", n)
	}
}
