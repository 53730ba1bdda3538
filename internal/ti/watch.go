package ti

import (
	"net/netip"
	"sort"
	"sync"
	"time"

	"github.com/rampart-soc/rampart/internal/ti/pattern"
	"github.com/rampart-soc/rampart/internal/ti/stix"
)

// Indicators whose pattern is not a plain set of observables (several observations
// joined by AND, OR or FOLLOWEDBY, qualifiers, or one observation with AND, ranges, LIKE…)
// are watched here: each event that holds one of a pattern's candidate observables is
// offered to that indicator's pattern.Correlator, which keeps a bounded, time-windowed
// state of the observations seen so far.

// WatchOptions bound the state of the watched patterns.
type WatchOptions struct {
	// Horizon is how long a partial match is kept when no WITHIN bounds it, and how long
	// an indicator may go without events before its state is dropped. Default 1 hour.
	Horizon time.Duration
	// MaxPartials caps one indicator's partial matches (pattern.CorrelatorOptions).
	// Default 256.
	MaxPartials int
	// MaxState caps the partial matches of all indicators together; past it, the state
	// of the indicators that saw events least recently is dropped. Default 100,000.
	MaxState int
}

func (o WatchOptions) withDefaults() WatchOptions {
	if o.Horizon <= 0 {
		o.Horizon = time.Hour
	}
	if o.MaxPartials <= 0 {
		o.MaxPartials = 256
	}
	if o.MaxState <= 0 {
		o.MaxState = 100_000
	}
	return o
}

// watch is one indicator's pattern and correlation state.
type watch struct {
	ind    *stix.Object
	p      *pattern.Pattern
	single bool                       // one observation: Match, no state
	cands  map[string]map[string]bool // candidate key → normalised values; nil: unfiltered
	cidrs  []pattern.Observable       // candidate address ranges

	corr    *pattern.Correlator // nil until needed, and after its state is dropped
	used    time.Time           // wall clock of the last push
	pending int                 // corr.Pending() after the last push
}

// watchHit is a satisfied pattern: the observations that satisfied it, in time order.
type watchHit struct {
	w   *watch
	obs []pattern.Observation
}

// watches holds the watched indicators, keyed by indicator id, and the candidate index
// that picks which of them an event is offered to.
type watches struct {
	mu    sync.Mutex
	opt   WatchOptions
	byID  map[string]*watch
	exact map[string]map[string][]*watch // candidate key → value → watches
	cidrs []cidrWatch
	all   []*watch // patterns with a [ ] no candidate can select: every event
	dirty bool     // the index needs rebuilding
	state int      // partial matches held, all indicators
	swept time.Time
	now   func() time.Time
}

type cidrWatch struct {
	key    string
	prefix netip.Prefix
	w      *watch
}

func newWatches(opt WatchOptions, now func() time.Time) *watches {
	return &watches{opt: opt.withDefaults(), byID: map[string]*watch{}, now: now}
}

// put watches an indicator's pattern, replacing (and resetting) an older version; the
// same version again keeps its state. It fails for patterns beyond the correlator's limits.
func (ws *watches) put(o *stix.Object, p *pattern.Pattern) error {
	ws.mu.Lock()
	old := ws.byID[o.ID]
	ws.mu.Unlock()
	if old != nil && old.ind == o {
		return nil
	}
	w := &watch{ind: o, p: p, single: p.IsSingle()}
	if !w.single {
		if _, err := pattern.NewCorrelator(p, ws.corrOptions()); err != nil {
			ws.remove(o.ID)
			return err
		}
	}
	if c := p.ObservationCandidates(); c != nil {
		w.cands = map[string]map[string]bool{}
		for _, ob := range c {
			if ob.Prefix.IsValid() && ob.Prefix.Bits() < ob.Prefix.Addr().BitLen() {
				w.cidrs = append(w.cidrs, ob)
				continue
			}
			if w.cands[ob.Key] == nil {
				w.cands[ob.Key] = map[string]bool{}
			}
			w.cands[ob.Key][ob.Value] = true
		}
	}
	ws.mu.Lock()
	defer ws.mu.Unlock()
	if old := ws.byID[o.ID]; old != nil {
		ws.state -= old.pending
	}
	ws.byID[o.ID] = w
	ws.dirty = true
	return nil
}

func (ws *watches) corrOptions() pattern.CorrelatorOptions {
	return pattern.CorrelatorOptions{Horizon: ws.opt.Horizon, MaxPartials: ws.opt.MaxPartials, Consume: true}
}

// ids returns the watched indicator ids.
func (ws *watches) ids() []string {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	out := make([]string, 0, len(ws.byID))
	for id := range ws.byID {
		out = append(out, id)
	}
	return out
}

