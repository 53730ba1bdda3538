package sigma

import (
	"sync"
	"unicode"
	"unicode/utf8"
)

// The prefilter compares literals and event text in a canonical case so that it
// never rejects a value that the matcher (rune-wise ToLower) or a case-insensitive
// regex (Unicode simple folding) would accept: canon(r) is the lowercase of the
// smallest member of the fold orbit of ToLower(r).

var (
	canonOnce  sync.Once
	canonTable []rune // for the Basic Multilingual Plane
)

func canonRune(r rune) rune {
	if r < utf8.RuneSelf {
		return rune(lowerASCII(byte(r)))
	}
	if r < 0x10000 {
		canonOnce.Do(buildCanon)
		return canonTable[r]
	}
	return computeCanon(r)
}

func buildCanon() {
	canonTable = make([]rune, 0x10000)
	for r := rune(0); r < 0x10000; r++ {
		canonTable[r] = computeCanon(r)
	}
}

func computeCanon(r rune) rune {
	l := unicode.ToLower(r)
	least := l
	for f := unicode.SimpleFold(l); f != l; f = unicode.SimpleFold(f) {
		if f < least {
			least = f
		}
	}
	return unicode.ToLower(least)
}

// canonString canonicalises a literal for the prefilter.
func canonString(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		b = utf8.AppendRune(b, canonRune(r))
	}
	return string(b)
}
