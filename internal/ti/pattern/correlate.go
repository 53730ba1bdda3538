package pattern

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// CorrelatorOptions bound the state and work of a Correlator. Zero fields
// take the defaults.
type CorrelatorOptions struct {
	// Horizon is how long a partial match is kept when no WITHIN bounds
	// it, and so the longest span such a match may have. Default 1 hour.
	Horizon time.Duration
	// MaxPartials caps the partial matches kept per operator; the oldest
	// go first. Default 1,000.
	MaxPartials int
	// MaxMatches caps the matches one Push returns. Default 100.
	MaxMatches int
	// MaxMatchSize caps the observations one match may bind (REPEATS and
	// AND multiply). Default 1,000.
	MaxMatchSize int
	// Consume, when set, removes the observations of a reported match
	// from later matches, so one burst raises one alert rather than one
	// per further event.
	Consume bool
}

func (o CorrelatorOptions) withDefaults() CorrelatorOptions {
	if o.Horizon <= 0 {
		o.Horizon = time.Hour
	}
	if o.MaxPartials <= 0 {
		o.MaxPartials = 1000
	}
	if o.MaxMatches <= 0 {
		o.MaxMatches = 100
	}
	if o.MaxMatchSize <= 0 {
		o.MaxMatchSize = 1000
	}
	return o
}

// CorrelationMatch is one satisfied pattern: the observations that
// satisfied it, in time order.
type CorrelationMatch struct {
	Observations []Observation
	First, Last  time.Time
}

// Correlator evaluates one pattern over a stream of observations in time
// order (late observations are accepted and compared by their own times,
// but state older than the horizon is gone).
//
// Semantics, following the STIX 2.1 text and the OASIS matcher:
//   - each [ ... ] binds one observation; operands of AND and FOLLOWEDBY
//     bind distinct observations;
//   - A FOLLOWEDBY B: every observation of A is no later than every
//     observation of B (equal times qualify);
//   - WITHIN n SECONDS: the bound observations span at most n seconds;
//   - REPEATS n TIMES: n disjoint matches of the operand, chosen greedily
//     from the most recent, which also minimises the span for WITHIN;
//   - START t1 STOP t2: every bound observation is in [t1, t2).
//
// A Correlator is not safe for concurrent use.
type Correlator struct {
	p        *Pattern
	opt      CorrelatorOptions
	root     cnode
	seq      uint64
	mark     time.Time // latest observation time seen
	consumed map[uint64]time.Time
	budget   int // combination steps left in the current Push
}

// NewCorrelator compiles p for streaming evaluation.
func NewCorrelator(p *Pattern, opt CorrelatorOptions) (*Correlator, error) {
	if p == nil || p.Root == nil {
		return nil, errors.New("stix correlator: nil pattern")
	}
	c := &Correlator{p: p, opt: opt.withDefaults(), consumed: map[uint64]time.Time{}}
	root, size, err := c.build(p.Root, c.opt.Horizon, time.Time{}, time.Time{})
	if err != nil {
		return nil, err
	}
	if size > c.opt.MaxMatchSize {
		return nil, fmt.Errorf("stix correlator: a match would bind %d observations, above the limit of %d", size, c.opt.MaxMatchSize)
	}
	c.root = root
	return c, nil
}

// binding is a set of observations that satisfies a subexpression.
type binding struct {
	seqs        []uint64 // sorted
	obs         []*Observation
	first, last time.Time
}

// cnode is an operator of the compiled pattern.
type cnode interface {
	// push offers one observation and returns the new bindings it
	// completes; every one of them contains that observation.
	push(c *Correlator, o *Observation, seq uint64) []*binding
	// expire drops stored bindings that can no longer be used.
	expire(c *Correlator)
	pending() int
}

// Push offers the next observation and returns the matches it completes.
func (c *Correlator) Push(obs Observation) []CorrelationMatch {
	o := &obs
	c.seq++
	if o.Time.After(c.mark) {
		c.mark = o.Time
	}
	c.root.expire(c)
	c.expireConsumed()
	c.budget = 100 * c.opt.MaxPartials
	var out []CorrelationMatch
	seen := map[string]bool{}
	for _, b := range c.root.push(c, o, c.seq) {
		if len(out) >= c.opt.MaxMatches {
			break
		}
		if c.isConsumed(b) {
			continue
		}
		k := seqKey(b.seqs)
		if seen[k] {
			continue
		}
		seen[k] = true
		if c.opt.Consume {
			for i, s := range b.seqs {
				c.consumed[s] = b.obs[i].Time
			}
		}
		out = append(out, b.match())
	}
	return out
}