// remove stops watching an indicator (revoked, or now a plain observable set).
func (ws *watches) remove(id string) {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	if old := ws.byID[id]; old != nil {
		ws.state -= old.pending
		delete(ws.byID, id)
		ws.dirty = true
	}
}

func (ws *watches) len() int {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	return len(ws.byID)
}

// reindex rebuilds the candidate index; called with mu held.
func (ws *watches) reindex() {
	ws.exact, ws.cidrs, ws.all = map[string]map[string][]*watch{}, nil, nil
	ids := make([]string, 0, len(ws.byID))
	for id := range ws.byID {
		ids = append(ids, id)
	}
	sort.Strings(ids) // a stable order of alerts
	for _, id := range ids {
		w := ws.byID[id]
		if w.cands == nil && w.cidrs == nil {
			ws.all = append(ws.all, w)
			continue
		}
		for key, vals := range w.cands {
			m := ws.exact[key]
			if m == nil {
				m = map[string][]*watch{}
				ws.exact[key] = m
			}
			for v := range vals {
				m[v] = append(m[v], w)
			}
		}
		for _, c := range w.cidrs {
			ws.cidrs = append(ws.cidrs, cidrWatch{key: c.Key, prefix: c.Prefix, w: w})
		}
	}
	ws.dirty = false
}

// event is one event's observable values, ready to be offered to the patterns.
type event struct {
	id   string
	time time.Time
	kvs  []kv
}

// observe offers an event to the patterns it may concern and returns those it satisfied.
func (ws *watches) observe(ev *event, at time.Time) []watchHit {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	if len(ws.byID) == 0 {
		return nil
	}
	if ws.dirty {
		ws.reindex()
	}
	var targets []*watch
	seen := map[*watch]bool{}
	add := func(w *watch) {
		if !seen[w] {
			seen[w] = true
			targets = append(targets, w)
		}
	}
	for _, f := range ev.kvs {
		for _, w := range ws.exact[f.key][f.norm] {
			add(w)
		}
		if len(ws.cidrs) > 0 && isAddrKey(f.key) {
			if a, err := netip.ParseAddr(f.norm); err == nil {
				for _, c := range ws.cidrs {
					if c.key == f.key && c.prefix.Contains(a) {
						add(c.w)
					}
				}
			}
		}
	}
	for _, w := range ws.all {
		add(w)
	}
	if len(targets) == 0 {
		return nil
	}
	obs := pattern.Observation{ID: ev.id, Time: ev.time, Fields: make(map[string][]any, len(ev.kvs))}
	for _, f := range ev.kvs {
		obs.Fields[f.key] = append(obs.Fields[f.key], f.raw)
	}
	var hits []watchHit
	for _, w := range targets {
		if !w.ind.ActiveAt(at) {
			continue
		}
		if w.single {
			if w.p.Match(obs) {
				hits = append(hits, watchHit{w: w, obs: []pattern.Observation{obs}})
			}
			continue
		}
		if w.corr == nil {
			c, err := pattern.NewCorrelator(w.p, ws.corrOptions())
			if err != nil { // put checked the limits
				continue
			}
			w.corr = c
		}
		for _, m := range w.corr.Push(obs) {
			hits = append(hits, watchHit{w: w, obs: m.Observations})
		}
		ws.state += w.corr.Pending() - w.pending
		w.pending = w.corr.Pending()
		w.used = ws.now()
	}
	return hits
}

// sweep drops the state of indicators idle for longer than the horizon, then, while the
// state held is above MaxState, of those idle longest. It walks every watch, so it runs
// at most once a minute unless the state is over its cap.
func (ws *watches) sweep() {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	now := ws.now()
	if ws.state <= ws.opt.MaxState && now.Sub(ws.swept) < time.Minute {
		return
	}
	ws.swept = now
	var live []*watch
	for _, w := range ws.byID {
		if w.corr == nil {
			continue
		}
		if now.Sub(w.used) > ws.opt.Horizon {
			ws.drop(w)
			continue
		}
		live = append(live, w)
	}
	if ws.state <= ws.opt.MaxState {
		return
	}
	sort.Slice(live, func(i, j int) bool { return live[i].used.Before(live[j].used) })
	for _, w := range live {
		if ws.state <= ws.opt.MaxState {
			break
		}
		ws.drop(w)
	}
}

func (ws *watches) drop(w *watch) {
	ws.state -= w.pending
	w.corr, w.pending = nil, 0
}

func isAddrKey(k string) bool { return k == keyIPv4 || k == keyIPv6 || k == keySrc || k == keyDst }
