package ingest

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/rampart-soc/rampart/internal/schema"
	"github.com/rampart-soc/rampart/internal/store"
)

// fakeStore records appends; it blocks while gate is held and fails batches marked bad.
type fakeStore struct {
	mu      sync.Mutex
	gate    sync.RWMutex
	stored  int
	commits int
}

func (f *fakeStore) EnsureTables(context.Context, ...*schema.Table) error { return nil }
func (f *fakeStore) Query(context.Context, string, ...any) (*sql.Rows, error) {
	return nil, errors.New("no queries")
}
func (f *fakeStore) DeleteBefore(context.Context, *schema.Table, time.Time) (int64, error) {
	return 0, nil
}
func (f *fakeStore) Stats(context.Context, *schema.Table) (store.TableStats, error) {
	return store.TableStats{}, nil
}
func (f *fakeStore) Dialect() string { return "fake" }
func (f *fakeStore) Close() error    { return nil }
func (f *fakeStore) Append(_ context.Context, bs []*store.Batch) error {
	f.gate.RLock()
	defer f.gate.RUnlock()
	for _, b := range bs {
		if b.Bytes < 0 { // marks a batch the store refuses
			return errors.New("refused")
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.commits++
	for _, b := range bs {
		f.stored += b.Len()
	}
	return nil
}

func rows(t *testing.T, n int) *store.Batch {
	tb := testTable(t)
	b := NewBuilder(tb, now)
	for i := 0; i < n; i++ {
		b.SetString("Msg", "x")
		b.EndRow()
	}
	return b.Batch(10)
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func TestPipelineCommitsAndNotifies(t *testing.T) {
	fs := &fakeStore{}
	p := NewPipeline(fs, nil, quietLog(), PipelineOptions{})
	var seen int
	var mu sync.Mutex
	p.Subscribe(func(bs []*store.Batch) {
		mu.Lock()
		defer mu.Unlock()
		for _, b := range bs {
			seen += b.Len()
		}
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- p.Run(ctx) }()
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := p.Submit(context.Background(), rows(t, 10)); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	cancel()
	<-done
	if fs.stored != 500 || seen != 500 {
		t.Fatalf("stored %d, subscribers saw %d, want 500", fs.stored, seen)
	}
}

func TestPipelineOverload(t *testing.T) {
	fs := &fakeStore{}
	fs.gate.Lock() // the store is stuck
	p := NewPipeline(fs, nil, quietLog(), PipelineOptions{MaxQueuedRows: 100, Writers: 1})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- p.Run(ctx) }()
	errs := make(chan error, 20)
	for i := 0; i < 20; i++ {
		go func() { errs <- p.Submit(context.Background(), rows(t, 10)) }()
	}
	// Beyond 100 queued rows, submissions fail fast instead of queuing without bound.
	overloaded := 0
	deadline := time.After(5 * time.Second)
	for overloaded < 10 {
		select {
		case err := <-errs:
			if !errors.Is(err, ErrOverloaded) {
				t.Fatalf("got %v while the store is stuck, want ErrOverloaded", err)
			}
			overloaded++
		case <-deadline:
			t.Fatalf("only %d submissions were refused", overloaded)
		}
	}
	fs.gate.Unlock()
	for i := 0; i < 10; i++ {
		if err := <-errs; err != nil {
			t.Fatalf("queued submission failed: %v", err)
		}
	}
	cancel()
	<-done
}

func TestPipelineIsolatesBadBatch(t *testing.T) {
	fs := &fakeStore{}
	fs.gate.Lock() // hold the writer so that submissions group
	p := NewPipeline(fs, nil, quietLog(), PipelineOptions{Writers: 1})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- p.Run(ctx) }()
	// The first request occupies the writer; the next three are gathered into one group.
	first := make(chan error, 1)
	go func() { first <- p.Submit(context.Background(), rows(t, 1)) }()
	time.Sleep(50 * time.Millisecond)
	bad := rows(t, 5)
	bad.Bytes = -1
	results := make(chan error, 3)
	for _, b := range []*store.Batch{rows(t, 5), bad, rows(t, 5)} {
		go func(b *store.Batch) { results <- p.Submit(context.Background(), b) }(b)
	}
	time.Sleep(50 * time.Millisecond)
	fs.gate.Unlock()
	failed := 0
	for i := 0; i < 3; i++ {
		if err := <-results; err != nil {
			failed++
		}
	}
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	cancel()
	<-done
	if failed != 1 || fs.stored != 11 {
		t.Fatalf("%d submissions failed (want 1), %d rows stored (want 11)", failed, fs.stored)
	}
}

type panicStore struct{ fakeStore }

func (p *panicStore) Append(context.Context, []*store.Batch) error { panic("boom") }

// A panic in the store fails the request instead of stopping the server.
func TestPipelineRecoversStorePanic(t *testing.T) {
	p := NewPipeline(&panicStore{}, nil, quietLog(), PipelineOptions{Writers: 1})
	p.Subscribe(func([]*store.Batch) { panic("subscriber boom") })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- p.Run(ctx) }()
	if err := p.Submit(context.Background(), rows(t, 1)); err == nil {
		t.Fatal("submission into a panicking store succeeded")
	}
	cancel()
	<-done
}

// Ingestion times increase with commits and the watermark never passes an uncommitted one.
func TestPipelineStampsAndWatermark(t *testing.T) {
	fs := &fakeStore{}
	p := NewPipeline(fs, nil, quietLog(), PipelineOptions{Writers: 2})
	a, b := rows(t, 1), rows(t, 1)
	ta := p.stamp([]*store.Batch{a})
	tb := p.stamp([]*store.Batch{b})
	if !tb.After(ta) || a.IngestionTime != ta {
		t.Fatalf("stamps %v %v", ta, tb)
	}
	p.unstamp(tb) // b committed before a
	if wm := p.Watermark(); !wm.Before(ta) {
		t.Fatalf("watermark %v passed the uncommitted %v", wm, ta)
	}
	p.unstamp(ta)
	if wm := p.Watermark(); !wm.Equal(tb) {
		t.Fatalf("watermark %v, want %v", wm, tb)
	}
}
