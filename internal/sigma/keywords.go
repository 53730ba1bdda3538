package sigma

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/rampart-soc/rampart/internal/sigma/ahocorasick"
)

// numberBytes are the bytes of a number's text in canonical case (JSON literals,
// strconv forms including +inf and nan).
const numberBytes = "0123456789.+-eEinfa"

// Keyword searches look at every value of an event. The keyword literals of all
// buckets of a table share one automaton, so an event's values are scanned once
// (on the first bucket that needs it) however many buckets search keywords.

func (ti *tableIndex) buildKeywords() {
	ids := map[string]int32{}
	var lits []string
	for _, b := range ti.buckets {
		for _, l := range b.kwLits {
			if _, ok := ids[l]; !ok {
				ids[l] = int32(len(lits))
				lits = append(lits, l)
			}
		}
	}
	if len(lits) == 0 {
		return
	}
	ti.kwAC = ahocorasick.NewFoldASCII(lits)
	for _, l := range lits {
		ti.kwNonText = ti.kwNonText || strings.Trim(l, numberBytes) == "" ||
			strings.Contains("true", l) || strings.Contains("false", l)
	}
	ti.route.scopeKeywords(nil, ids, nil)
	for _, b := range ti.buckets {
		if b.kwLits == nil {
			continue
		}
		b.table = ti
		b.kwHits = make([][]clauseRef, len(lits))
		for i, l := range b.kwLits {
			b.kwHits[ids[l]] = b.kwRefs[i]
		}
		b.kwLits, b.kwRefs = nil, nil
	}
}

// kwScope is an automaton over the keyword literals of some buckets, reporting
// the table's ids.
type kwScope struct {
	ac    *ahocorasick.Automaton
	table []int32 // pattern id -> the table's literal id
}

// scopeKeywords gives each route node the keyword literals of the buckets in its
// subtree and of its ancestors' rest lists: those an event that reaches the node
// can evaluate. A scan for an event in a channel with no keyword rules of its own
// then looks for the few literals of the table-wide rules only.
func (n *routeNode) scopeKeywords(parent *routeNode, ids map[string]int32, inherited []string) []string {
	n.parent = parent
	var own []string
	for _, b := range append(append([]*bucket{}, n.rest...), n.leaf...) {
		own = append(own, b.kwLits...)
	}
	down := append(append([]string{}, inherited...), litsOf(n.rest)...)
	for _, child := range n.byValue {
		own = append(own, child.scopeKeywords(n, ids, down)...)
	}
	lits := sortedUnique(append(append([]string{}, inherited...), own...))
	if len(lits) > 0 {
		sc := &kwScope{ac: ahocorasick.NewFoldASCII(lits)}
		for _, l := range lits {
			sc.table = append(sc.table, ids[l])
		}
		n.kw = sc
	}
	return own
}

func litsOf(bs []*bucket) []string {
	var out []string
	for _, b := range bs {
		out = append(out, b.kwLits...)
	}
	return out
}

func sortedUnique(s []string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}

// onPath reports whether a and b lie on one path from the root.
func onPath(a, b *routeNode) bool {
	for x := a; x != nil; x = x.parent {
		if x == b {
			return true
		}
	}
	for x := b; x != nil; x = x.parent {
		if x == a {
			return true
		}
	}
	return false
}

// keywords returns the table's keyword literals found in the event's values, each
// once; they are computed on the first call for an event.
func (sc *scratch) keywords(ti *tableIndex, c *evalCtx) []int32 {
	// Scan for the literals of the deepest node entered: its scope covers the
	// buckets evaluated at it and at its ancestors.
	node := sc.lastNode
	if sc.kwGen == sc.rulGen {
		if onPath(sc.kwNode, sc.node) {
			return sc.kwFound
		}
		// A bucket outside the scope scanned for (an event visiting two branches
		// of the index): scan again for every literal of the table.
		for _, id := range sc.kwFound {
			sc.kwSeen[id] = 0
		}
		node = ti.route
	} else if !onPath(node, sc.node) {
		node = ti.route
	}
	sc.kwGen = sc.rulGen
	sc.kwNode = node
	sc.kwScope = node.kw
	sc.kwFound = sc.kwFound[:0]
	if n := ti.kwAC.Patterns(); len(sc.kwSeen) < n {
		sc.kwSeen = make([]uint32, n)
	}
	if m, ok := c.ev.(*MapEvent); ok && !ti.kwNonText {
		// Only strings can hold the literals: walk the row without building a
		// Value per leaf.
		sc.scanStrings(ti, m.M)
		return sc.kwFound
	}
	for _, v := range c.values() {
		if v.Kind != KindString && !ti.kwNonText {
			continue
		}
		sc.scanKeywords(ti, v.Str)
	}
	return sc.kwFound
}

func (sc *scratch) scanKeywords(ti *tableIndex, text string) {
	s := sc.kwScope.ac.Scanner()
	sc.ids = appendCanon(&s, text, sc.ids[:0])
	for _, local := range sc.ids {
		id := sc.kwScope.table[local]
		if sc.kwSeen[id] != sc.rulGen {
			sc.kwSeen[id] = sc.rulGen
			sc.kwFound = append(sc.kwFound, id)
		}
	}
}

// scanStrings scans the string leaves of a decoded row: those MapEvent.Range
// visits as strings (see anyValue).
func (sc *scratch) scanStrings(ti *tableIndex, v any) {
	switch x := v.(type) {
	case string:
		sc.scanKeywords(ti, x)
	case map[string]any:
		for _, e := range x {
			sc.scanStrings(ti, e)
		}
	case []any:
		for _, e := range x {
			sc.scanStrings(ti, e)
		}
	case nil, bool, float64, float32, int, int64, int32, int16, int8, uint, uint64, uint32, uint16, uint8, json.Number:
	default:
		if val := anyValue(v); val.Kind == KindString {
			sc.scanKeywords(ti, val.Str)
		}
	}
}
