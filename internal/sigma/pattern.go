package sigma

import (
	"strings"
	"unicode/utf8"
)

// A Sigma string value becomes a token list: literal runs, `*`, `?`, and (after
// windash) a dash class. Tokens are then compiled into a pattern with a fast path
// for the common shapes (exact, prefix, suffix, contains).

type tokKind uint8

const (
	tokLit  tokKind = iota
	tokStar         // any sequence
	tokOne          // exactly one rune
	tokDash         // one of the windash characters
)

type token struct {
	kind tokKind
	s    string
}

type tokens []token

// dashes are the characters windash lets a word-starting `-` or `/` stand for.
const dashes = "-/\u2013\u2014\u2015"

func isDash(r rune) bool {
	return r == '-' || r == '/' || r == '\u2013' || r == '\u2014' || r == '\u2015'
}

// parseValue applies Sigma's escaping: `\*`, `\?`, `\\` escape; a backslash before
// any other character (or at the end) is literal; bare `*` and `?` are wildcards.
func parseValue(s string) tokens {
	var out tokens
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			out = append(out, token{tokLit, lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\':
			if i+1 < len(s) && (s[i+1] == '*' || s[i+1] == '?' || s[i+1] == '\\') {
				lit.WriteByte(s[i+1])
				i++
			} else {
				lit.WriteByte('\\')
			}
		case '*':
			flush()
			if len(out) == 0 || out[len(out)-1].kind != tokStar {
				out = append(out, token{kind: tokStar})
			}
		case '?':
			flush()
			out = append(out, token{kind: tokOne})
		default:
			lit.WriteByte(c)
		}
	}
	flush()
	return out
}

func literalTokens(s string) tokens {
	if s == "" {
		return nil
	}
	return tokens{{tokLit, s}}
}

// literal returns the text of a wildcard-free token list.
func (t tokens) literal() (string, bool) {
	var b strings.Builder
	for _, x := range t {
		if x.kind != tokLit {
			return "", false
		}
		b.WriteString(x.s)
	}
	return b.String(), true
}

func (t tokens) wrapStart() tokens {
	if len(t) > 0 && t[0].kind == tokStar {
		return t
	}
	return append(tokens{{kind: tokStar}}, t...)
}

func (t tokens) wrapEnd() tokens {
	if len(t) > 0 && t[len(t)-1].kind == tokStar {
		return t
	}
	return append(append(tokens{}, t...), token{kind: tokStar})
}

type patKind uint8

const (
	patExact patKind = iota
	patPrefix
	patSuffix
	patContains
	patAny
	patGlob
)

// part is one element of a glob segment.
type part struct {
	kind tokKind // tokLit, tokOne, tokDash
	s    string  // folded literal
	n    needle
}

type segment []part

// pattern is a compiled string pattern. Literals are folded unless cased.
type pattern struct {
	kind  patKind
	lit   string
	n     needle
	runes int
	cased bool
	segs  []segment // patGlob: star-separated; first/last may be empty
}

func compilePattern(t tokens, cased bool) *pattern {
	p := &pattern{cased: cased}
	fold := func(s string) string {
		if cased {
			return s
		}
		return foldString(s)
	}
	simple := true
	for _, x := range t {
		if x.kind == tokOne || x.kind == tokDash {
			simple = false
		}
	}
	if simple {
		switch {
		case len(t) == 0:
			p.kind = patExact
			return p
		case len(t) == 1 && t[0].kind == tokStar:
			p.kind = patAny
			return p
		case len(t) == 1:
			p.kind, p.lit = patExact, fold(t[0].s)
		case len(t) == 2 && t[0].kind == tokLit && t[1].kind == tokStar:
			p.kind, p.lit = patPrefix, fold(t[0].s)
		case len(t) == 2 && t[0].kind == tokStar && t[1].kind == tokLit:
			p.kind, p.lit = patSuffix, fold(t[1].s)
		case len(t) == 3 && t[0].kind == tokStar && t[1].kind == tokLit && t[2].kind == tokStar:
			p.kind, p.lit = patContains, fold(t[1].s)
		default:
			simple = false
		}
		if simple {
			p.runes = utf8.RuneCountInString(p.lit)
			p.n = newNeedle(p.lit)
			return p
		}
	}
	p.kind = patGlob
	cur := segment{}
	for _, x := range t {
		switch x.kind {
		case tokStar:
			p.segs = append(p.segs, cur)
			cur = segment{}
		case tokLit:
			f := fold(x.s)
			cur = append(cur, part{kind: tokLit, s: f, n: newNeedle(f)})
		default:
			cur = append(cur, part{kind: x.kind})
		}
	}
	p.segs = append(p.segs, cur)
	return p
}

