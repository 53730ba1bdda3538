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
	byValue  map[string][]*bucket
	unkeyed  []*bucket // buckets without a condition on indexCol
	buckets  []*bucket
}

type bucket struct {
	route   matcher
	key     []string // folded values of indexCol the route requires
	targets []*Target
	always  []int32 // targets without a prefilter requirement
	ac      *ahocorasick.Automaton
	litTgts [][]int32 // literal id -> targets requiring it
	fields  []string  // columns whose values the prefilter scans
	scanAll bool      // some rule searches keywords: scan every value instead
}

type scratch struct {
	gen     uint32
	seenTgt []uint32 // per target in the bucket being evaluated (sized to the max)
	seenRul []uint32 // per rule
	cands   []int32
	buf     []byte
}

// NewRuleset indexes compiled rules.
func NewRuleset(rules []*Rule) *Ruleset {
	rs := &Ruleset{rules: rules, tables: map[string]*tableIndex{}}
	type bkey struct{ table, route string }
	byKey := map[bkey]*bucket{}
	maxTargets := 0
	for i, r := range rules {
		r.index = i
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
			maxTargets = max(maxTargets, len(b.targets))
		}
	}
	for _, ti := range rs.tables {
		ti.index()
		for _, b := range ti.buckets {
			b.buildPrefilter()
		}
	}
	rs.pool.New = func() any {
		return &scratch{seenTgt: make([]uint32, maxTargets), seenRul: make([]uint32, len(rules))}
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

func (b *bucket) buildPrefilter() {
	litID := map[string]int32{}
	var lits []string
	fields := map[string]bool{}
	for i, t := range b.targets {
		if t.req.top || len(t.req.lits) == 0 {
			b.always = append(b.always, int32(i))
			continue
		}
		for _, l := range sortedUnique(append([]string{}, t.req.lits...)) {
			id, ok := litID[l]
			if !ok {
				id = int32(len(lits))
				litID[l] = id
				lits = append(lits, l)
				b.litTgts = append(b.litTgts, nil)
			}
			b.litTgts[id] = append(b.litTgts[id], int32(i))
		}
		for _, f := range t.req.fields {
			fields[f] = true
			b.scanAll = b.scanAll || f == ""
		}
	}
	if len(lits) > 0 {
		b.ac = ahocorasick.NewFoldASCII(lits)
	}
	for f := range fields {
		b.fields = append(b.fields, f)
	}
	sort.Strings(b.fields)
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
	defer rs.pool.Put(sc)
	sc.next()
	ruleGen := sc.gen
	emit := func(t *Target) {
		if sc.seenRul[t.Rule.index] != ruleGen {
			sc.seenRul[t.Rule.index] = ruleGen
			dst = append(dst, t.Rule)
		}
	}
	if ti.indexCol != "" {
		if v, ok := ev.Get(ti.indexCol); ok {
			k := sc.key(v)
			for _, b := range ti.byValue[k] {
				b.eval(ev, sc, emit)
			}
		}
	}
	for _, b := range ti.unkeyed {
		b.eval(ev, sc, emit)
	}
	return dst
}

func (sc *scratch) next() {
	sc.gen++
	if sc.gen == 0 { // wrapped: clear stamps
		clear(sc.seenTgt)
		clear(sc.seenRul)
		sc.gen = 1
	}
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

func (b *bucket) eval(ev Event, sc *scratch, emit func(*Target)) {
	if b.route != nil && !b.route.match(ev) {
		return
	}
	for _, i := range b.always {
		if t := b.targets[i]; t.cond.match(ev) {
			emit(t)
		}
	}
	if b.ac == nil {
		return
	}
	// Generation stamps mark targets already selected for this event and bucket.
	sc.gen++
	if sc.gen == 0 {
		sc.next()
	}
	gen := sc.gen
	sc.cands = sc.cands[:0]
	hit := func(id int) {
		for _, ti := range b.litTgts[id] {
			if sc.seenTgt[ti] != gen {
				sc.seenTgt[ti] = gen
				sc.cands = append(sc.cands, ti)
			}
		}
	}
	s := b.ac.Scanner()
	if b.scanAll {
		ev.Range(func(v Value) bool {
			scanCanon(&s, v.Str, hit)
			return true
		})
	}
	for _, f := range b.fields {
		if b.scanAll {
			break
		}
		v, ok := ev.Get(f)
		if !ok {
			continue
		}
		if v.Kind == KindArray {
			for _, e := range v.Elems {
				if e.Scalar() {
					scanCanon(&s, e.Str, hit)
				}
			}
		} else if v.Scalar() {
			scanCanon(&s, v.Str, hit)
		}
	}
	sort.Slice(sc.cands, func(i, j int) bool { return sc.cands[i] < sc.cands[j] })
	for _, i := range sc.cands {
		if t := b.targets[i]; t.cond.match(ev) {
			emit(t)
		}
	}
}

// scanCanon feeds the canonical-case form of s to the scanner without allocating:
// ASCII runs go in as they are (the automaton folds ASCII case), other runes are
// canonicalised one by one.
func scanCanon(s *ahocorasick.Scanner, text string, hit func(int)) {
	s.Reset()
	var buf [utf8.UTFMax]byte
	start := 0
	for i := 0; i < len(text); {
		if text[i] < utf8.RuneSelf {
			i++
			continue
		}
		if start < i {
			s.FeedString(text[start:i], hit)
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		w := utf8.EncodeRune(buf[:], canonRune(r))
		s.Feed(buf[:w], hit)
		i += n
		start = i
	}
	if start < len(text) {
		s.FeedString(text[start:], hit)
	}
}
