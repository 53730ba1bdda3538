package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rampart-soc/rampart/internal/store"
)

// ErrOverloaded means the commit queue is full; the caller should retry later (HTTP 503
// with Retry-After) rather than the server buffering without bound.
var ErrOverloaded = errors.New("ingestion queue is full, retry later")

// ErrStopped means the pipeline is shutting down.
var ErrStopped = errors.New("ingestion pipeline is stopped")

// Pipeline commits batches through one writer. Concurrent submissions are grouped into one
// transaction (group commit), so the cost of a durable commit is shared.
type Pipeline struct {
	st       store.Store
	log      *slog.Logger
	m        *Metrics
	queue    chan *request
	maxQueue int64 // rows
	maxGroup int   // rows per commit
	writers  int
	queued   atomic.Int64

	mu   sync.RWMutex
	subs []func([]*store.Batch)

	stopped  chan struct{}
	stopOnce sync.Once

	// Ingestion times are stamped at commit, strictly increasing, so that a reader can
	// process "rows ingested after T" exactly once (see Watermark).
	stampMu  sync.Mutex
	last     time.Time
	inFlight map[time.Time]int
}

type request struct {
	batches []*store.Batch
	rows    int
	done    chan error
}

// PipelineOptions bounds the pipeline.
type PipelineOptions struct {
	MaxQueuedRows int // rows accepted but not committed before ErrOverloaded (default 500,000)
	MaxGroupRows  int // rows per transaction (default 100,000)
	Writers       int // concurrent commits (default 2)
}

// NewPipeline makes a pipeline over st; Run must be running for submissions to complete.
func NewPipeline(st store.Store, m *Metrics, log *slog.Logger, opt PipelineOptions) *Pipeline {
	if opt.MaxQueuedRows <= 0 {
		opt.MaxQueuedRows = 500_000
	}
	if opt.MaxGroupRows <= 0 {
		opt.MaxGroupRows = 100_000
	}
	if opt.Writers <= 0 {
		opt.Writers = 2
	}
	if m == nil {
		m = NewMetrics(nil)
	}
	return &Pipeline{st: st, log: log, m: m, queue: make(chan *request, 4096),
		maxQueue: int64(opt.MaxQueuedRows), maxGroup: opt.MaxGroupRows, writers: opt.Writers, stopped: make(chan struct{})}
}

// Metrics returns the pipeline's metrics.
func (p *Pipeline) Metrics() *Metrics { return p.m }

// Subscribe registers fn to see every committed batch, once, after its commit. Streaming
// detection attaches here. fn must not block for long: it runs on the writer.
func (p *Pipeline) Subscribe(fn func([]*store.Batch)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.subs = append(p.subs, fn)
}

// Submit queues batches and waits until they are durable. It fails fast with
// ErrOverloaded when the queue holds too many rows.
func (p *Pipeline) Submit(ctx context.Context, batches ...*store.Batch) error {
	rows := 0
	for _, b := range batches {
		rows += b.Len()
	}
	if rows == 0 {
		return nil
	}
	if n := p.queued.Add(int64(rows)); n > p.maxQueue && n != int64(rows) {
		p.queued.Add(-int64(rows))
		p.m.Rejects.WithLabelValues("overloaded").Inc()
		return ErrOverloaded
	}
	p.m.QueueRows.Set(float64(p.queued.Load()))
	r := &request{batches: batches, rows: rows, done: make(chan error, 1)}
	select {
	case p.queue <- r:
	case <-p.stopped:
		p.queued.Add(-int64(rows))
		return ErrStopped
	default:
		p.queued.Add(-int64(rows))
		p.m.Rejects.WithLabelValues("overloaded").Inc()
		return ErrOverloaded
	}
	// Once queued, the request is committed even if the caller goes away; we wait for it
	// so that a success answer always means durable.
	select {
	case err := <-r.done:
		return err
	case <-p.stopped:
		return <-r.done
	}
}

// Run runs the writers; it returns after ctx is cancelled and the queue is drained.
func (p *Pipeline) Run(ctx context.Context) error {
	defer p.stopOnce.Do(func() { close(p.stopped) })
	var wg sync.WaitGroup
	for i := 0; i < p.writers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.writer(ctx)
		}()
	}
	wg.Wait()
	return nil
}

