package ingest

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"
)

// AsyncSink stores the platform's own rows (alerts, incident changes) in the background,
// in order. Detection runs downstream of the pipeline's commits; if it waited for its own
// rows to commit, a full pipeline and a waiting detector would wait on each other.
// The rows' state of record is already saved elsewhere (the incident tables); these are
// the copies KQL reads, retried until stored.
type AsyncSink struct {
	Sink RowSink
	Log  *slog.Logger

	mu      sync.Mutex
	cond    *sync.Cond
	pending []emitReq
	busy    bool
	closed  bool
}

type emitReq struct {
	table string
	rows  []map[string]string
}

// Emit queues rows; it never blocks on the pipeline.
func (a *AsyncSink) Emit(_ context.Context, table string, rows []map[string]string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.cond == nil {
		a.cond = sync.NewCond(&a.mu)
	}
	if a.closed {
		return ErrStopped
	}
	a.pending = append(a.pending, emitReq{table, rows})
	a.cond.Broadcast()
	return nil
}

// Run stores queued rows until ctx ends, then stores what is left (for a few seconds).
func (a *AsyncSink) Run(ctx context.Context) {
	a.mu.Lock()
	if a.cond == nil {
		a.cond = sync.NewCond(&a.mu)
	}
	a.mu.Unlock()
	go func() {
		<-ctx.Done()
		a.mu.Lock()
		a.closed = true
		a.cond.Broadcast()
		a.mu.Unlock()
	}()
	deadline := time.Time{}
	for {
		a.mu.Lock()
		for len(a.pending) == 0 && !a.closed {
			a.cond.Wait()
		}
		if len(a.pending) == 0 {
			a.mu.Unlock()
			return
		}
		req := a.pending[0]
		a.pending = a.pending[1:]
		a.busy = true
		closed := a.closed
		a.mu.Unlock()
		if closed && deadline.IsZero() {
			deadline = time.Now().Add(5 * time.Second)
		}
		for backoff := 10 * time.Millisecond; ; backoff = min(2*backoff, time.Second) {
			err := a.Sink.Emit(context.Background(), req.table, req.rows)
			if err == nil || !errors.Is(err, ErrOverloaded) || (!deadline.IsZero() && time.Now().After(deadline)) {
				if err != nil {
					a.Log.Error("platform rows not stored", "table", req.table, "rows", len(req.rows), "err", err)
				}
				break
			}
			time.Sleep(backoff)
		}
		a.mu.Lock()
		a.busy = false
		a.cond.Broadcast()
		a.mu.Unlock()
	}
}

// Flush waits until every queued row is stored (for tests and shutdown).
func (a *AsyncSink) Flush() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.cond == nil {
		return
	}
	for (len(a.pending) > 0 || a.busy) && !a.closed {
		a.cond.Wait()
	}
}
