package taxii

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestClientLimits: huge, over-full, slow and looping responses end in
// errors, within bounded memory and time.
func TestClientLimits(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/huge/objects/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", MediaType)
		fmt.Fprint(w, `{"objects":[`)
		for i := 0; i < 200000; i++ {
			fmt.Fprint(w, `{"type":"x-pad","id":"x-pad--00000000-0000-4000-8000-000000000000"},`)
		}
		fmt.Fprint(w, `{}]}`)
	})
	mux.HandleFunc("/many/objects/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"objects":[`+strings.Repeat(`{},`, 50)+`{}]}`)
	})
	mux.HandleFunc("/slow/objects/", func(w http.ResponseWriter, r *http.Request) {
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	mux.HandleFunc("/loop/objects/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"more":true,"next":"same","objects":[{}]}`)
	})
	mux.HandleFunc("/stuck/objects/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"more":true,"objects":[]}`) // more, but no next and no date headers
	})
	ts := httptest.NewServer(mux)
	defer ts.Close()
	ctx := context.Background()
	c := &Client{MaxResponseBytes: 1 << 20, MaxObjects: 10, Timeout: 300 * time.Millisecond}
	if _, err := c.Objects(ctx, ts.URL+"/huge/", Filter{}); !errors.Is(err, ErrResponseTooLarge) {
		t.Errorf("huge: %v", err)
	}
	if _, err := c.Objects(ctx, ts.URL+"/many/", Filter{}); !errors.Is(err, ErrTooManyObjects) {
		t.Errorf("many: %v", err)
	}
	start := time.Now()
	if _, err := c.Objects(ctx, ts.URL+"/slow/", Filter{}); err == nil || time.Since(start) > 3*time.Second {
		t.Errorf("slow: %v after %v", err, time.Since(start))
	}
	for _, path := range []string{"/loop/", "/stuck/"} {
		err := c.AllObjects(ctx, ts.URL+path, Filter{}, func(*ObjectsPage) error { return nil })
		if !errors.Is(err, ErrNoProgress) {
			t.Errorf("%s: %v", path, err)
		}
	}
}

func TestMediaNegotiation(t *testing.T) {
	for accept, want := range map[string]bool{
		"":                                     true,
		MediaType:                              true,
		"application/taxii+json; version=2.1":  true,
		`application/taxii+json;VERSION="2.1"`: true,
		"application/taxii+json":               true,
		"application/taxii+json;version=2.0":   false,
		"application/json":                     false,
		"*/*":                                  true,
		"application/json, application/taxii+json;version=2.1;q=0.5": true,
		"application/taxii+json;version=2.1;q=0":                     false,
	} {
		if got := acceptable(accept); got != want {
			t.Errorf("Accept %q: %v, want %v", accept, got, want)
		}
	}
	for ct, want := range map[string]bool{
		MediaType: true, "application/taxii+json": true, "application/json": false, "": false, "*/*": false,
		"application/stix+json;version=2.1": false,
	} {
		if got := contentTypeOK(ct); got != want {
			t.Errorf("Content-Type %q: %v, want %v", ct, got, want)
		}
	}
}

// TestServerFilters covers what the recorded exchanges do not: bad
// limits and tokens, tokens reused with other filters, exact versions,
// spec_version, 405 and hidden collections.
func TestServerFilters(t *testing.T) {
	srv, _ := fixtureServer(t)
	get := func(method, target string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, target, nil)
		req.SetBasicAuth("tester", "x")
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		return rec
	}
	objs := "/trustgroup1/collections/91a7b528-80eb-42ed-a74d-c6fbd5a26116/objects/"
	for target, want := range map[string]int{
		objs + "?limit=0":                               400,
		objs + "?limit=x":                               400,
		objs + "?next=bogus":                            400,
		objs + "?match[version]=yesterday":              400,
		objs + "?match[spec_version]=3.0":               400,
		objs + "?match[spec_version]=2.0":               200,
		objs + "?added_after=2016-01-01T00:00:00+01:00": 400,
		"/trustgroup1/collections/91a7b528-80eb-42ed-a74d-c6fbd5a26116/objects/indicator--6770298f-0fd8-471a-ab8c-1c658a46574e/?match[version]=2016-12-25T12:30:59.444Z": 200,
		"/trustgroup1/collections/91a7b528-80eb-42ed-a74d-c6fbd5a26116/objects/indicator--00000000-0000-4000-8000-000000000000/":                                         404,
		"/trustgroup1/nope/": 404,
		"/nope/":             404,
		"/trustgroup1/status/00000000-0000-4000-8000-000000000000/": 404,
	} {
		if rec := get(http.MethodGet, target); rec.Code != want {
			t.Errorf("%s: %d, want %d: %s", target, rec.Code, want, rec.Body)
		}
	}
	if rec := get(http.MethodPut, objs); rec.Code != 405 || rec.Header().Get("Allow") == "" {
		t.Errorf("PUT: %d", rec.Code)
	}
	rec := get(http.MethodGet, objs+"?limit=1")
	tok := between(rec.Body.String(), `"next": "`, `"`)
	if tok == "" {
		t.Fatalf("no next token: %s", rec.Body)
	}
	if rec := get(http.MethodGet, objs+"?limit=1&match[type]=indicator&next="+tok); rec.Code != 400 {
		t.Errorf("token reused with other filters: %d", rec.Code)
	}
	if rec := get(http.MethodGet, objs+"?limit=1&next="+tok); rec.Code != 200 {
		t.Errorf("token: %d %s", rec.Code, rec.Body)
	}
	exact := get(http.MethodGet, "/trustgroup1/collections/91a7b528-80eb-42ed-a74d-c6fbd5a26116/objects/indicator--6770298f-0fd8-471a-ab8c-1c658a46574e/?match[version]=2016-12-25T12:30:59.444Z,first")
	if n := strings.Count(exact.Body.String(), `"modified"`); n != 2 {
		t.Errorf("exact+first versions: %d objects", n)
	}
}

func between(s, a, b string) string {
	_, rest, ok := strings.Cut(s, a)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, b)
	return v
}
