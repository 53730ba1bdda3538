package sigma

import (
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

// keywords returns the table's keyword literals found in the event's values, each
// once; they are computed on the first call for an event.
func (sc *scratch) keywords(ti *tableIndex, c *evalCtx) []int32 {
	if sc.kwGen == sc.rulGen {
		return sc.kwFound
	}
	sc.kwGen = sc.rulGen
	sc.kwFound = sc.kwFound[:0]
	if n := ti.kwAC.Patterns(); len(sc.kwSeen) < n {
		sc.kwSeen = make([]uint32, n)
	}
	for _, v := range c.values() {
		if v.Kind != KindString && !ti.kwNonText {
			continue
		}
		s := ti.kwAC.Scanner()
		sc.ids = appendCanon(&s, v.Str, sc.ids[:0])
		for _, id := range sc.ids {
			if sc.kwSeen[id] != sc.rulGen {
				sc.kwSeen[id] = sc.rulGen
				sc.kwFound = append(sc.kwFound, id)
			}
		}
	}
	return sc.kwFound
}
