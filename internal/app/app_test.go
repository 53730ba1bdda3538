package app

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"
)

const adminKey = "test-admin-key-0123456789"

type testServer struct {
	*Server
	base   string
	cancel context.CancelFunc
	done   chan error
}

func startServer(t *testing.T, cfg Config) *testServer {
	t.Helper()
	if cfg.Listen == "" {
		cfg.Listen = "127.0.0.1:0"
	}
	if cfg.DataDir == "" {
		cfg.DataDir = t.TempDir()
	}
	cfg.AdminKey = adminKey
	cfg.Threads = 2
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := New(ctx, cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{Server: srv, cancel: cancel, done: make(chan error, 1)}
	go func() { ts.done <- srv.Run(ctx) }()
	ts.base = "http://" + srv.Addr()
	t.Cleanup(func() {
		cancel()
		if err := <-ts.done; err != nil {
			t.Errorf("server stopped with %v", err)
		}
	})
	return ts
}

type call struct {
	method, path, key, ctype, enc string
	body                          []byte
}

func (ts *testServer) do(t *testing.T, c call) (int, map[string]any, http.Header) {
	t.Helper()
	req, err := http.NewRequest(c.method, ts.base+c.path, bytes.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	if c.key != "" {
		req.Header.Set("Authorization", "Bearer "+c.key)
	}
	if c.ctype != "" {
		req.Header.Set("Content-Type", c.ctype)
	}
	if c.enc != "" {
		req.Header.Set("Content-Encoding", c.enc)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var out map[string]any
	_ = json.Unmarshal(data, &out)
	return resp.StatusCode, out, resp.Header
}

func (ts *testServer) count(t *testing.T, query string) int64 {
	t.Helper()
	var n int64
	if err := ts.store.DB().QueryRow(query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestAuthentication(t *testing.T) {
	ts := startServer(t, Config{})
	if code, _, _ := ts.do(t, call{method: "GET", path: "/healthz"}); code != 200 {
		t.Fatalf("healthz = %d", code)
	}
	for _, path := range []string{"/readyz", "/metrics", "/api/v1/tables", "/api/v1/openapi.json"} {
		if code, _, _ := ts.do(t, call{method: "GET", path: path}); code != 401 {
			t.Errorf("GET %s without a key = %d, want 401", path, code)
		}
		if code, _, _ := ts.do(t, call{method: "GET", path: path, key: "wrong-key-wrong-key"}); code != 401 {
			t.Errorf("GET %s with a wrong key = %d, want 401", path, code)
		}
		if code, _, _ := ts.do(t, call{method: "GET", path: path, key: adminKey}); code != 200 {
			t.Errorf("GET %s as admin = %d, want 200", path, code)
		}
	}
	// An ingest key writes events and nothing else; a reader cannot write.
	code, out, _ := ts.do(t, call{method: "POST", path: "/api/v1/keys", key: adminKey, ctype: "application/json", body: []byte(`{"name":"shipper","role":"ingest"}`)})
	if code != 201 {
		t.Fatalf("create key = %d %v", code, out)
	}
	ingestKey := out["secret"].(string)
	_, out, _ = ts.do(t, call{method: "POST", path: "/api/v1/keys", key: adminKey, ctype: "application/json", body: []byte(`{"name":"analyst","role":"reader"}`)})
	readerKey := out["secret"].(string)
	body := []byte(`{"Computer":"h1","EventID":4625}`)
	if code, _, _ := ts.do(t, call{method: "POST", path: "/api/v1/ingest/SecurityEvent", key: ingestKey, ctype: "application/x-ndjson", body: body}); code != 200 {
		t.Errorf("ingest with ingest key = %d", code)
	}
	if code, _, _ := ts.do(t, call{method: "GET", path: "/api/v1/tables", key: ingestKey}); code != 403 {
		t.Errorf("ingest key reading tables = %d, want 403", code)
	}
	if code, _, _ := ts.do(t, call{method: "POST", path: "/api/v1/ingest/SecurityEvent", key: readerKey, ctype: "application/x-ndjson", body: body}); code != 403 {
		t.Errorf("reader ingesting = %d, want 403", code)
	}
	if code, _, _ := ts.do(t, call{method: "GET", path: "/api/v1/keys", key: readerKey}); code != 403 {
		t.Errorf("reader listing keys = %d, want 403", code)
	}
	// Keys can be deleted, and then stop working.
	_, out, _ = ts.do(t, call{method: "GET", path: "/api/v1/keys", key: adminKey})
	var readerID string
	for _, k := range out["keys"].([]any) {
		if k.(map[string]any)["name"] == "analyst" {
			readerID = k.(map[string]any)["id"].(string)
		}
	}
	if code, _, _ := ts.do(t, call{method: "DELETE", path: "/api/v1/keys/" + readerID, key: adminKey}); code != 204 {
		t.Fatalf("delete key = %d", code)
	}
	if code, _, _ := ts.do(t, call{method: "GET", path: "/api/v1/tables", key: readerKey}); code != 401 {
		t.Errorf("deleted key = %d, want 401", code)
	}
}

func TestIngestHTTP(t *testing.T) {
	ts := startServer(t, Config{MaxBodyBytes: 1 << 20})
	post := func(table, ctype, enc string, body []byte) (int, map[string]any, http.Header) {
		return ts.do(t, call{method: "POST", path: "/api/v1/ingest/" + table, key: adminKey, ctype: ctype, enc: enc, body: body})
	}
	nd := []byte("{\"TimeGenerated\":\"2026-11-23T10:00:00Z\",\"Computer\":\"dc1\",\"EventID\":4625,\"Account\":\"CONTOSO\\\\bob\",\"Custom\":\"kept\"}\n" +
		"{\"TimeGenerated\":\"2026-11-23T10:00:01Z\",\"Computer\":\"dc1\",\"EventID\":\"4624\"}\n")
	if code, out, _ := post("SecurityEvent", "application/x-ndjson", "", nd); code != 200 || out["rows"] != 2.0 {
		t.Fatalf("ndjson ingest = %d %v", code, out)
	}
	arr := []byte(`[{"Computer":"web1","EventID":1},{"Computer":"web2","EventID":2},{"Computer":"web3","EventID":3}]`)
	if code, out, _ := post("SecurityEvent", "application/json", "", arr); code != 200 || out["rows"] != 3.0 {
		t.Fatalf("array ingest = %d %v", code, out)
	}
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(nd)
	zw.Close()
	if code, out, _ := post("SecurityEvent", "application/x-ndjson", "gzip", z.Bytes()); code != 200 || out["rows"] != 2.0 {
		t.Fatalf("gzip ingest = %d %v", code, out)
	}
	if n := ts.count(t, `SELECT count(*) FROM "SecurityEvent"`); n != 7 {
		t.Fatalf("stored %d rows, want 7", n)
	}
	// Fields without a column are kept, not dropped.
	if n := ts.count(t, `SELECT count(*) FROM "SecurityEvent" WHERE json_extract_string("_AdditionalFields", '$.Custom') = 'kept'`); n != 2 {
		t.Errorf("additional field kept in %d rows, want 2", n)
	}
	if n := ts.count(t, `SELECT count(*) FROM "SecurityEvent" WHERE "EventID" = 4624 AND "_IngestionTime" > now() - INTERVAL 1 MINUTE`); n != 2 {
		t.Errorf("typed EventID / ingestion time rows = %d, want 2", n)
	}

	// A malformed line rejects the whole request, naming line and field.
	bad := []byte("{\"Computer\":\"x\",\"EventID\":1}\n{\"Computer\":\"y\",\"EventID\":\"four\"}\n")
	code, out, _ := post("SecurityEvent", "application/x-ndjson", "", bad)
	e, _ := out["error"].(map[string]any)
	if code != 400 || e["line"] != 2.0 || e["field"] != "EventID" {
		t.Fatalf("malformed = %d %v", code, out)
	}
	if n := ts.count(t, `SELECT count(*) FROM "SecurityEvent" WHERE "Computer" IN ('x','y')`); n != 0 {
		t.Fatalf("%d rows of a rejected request stored", n)
	}
	if code, _, _ := post("NoSuchTable", "application/json", "", arr); code != 404 {
		t.Errorf("unknown table = %d, want 404", code)
	}
	if code, _, _ := post("SecurityEvent", "application/x-www-form-urlencoded", "", arr); code != 415 {
		t.Errorf("form content type = %d, want 415", code)
	}
	if code, _, _ := post("SecurityEvent", "application/json", "br", arr); code != 415 {
		t.Errorf("unknown encoding = %d, want 415", code)
	}
	big := bytes.Repeat([]byte(`{"Computer":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}`+"\n"), 20000)
	if code, _, _ := post("SecurityEvent", "application/x-ndjson", "", big); code != 413 {
		t.Errorf("oversized body = %d, want 413", code)
	}
	z.Reset()
	zw = gzip.NewWriter(&z)
	zw.Write(big)
	zw.Close()
	if code, _, _ := post("SecurityEvent", "application/x-ndjson", "gzip", z.Bytes()); code != 413 {
		t.Errorf("oversized gzip body = %d, want 413", code)
	}
	// Metrics count rows and rejects.
	req, _ := http.NewRequest("GET", ts.base+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+adminKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`rampart_ingest_rows_total{table="SecurityEvent"} 7`, `rampart_ingest_rejects_total{reason="malformed"} 1`, "rampart_ingest_commit_seconds_bucket", "rampart_ingest_queue_rows"} {
		if !strings.Contains(string(m), want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

func TestCustomTables(t *testing.T) {
	dir := t.TempDir()
	ts := startServer(t, Config{DataDir: dir})
	put := func(name, body string) (int, map[string]any) {
		code, out, _ := ts.do(t, call{method: "PUT", path: "/api/v1/tables/" + name, key: adminKey, ctype: "application/json", body: []byte(body)})
		return code, out
	}
	code, out := put("App_CL", `{"columns":[{"name":"Msg","type":"string"},{"name":"Level","type":"int"}],"retentionDays":30}`)
	if code != 201 || out["retentionDays"] != 30.0 || len(out["columns"].([]any)) != 3 {
		t.Fatalf("create = %d %v", code, out)
	}
	if code, out := put("App_CL", `{"columns":[{"name":"Extra","type":"dynamic"}]}`); code != 200 || len(out["columns"].([]any)) != 4 {
		t.Fatalf("extend = %d %v", code, out)
	}
	if code, _ := put("App_CL", `{"columns":[{"name":"Level","type":"string"}]}`); code != 400 {
		t.Errorf("type change = %d, want 400", code)
	}
	if code, _ := put("App", `{"columns":[{"name":"Msg","type":"string"}]}`); code != 400 {
		t.Errorf("name without _CL = %d, want 400", code)
	}
	if code, _ := put("SecurityEvent", `{"columns":[{"name":"Msg","type":"string"}]}`); code != 400 {
		t.Errorf("adding columns to a built-in table = %d, want 400", code)
	}
	if code, out := put("SecurityEvent", `{"retentionDays":7}`); code != 200 || out["retentionDays"] != 7.0 {
		t.Errorf("built-in retention = %d %v", code, out)
	}
	if code, _ := put("App_CL", `{"columns":[{"name":"bad name","type":"string"}]}`); code != 400 {
		t.Errorf("bad column name = %d, want 400", code)
	}
	if code, _ := put("App_CL", `{"colums":[]}`); code != 400 {
		t.Errorf("unknown field = %d, want 400", code)
	}
	code, out, _ = ts.do(t, call{method: "POST", path: "/api/v1/ingest/App_CL", key: adminKey, ctype: "application/json",
		body: []byte(`[{"Msg":"hi","Level":"3","Extra":{"a":1}}]`)})
	if code != 200 {
		t.Fatalf("ingest into custom table = %d %v", code, out)
	}
	code, out, _ = ts.do(t, call{method: "GET", path: "/api/v1/tables/App_CL", key: adminKey})
	if code != 200 || out["rows"] != 1.0 || out["custom"] != true {
		t.Fatalf("describe = %d %v", code, out)
	}
	code, out, _ = ts.do(t, call{method: "GET", path: "/api/v1/tables", key: adminKey})
	if code != 200 || len(out["tables"].([]any)) != 264 { // 259 Sentinel + 4 extra (Defender export, new TI tables) + App_CL
		t.Fatalf("list = %d, %d tables", code, len(out["tables"].([]any)))
	}
}

// Custom tables and retention survive a restart.
func TestTablesPersist(t *testing.T) {
	dir := t.TempDir()
	ts := startServer(t, Config{DataDir: dir})
	ts.do(t, call{method: "PUT", path: "/api/v1/tables/Keep_CL", key: adminKey, ctype: "application/json", body: []byte(`{"columns":[{"name":"A","type":"long"}]}`)})
	ts.do(t, call{method: "PUT", path: "/api/v1/tables/Syslog", key: adminKey, ctype: "application/json", body: []byte(`{"retentionDays":5}`)})
	ts.cancel()
	if err := <-ts.done; err != nil {
		t.Fatal(err)
	}
	ts.done <- nil // for the cleanup
	ts2 := startServer(t, Config{DataDir: dir})
	tb, ok := ts2.tables.Get("Keep_CL")
	if !ok || len(tb.Columns) != 2 {
		t.Fatalf("Keep_CL after restart: %v %v", ok, tb)
	}
	if sl, _ := ts2.tables.Get("Syslog"); sl.RetentionDays != 5 {
		t.Fatalf("Syslog retention after restart = %d", sl.RetentionDays)
	}
}

func TestRetention(t *testing.T) {
	ts := startServer(t, Config{})
	old := time.Now().AddDate(0, 0, -100).UTC().Format(time.RFC3339)
	body := fmt.Sprintf(`[{"TimeGenerated":%q,"Computer":"old"},{"Computer":"new"}]`, old)
	if code, out, _ := ts.do(t, call{method: "POST", path: "/api/v1/ingest/SecurityEvent", key: adminKey, ctype: "application/json", body: []byte(body)}); code != 200 {
		t.Fatal(code, out)
	}
	// The background loop may get there first; either way only the old row goes.
	if _, err := ts.tables.EnforceRetention(context.Background(), time.Now()); err != nil {
		t.Fatal(err)
	}
	if n := ts.count(t, `SELECT count(*) FROM "SecurityEvent" WHERE "Computer" = 'old'`); n != 0 {
		t.Errorf("%d rows past retention remain", n)
	}
	if n := ts.count(t, `SELECT count(*) FROM "SecurityEvent" WHERE "Computer" = 'new'`); n != 1 {
		t.Errorf("%d recent rows remain, want 1", n)
	}
}
