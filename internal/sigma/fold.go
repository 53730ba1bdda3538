package sigma

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Case-insensitive comparison lowercases both sides rune by rune (unicode.ToLower).
// Needles are lowered once at compile time; haystacks are never copied: an ASCII
// fast path compares bytes, and only non-ASCII bytes decode runes.

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 32
	}
	return c
}

func upperASCII(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 32
	}
	return c
}

// foldString lowers a needle the way haystack runes are lowered while matching.
func foldString(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || c >= 'A' && c <= 'Z' {
			return strings.Map(unicode.ToLower, s)
		}
	}
	return s
}

// matchAt compares needle against h starting at byte i and returns where the
// matched part of h ends. needle must already be folded unless cased is set.
func matchAt(h string, i int, needle string, cased bool) (int, bool) {
	if cased {
		if strings.HasPrefix(h[i:], needle) {
			return i + len(needle), true
		}
		return 0, false
	}
	j := 0
	for j < len(needle) {
		if i >= len(h) {
			return 0, false
		}
		hc, nc := h[i], needle[j]
		if hc < utf8.RuneSelf && nc < utf8.RuneSelf {
			if lowerASCII(hc) != nc {
				return 0, false
			}
			i++
			j++
			continue
		}
		hr, hn := utf8.DecodeRuneInString(h[i:])
		nr, nn := utf8.DecodeRuneInString(needle[j:])
		if unicode.ToLower(hr) != nr {
			return 0, false
		}
		i += hn
		j += nn
	}
	return i, true
}

// equalFold reports whether h equals the folded needle.
func equalFold(h, needle string, cased bool) bool {
	if cased {
		return h == needle
	}
	if len(h) == len(needle) {
		// Common case: same length, ASCII; a mismatch ends it early.
		i := 0
		for ; i < len(h); i++ {
			hc, nc := h[i], needle[i]
			if hc >= utf8.RuneSelf || nc >= utf8.RuneSelf {
				break
			}
			if lowerASCII(hc) != nc {
				return false
			}
		}
		if i == len(h) {
			return true
		}
	}
	end, ok := matchAt(h, 0, needle, false)
	return ok && end == len(h)
}

// runeStart returns the byte offset where the last n runes of h begin, or -1.
func runeStart(h string, end, n int) int {
	p := end
	for k := 0; k < n; k++ {
		if p <= 0 {
			return -1
		}
		if h[p-1] < utf8.RuneSelf {
			p--
			continue
		}
		_, size := utf8.DecodeLastRuneInString(h[:p])
		p -= size
	}
	return p
}

// indexFold returns the first byte offset at or after from where needle matches,
// and the end of the match, or -1.
func indexFold(h string, from int, needle string, cased bool) (int, int) {
	if needle == "" {
		return from, from
	}
	if cased {
		k := strings.Index(h[from:], needle)
		if k < 0 {
			return -1, -1
		}
		return from + k, from + k + len(needle)
	}
	c := needle[0]
	// Runes outside ASCII can lower to 'k' (Kelvin sign) and 'i' (dotted capital I),
	// and a non-ASCII first rune needs rune-wise scanning: take the slow path then,
	// unless the haystack is plain ASCII.
	if c >= utf8.RuneSelf || c == 'k' || c == 'i' {
		if !isASCII(h[from:]) {
			return indexFoldSlow(h, from, needle)
		}
	}
	u := upperASCII(c)
	if u == c {
		for i := from; i < len(h); {
			k := strings.IndexByte(h[i:], c)
			if k < 0 {
				return -1, -1
			}
			i += k
			if end, ok := matchAt(h, i+1, needle[1:], false); ok {
				return i, end
			}
			i++
		}
		return -1, -1
	}
	// Two candidate first bytes: keep the next position of each and advance the
	// smaller one, so the scan stays linear.
	nl, nu := -2, -2
	for i := from; i < len(h); {
		if nl < i && nl != -1 {
			if k := strings.IndexByte(h[i:], c); k >= 0 {
				nl = i + k
			} else {
				nl = -1
			}
		}
		if nu < i && nu != -1 {
			if k := strings.IndexByte(h[i:], u); k >= 0 {
				nu = i + k
			} else {
				nu = -1
			}
		}
		var p int
		switch {
		case nl == -1 && nu == -1:
			return -1, -1
		case nl == -1:
			p = nu
		case nu == -1:
			p = nl
		default:
			p = min(nl, nu)
		}
		if end, ok := matchAt(h, p+1, needle[1:], false); ok {
			return p, end
		}
		i = p + 1
	}
	return -1, -1
}

func indexFoldSlow(h string, from int, needle string) (int, int) {
	for i := from; i < len(h); {
		if end, ok := matchAt(h, i, needle, false); ok {
			return i, end
		}
		_, n := utf8.DecodeRuneInString(h[i:])
		i += n
	}
	return -1, -1
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// hasPrefixFold reports whether h starts with the folded needle.
func hasPrefixFold(h, needle string, cased bool) bool {
	_, ok := matchAt(h, 0, needle, cased)
	return ok
}

// hasSuffixFold reports whether h ends with the folded needle; runes is the
// needle's rune count (folding maps one rune to one rune).
func hasSuffixFold(h, needle string, runes int, cased bool) bool {
	if cased {
		return strings.HasSuffix(h, needle)
	}
	p := runeStart(h, len(h), runes)
	if p < 0 {
		return false
	}
	end, ok := matchAt(h, p, needle, false)
	return ok && end == len(h)
}
