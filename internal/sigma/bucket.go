package sigma

import (
	"slices"
	"sort"
	"strconv"
	"unicode/utf8"

	"github.com/rampart-soc/rampart/internal/sigma/ahocorasick"
)

// bucket holds the targets of one table that share logsource row conditions, and
// the literal prefilter that selects the few of them worth evaluating on an event.
//
// Each target's requirement is a set of clauses (see requirement); every
// alternative of a clause is a literal searched in one field. The literals of each
// field go into one Aho-Corasick automaton scanned over that field's value only (so a
// literal found elsewhere selects nothing), keyword literals into one scanned over
// every value. A hit sets the clause's bit in the target's mask; the target is
// evaluated once all its bits are set.
type bucket struct {
	route   matcher
	targets []*Target
	ruleOf  []int32  // target -> index of its rule in the Ruleset
	always  []int32  // targets without a prefilter requirement
	full    []uint32 // target -> mask with one bit per clause
	scans   []fieldScan
	// Keyword literals are found by one scan of the event's values per table
	// (tableIndex.keywords): kwHits maps the table's keyword literal ids to clauses.
	kwLits []string
	kwRefs [][]clauseRef // kwLits index -> clauses, until the table maps them
	kwHits [][]clauseRef
	table  *tableIndex
}

// fieldScan finds the literals required in one field.
type fieldScan struct {
	field string
	fid   int32
	ac    *ahocorasick.Automaton // nil when the field has only equalities
	hits  [][]clauseRef          // literal id -> the clauses it satisfies
	eq    map[string][]clauseRef // folded whole value -> the clauses it satisfies
	eqLen lengths                // bit n: some eq key is n bytes long (n < 256)
	eqBig bool                   // some eq key is longer
}

type clauseRef struct {
	tgt int32
	bit uint32
}

