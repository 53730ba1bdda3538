package taxii

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// rampartServer is our server over TLS with a Basic-auth callback: alice
// reads and writes "intel", bob only reads it.
func rampartServer(t *testing.T) (*httptest.Server, string) {
	be := NewMemoryBackend(nil)
	be.AddAPIRoot("rampart", APIRoot{Title: "Rampart", Versions: []string{MediaType}, MaxContentLength: 10 << 20})
	if err := be.AddCollection("rampart", CollectionInfo{ID: "11111111-2222-4333-8444-555555555555", Alias: "intel",
		Title: "Intel", MediaTypes: []string{STIXMediaType}}); err != nil {
		t.Fatal(err)
	}
	users := map[string]string{"alice": "a-pass", "bob": "b-pass"}
	srv := NewServer(ServerConfig{Backend: be, MaxPageSize: 3, HideInaccessible: true,
		Auth: func(r *http.Request) (string, func(string) bool, func(string) bool, bool) {
			u, p, ok := r.BasicAuth()
			if !ok || users[u] != p {
				return "", nil, nil, false
			}
			return u, func(string) bool { return true }, func(string) bool { return u == "alice" }, true
		}})
	mux := http.NewServeMux()
	mux.Handle("/taxii2/", srv)
	ts := httptest.NewTLSServer(mux)
	t.Cleanup(ts.Close)
	return ts, ts.URL + "/taxii2/rampart/collections/11111111-2222-4333-8444-555555555555/"
}

func indicators(from, n int) []json.RawMessage {
	var out []json.RawMessage
	for i := from; i < from+n; i++ {
		out = append(out, json.RawMessage(fmt.Sprintf(`{"type":"indicator","spec_version":"2.1","id":"indicator--00000000-0000-4000-8000-%012d","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","pattern":"[ipv4-addr:value = '198.51.100.%d']","pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z","x_rampart_seq":%d}`, i, i%256, i)))
	}
	return out
}

func TestClientAgainstServer(t *testing.T) {
	ts, curl := rampartServer(t)
	ctx := context.Background()
	alice := &Client{HTTP: ts.Client(), Auth: BasicAuth{"alice", "a-pass"}}
	bob := &Client{HTTP: ts.Client(), Auth: BasicAuth{"bob", "b-pass"}}

	d, err := alice.Discovery(ctx, ts.URL+"/taxii2/")
	if err != nil || len(d.APIRoots) != 1 {
		t.Fatalf("discovery %+v %v", d, err)
	}
	cols, err := bob.Collections(ctx, d.APIRoots[0])
	if err != nil || len(cols) != 1 || !cols[0].CanRead || cols[0].CanWrite {
		t.Fatalf("bob's collections %+v %v", cols, err)
	}
	bad := append(indicators(0, 7), json.RawMessage(`{"type":"indicator","id":"indicator--bad"}`))
	st, err := alice.AddObjects(ctx, curl, bad)
	if err != nil || st.SuccessCount != 7 || st.FailureCount != 1 || st.TotalCount != 8 {
		t.Fatalf("add: %+v %v", st, err)
	}
	if got, err := alice.Status(ctx, d.APIRoots[0], st.ID); err != nil || got.SuccessCount != 7 {
		t.Errorf("status: %+v %v", got, err)
	}
	if _, err := bob.Status(ctx, d.APIRoots[0], st.ID); err == nil {
		t.Error("bob read alice's status")
	}
	if _, err := bob.AddObjects(ctx, curl, indicators(100, 1)); err == nil {
		t.Error("bob could write")
	}
	// Re-posting a version already stored adds nothing.
	if _, err := alice.AddObjects(ctx, curl, indicators(0, 2)); err != nil {
		t.Fatal(err)
	}

	var got []json.RawMessage
	pages := 0
	err = bob.AllObjects(ctx, curl, Filter{Limit: 50}, func(p *ObjectsPage) error { // server caps at 3
		pages++
		got = append(got, p.Objects...)
		return nil
	})
	if err != nil || len(got) != 7 || pages != 3 {
		t.Fatalf("all objects: %d in %d pages, %v", len(got), pages, err)
	}
	man, err := bob.Manifest(ctx, curl, Filter{})
	if err != nil || len(man.Objects) != 3 || !man.More {
		t.Errorf("manifest: %+v %v", man, err)
	}
	// By alias, too.
	if p, err := bob.Objects(ctx, ts.URL+"/taxii2/rampart/collections/intel/", Filter{Types: []string{"indicator"}, Limit: 1}); err != nil || len(p.Objects) != 1 || !p.More {
		t.Errorf("alias: %v", err)
	}
	if err := alice.DeleteObject(ctx, curl, "indicator--00000000-0000-4000-8000-000000000000", Filter{}); err != nil {
		t.Errorf("delete: %v", err)
	}
	if _, err := bob.Object(ctx, curl, "indicator--00000000-0000-4000-8000-000000000000", Filter{}); err == nil {
		t.Error("deleted object still served")
	}
}

