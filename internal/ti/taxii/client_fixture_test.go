package taxii

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// replayServer answers requests with the recorded responses: the first
// exchange whose method, path and query equal the request's. A request
// without Authorization gets the recorded 401 for its path when there is
// one.
func replayServer(t *testing.T) (*httptest.Server, fixtureIndex) {
	idx, dir := loadIndex(t)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		noAuth := r.Header.Get("Authorization") == ""
		for _, ex := range idx.Exchanges {
			if ex.Request.Method != r.Method || ex.Request.Path != r.URL.Path ||
				(ex.Name == "error-401-no-credentials") != noAuth || !sameQuery(ex.Request.Query, r.URL.Query()) {
				continue
			}
			if ct := ex.Request.Headers["Content-Type"]; ct != "" && ct != r.Header.Get("Content-Type") {
				continue
			}
			for k, v := range ex.Response.Headers {
				w.Header().Set(k, v)
			}
			w.WriteHeader(ex.Response.Status)
			if ex.Response.BodyFile != "" {
				b, _ := os.ReadFile(filepath.Join(dir, ex.Response.BodyFile))
				_, _ = w.Write(b)
			}
			return
		}
		http.Error(w, "no recorded exchange for "+r.Method+" "+r.URL.String(), http.StatusTeapot)
	}))
	t.Cleanup(ts.Close)
	return ts, idx
}

func sameQuery(want map[string]string, got map[string][]string) bool {
	if len(want) != len(got) {
		return false
	}
	for k, v := range want {
		if len(got[k]) != 1 {
			return false
		}
		if got[k][0] == v {
			continue
		}
		// Timestamps are equal as instants whatever their precision.
		a, err1 := ParseTimestamp(v)
		b, err2 := ParseTimestamp(got[k][0])
		if err1 != nil || err2 != nil || !a.Equal(b) {
			return false
		}
	}
	return true
}

// TestClientRecordedExchanges drives our client through the recorded
// exchanges served back from a local server.
func TestClientRecordedExchanges(t *testing.T) {
	ts, idx := replayServer(t)
	ctx := context.Background()
	c := &Client{HTTP: ts.Client(), Auth: BasicAuth{"tester", "secret"}}
	d, err := c.Discovery(ctx, ts.URL+"/taxii2")
	if err != nil || len(d.APIRoots) != 3 || d.Title != "Some TAXII Server" {
		t.Fatalf("discovery: %+v %v", d, err)
	}
	root := ts.URL + "/" + idx.APIRoot + "/"
	ar, err := c.APIRoot(ctx, root)
	if err != nil || ar.MaxContentLength != 9765625 || ar.Versions[0] != MediaType {
		t.Fatalf("api root: %+v %v", ar, err)
	}
	cols, err := c.Collections(ctx, root)
	if err != nil || len(cols) != 5 {
		t.Fatalf("collections: %d %v", len(cols), err)
	}
	col, err := c.Collection(ctx, root, idx.Collection)
	if err != nil || !col.CanRead || col.Title != "High Value Indicator Collection" {
		t.Fatalf("collection: %+v %v", col, err)
	}
	curl := CollectionURL(root, idx.Collection)

	all, err := c.Objects(ctx, curl, Filter{})
	if err != nil || len(all.Objects) != 5 || all.More || all.DateAddedLast.Format(time.RFC3339Nano) != "2017-12-31T13:49:53.935Z" {
		t.Fatalf("objects: %d %v %v", len(all.Objects), all.DateAddedLast, err)
	}
	var pages, objs int
	err = c.AllObjects(ctx, curl, Filter{Limit: 2}, func(p *ObjectsPage) error {
		pages++
		objs += len(p.Objects)
		return nil
	})
	if err != nil || pages != 3 || objs != 5 {
		t.Fatalf("paging: %d pages %d objects %v", pages, objs, err)
	}
	for _, c2 := range []struct {
		f    Filter
		want int
	}{
		{Filter{Types: []string{"indicator"}}, 2},
		{Filter{Types: []string{"indicator", "malware"}}, 3},
		{Filter{IDs: []string{"indicator--6770298f-0fd8-471a-ab8c-1c658a46574e"}, Versions: []string{"all"}}, 3},
		{Filter{Versions: []string{"first"}}, 5},
		{Filter{AddedAfter: mustTime(t, "2016-11-03T12:30:59.001Z")}, 3},
		{Filter{Types: []string{"campaign"}}, 0},
	} {
		p, err := c.Objects(ctx, curl, c2.f)
		if err != nil {
			t.Errorf("%+v: %v", c2.f, err)
		} else if len(p.Objects) != c2.want {
			t.Errorf("%+v: %d objects, want %d", c2.f, len(p.Objects), c2.want)
		}
	}
	one, err := c.Object(ctx, curl, "indicator--6770298f-0fd8-471a-ab8c-1c658a46574e", Filter{})
	if err != nil || len(one.Objects) != 1 {
		t.Errorf("object: %v", err)
	}
	vs, err := c.Versions(ctx, curl, "indicator--6770298f-0fd8-471a-ab8c-1c658a46574e", Filter{})
	if err != nil || len(vs.Versions) != 3 {
		t.Errorf("versions: %+v %v", vs, err)
	}
	man, err := c.Manifest(ctx, curl, Filter{Versions: []string{"all"}})
	if err != nil || len(man.Objects) != 7 || man.DateAddedFirst.IsZero() {
		t.Errorf("manifest: %d %v", len(man.Objects), err)
	}
	body, _ := os.ReadFile(filepath.Join(taxiiDir(t), "synthesized", "add-objects.request.json"))
	var env Envelope
	_ = json.Unmarshal(body, &env)
	st, err := c.AddObjects(ctx, curl, env.Objects)
	if err != nil || st.Status != "complete" || st.SuccessCount != 2 {
		t.Errorf("add: %+v %v", st, err)
	}
	pend, err := c.Status(ctx, root, "2d086da7-4bdc-4f91-900e-d77486753710")
	if err != nil || pend.Status != "pending" || pend.PendingCount != 2 {
		t.Errorf("status: %+v %v", pend, err)
	}
	if err := c.DeleteObject(ctx, curl, "indicator--cd981c25-8042-4166-8945-51178443bdac", Filter{}); err != nil {
		t.Errorf("delete: %v", err)
	}

	// Errors carry the status and the TAXII error resource.
	for _, e := range []struct {
		err  error
		code int
	}{
		{second(c.Objects(ctx, CollectionURL(root, "00000000-0000-4000-8000-000000000000"), Filter{})), 404},
		{second(c.Objects(ctx, CollectionURL(root, "472c94ae-3113-4e3e-a4dd-a9f4ac7471d4"), Filter{})), 403},
		{second((&Client{HTTP: ts.Client()}).APIRoot(ctx, root)), 401},
	} {
		var he *HTTPError
		if !errors.As(e.err, &he) || he.StatusCode != e.code || he.TAXII == nil || he.TAXII.HTTPStatus == "" {
			t.Errorf("want HTTP %d with a TAXII error, got %v", e.code, e.err)
		}
	}
}

func second[T any](_ T, err error) error { return err }

func mustTime(t *testing.T, s string) time.Time {
	v, err := ParseTimestamp(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
