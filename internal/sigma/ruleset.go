package sigma

import (
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/rampart-soc/rampart/internal/sigma/ahocorasick"
)

// Ruleset evaluates many compiled rules against events of a table. Rules are
// grouped by table and by logsource row conditions (bucket), buckets are indexed by
// the value of one column (the channel for WindowsEvent), and within a bucket a
// literal prefilter (Aho-Corasick over the literals each rule requires) selects the
// few rules worth evaluating. A Ruleset is immutable and safe for concurrent use.
type Ruleset struct {
	rules  []*Rule
	tables map[string]*tableIndex
	pool   sync.Pool
}

type tableIndex struct {
	name     string
	indexCol string
	indexID  int32                  // fieldID(indexCol)
	kwAC     *ahocorasick.Automaton // keyword literals of all buckets; nil if none
	byValue  map[string][]*bucket
	unkeyed  []*bucket // buckets without a condition on indexCol
	buckets  []*bucket
}

type scratch struct {
	ctx     evalCtx
	dst     []*Rule // the caller's slice, appended to by emit
	gen     uint32
	rulGen  uint32   // generation of seenRul for the current event
	seenTgt []uint32 // per target in the bucket being evaluated (sized to the max)
	mask    []uint32 // per target: clauses satisfied so far
	seenRul []uint32 // per rule
	cands   []int32
	ids     []int32  // literal ids found in one value
	kwGen   uint32   // rulGen of the event kwFound was computed for
	kwFound []int32  // keyword literal ids found in the event
	kwSeen  []uint32 // keyword literal id -> rulGen when found
	buf     []byte
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
				ti = &tableIndex{name: t.Table, byValue: map[string][]*bucket{}}
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
		ti.index()
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

// index picks the column most buckets constrain by equality and maps its values
// to buckets, so an event only evaluates the buckets its value selects.
func (ti *tableIndex) index() {
	count := map[string]int{}
	for _, b := range ti.buckets {
		if len(b.targets) == 0 {
			continue
		}
		for _, w := range b.targets[0].pt.Where {
			count[w.Column]++
		}
	}
	best := ""
	for c, n := range count {
		if n > count[best] || (n == count[best] && c < best) {
			best = c
		}
	}
	ti.indexCol = best
	ti.indexID = fieldID(best)
	for _, b := range ti.buckets {
		keyed := false
		if best != "" {
			for _, w := range b.targets[0].pt.Where {
				if w.Column != best {
					continue
				}
				keyed = true
				for _, v := range w.Values {
					k := foldString(v.Text)
					ti.byValue[k] = append(ti.byValue[k], b)
				}
			}
		}
		if !keyed {
			ti.unkeyed = append(ti.unkeyed, b)
		}
	}
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
	if ti.indexCol != "" {
		if v, ok := c.get(ti.indexID, ti.indexCol); ok {
			k := sc.key(v)
			for _, b := range ti.byValue[k] {
				b.eval(c, sc)
			}
		}
	}
	for _, b := range ti.unkeyed {
		b.eval(c, sc)
	}
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

// key returns the folded text of an index value; the map lookup with a
// []byte-to-string conversion does not allocate.
func (sc *scratch) key(v Value) string {
	s := v.Str
	if v.Kind == KindNumber && v.Num == float64(int64(v.Num)) {
		sc.buf = strconv.AppendInt(sc.buf[:0], int64(v.Num), 10)
		return string(sc.buf)
	}
	sc.buf = sc.buf[:0]
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return foldString(s)
		}
		sc.buf = append(sc.buf, lowerASCII(c))
	}
	return string(sc.buf)
}
