package pattern

// likeMatcher is SQL LIKE over runes: '%' is any run, '_' exactly one
// character, everything else literal and case-sensitive. STIX defines no
// escape character.
//
// The pattern is split at '%' into segments. The first segment is
// anchored at the start, the last at the end, and each middle segment
// takes its leftmost fit, which is optimal. Cost is at most
// len(text) * len(longest segment), with no backtracking across '%'.
type likeMatcher struct {
	segs [][]rune // len(segs) == number of '%' + 1
}

func newLike(p string) *likeMatcher {
	m := &likeMatcher{segs: [][]rune{nil}}
	for _, r := range p {
		if r == '%' {
			m.segs = append(m.segs, nil)
			continue
		}
		last := len(m.segs) - 1
		m.segs[last] = append(m.segs[last], r)
	}
	return m
}

// fits reports whether seg matches text at position i.
func fits(text []rune, i int, seg []rune) bool {
	if i < 0 || i+len(seg) > len(text) {
		return false
	}
	for j, r := range seg {
		if r != '_' && r != text[i+j] {
			return false
		}
	}
	return true
}

func (m *likeMatcher) match(s string) bool {
	text := []rune(s)
	first, last := m.segs[0], m.segs[len(m.segs)-1]
	if len(m.segs) == 1 {
		return len(text) == len(first) && fits(text, 0, first)
	}
	end := len(text) - len(last)
	if end < len(first) || !fits(text, 0, first) || !fits(text, end, last) {
		return false
	}
	pos := len(first)
	for _, seg := range m.segs[1 : len(m.segs)-1] {
		found := false
		for i := pos; i+len(seg) <= end; i++ {
			if fits(text, i, seg) {
				pos, found = i+len(seg), true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