// TestPoller: nothing is fetched twice across polls and restarts, and a
// failing feed backs off without holding up a good one.
func TestPoller(t *testing.T) {
	ts, curl := rampartServer(t)
	ctx := context.Background()
	alice := &Client{HTTP: ts.Client(), Auth: BasicAuth{"alice", "a-pass"}}
	if _, err := alice.AddObjects(ctx, curl, indicators(0, 5)); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	seen := map[string]int{}
	saved := map[string]FeedState{}
	sink := func(_ context.Context, feed string, objs []json.RawMessage) error {
		mu.Lock()
		defer mu.Unlock()
		for _, o := range objs {
			seen[feed+"|"+idOf(o)]++
		}
		return nil
	}
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusServiceUnavailable, "Service Unavailable", "down")
	}))
	defer down.Close()

	newPoller := func() *Poller {
		p := NewPoller(&Client{HTTP: ts.Client(), Auth: BasicAuth{"bob", "b-pass"}, Timeout: 5 * time.Second}, sink)
		p.MinBackoff, p.MaxBackoff = time.Minute, time.Hour
		p.OnState = func(name string, st FeedState) {
			mu.Lock()
			saved[name] = st
			mu.Unlock()
		}
		return p
	}
	p := newPoller()
	p.AddFeed(Feed{Name: "good", CollectionURL: curl, PageSize: 2, Interval: time.Hour}, FeedState{})
	p.AddFeed(Feed{Name: "bad", CollectionURL: down.URL + "/api/collections/x/", Auth: BearerAuth{"tok"}}, FeedState{})
	if err := p.PollOnce(ctx, "good"); err != nil {
		t.Fatal(err)
	}
	if err := p.PollOnce(ctx, "bad"); err == nil {
		t.Fatal("bad feed polled fine")
	}
	if err := p.PollOnce(ctx, "bad"); err == nil {
		t.Fatal("bad feed polled fine")
	}
	bad, _ := p.State("bad")
	if !bad.Failing || bad.Failures != 2 || bad.NextPoll.Sub(bad.LastAttempt) < 96*time.Second {
		t.Errorf("bad feed state %+v", bad)
	}

	// New objects arrive; a restarted poller with the saved state gets
	// only those.
	if _, err := alice.AddObjects(ctx, curl, indicators(5, 4)); err != nil {
		t.Fatal(err)
	}
	p2 := newPoller()
	mu.Lock()
	restored := saved["good"]
	mu.Unlock()
	before := restored.LastSuccess
	restored.NextPoll = time.Time{} // due now, instead of in an hour
	p2.AddFeed(Feed{Name: "good", CollectionURL: curl, PageSize: 2}, restored)
	runCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	done := make(chan error, 1)
	go func() { done <- p2.Run(runCtx) }()
	for {
		st, _ := p2.State("good")
		if st.LastSuccess.After(before) || runCtx.Err() != nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 9 {
		t.Errorf("%d distinct objects delivered, want 9", len(seen))
	}
	for k, n := range seen {
		if n != 1 {
			t.Errorf("%s delivered %d times", k, n)
		}
	}
	if st := saved["good"]; st.Objects != 9 || st.Failing {
		t.Errorf("good feed after restart: %+v", st)
	}
}