func (b *bucket) buildPrefilter() {
	b.full = make([]uint32, len(b.targets))
	type scanBuild struct {
		litID map[string]int32
		lits  []string
		hits  [][]clauseRef
		eq    map[string][]clauseRef
	}
	byField := map[string]*scanBuild{}
	var routeCols []string
	for _, w := range b.targets[0].pt.Where {
		routeCols = append(routeCols, w.Column)
	}
	clauses := sharedFieldClauses(b.targets, routeCols)
	for i := range b.targets {
		if len(clauses[i]) == 0 {
			b.always = append(b.always, int32(i))
			continue
		}
		for ci, c := range clauses[i] {
			bit := uint32(1) << ci
			b.full[i] |= bit
			ref := clauseRef{int32(i), bit}
			for _, a := range c {
				sb := byField[a.field]
				if sb == nil {
					sb = &scanBuild{litID: map[string]int32{}}
					byField[a.field] = sb
				}
				if a.eq {
					if sb.eq == nil {
						sb.eq = map[string][]clauseRef{}
					}
					if !slices.Contains(sb.eq[a.lit], ref) {
						sb.eq[a.lit] = append(sb.eq[a.lit], ref)
					}
					continue
				}
				id, ok := sb.litID[a.lit]
				if !ok {
					id = int32(len(sb.lits))
					sb.litID[a.lit] = id
					sb.lits = append(sb.lits, a.lit)
					sb.hits = append(sb.hits, nil)
				}
				// A literal may be listed twice in one clause (two values sharing it).
				if !slices.Contains(sb.hits[id], ref) {
					sb.hits[id] = append(sb.hits[id], ref)
				}
			}
		}
	}
	fields := make([]string, 0, len(byField))
	for f := range byField {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	for _, f := range fields {
		sb := byField[f]
		if f == "" {
			b.kwLits, b.kwRefs = sb.lits, sb.hits
			continue
		}
		fs := fieldScan{field: f, fid: fieldID(f), hits: sb.hits, eq: sb.eq}
		for k := range sb.eq {
			if len(k) < 256 {
				fs.eqLen[len(k)>>6] |= 1 << (len(k) & 63)
			} else {
				fs.eqBig = true
			}
		}
		if len(sb.lits) > 0 {
			fs.ac = ahocorasick.NewFoldASCII(sb.lits)
		}
		b.scans = append(b.scans, fs)
	}
}

// eval evaluates the targets of the bucket that an event can match.
func (b *bucket) eval(c *evalCtx, sc *scratch) {
	if b.route != nil && !b.route.match(c) {
		return
	}
	for _, i := range b.always {
		if b.targets[i].cond.match(c) {
			sc.emit(b, i)
		}
	}
	if len(b.scans) == 0 && b.kwHits == nil {
		return
	}
	// Generation stamps mark the targets whose mask is valid for this event.
	sc.gen++
	sc.cands = sc.cands[:0]
	for i := range b.scans {
		fs := &b.scans[i]
		v, ok := c.get(fs.fid, fs.field)
		if !ok {
			continue
		}
		if v.Kind == KindArray {
			for _, e := range v.Elems {
				if e.Scalar() {
					b.scanValue(fs, e, sc)
				}
			}
		} else if v.Scalar() {
			b.scanValue(fs, v, sc)
		}
	}
	if b.kwHits != nil {
		for _, id := range sc.keywords(b.table, c) {
			b.addRefs(b.kwHits[id], sc)
		}
	}
	slices.Sort(sc.cands)
	for _, i := range sc.cands {
		if b.targets[i].cond.match(c) {
			sc.emit(b, i)
		}
	}
}

// scanValue scans one value for the literals of a field and records the clauses
// they satisfy; a target becomes a candidate when its last clause is satisfied.
func (b *bucket) scanValue(fs *fieldScan, v Value, sc *scratch) {
	if fs.eq != nil {
		b.lookupValue(fs, v, sc)
	}
	if fs.ac == nil {
		return
	}
	text := v.Str
	s := fs.ac.Scanner()
	sc.ids = appendCanon(&s, text, sc.ids[:0])
	for _, id := range sc.ids {
		b.addRefs(fs.hits[id], sc)
	}
}

// lookupValue records the clauses satisfied by the whole value: its folded text,
// and for an integral number also its integer form.
func (b *bucket) lookupValue(fs *fieldScan, v Value, sc *scratch) {
	if v.Kind == KindString && !fs.eqLen.has(len(v.Str)) && !fs.eqBig && isASCII(v.Str) {
		return // no key has the length of the folded value (ASCII folds byte for byte)
	}
	if fold, ok := foldASCII(sc.buf[:0], v.Str); ok {
		sc.buf = fold
		b.addRefs(fs.eq[string(fold)], sc)
	} else {
		b.addRefs(fs.eq[foldString(v.Str)], sc)
	}
	if v.Kind == KindNumber && v.Num == float64(int64(v.Num)) {
		sc.buf = strconv.AppendInt(sc.buf[:0], int64(v.Num), 10)
		if string(sc.buf) != v.Str {
			b.addRefs(fs.eq[string(sc.buf)], sc)
		}
	}
}

// addRefs records the clauses a literal found satisfies.
func (b *bucket) addRefs(refs []clauseRef, sc *scratch) {
	gen := sc.gen
	for _, ref := range refs {
		t := ref.tgt
		if sc.seenTgt[t] != gen {
			sc.seenTgt[t] = gen
			sc.mask[t] = 0
		}
		m := sc.mask[t]
		if m&ref.bit != 0 {
			continue
		}
		m |= ref.bit
		sc.mask[t] = m
		if m == b.full[t] {
			sc.cands = append(sc.cands, t)
		}
	}
}

// appendCanon feeds the canonical-case form of text to the scanner without
// allocating: ASCII runs go in as they are (the automaton folds ASCII case, and
// stops at the first other byte), other runes are canonicalised one by one.
func appendCanon(s *ahocorasick.Scanner, text string, ids []int32) []int32 {
	var buf [utf8.UTFMax]byte
	for len(text) > 0 {
		var n int
		ids, n = s.AppendASCII(text, ids)
		if n == len(text) {
			break
		}
		r, size := utf8.DecodeRuneInString(text[n:])
		w := utf8.EncodeRune(buf[:], canonRune(r))
		ids = s.AppendString(string(buf[:w]), ids)
		text = text[n+size:]
	}
	return ids
}

// lengths is a set of lengths below 256.
type lengths [4]uint64

func (l *lengths) has(n int) bool { return n < 256 && l[n>>6]&(1<<(n&63)) != 0 }
