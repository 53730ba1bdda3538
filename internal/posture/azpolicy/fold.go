package azpolicy

import (
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/cases"
)

// Azure Policy compares strings ignoring case with full Unicode case folding
// ("Straße" equals "STRASSE", "ﬃ" equals "FFI"), which strings.EqualFold's
// simple folding does not do.

// A cases.Caser keeps state, so each goroutine takes its own from the pool.
var folders = sync.Pool{New: func() any { c := cases.Fold(); return &c }}

// fold returns the case-folded form of s.
func fold(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	c := folders.Get().(*cases.Caser)
	out := c.String(s)
	folders.Put(c)
	return out
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// eqFold reports whether a and b are equal under full case folding.
func eqFold(a, b string) bool {
	if a == b {
		return true
	}
	if isASCII(a) && isASCII(b) {
		return strings.EqualFold(a, b)
	}
	return fold(a) == fold(b)
}

// cmpFold orders a and b case-insensitively (ordinal over folded text).
func cmpFold(a, b string) int {
	return strings.Compare(fold(a), fold(b))
}
