package sigma

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// needle is a folded literal prepared for fast case-insensitive search.
type needle struct {
	s     string
	runes int
	ascii bool
	// trap: the needle has 'k' or 'i', which the non-ASCII runes U+212A (Kelvin
	// sign) and U+0130 lower to, so a haystack holding those needs the rune path.
	trap   bool
	rare   int  // index of the byte least likely to occur in event text
	lo, up byte // that byte in both ASCII cases
	// firsts: for a needle starting with a non-ASCII rune, the UTF-8 forms of every
	// rune that lowers to it; a match can only start at one of them.
	firsts []string
}

var (
	upperOnce sync.Once
	uppers    map[rune][]rune // r -> runes other than r whose ToLower is r
)

func lowersTo(r rune) []rune {
	upperOnce.Do(func() {
		uppers = map[rune][]rune{}
		for x := rune(0); x <= unicode.MaxRune; x++ {
			if l := unicode.ToLower(x); l != x {
				uppers[l] = append(uppers[l], x)
			}
		}
	})
	return uppers[r]
}

// commonBytes orders bytes from most to least frequent in typical event text
// (paths, command lines); bytes not listed are rarer still.
const commonBytes = " e\\as.itonrlcmdwpx:/-h0123456789ufgbyv_k=\"'j,;qz()[]{}%$@#&*+!?|<>~^`"

var byteRank = func() [256]int {
	var r [256]int
	for i := range r {
		r[i] = 1000
	}
	for i := 0; i < len(commonBytes); i++ {
		r[commonBytes[i]] = i
	}
	return r
}()

func newNeedle(s string) needle {
	n := needle{s: s, runes: utf8.RuneCountInString(s), ascii: isASCII(s)}
	n.trap = strings.ContainsAny(s, "ki")
	best := -1
	for i := 0; i < len(s); i++ {
		if best < 0 || byteRank[s[i]] > byteRank[s[best]] {
			best = i
		}
	}
	if best >= 0 {
		n.rare = best
		n.lo, n.up = s[best], upperASCII(s[best])
	}
	if r0, _ := utf8.DecodeRuneInString(s); s != "" && r0 >= utf8.RuneSelf {
		n.firsts = append(n.firsts, string(r0))
		for _, u := range lowersTo(r0) {
			n.firsts = append(n.firsts, string(u))
		}
	}
	return n
}

// indexNonASCII finds a needle whose first rune is not ASCII: candidates are the
// occurrences of the runes that lower to it.
func (n *needle) indexNonASCII(h string, from int) (int, int) {
	for from < len(h) {
		best := -1
		for _, f := range n.firsts {
			if k := strings.Index(h[from:], f); k >= 0 && (best < 0 || k < best) {
				best = k
			}
		}
		if best < 0 {
			return -1, -1
		}
		s := from + best
		if end, ok := matchAt(h, s, n.s, false); ok {
			return s, end
		}
		_, size := utf8.DecodeRuneInString(h[s:])
		from = s + size
	}
	return -1, -1
}

// hasFoldTraps reports whether h holds U+212A or U+0130.
func hasFoldTraps(h string) bool {
	return strings.Contains(h, "\u212A") || strings.Contains(h, "\u0130")
}

func eqFoldASCII(h, n string) bool {
	for i := 0; i < len(n); i++ {
		if lowerASCII(h[i]) != n[i] {
			return false
		}
	}
	return true
}

// index returns the first match of the needle in h at or after from, and its end.
func (n *needle) index(h string, from int, cased bool) (int, int) {
	if !cased && len(n.firsts) > 0 {
		return n.indexNonASCII(h, from)
	}
	if cased || !n.ascii {
		return indexFold(h, from, n.s, cased)
	}
	if n.trap && hasFoldTraps(h[from:]) {
		return indexFoldSlow(h, from, n.s)
	}
	m := len(n.s)
	if m == 0 {
		return from, from
	}
	last := len(h) - m // last possible start
	r, lo, up := n.rare, n.lo, n.up
	if lo == up {
		for start := from; start <= last; {
			k := strings.IndexByte(h[start+r:last+r+1], lo)
			if k < 0 {
				return -1, -1
			}
			s := start + k
			if eqFoldASCII(h[s:s+m], n.s) {
				return s, s + m
			}
			start = s + 1
		}
		return -1, -1
	}
	// Two candidate bytes: keep the next position of each, so the scan stays linear.
	nl, nu := -2, -2
	for start := from; start <= last; {
		lim := last + r + 1
		if nl != -1 && nl < start+r {
			if k := strings.IndexByte(h[start+r:lim], lo); k >= 0 {
				nl = start + r + k
			} else {
				nl = -1
			}
		}
		if nu != -1 && nu < start+r {
			if k := strings.IndexByte(h[start+r:lim], up); k >= 0 {
				nu = start + r + k
			} else {
				nu = -1
			}
		}
		var p int
		switch {
		case nl < 0 && nu < 0:
			return -1, -1
		case nl < 0:
			p = nu
		case nu < 0:
			p = nl
		default:
			p = min(nl, nu)
		}
		s := p - r
		if eqFoldASCII(h[s:s+m], n.s) {
			return s, s + m
		}
		start = s + 1
	}
	return -1, -1
}

// hasSuffix reports whether h ends with the needle.
func (n *needle) hasSuffix(h string, cased bool) bool {
	if !cased && n.ascii && len(h) >= len(n.s) && eqFoldASCII(h[len(h)-len(n.s):], n.s) {
		return true
	}
	if !cased && n.ascii && !n.trap {
		return false // only a Kelvin sign or dotted I could still make it match
	}
	return hasSuffixFold(h, n.s, n.runes, cased)
}
