package azpolicy

import (
	"fmt"
	"strconv"
	"strings"
)

// Property paths as written in field conditions and alias catalogues:
// a.b, a[*].b, a[0], tags['cost center'], tags["x"], tags[x].

type segKind uint8

const (
	segKey segKind = iota
	segIndex
	segAll
)

type seg struct {
	kind  segKind
	key   string
	index int
}

type path []seg

func (p path) String() string {
	var b strings.Builder
	for i, s := range p {
		switch s.kind {
		case segKey:
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s.key)
		case segIndex:
			b.WriteString("[" + strconv.Itoa(s.index) + "]")
		case segAll:
			b.WriteString("[*]")
		}
	}
	return b.String()
}

func (p path) hasWildcard() bool {
	for _, s := range p {
		if s.kind == segAll {
			return true
		}
	}
	return false
}

// hasPrefix reports whether q starts with prefix, names compared ignoring case.
func (p path) hasPrefix(prefix path) bool {
	if len(prefix) > len(p) {
		return false
	}
	for i, s := range prefix {
		t := p[i]
		if s.kind != t.kind || (s.kind == segKey && !eqFold(s.key, t.key)) || (s.kind == segIndex && s.index != t.index) {
			return false
		}
	}
	return true
}

// parsePath parses a property path.
func parsePath(s string) (path, error) {
	if s == "" {
		return nil, fmt.Errorf("empty field path")
	}
	var p path
	i := 0
	expectName := true
	for i < len(s) {
		switch c := s[i]; {
		case c == '[':
			end, sg, err := parseBracket(s, i)
			if err != nil {
				return nil, err
			}
			p = append(p, sg)
			i = end
			expectName = false
		case c == '.':
			if expectName {
				return nil, fmt.Errorf("field path %q: empty segment at offset %d", s, i)
			}
			i++
			expectName = true
			if i == len(s) {
				return nil, fmt.Errorf("field path %q ends with '.'", s)
			}
		default:
			if !expectName {
				return nil, fmt.Errorf("field path %q: expected '.' or '[' at offset %d", s, i)
			}
			j := i
			for j < len(s) && s[j] != '.' && s[j] != '[' {
				j++
			}
			p = append(p, seg{kind: segKey, key: s[i:j]})
			i = j
			expectName = false
		}
	}
	return p, nil
}

// parseBracket parses the bracket starting at s[i] and returns the offset
// after its closing ']'.
func parseBracket(s string, i int) (int, seg, error) {
	i++ // '['
	if i < len(s) && (s[i] == '\'' || s[i] == '"') {
		q := s[i]
		var b strings.Builder
		for j := i + 1; j < len(s); j++ {
			if s[j] != q {
				b.WriteByte(s[j])
				continue
			}
			if j+1 < len(s) && s[j+1] == q { // doubled quote escapes itself
				b.WriteByte(q)
				j++
				continue
			}
			if j+1 >= len(s) || s[j+1] != ']' {
				return 0, seg{}, fmt.Errorf("field path %q: expected ']' after quoted key", s)
			}
			return j + 2, seg{kind: segKey, key: b.String()}, nil
		}
		return 0, seg{}, fmt.Errorf("field path %q: unterminated quoted key", s)
	}
	end := strings.IndexByte(s[i:], ']')
	if end < 0 {
		return 0, seg{}, fmt.Errorf("field path %q: missing ']'", s)
	}
	inner := s[i : i+end]
	next := i + end + 1
	switch {
	case inner == "*":
		return next, seg{kind: segAll}, nil
	case inner == "": // tags[] when a tag-name parameter is empty: no such key
		return next, seg{kind: segKey}, nil
	}
	if n, err := strconv.Atoi(inner); err == nil {
		if n < 0 {
			return 0, seg{}, fmt.Errorf("field path %q: negative index", s)
		}
		return next, seg{kind: segIndex, index: n}, nil
	}
	return next, seg{kind: segKey, key: inner}, nil
}

// walkMode says what a missing array contributes: one absent value for
// conditions (so "equals" fails and "exists: false" holds) or nothing for
// count, which sees zero elements.
type walkMode uint8

const (
	walkCondition walkMode = iota
	walkCount
)

// walk appends the values found at p under v. Loose paths come from aliases
// missing from the catalogue: each name is looked up under "properties"
// first, then on the object itself, the two places ARM puts properties.
func walk(v any, p path, loose bool, mode walkMode, out []any) []any {
	for i, s := range p {
		switch s.kind {
		case segKey:
			m, ok := v.(map[string]any)
			if !ok {
				return missing(p[i:], mode, out)
			}
			next, found := any(nil), false
			if loose {
				if props, ok := lookupKey(m, "properties"); ok {
					if pm, ok := props.(map[string]any); ok {
						next, found = lookupKey(pm, s.key)
					}
				}
			}
			if !found {
				next, found = lookupKey(m, s.key)
			}
			if !found {
				return missing(p[i:], mode, out)
			}
			v = next
		case segIndex:
			arr, ok := v.([]any)
			if !ok || s.index >= len(arr) {
				return missing(p[i:], mode, out)
			}
			v = arr[s.index]
		case segAll:
			arr, ok := v.([]any)
			if !ok {
				return missing(p[i:], mode, out)
			}
			for _, e := range arr {
				out = walk(e, p[i+1:], loose, mode, out)
			}
			return out
		}
	}
	return append(out, v)
}

func missing(rest path, mode walkMode, out []any) []any {
	if mode == walkCount && rest.hasWildcard() {
		return out
	}
	return append(out, undefined)
}