// Pending is the number of partial matches held, a measure of state.
func (c *Correlator) Pending() int { return c.root.pending() + len(c.consumed) }

func (b *binding) match() CorrelationMatch {
	m := CorrelationMatch{First: b.first, Last: b.last, Observations: make([]Observation, len(b.obs))}
	for i, o := range b.obs {
		m.Observations[i] = *o
	}
	slices.SortStableFunc(m.Observations, func(x, y Observation) int { return x.Time.Compare(y.Time) })
	return m
}

func seqKey(seqs []uint64) string {
	var sb strings.Builder
	for _, s := range seqs {
		sb.WriteString(strconv.FormatUint(s, 36))
		sb.WriteByte(',')
	}
	return sb.String()
}

func (c *Correlator) isConsumed(b *binding) bool {
	if len(c.consumed) == 0 {
		return false
	}
	for _, s := range b.seqs {
		if _, ok := c.consumed[s]; ok {
			return true
		}
	}
	return false
}

// expireConsumed forgets consumed observations once no stored binding
// can still hold them.
func (c *Correlator) expireConsumed() {
	for s, t := range c.consumed {
		if c.mark.Sub(t) > c.opt.Horizon {
			delete(c.consumed, s)
		}
	}
}

// build compiles x. window is the tightest enclosing WITHIN (or the
// horizon); start/stop the intersection of enclosing START/STOP. It also
// returns the most observations one binding of x can hold.
func (c *Correlator) build(x ObsExpr, window time.Duration, start, stop time.Time) (cnode, int, error) {
	switch x := x.(type) {
	case *ObsBracket:
		return &leafNode{b: x, start: start, stop: stop}, 1, nil
	case *ObsGroup:
		kids := make([]cnode, len(x.Operands))
		size := 0
		for i, o := range x.Operands {
			k, n, err := c.build(o, window, start, stop)
			if err != nil {
				return nil, 0, err
			}
			kids[i] = k
			if x.Op == ObsOr {
				size = max(size, n)
			} else {
				size = satAdd(size, n)
			}
		}
		if x.Op == ObsOr {
			return &orNode{kids: kids}, size, nil
		}
		return &productNode{kids: kids, stores: make([][]*binding, len(kids)), ordered: x.Op == ObsFollowedBy, window: window}, size, nil
	case *ObsQualified:
		// Every qualifier of the chain wraps x.Expr; qualifier k also wraps
		// qualifiers 0..k-1. windows[k] is the bound seen by qualifier k.
		qs := x.Qualifiers
		windows := make([]time.Duration, len(qs)+1)
		windows[len(qs)] = window
		for k := len(qs) - 1; k >= 0; k-- {
			windows[k] = windows[k+1]
			if qs[k].Kind == QualWithin && qs[k].Window < windows[k] {
				windows[k] = qs[k].Window
			}
		}
		for _, q := range qs {
			if q.Kind == QualStartStop {
				if start.IsZero() || q.Start.After(start) {
					start = q.Start
				}
				if stop.IsZero() || q.Stop.Before(stop) {
					stop = q.Stop
				}
			}
		}
		node, size, err := c.build(x.Expr, windows[0], start, stop)
		if err != nil {
			return nil, 0, err
		}
		for k, q := range qs {
			switch q.Kind {
			case QualWithin:
				node = &filterNode{kid: node, within: q.Window}
			case QualStartStop:
				node = &filterNode{kid: node, start: q.Start, stop: q.Stop}
			case QualRepeats:
				if q.Times-1 > c.opt.MaxPartials {
					return nil, 0, fmt.Errorf("stix correlator: REPEATS %d TIMES needs more partial matches than the limit of %d", q.Times, c.opt.MaxPartials)
				}
				size = satMul(size, q.Times)
				node = &repeatsNode{kid: node, times: q.Times, window: windows[k+1]}
			}
		}
		return node, size, nil
	}
	return nil, 0, errors.New("stix correlator: unknown expression")
}

func satAdd(a, b int) int {
	if a > math.MaxInt32 || b > math.MaxInt32 {
		return math.MaxInt32
	}
	return a + b
}

func satMul(a, b int) int {
	if a != 0 && b > math.MaxInt32/a {
		return math.MaxInt32
	}
	return a * b
}
