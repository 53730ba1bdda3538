// Package correlation evaluates Sigma correlation rules over a stream of rule
// matches: event_count, value_count, temporal, temporal_ordered, value_sum,
// value_avg and value_percentile, in sliding event-time windows with bounded memory.
//
// Window semantics (the specification leaves them to the engine):
//   - Conditions that only grow true (gt/gte on counts and sums; temporal, value_avg
//     and value_percentile in any case) are checked whenever a match arrives, over
//     the window (t-timespan, t] ending at the newest match of the group, both ends
//     inclusive. When one fires, the group's state is cleared so the same events do
//     not fire again.
//   - Conditions with an upper bound (lt, lte, eq, neq, or a range) on event_count,
//     value_count or value_sum can only be decided when a window ends: the window
//     opens at the group's first match, and is evaluated once the stream's time
//     (newest match seen, or Advance) passes its end.
//   - A match that lacks a group-by field is ignored for that correlation.
//   - Matches older than the newest seen minus timespan minus Options.Lateness are
//     dropped.
package correlation

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rampart-soc/rampart/internal/sigma/rule"
)

// Match is one rule match fed to the engine.
type Match struct {
	RuleID   string
	RuleName string
	Time     time.Time
	// Field returns the value of a Sigma field of the matched event (group-by and
	// condition fields); the caller maps field names to its table's columns.
	Field func(name string) (string, bool)
}

// Alert is a fired correlation.
type Alert struct {
	Correlation *rule.Correlation
	Start, End  time.Time
	Group       map[string]string
	// Value is what the condition compared: events, distinct values, rules seen,
	// sum, average or percentile.
	Value float64
	// Rules are the referenced rules (as written in `rules`) that contributed.
	Rules []string
	// Events is the number of matches in the window.
	Events int
}

// Options bound the engine's memory and lateness.
type Options struct {
	MaxGroups         int           // per correlation; default 100,000
	MaxEventsPerGroup int           // default 10,000; the oldest are dropped beyond it
	Lateness          time.Duration // extra age accepted for out-of-order matches
}

// Engine holds the state of a set of correlations. It is not safe for concurrent
// use; run one per partition of the stream.
type Engine struct {
	opts      Options
	corrs     []*corr
	byRef     map[string][]refTarget
	watermark time.Time
	observed  int
	// Dropped counts matches ignored for lateness, missing fields or limits.
	Dropped int
}

type refTarget struct {
	c   *corr
	idx int // position in the correlation's rules
}

type corr struct {
	r       *rule.Correlation
	closing bool // evaluate at window end (upper-bound condition)
	groups  map[string]*group
}

type entry struct {
	t   time.Time
	ref int
	val string
	num float64
}

type group struct {
	values  map[string]string
	entries []entry // sorted by time
	start   time.Time
	last    time.Time
}

// NewEngine checks the correlations (types, references between correlations,
// cycles) and prepares their state.
func NewEngine(corrs []*rule.Correlation, opts Options) (*Engine, error) {
	if opts.MaxGroups <= 0 {
		opts.MaxGroups = 100_000
	}
	if opts.MaxEventsPerGroup <= 0 {
		opts.MaxEventsPerGroup = 10_000
	}
	e := &Engine{opts: opts, byRef: map[string][]refTarget{}}
	names := map[string]*corr{}
	for _, r := range corrs {
		if r.Timespan <= 0 {
			return nil, fmt.Errorf("correlation %q: no timespan", r.Title)
		}
		c := &corr{r: r, groups: map[string]*group{}}
		switch r.Type {
		case rule.EventCount, rule.ValueCount, rule.ValueSum:
			for _, cmp := range r.Condition {
				if cmp.Op != "gt" && cmp.Op != "gte" {
					c.closing = true
				}
			}
			if len(r.Condition) == 0 {
				return nil, fmt.Errorf("correlation %q: %s needs a condition", r.Title, r.Type)
			}
		case rule.Temporal, rule.TemporalOrdered, rule.ValueAvg, rule.ValuePercentile:
		default:
			return nil, fmt.Errorf("correlation %q: unknown type %q", r.Title, r.Type)
		}
		if needsField(r.Type) && len(r.Field) == 0 {
			return nil, fmt.Errorf("correlation %q: %s needs condition.field", r.Title, r.Type)
		}
		e.corrs = append(e.corrs, c)
		for i, ref := range r.Rules {
			e.byRef[ref] = append(e.byRef[ref], refTarget{c: c, idx: i})
		}
		for _, n := range []string{r.ID, r.Name} {
			if n == "" {
				continue
			}
			if names[n] != nil {
				return nil, fmt.Errorf("correlation name or id %q is not unique", n)
			}
			names[n] = c
		}
	}
	// Chains must be acyclic: a correlation may reference another, never itself.
	state := map[*corr]int{}
	var visit func(c *corr) error
	visit = func(c *corr) error {
		switch state[c] {
		case 1:
			return fmt.Errorf("correlation %q is part of a reference cycle", c.r.Title)
		case 2:
			return nil
		}
		state[c] = 1
		for _, ref := range c.r.Rules {
			if inner := names[ref]; inner != nil {
				if err := visit(inner); err != nil {
					return err
				}
			}
		}
		state[c] = 2
		return nil
	}
	for _, c := range e.corrs {
		if err := visit(c); err != nil {
			return nil, err
		}
	}
	return e, nil
}

