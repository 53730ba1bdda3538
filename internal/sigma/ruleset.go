package sigma

import (
	"sort"
	"strings"
	"sync"

	"github.com/rampart-soc/rampart/internal/sigma/ahocorasick"
)

// Ruleset evaluates many compiled rules against events of a table. Rules are
// grouped by table and by logsource row conditions (bucket), buckets are indexed by
// the values of up to two columns (channel and event id for WindowsEvent, see
// routeNode), and within a bucket a literal prefilter (see bucket) selects the few
// rules worth evaluating. A Ruleset is immutable and safe for concurrent use.
type Ruleset struct {
	rules  []*Rule
	tables map[string]*tableIndex
	pool   sync.Pool
}

type tableIndex struct {
	name  string
	route *routeNode
	kwAC  *ahocorasick.Automaton // keyword literals of all buckets; nil if none
	// kwNonText: some keyword literal could occur in the text of a number or a
	// boolean, whose values the keyword scan otherwise skips.
	kwNonText bool
	buckets   []*bucket
}

type scratch struct {
	ctx      evalCtx
	dst      []*Rule // the caller's slice, appended to by emit
	gen      uint32
	rulGen   uint32   // generation of seenRul for the current event
	seenTgt  []uint32 // per target in the bucket being evaluated (sized to the max)
	mask     []uint32 // per target: clauses satisfied so far
	seenRul  []uint32 // per rule
	cands    []int32
	ids      []int32    // literal ids found in one value
	node     *routeNode // the route node whose buckets are being evaluated
	lastNode *routeNode // the route node entered last
	kwNode   *routeNode // the node whose scope kwFound was computed with
	kwScope  *kwScope
	kwGen    uint32   // rulGen of the event kwFound was computed for
	kwFound  []int32  // keyword literal ids found in the event
	kwSeen   []uint32 // keyword literal id -> rulGen when found
	buf      []byte
}

// NewRuleset indexes compiled rules.
func NewRuleset(rules []*Rule) *Ruleset {
	rs := &Ruleset{rules: rules, tables: map[string]*tableIndex{}}
	type bkey struct{ table, route string }
	byKey := map[bkey]*bucket{}
	maxTargets := 0
	for i, r := range rules {
		for _, t := range r.Targets {
			ti := rs.tables[t.Table]
			if ti == nil {
				ti = &tableIndex{name: t.Table}
				rs.tables[t.Table] = ti
			}
			k := bkey{t.Table, routeKey(t)}
			b := byKey[k]
			if b == nil {
				b = &bucket{route: t.route}
				byKey[k] = b
				ti.buckets = append(ti.buckets, b)
			}
			b.targets = append(b.targets, t)
			b.ruleOf = append(b.ruleOf, int32(i))
			maxTargets = max(maxTargets, len(b.targets))
		}
	}
	for _, ti := range rs.tables {
		ti.route = buildRoute(ti.buckets, nil)
		for _, b := range ti.buckets {
			b.buildPrefilter()
		}
		ti.buildKeywords()
	}
	rs.pool.New = func() any {
		return &scratch{seenTgt: make([]uint32, maxTargets), mask: make([]uint32, maxTargets), seenRul: make([]uint32, len(rules))}
	}
	return rs
}

func routeKey(t *Target) string {
	var b strings.Builder
	for _, w := range t.pt.Where {
		b.WriteString(w.Column)
		b.WriteString("=")
		for _, v := range w.Values {
			b.WriteString(v.Text)
			b.WriteString("|")
		}
		b.WriteString(";")
	}
	return b.String()
}

// Tables lists the tables some rule reads.
func (rs *Ruleset) Tables() []string {
	out := make([]string, 0, len(rs.tables))
	for t := range rs.tables {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// Rules returns the rules of the set.
func (rs *Ruleset) Rules() []*Rule { return rs.rules }

// RulesFor returns the rules that read a table.
func (rs *Ruleset) RulesFor(table string) []*Rule {
	ti := rs.tables[table]
	if ti == nil {
		return nil
	}
	seen := map[*Rule]bool{}
	var out []*Rule
	for _, b := range ti.buckets {
		for _, t := range b.targets {
			if !seen[t.Rule] {
				seen[t.Rule] = true
				out = append(out, t.Rule)
			}
		}
	}
	return out
}

// Match appends to dst every rule that an event of the table fires, once each.
func (rs *Ruleset) Match(dst []*Rule, table string, ev Event) []*Rule {
	ti := rs.tables[table]
	if ti == nil {
		return dst
	}
	sc := rs.pool.Get().(*scratch)
	sc.startEvent()
	sc.dst = dst
	c := &sc.ctx
	c.reset(ev)
	ti.route.visit(c, sc)
	dst = sc.dst
	sc.dst = nil
	c.release()
	rs.pool.Put(sc)
	return dst
}

// emit records that target i of bucket b fired, once per rule.
func (sc *scratch) emit(b *bucket, i int32) {
	if r := b.ruleOf[i]; sc.seenRul[r] != sc.rulGen {
		sc.seenRul[r] = sc.rulGen
		sc.dst = append(sc.dst, b.targets[i].Rule)
	}
}

// startEvent begins the stamps of a new event. An event advances the generation
// by one per bucket, so restarting the count well before it wraps keeps every
// stamp of an event distinct from earlier ones.
func (sc *scratch) startEvent() {
	if sc.gen >= 1<<31 {
		clear(sc.seenTgt)
		clear(sc.seenRul)
		clear(sc.kwSeen)
		sc.gen, sc.kwGen = 0, 0
	}
	sc.gen++
	sc.rulGen = sc.gen
}
