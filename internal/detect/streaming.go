package detect

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/rampart-soc/rampart/internal/incident"
	"github.com/rampart-soc/rampart/internal/rules"
	"github.com/rampart-soc/rampart/internal/sigma"
	"github.com/rampart-soc/rampart/internal/sigma/rule"
	"github.com/rampart-soc/rampart/internal/store"
)

// Raiser takes alerts (the incident service).
type Raiser interface {
	RaiseAlert(ctx context.Context, a incident.Alert) (incident.Alert, error)
}

// dedupWindow: a streaming rule raises one alert per entity set in this window; further
// matches are counted (rampart_streaming_deduplicated_total) and remain in the events.
const dedupWindow = time.Minute

// maxAlertsPerRuleBatch bounds the alerts one rule raises for one committed batch; the
// rest of its matches are counted in the alerts' details (Sentinel's NRT rules cap at 30).
const maxAlertsPerRuleBatch = 30

// Streaming matches every committed event against the enabled Sigma rules, in memory,
// once, as it is committed.
type Streaming struct {
	log      *slog.Logger
	raiser   Raiser
	compiler *sigma.Compiler

	mu      sync.RWMutex
	ruleset *sigma.Ruleset
	meta    map[string]*rules.Rule // by Sigma rule id
	failed  map[string]string      // rule id -> why it does not run

	queue    chan []*store.Batch
	done     chan struct{} // closed when Run returns
	recentMu sync.Mutex
	recent   map[string]time.Time // rule + entity key -> last alert
	deduped  prometheus.Counter
	events   prometheus.Counter
	matches  prometheus.Counter
	latency  prometheus.Histogram
	dropped  prometheus.Counter
}

// NewStreaming makes a streaming detector; Run must be running.
func NewStreaming(log *slog.Logger, raiser Raiser, reg prometheus.Registerer) *Streaming {
	s := &Streaming{log: log, raiser: raiser, compiler: sigma.NewCompiler(nil), ruleset: sigma.NewRuleset(nil),
		meta: map[string]*rules.Rule{}, failed: map[string]string{}, queue: make(chan []*store.Batch, 256), done: make(chan struct{}),
		events:  prometheus.NewCounter(prometheus.CounterOpts{Name: "rampart_streaming_events_total", Help: "Events matched against streaming rules."}),
		matches: prometheus.NewCounter(prometheus.CounterOpts{Name: "rampart_streaming_matches_total", Help: "Events that matched a streaming rule."}),
		dropped: prometheus.NewCounter(prometheus.CounterOpts{Name: "rampart_streaming_alert_failures_total", Help: "Alerts that could not be raised."}),
		deduped: prometheus.NewCounter(prometheus.CounterOpts{Name: "rampart_streaming_deduplicated_total", Help: "Alerts not raised because the same rule alerted on the same entities within a minute."}),
		recent:  map[string]time.Time{},
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "rampart_streaming_detect_seconds", Help: "Commit to alert latency of streaming rules.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 14)}),
	}
	if reg != nil {
		reg.MustRegister(s.events, s.matches, s.latency, s.dropped, s.deduped)
	}
	return s
}

// Load replaces the running rules with the enabled Sigma rules of rs. It returns why each
// rule that cannot run was left out (never silently).
func (s *Streaming) Load(rs []*rules.Rule) map[string]string {
	failed := map[string]string{}
	meta := map[string]*rules.Rule{}
	var compiled []*sigma.Rule
	for _, r := range rs {
		if r.Kind != rules.Sigma || !r.Enabled {
			continue
		}
		docs, probs := rule.Parse([]byte(r.Sigma), r.Source)
		if probs.HasErrors() {
			failed[r.ID] = probs.Error()
			continue
		}
		for _, d := range docs {
			if d.Kind != rule.KindRule {
				failed[r.ID] = "Sigma correlation and filter rules do not stream yet"
				continue
			}
			c, err := s.compiler.Compile(d.Rule)
			if err != nil {
				failed[r.ID] = err.Error()
				continue
			}
			compiled = append(compiled, c)
			meta[d.Rule.ID] = r
		}
	}
	rsNew := sigma.NewRuleset(compiled)
	s.mu.Lock()
	s.ruleset, s.meta, s.failed = rsNew, meta, failed
	s.mu.Unlock()
	return failed
}

// Failed returns the rules that do not run and why.
func (s *Streaming) Failed() map[string]string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.failed
}