func needsField(t rule.CorrelationType) bool {
	return t == rule.ValueCount || t == rule.ValueSum || t == rule.ValueAvg || t == rule.ValuePercentile
}

// Generates reports whether a base rule should raise alerts on its own: false
// when a correlation that references it (by id or name) has generate: false.
func (e *Engine) Generates(ruleID, ruleName string) bool {
	for _, key := range []string{ruleID, ruleName} {
		if key == "" {
			continue
		}
		for _, rt := range e.byRef[key] {
			if !rt.c.r.Generate {
				return false
			}
		}
	}
	return true
}

// Groups returns the number of live groups, a measure of memory use.
func (e *Engine) Groups() int {
	n := 0
	for _, c := range e.corrs {
		n += len(c.groups)
	}
	return n
}

// Observe feeds one match and returns the alerts it (or the passage of time it
// reveals) completes, including those of chained correlations.
func (e *Engine) Observe(m Match) []Alert {
	var out []Alert
	if m.Time.After(e.watermark) {
		e.watermark = m.Time
		out = append(out, e.closeDue()...)
	}
	out = append(out, e.observe(m, 0)...)
	e.observed++
	if e.observed%1024 == 0 {
		e.sweep()
	}
	return out
}

// Advance moves the stream time forward without a match (e.g. on a timer), closing
// windows that ended and releasing expired state.
func (e *Engine) Advance(now time.Time) []Alert {
	if now.After(e.watermark) {
		e.watermark = now
	}
	out := e.closeDue()
	e.sweep()
	return out
}

const maxChainDepth = 16

func (e *Engine) observe(m Match, depth int) []Alert {
	if depth > maxChainDepth {
		return nil
	}
	var targets []refTarget
	targets = append(targets, e.byRef[m.RuleID]...)
	if m.RuleName != "" && m.RuleName != m.RuleID {
		for _, t := range e.byRef[m.RuleName] {
			dup := false
			for _, x := range targets {
				dup = dup || (x.c == t.c && x.idx == t.idx)
			}
			if !dup {
				targets = append(targets, t)
			}
		}
	}
	var out []Alert
	for _, t := range targets {
		if a, ok := e.add(t.c, t.idx, m); ok {
			out = append(out, a)
			out = append(out, e.chain(a, depth)...)
		}
	}
	return out
}

// chain feeds an alert to correlations that reference the fired one.
func (e *Engine) chain(a Alert, depth int) []Alert {
	group := a.Group
	m := Match{RuleID: a.Correlation.ID, RuleName: a.Correlation.Name, Time: a.End,
		Field: func(name string) (string, bool) { v, ok := group[name]; return v, ok }}
	if m.RuleID == "" {
		m.RuleID = m.RuleName
	}
	return e.observe(m, depth+1)
}

