package taxii

import (
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"sync"
	"time"
)

// Feed is one TAXII collection to poll.
type Feed struct {
	Name          string
	CollectionURL string        // {api-root}/collections/{id}/
	Auth          Auth          // nil: the client's
	Interval      time.Duration // between successful polls (default 1 hour)
	Filter        Filter        // match[type] etc.; AddedAfter and Next are managed
	PageSize      int           // limit per request (0: the server's default)
}

// FeedState is a feed's saved polling state; persist it via OnState and
// pass it back to AddFeed after a restart so nothing is fetched twice.
type FeedState struct {
	// AddedAfter is the watermark: X-TAXII-Date-Added-Last of the last
	// page delivered to the sink.
	AddedAfter  time.Time
	LastAttempt time.Time
	LastSuccess time.Time
	NextPoll    time.Time
	Failures    int  // consecutive failed polls
	Failing     bool // the last poll failed
	LastError   string
	Objects     int64 // objects delivered in all
}

// Sink receives the objects of one page. An error fails the poll before
// the watermark moves past that page, so the page is fetched again.
type Sink func(ctx context.Context, feed string, objects []json.RawMessage) error

// Poller polls feeds on their schedules. Each feed is polled by its own
// goroutine, at most MaxConcurrent at a time, so a slow or failing feed
// never blocks the others; failures back off exponentially.
type Poller struct {
	Client *Client
	Sink   Sink
	// OnState is called after every page and every poll with the new
	// state, for persistence. It must not block for long.
	OnState       func(feed string, st FeedState)
	MinBackoff    time.Duration // first retry delay (default 1 minute)
	MaxBackoff    time.Duration // cap (default 6 hours)
	PollTimeout   time.Duration // one whole poll (default 30 minutes)
	MaxConcurrent int           // default 4

	mu    sync.Mutex
	feeds map[string]*feedRun
	wake  chan struct{}
	sem   chan struct{}
	once  sync.Once
	now   func() time.Time
}

type feedRun struct {
	feed    Feed
	state   FeedState
	running bool
}

// NewPoller returns a poller delivering to sink.
func NewPoller(c *Client, sink Sink) *Poller {
	return &Poller{Client: c, Sink: sink}
}

func (p *Poller) init() {
	p.once.Do(func() {
		if p.feeds == nil {
			p.feeds = map[string]*feedRun{}
		}
		p.wake = make(chan struct{}, 1)
		n := p.MaxConcurrent
		if n <= 0 {
			n = 4
		}
		p.sem = make(chan struct{}, n)
		if p.now == nil {
			p.now = time.Now
		}
	})
}

// AddFeed adds or replaces a feed with its saved state (zero: new feed,
// polled at once from the beginning).
func (p *Poller) AddFeed(f Feed, st FeedState) {
	p.init()
	p.mu.Lock()
	p.feeds[f.Name] = &feedRun{feed: f, state: st}
	p.mu.Unlock()
	p.poke()
}

// RemoveFeed stops scheduling a feed (a poll in progress finishes).
func (p *Poller) RemoveFeed(name string) {
	p.init()
	p.mu.Lock()
	delete(p.feeds, name)
	p.mu.Unlock()
}

// State returns a feed's current state.
func (p *Poller) State(name string) (FeedState, bool) {
	p.init()
	p.mu.Lock()
	defer p.mu.Unlock()
	r, ok := p.feeds[name]
	if !ok {
		return FeedState{}, false
	}
	return r.state, true
}

func (p *Poller) poke() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// Run schedules polls until ctx is cancelled, then waits for the polls
// in progress to stop.
func (p *Poller) Run(ctx context.Context) error {
	p.init()
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		now := p.now()
		next := now.Add(time.Minute)
		p.mu.Lock()
		for name, r := range p.feeds {
			if r.running {
				continue
			}
			if !r.state.NextPoll.After(now) {
				r.running = true
				wg.Add(1)
				go func(name string) {
					defer wg.Done()
					select {
					case p.sem <- struct{}{}:
						_ = p.PollOnce(ctx, name)
						<-p.sem
					case <-ctx.Done():
					}
					p.mu.Lock()
					if r := p.feeds[name]; r != nil {
						r.running = false
					}
					p.mu.Unlock()
					p.poke()
				}(name)
			} else if r.state.NextPoll.Before(next) {
				next = r.state.NextPoll
			}
		}
		p.mu.Unlock()
		t := time.NewTimer(max(next.Sub(now), 10*time.Millisecond))
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-p.wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// PollOnce polls one feed now, from its watermark to the end, and
// schedules its next poll: Interval after success, backoff after failure.
func (p *Poller) PollOnce(ctx context.Context, name string) error {
	p.init()
	p.mu.Lock()
	r, ok := p.feeds[name]
	if !ok {
		p.mu.Unlock()
		return errors.New("taxii: unknown feed " + name)
	}
	feed, st := r.feed, r.state
	p.mu.Unlock()

	timeout := p.PollTimeout
	if timeout <= 0 {
		timeout = 30 * time.Minute
	}
	pctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	st.LastAttempt = p.now()
	f := feed.Filter
	f.AddedAfter, f.Next, f.Limit = st.AddedAfter, "", feed.PageSize
	err := p.Client.allObjects(pctx, feed.Auth, feed.CollectionURL, f, func(pg *ObjectsPage) error {
		if len(pg.Objects) > 0 && p.Sink != nil {
			if err := p.Sink(pctx, feed.Name, pg.Objects); err != nil {
				return err
			}
		}
		st.Objects += int64(len(pg.Objects))
		if pg.DateAddedLast.After(st.AddedAfter) {
			st.AddedAfter = pg.DateAddedLast
		}
		p.save(name, st) // a crash mid-poll resumes after this page
		return nil
	})
	now := p.now()
	if err != nil {
		st.Failures++
		st.Failing, st.LastError = true, err.Error()
		st.NextPoll = now.Add(p.backoff(st.Failures))
	} else {
		st.Failures, st.Failing, st.LastError = 0, false, ""
		st.LastSuccess = now
		interval := feed.Interval
		if interval <= 0 {
			interval = time.Hour
		}
		st.NextPoll = now.Add(interval)
	}
	p.save(name, st)
	return err
}

func (p *Poller) save(name string, st FeedState) {
	p.mu.Lock()
	if r, ok := p.feeds[name]; ok {
		r.state = st
	}
	p.mu.Unlock()
	if p.OnState != nil {
		p.OnState(name, st)
	}
}

// backoff is min(MaxBackoff, MinBackoff·2^(n-1)) with ±20 % jitter, so
// feeds that failed together do not retry in lockstep.
func (p *Poller) backoff(failures int) time.Duration {
	lo, hi := p.MinBackoff, p.MaxBackoff
	if lo <= 0 {
		lo = time.Minute
	}
	if hi <= 0 {
		hi = 6 * time.Hour
	}
	d := lo
	for i := 1; i < failures && d < hi; i++ {
		d *= 2
	}
	d = min(d, hi)
	return time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
}
