package taxii

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// TestServerRecordedExchanges replays every recorded request against our
// server over medallion's data and checks status, TAXII headers and body.
// Bodies must be equal as JSON, except for values the server chooses:
// next tokens, status ids and timestamps, and error descriptions.
func TestServerRecordedExchanges(t *testing.T) {
	idx, dir := loadIndex(t)
	srv, be := fixtureServer(t)
	// status-complete reads the status our POST produced under the
	// recorded id; ours has a fresh id, so store the recorded one too.
	var complete Status
	readJSON(t, filepath.Join(dir, "add-objects.json"), &complete)
	if err := be.StoreStatus("trustgroup1", StatusRecord{Owner: "tester", Status: complete}); err != nil {
		t.Fatal(err)
	}
	tokens := map[string]string{} // recorded next token → ours
	passed := 0
	for _, ex := range idx.Exchanges {
		q := url.Values{}
		for k, v := range ex.Request.Query {
			if k == "next" {
				v = tokens[v]
			}
			q.Set(k, v)
		}
		var body []byte
		if ex.Request.BodyFile != "" {
			body, _ = os.ReadFile(filepath.Join(dir, ex.Request.BodyFile))
		}
		req := httptest.NewRequest(ex.Request.Method, ex.Request.Path+"?"+q.Encode(), bytes.NewReader(body))
		for k, v := range ex.Request.Headers {
			req.Header.Set(k, v)
		}
		if cl := ex.Request.Headers["Content-Length"]; cl != "" {
			req.ContentLength, _ = strconv.ParseInt(cl, 10, 64)
		}
		if ex.Name != "error-401-no-credentials" {
			req.SetBasicAuth("tester", "secret")
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if ok := checkExchange(t, ex, dir, rec, tokens); ok {
			passed++
		}
	}
	t.Logf("taxii server: %d of %d recorded exchanges match", passed, len(idx.Exchanges))
	if passed != len(idx.Exchanges) {
		t.Errorf("%d of %d exchanges differ", len(idx.Exchanges)-passed, len(idx.Exchanges))
	}
}

func checkExchange(t *testing.T, ex exchange, dir string, rec *httptest.ResponseRecorder, tokens map[string]string) bool {
	t.Helper()
	ok := true
	if rec.Code != ex.Response.Status {
		t.Errorf("%s: status %d, want %d: %s", ex.Name, rec.Code, ex.Response.Status, rec.Body)
		return false
	}
	for k, v := range ex.Response.Headers {
		if got := rec.Header().Get(k); got != v {
			t.Errorf("%s: header %s = %q, want %q", ex.Name, k, got, v)
			ok = false
		}
	}
	for _, k := range []string{"X-TAXII-Date-Added-First", "X-TAXII-Date-Added-Last"} {
		if _, want := ex.Response.Headers[k]; !want && rec.Header().Get(k) != "" {
			t.Errorf("%s: unexpected header %s", ex.Name, k)
			ok = false
		}
	}
	if ex.Response.BodyFile == "" {
		if rec.Body.Len() != 0 {
			t.Errorf("%s: unexpected body %s", ex.Name, rec.Body)
			return false
		}
		return ok
	}
	want, err := os.ReadFile(filepath.Join(dir, ex.Response.BodyFile))
	if err != nil {
		t.Fatal(err)
	}
	got := rec.Body.Bytes()
	var wantMap, gotMap map[string]any
	if json.Unmarshal(want, &wantMap) != nil || json.Unmarshal(got, &gotMap) != nil {
		t.Errorf("%s: body is not a JSON object: %s", ex.Name, got)
		return false
	}
	switch {
	case ex.Response.Status >= 400:
		// Error resources: same title and http_status; wording is ours.
		for _, k := range []string{"title", "http_status"} {
			if gotMap[k] != wantMap[k] {
				t.Errorf("%s: error %s = %v, want %v", ex.Name, k, gotMap[k], wantMap[k])
				ok = false
			}
		}
		return ok
	case ex.Name == "add-objects":
		for _, k := range []string{"id", "request_timestamp"} {
			if _, has := gotMap[k]; !has {
				t.Errorf("%s: status lacks %s", ex.Name, k)
				ok = false
			}
			delete(gotMap, k)
			delete(wantMap, k)
		}
	case isPaging(ex.Name):
		if n, has := wantMap["next"]; has {
			tokens[n.(string)], _ = gotMap["next"].(string)
			if gotMap["next"] == nil {
				t.Errorf("%s: no next token", ex.Name)
				ok = false
			}
			delete(gotMap, "next")
			delete(wantMap, "next")
		}
	}
	a, _ := json.Marshal(gotMap)
	b, _ := json.Marshal(wantMap)
	if !jsonEqual(a, b) {
		t.Errorf("%s: body differs\n got %s\nwant %s", ex.Name, a, b)
		ok = false
	}
	return ok
}
