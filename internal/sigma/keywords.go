package sigma

import (
	"encoding/json"
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
	s := ti.kwAC.Scanner()
	sc.ids = appendCanon(&s, text, sc.ids[:0])
	for _, id := range sc.ids {
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
