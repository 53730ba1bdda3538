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
	"github.com/rampart-soc/rampart/internal/sigma/correlation"
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
	meta    map[string]*rules.Rule // by Sigma rule or correlation id
	failed  map[string]string      // rule id -> why it does not run

	// Sigma correlations over the matches of the base rules; the engine is not safe for
	// concurrent use, so corrMu guards it.
	corrMu sync.Mutex
	corr   *correlation.Engine

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
	var corrs []*rule.Correlation
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
			if d.Kind == rule.KindCorrelation {
				corrs = append(corrs, d.Correlation)
				meta[d.Correlation.ID] = r
				continue
			}
			if d.Kind != rule.KindRule {
				failed[r.ID] = "Sigma filter rules are applied at compile time only when loaded from a directory; not streamed"
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
	var eng *correlation.Engine
	if len(corrs) > 0 {
		var err error
		if eng, err = correlation.NewEngine(corrs, correlation.Options{}); err != nil {
			for _, c := range corrs {
				failed[c.ID] = err.Error()
			}
			eng = nil
		}
	}
	s.mu.Lock()
	s.ruleset, s.meta, s.failed = rsNew, meta, failed
	s.mu.Unlock()
	s.corrMu.Lock()
	s.corr = eng
	s.corrMu.Unlock()
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
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(5 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-t.C:
				s.advanceCorrelations(context.WithoutCancel(ctx), now.UTC())
			}
		}
	}()
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
			if !s.correlate(ctx, sr, table, ev, eventTime(m, b.IngestionTime), b.IngestionTime) {
				continue // a correlation's base rule that does not alert on its own
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

// correlate feeds a match to the correlation engine, raising what fires; it reports
// whether the base rule should alert on its own.
func (s *Streaming) correlate(ctx context.Context, sr *sigma.Rule, table string, ev sigma.Event, at, ingested time.Time) bool {
	s.corrMu.Lock()
	if s.corr == nil {
		s.corrMu.Unlock()
		return true
	}
	fired := s.corr.Observe(sigma.CorrelationMatch(sr, table, ev, at))
	generates := s.corr.Generates(sr.ID, sr.Name)
	s.corrMu.Unlock()
	s.raiseCorrelations(ctx, fired, ingested)
	return generates
}

// advanceCorrelations closes windows whose conditions are decided only at their end.
func (s *Streaming) advanceCorrelations(ctx context.Context, now time.Time) {
	s.corrMu.Lock()
	if s.corr == nil {
		s.corrMu.Unlock()
		return
	}
	fired := s.corr.Advance(now)
	s.corrMu.Unlock()
	s.raiseCorrelations(ctx, fired, now)
}

func (s *Streaming) raiseCorrelations(ctx context.Context, fired []correlation.Alert, ingested time.Time) {
	for _, ca := range fired {
		s.mu.RLock()
		r := s.meta[ca.Correlation.ID]
		s.mu.RUnlock()
		if r == nil {
			continue
		}
		details := map[string]string{"CorrelationType": string(ca.Correlation.Type), "Value": fmt.Sprint(ca.Value),
			"Events": fmt.Sprint(ca.Events), "Rules": strings.Join(ca.Rules, ", ")}
		var ents []incident.Entity
		keys := make([]string, 0, len(ca.Group))
		for k := range ca.Group {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			v := ca.Group[k]
			details["GroupBy."+k] = v
			switch strings.ToLower(k) {
			case "computer", "hostname", "devicename":
				ents = append(ents, incident.Entity{"Type": "host", "HostName": v})
			case "user", "targetusername", "subjectusername", "account":
				ents = append(ents, incident.Entity{"Type": "account", "Name": v})
			case "ipaddress", "sourceip", "src_ip", "ipaddress_":
				ents = append(ents, incident.Entity{"Type": "ip", "Address": v})
			}
		}
		a := incident.Alert{RuleID: r.ID, RuleName: r.Name, RuleVersion: r.Version, Product: "Sigma correlation",
			Title: r.Name, Description: r.Description, Severity: incident.Severity(r.Severity), Tactics: r.Tactics,
			Techniques: r.Techniques, Entities: ents, StartTime: ca.Start, EndTime: ca.End, CustomDetails: details}
		if _, err := s.raiser.RaiseAlert(ctx, a); err != nil {
			s.dropped.Inc()
			s.log.Error("correlation alert", "rule", r.ID, "err", err)
			continue
		}
		s.latency.Observe(time.Since(ingested).Seconds())
	}
}