func (s segment) runes() int {
	n := 0
	for _, p := range s {
		if p.kind == tokLit {
			n += utf8.RuneCountInString(p.s)
		} else {
			n++
		}
	}
	return n
}

// match reports whether the whole of h matches the pattern.
func (p *pattern) match(h string) bool {
	switch p.kind {
	case patExact:
		return equalFold(h, p.lit, p.cased)
	case patPrefix:
		return hasPrefixFold(h, p.lit, p.cased)
	case patSuffix:
		return p.n.hasSuffix(h, p.cased)
	case patContains:
		s, _ := p.n.index(h, 0, p.cased)
		return s >= 0
	case patAny:
		return true
	}
	return p.matchGlob(h)
}

func (p *pattern) matchSeg(h string, i int, seg segment) (int, bool) {
	for _, x := range seg {
		switch x.kind {
		case tokLit:
			end, ok := matchAt(h, i, x.s, p.cased)
			if !ok {
				return 0, false
			}
			i = end
		case tokOne:
			if i >= len(h) {
				return 0, false
			}
			_, n := utf8.DecodeRuneInString(h[i:])
			i += n
		case tokDash:
			if i >= len(h) {
				return 0, false
			}
			r, n := utf8.DecodeRuneInString(h[i:])
			if !isDash(r) {
				return 0, false
			}
			i += n
		}
	}
	return i, true
}

// findSeg returns the leftmost match of seg at or after from.
func (p *pattern) findSeg(h string, from int, seg segment) (int, int) {
	if len(seg) > 0 && seg[0].kind == tokLit {
		for from <= len(h) {
			s, _ := seg[0].n.index(h, from, p.cased)
			if s < 0 {
				return -1, -1
			}
			if end, ok := p.matchSeg(h, s, seg); ok {
				return s, end
			}
			_, n := utf8.DecodeRuneInString(h[s:])
			from = s + max(n, 1)
		}
		return -1, -1
	}
	for i := from; i <= len(h); {
		if end, ok := p.matchSeg(h, i, seg); ok {
			return i, end
		}
		if i == len(h) {
			break
		}
		_, n := utf8.DecodeRuneInString(h[i:])
		i += n
	}
	return -1, -1
}

func (p *pattern) matchGlob(h string) bool {
	segs := p.segs
	if len(segs) == 1 {
		end, ok := p.matchSeg(h, 0, segs[0])
		return ok && end == len(h)
	}
	cur := 0
	if first := segs[0]; len(first) > 0 {
		end, ok := p.matchSeg(h, 0, first)
		if !ok {
			return false
		}
		cur = end
	}
	for _, seg := range segs[1 : len(segs)-1] {
		if len(seg) == 0 {
			continue
		}
		_, end := p.findSeg(h, cur, seg)
		if end < 0 {
			return false
		}
		cur = end
	}
	last := segs[len(segs)-1]
	if len(last) == 0 {
		return true
	}
	start := runeStart(h, len(h), last.runes())
	if start < cur {
		return false
	}
	end, ok := p.matchSeg(h, start, last)
	return ok && end == len(h)
}

// literals returns the literal runs every match must contain (folded), longest
// first; the prefilter uses the first.
func (p *pattern) literal() string {
	var best string
	consider := func(s string) {
		if len(s) > len(best) {
			best = s
		}
	}
	switch p.kind {
	case patAny:
		return ""
	case patGlob:
		for _, seg := range p.segs {
			for _, x := range seg {
				if x.kind == tokLit {
					consider(x.s)
				}
			}
		}
	default:
		best = p.lit
	}
	if p.cased {
		best = foldString(best)
	}
	return best
}