// writer commits groups of queued requests until ctx is cancelled and the queue is empty.
func (p *Pipeline) writer(ctx context.Context) {
	for {
		select {
		case r := <-p.queue:
			p.commitGroup(p.gather(r))
		case <-ctx.Done():
			// Commit what was accepted before stopping.
			for {
				select {
				case r := <-p.queue:
					p.commitGroup(p.gather(r))
				default:
					return
				}
			}
		}
	}
}

// gather takes r and whatever else is already waiting, up to maxGroup rows.
func (p *Pipeline) gather(r *request) []*request {
	group := []*request{r}
	rows := r.rows
	for rows < p.maxGroup {
		select {
		case more := <-p.queue:
			group = append(group, more)
			rows += more.rows
		default:
			return group
		}
	}
	return group
}

func (p *Pipeline) commitGroup(group []*request) {
	var all []*store.Batch
	rows := 0
	for _, r := range group {
		all = append(all, r.batches...)
		rows += r.rows
	}
	stamp := p.stamp(all)
	start := time.Now()
	err := p.append(all)
	p.unstamp(stamp)
	p.m.CommitTime.Observe(time.Since(start).Seconds())
	if err != nil && len(group) > 1 {
		// One request's bad batch must not fail the others: commit each on its own.
		p.m.CommitFails.Inc()
		for _, r := range group {
			p.commitGroup([]*request{r})
		}
		return
	}
	p.queued.Add(-int64(rows))
	p.m.QueueRows.Set(float64(p.queued.Load()))
	if err != nil {
		p.m.CommitFails.Inc()
		p.m.Rejects.WithLabelValues("store").Inc()
		p.log.Error("commit failed", "err", err, "rows", rows)
	} else {
		p.m.CommitRows.Observe(float64(rows))
		for _, b := range all {
			p.m.Rows.WithLabelValues(b.Table.Name).Add(float64(b.Len()))
			p.m.Bytes.WithLabelValues(b.Table.Name).Add(float64(b.Bytes))
		}
	}
	for _, r := range group {
		r.done <- err
	}
	if err == nil {
		p.mu.RLock()
		subs := p.subs
		p.mu.RUnlock()
		for _, fn := range subs {
			p.notify(fn, all)
		}
	}
}

// append stores batches; a panic in the store becomes an error for these requests rather
// than the end of the server.
func (p *Pipeline) append(batches []*store.Batch) (err error) {
	defer func() {
		if v := recover(); v != nil {
			p.log.Error("store panic", "panic", v, "stack", string(debug.Stack()))
			err = fmt.Errorf("internal error in the store: %v", v)
		}
	}()
	return p.st.Append(context.Background(), batches)
}

func (p *Pipeline) notify(fn func([]*store.Batch), batches []*store.Batch) {
	defer func() {
		if v := recover(); v != nil {
			p.log.Error("subscriber panic", "panic", v, "stack", string(debug.Stack()))
		}
	}()
	fn(batches)
}

// stamp gives the batches of one commit a fresh ingestion time, later than any before.
func (p *Pipeline) stamp(batches []*store.Batch) time.Time {
	p.stampMu.Lock()
	defer p.stampMu.Unlock()
	t := time.Now().UTC().Truncate(time.Microsecond) // the store keeps microseconds
	if !t.After(p.last) {
		t = p.last.Add(time.Microsecond)
	}
	p.last = t
	if p.inFlight == nil {
		p.inFlight = map[time.Time]int{}
	}
	p.inFlight[t]++
	for _, b := range batches {
		b.IngestionTime = t
	}
	return t
}

func (p *Pipeline) unstamp(t time.Time) {
	p.stampMu.Lock()
	defer p.stampMu.Unlock()
	if p.inFlight[t]--; p.inFlight[t] <= 0 {
		delete(p.inFlight, t)
	}
}

// Watermark is the latest ingestion time T such that every row with an ingestion time up
// to T is committed and no row later committed will have one: near-real-time readers
// process the window (previous watermark, Watermark()] once each.
func (p *Pipeline) Watermark() time.Time {
	p.stampMu.Lock()
	defer p.stampMu.Unlock()
	wm := p.last
	for t := range p.inFlight {
		if !t.After(wm) {
			wm = t.Add(-time.Microsecond)
		}
	}
	return wm
}