// OnCommit is the pipeline subscriber. It hands batches to Run's goroutine so commits do
// not wait for matching; when matching falls behind, commits wait (backpressure), and
// no event is skipped.
func (s *Streaming) OnCommit(batches []*store.Batch) {
	s.mu.RLock()
	empty := len(s.ruleset.Rules()) == 0
	s.mu.RUnlock()
	if empty {
		return
	}
	select {
	case s.queue <- batches:
	case <-s.done: // shutting down: the last commits go unmatched, and are logged
		s.log.Warn("streaming detection stopped before a committed batch was matched", "batches", len(batches))
	}
}

// Run matches queued batches, on one goroutine per core, until ctx ends.
func (s *Streaming) Run(ctx context.Context) error {
	defer close(s.done)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-ctx.Done():
					return
				case bs := <-s.queue:
					for _, b := range bs {
						s.match(context.WithoutCancel(ctx), b)
					}
				}
			}
		}()
	}
	wg.Wait()
	return nil
}

type hit struct {
	rule     *rules.Rule
	title    string
	entities []incident.Entity
	first    time.Time
	last     time.Time
	count    int
	sample   map[string]any
}

func (s *Streaming) match(ctx context.Context, b *store.Batch) {
	s.mu.RLock()
	rs, meta := s.ruleset, s.meta
	s.mu.RUnlock()
	table := b.Table.Name
	if len(rs.RulesFor(table)) == 0 {
		return
	}
	hits := map[string]*hit{} // rule id + entity key
	perRule := map[string]int{}
	var dst []*sigma.Rule
	for i := 0; i < b.Len(); i++ {
		ev := newRowEvent(b, i)
		dst = rs.Match(dst[:0], table, ev)
		s.events.Inc()
		if len(dst) == 0 {
			continue
		}
		m := RowMap(b, i)
		for _, sr := range dst {
			s.matches.Inc()
			r := meta[sr.ID]
			if r == nil {
				continue
			}
			ents := EntitiesOf(m)
			key := r.ID + "\x1f" + entityKey(ents)
			h := hits[key]
			ts := eventTime(m, b.IngestionTime)
			if h == nil {
				if perRule[r.ID] >= maxAlertsPerRuleBatch {
					continue
				}
				perRule[r.ID]++
				h = &hit{rule: r, title: sr.Title, entities: ents, first: ts, last: ts, sample: m}
				hits[key] = h
			}
			h.count++
			if ts.Before(h.first) {
				h.first = ts
			}
			if ts.After(h.last) {
				h.last = ts
			}
		}
	}
	keys := make([]string, 0, len(hits))
	for k := range hits {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	now := time.Now()
	for _, k := range keys {
		h := hits[k]
		if s.duplicate(k, now) {
			s.deduped.Inc()
			continue
		}
		a := incident.Alert{
			RuleID: h.rule.ID, RuleName: h.rule.Name, RuleVersion: h.rule.Version, Product: "Sigma",
			Title: h.title, Description: h.rule.Description, Severity: incident.Severity(h.rule.Severity),
			Tactics: h.rule.Tactics, Techniques: h.rule.Techniques, Entities: h.entities,
			StartTime: h.first, EndTime: h.last,
			CustomDetails: map[string]string{"MatchedEvents": fmt.Sprint(h.count), "Table": table},
			Evidence: []incident.Evidence{{Table: table, Start: h.first.Format(time.RFC3339Nano), End: h.last.Format(time.RFC3339Nano),
				Query: fmt.Sprintf("%s | where ingestion_time() == datetime(%s)", table, b.IngestionTime.Format(time.RFC3339Nano))}},
		}
		if _, err := s.raiser.RaiseAlert(ctx, a); err != nil {
			s.dropped.Inc()
			s.log.Error("streaming alert", "rule", h.rule.ID, "err", err)
			continue
		}
		s.latency.Observe(time.Since(b.IngestionTime).Seconds())
	}
}

func entityKey(es []incident.Entity) string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = fmt.Sprint(e)
	}
	sort.Strings(parts)
	return strings.Join(parts, ";")
}

// eventTime is the event's TimeGenerated, or when it was ingested.
func eventTime(m map[string]any, fallback time.Time) time.Time {
	if s, ok := m["TimeGenerated"].(string); ok {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t
		}
	}
	return fallback
}

// duplicate reports whether key alerted within dedupWindow, and records it if not.
func (s *Streaming) duplicate(key string, now time.Time) bool {
	s.recentMu.Lock()
	defer s.recentMu.Unlock()
	if t, ok := s.recent[key]; ok && now.Sub(t) < dedupWindow {
		return true
	}
	s.recent[key] = now
	if len(s.recent) > 100_000 { // forget expired keys now and then
		for k, t := range s.recent {
			if now.Sub(t) >= dedupWindow {
				delete(s.recent, k)
			}
		}
	}
	return false
}
