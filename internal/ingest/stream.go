package ingest

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/rampart-soc/rampart/internal/schema"
	"github.com/rampart-soc/rampart/internal/store"
)

// Stream gathers rows from message-at-a-time receivers (syslog, CEF) into batches and
// hands them to the pipeline every FlushEvery or MaxRows rows. When the pipeline is
// overloaded, the receiver that triggered the flush blocks: for TCP that is backpressure.
type Stream struct {
	p          *Pipeline
	log        *slog.Logger
	MaxRows    int
	FlushEvery time.Duration

	mu       sync.Mutex
	builders map[string]*Builder
	rows     int
	bytes    map[string]int
}

// NewStream returns a stream into p.
func NewStream(p *Pipeline, log *slog.Logger) *Stream {
	return &Stream{p: p, log: log, MaxRows: 20_000, FlushEvery: 200 * time.Millisecond,
		builders: map[string]*Builder{}, bytes: map[string]int{}}
}

// Add appends one row to table t, filled by fill. A fill error drops the row's partial
// cells and is returned; the caller decides what to keep instead.
func (s *Stream) Add(t *schema.Table, inputBytes int, fill func(b *Builder) error) error {
	s.mu.Lock()
	b := s.builders[t.Name]
	for b != nil && b.Table() != t {
		// The table changed (columns added): store the rows gathered under the old
		// definition first.
		s.mu.Unlock()
		s.Flush(context.Background())
		s.mu.Lock()
		b = s.builders[t.Name]
	}
	if b == nil {
		b = NewBuilder(t, time.Now())
		s.builders[t.Name] = b
	}
	if err := fill(b); err != nil {
		b.DiscardRow()
		s.mu.Unlock()
		return err
	}
	b.EndRow()
	s.rows++
	s.bytes[t.Name] += inputBytes
	full := s.rows >= s.MaxRows
	s.mu.Unlock()
	if full {
		s.Flush(context.Background())
	}
	return nil
}

// Flush submits what has been gathered and waits until it is stored (or the context ends).
func (s *Stream) Flush(ctx context.Context) {
	s.mu.Lock()
	var batches []*store.Batch
	for name, b := range s.builders {
		batches = append(batches, b.Batch(s.bytes[name]))
	}
	s.builders = map[string]*Builder{}
	s.bytes = map[string]int{}
	s.rows = 0
	s.mu.Unlock()
	if len(batches) == 0 {
		return
	}
	for backoff := 10 * time.Millisecond; ; backoff = min(backoff*2, time.Second) {
		err := s.p.Submit(ctx, batches...)
		if !errors.Is(err, ErrOverloaded) {
			if err != nil {
				s.log.Error("stream batch not stored", "err", err)
			}
			return
		}
		select {
		case <-time.After(backoff):
		case <-ctx.Done():
			s.log.Error("stream batch dropped at shutdown", "err", ctx.Err())
			return
		}
	}
}

// Run flushes on a timer until ctx ends, then flushes what is left.
func (s *Stream) Run(ctx context.Context) {
	t := time.NewTicker(s.FlushEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			final, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			s.Flush(final)
			cancel()
			return
		case <-t.C:
			s.Flush(ctx)
		}
	}
}