func (e *Engine) add(c *corr, idx int, m Match) (Alert, bool) {
	span := c.r.Timespan
	if m.Time.Before(e.watermark.Add(-span - e.opts.Lateness)) {
		e.Dropped++
		return Alert{}, false
	}
	ref := c.r.Rules[idx]
	values := make(map[string]string, len(c.r.GroupBy))
	var key strings.Builder
	for _, g := range c.r.GroupBy {
		field := g
		if al, ok := c.r.Aliases[g]; ok {
			f, ok := al[ref]
			if !ok {
				f, ok = al[m.RuleID]
			}
			if !ok {
				e.Dropped++
				return Alert{}, false
			}
			field = f
		}
		if m.Field == nil {
			e.Dropped++
			return Alert{}, false
		}
		v, ok := m.Field(field)
		if !ok {
			e.Dropped++
			return Alert{}, false
		}
		values[g] = v
		key.WriteString(strconv.Quote(v))
		key.WriteByte(0)
	}
	en := entry{t: m.Time, ref: idx}
	if needsField(c.r.Type) {
		var parts []string
		for _, f := range c.r.Field {
			v, ok := "", false
			if m.Field != nil {
				v, ok = m.Field(f)
			}
			if !ok {
				e.Dropped++
				return Alert{}, false
			}
			parts = append(parts, v)
		}
		en.val = strings.Join(parts, "\x00")
		if c.r.Type == rule.ValueSum || c.r.Type == rule.ValueAvg || (c.r.Type == rule.ValuePercentile && c.r.Percentile > 0) {
			f, err := strconv.ParseFloat(strings.TrimSpace(parts[0]), 64)
			if err != nil {
				e.Dropped++
				return Alert{}, false
			}
			en.num = f
		}
	}
	k := key.String()
	g := c.groups[k]
	if g == nil {
		if len(c.groups) >= e.opts.MaxGroups {
			e.sweepCorr(c)
			if len(c.groups) >= e.opts.MaxGroups {
				e.Dropped++
				return Alert{}, false
			}
		}
		g = &group{values: values, start: m.Time}
		c.groups[k] = g
	}
	g.insert(en, e.opts.MaxEventsPerGroup)
	if c.closing {
		if m.Time.Before(g.start) {
			g.start = m.Time
		}
		return Alert{}, false
	}
	// Sliding window ending at the group's newest match.
	g.expire(g.last.Add(-span))
	a, ok := c.evaluate(g, g.entries)
	if ok {
		delete(c.groups, k)
	}
	return a, ok
}

func (g *group) insert(en entry, max int) {
	i := sort.Search(len(g.entries), func(i int) bool { return g.entries[i].t.After(en.t) })
	g.entries = append(g.entries, entry{})
	copy(g.entries[i+1:], g.entries[i:])
	g.entries[i] = en
	if len(g.entries) > max {
		g.entries = append(g.entries[:0], g.entries[len(g.entries)-max:]...)
	}
	if en.t.After(g.last) {
		g.last = en.t
	}
}

// expire drops entries older than from (an entry exactly timespan old stays).
func (g *group) expire(from time.Time) {
	i := 0
	for i < len(g.entries) && g.entries[i].t.Before(from) {
		i++
	}
	if i > 0 {
		g.entries = append(g.entries[:0], g.entries[i:]...)
	}
}

// closeDue evaluates closing windows whose end the stream time has passed.
func (e *Engine) closeDue() []Alert {
	var out []Alert
	for _, c := range e.corrs {
		if !c.closing {
			continue
		}
		for k, g := range c.groups {
			end := g.start.Add(c.r.Timespan)
			for len(g.entries) > 0 && e.watermark.After(end) {
				n := sort.Search(len(g.entries), func(i int) bool { return g.entries[i].t.After(end) })
				if a, ok := c.evaluate(g, g.entries[:n]); ok {
					a.Start, a.End = g.start, end
					out = append(out, a)
					out = append(out, e.chain(a, 0)...)
				}
				g.entries = append(g.entries[:0], g.entries[n:]...)
				if len(g.entries) == 0 {
					break
				}
				g.start = g.entries[0].t
				end = g.start.Add(c.r.Timespan)
			}
			if len(g.entries) == 0 {
				delete(c.groups, k)
			}
		}
	}
	return out
}

// sweep releases groups with nothing left inside their window.
func (e *Engine) sweep() {
	for _, c := range e.corrs {
		e.sweepCorr(c)
	}
}

func (e *Engine) sweepCorr(c *corr) {
	if c.closing {
		return // closeDue empties closing groups
	}
	from := e.watermark.Add(-c.r.Timespan - e.opts.Lateness)
	for k, g := range c.groups {
		if g.last.Before(from) {
			delete(c.groups, k)
		}
	}
}
