package sigma

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
)

// A small JSON reader that builds a read-only tree whose strings point into the
// input text (no copy unless a string has escapes). It exists because decoding
// events into map[string]any is the dominant cost of matching.

const maxJSONDepth = 200

type jnode struct {
	kind  Kind
	s     string // string value, number literal, or raw text of an object/array
	num   float64
	keys  []string
	kids  []jnode
	index []uint16 // objects with many keys: open-addressing table of key index+1
}

// jparser builds each object's members on shared stacks and copies them into
// exactly sized slices when the object ends: a parse allocates once per object
// or array instead of once per growth of its slices.
type jparser struct {
	s    string
	pos  int
	keys []string
	kids []jnode
}

var jstacks sync.Pool // *jparser with empty stacks

func parseJSONText(s string) (jnode, error) {
	p, _ := jstacks.Get().(*jparser)
	if p == nil {
		p = &jparser{}
	}
	p.s, p.pos = s, 0
	defer func() {
		clear(p.keys[:cap(p.keys)])
		clear(p.kids[:cap(p.kids)])
		p.keys, p.kids, p.s = p.keys[:0], p.kids[:0], ""
		jstacks.Put(p)
	}()
	p.ws()
	n, err := p.value(0)
	if err != nil {
		return jnode{}, err
	}
	p.ws()
	if p.pos != len(p.s) {
		return jnode{}, p.errf("unexpected data after the JSON value")
	}
	return n, nil
}

func (p *jparser) errf(format string, args ...any) error {
	return fmt.Errorf("json: offset %d: %s", p.pos, fmt.Sprintf(format, args...))
}

func (p *jparser) ws() {
	for p.pos < len(p.s) {
		switch p.s[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *jparser) value(depth int) (jnode, error) {
	if depth > maxJSONDepth {
		return jnode{}, p.errf("nested too deeply")
	}
	if p.pos >= len(p.s) {
		return jnode{}, p.errf("unexpected end of input")
	}
	switch c := p.s[p.pos]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		s, err := p.str()
		return jnode{kind: KindString, s: s}, err
	case c == 't':
		return p.lit("true", jnode{kind: KindBool, s: "true", num: 1})
	case c == 'f':
		return p.lit("false", jnode{kind: KindBool, s: "false"})
	case c == 'n':
		return p.lit("null", jnode{kind: KindNull})
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	}
	return jnode{}, p.errf("unexpected character %q", p.s[p.pos])
}

func (p *jparser) lit(word string, n jnode) (jnode, error) {
	if !strings.HasPrefix(p.s[p.pos:], word) {
		return jnode{}, p.errf("invalid literal")
	}
	p.pos += len(word)
	return n, nil
}

func (p *jparser) number() (jnode, error) {
	start := p.pos
	if p.s[p.pos] == '-' {
		p.pos++
	}
	digits := func() int {
		n := 0
		for p.pos < len(p.s) && p.s[p.pos] >= '0' && p.s[p.pos] <= '9' {
			p.pos++
			n++
		}
		return n
	}
	if p.pos < len(p.s) && p.s[p.pos] == '0' {
		p.pos++ // JSON allows no leading zeros
	} else if digits() == 0 {
		return jnode{}, p.errf("invalid number")
	}
	if p.pos < len(p.s) && p.s[p.pos] == '.' {
		p.pos++
		if digits() == 0 {
			return jnode{}, p.errf("invalid number")
		}
	}
	if p.pos < len(p.s) && (p.s[p.pos] == 'e' || p.s[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.s) && (p.s[p.pos] == '+' || p.s[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return jnode{}, p.errf("invalid number")
		}
	}
	text := p.s[start:p.pos]
	f, err := strconv.ParseFloat(text, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return jnode{}, p.errf("invalid number")
	}
	return jnode{kind: KindNumber, s: text, num: f}, nil
}

func (p *jparser) str() (string, error) {
	p.pos++ // opening quote
	start := p.pos
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		if c == '"' {
			s := p.s[start:p.pos]
			p.pos++
			return s, nil
		}
		if c == '\\' {
			return p.strEscaped(start)
		}
		if c < 0x20 {
			return "", p.errf("control character in string")
		}
		p.pos++
	}
	return "", p.errf("unterminated string")
}

func (p *jparser) strEscaped(start int) (string, error) {
	var b strings.Builder
	b.WriteString(p.s[start:p.pos])
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		switch {
		case c == '"':
			p.pos++
			return b.String(), nil
		case c < 0x20:
			return "", p.errf("control character in string")
		case c != '\\':
			b.WriteByte(c)
			p.pos++
			continue
		}
		if p.pos+1 >= len(p.s) {
			break
		}
		e := p.s[p.pos+1]
		p.pos += 2
		switch e {
		case '"', '\\', '/':
			b.WriteByte(e)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return "", p.errf("invalid \\u escape")
			}
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if strings.HasPrefix(p.s[p.pos:], "\\u") {
					save := p.pos
					p.pos += 2
					if x, ok := p.hex4(); ok {
						r2 = x
					} else {
						p.pos = save
					}
				}
				r = utf16.DecodeRune(r, r2)
			}
			b.WriteRune(r)
		default:
			return "", p.errf("invalid escape \\%c", e)
		}
	}
	return "", p.errf("unterminated string")
}

func (p *jparser) hex4() (rune, bool) {
	if p.pos+4 > len(p.s) {
		return 0, false
	}
	v, err := strconv.ParseUint(p.s[p.pos:p.pos+4], 16, 32)
	if err != nil {
		return 0, false
	}
	p.pos += 4
	return rune(v), true
}

func (p *jparser) object(depth int) (jnode, error) {
	start := p.pos
	p.pos++
	n := jnode{kind: KindObject}
	base := len(p.keys)
	defer func() { p.keys, p.kids = p.keys[:base], p.kids[:base] }()
	p.ws()
	if p.pos < len(p.s) && p.s[p.pos] == '}' {
		p.pos++
		n.s = p.s[start:p.pos]
		return n, nil
	}
	for {
		p.ws()
		if p.pos >= len(p.s) || p.s[p.pos] != '"' {
			return jnode{}, p.errf("expected a key")
		}
		k, err := p.str()
		if err != nil {
			return jnode{}, err
		}
		p.ws()
		if p.pos >= len(p.s) || p.s[p.pos] != ':' {
			return jnode{}, p.errf("expected ':'")
		}
		p.pos++
		p.ws()
		v, err := p.value(depth + 1)
		if err != nil {
			return jnode{}, err
		}
		p.keys = append(p.keys, k)
		p.kids = append(p.kids, v)
		p.ws()
		if p.pos >= len(p.s) {
			return jnode{}, p.errf("unterminated object")
		}
		if p.s[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.s[p.pos] == '}' {
			p.pos++
			break
		}
		return jnode{}, p.errf("expected ',' or '}'")
	}
	n.s = p.s[start:p.pos]
	n.keys = append([]string(nil), p.keys[base:]...)
	n.kids = append([]jnode(nil), p.kids[base:]...)
	if len(n.keys) > 8 {
		n.buildIndex()
	}
	return n, nil
}

func (p *jparser) array(depth int) (jnode, error) {
	start := p.pos
	p.pos++
	n := jnode{kind: KindArray}
	base := len(p.kids)
	defer func() { p.kids = p.kids[:base] }()
	p.ws()
	if p.pos < len(p.s) && p.s[p.pos] == ']' {
		p.pos++
		n.s = p.s[start:p.pos]
		return n, nil
	}
	for {
		p.ws()
		v, err := p.value(depth + 1)
		if err != nil {
			return jnode{}, err
		}
		p.kids = append(p.kids, v)
		p.ws()
		if p.pos >= len(p.s) {
			return jnode{}, p.errf("unterminated array")
		}
		if p.s[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.s[p.pos] == ']' {
			p.pos++
			break
		}
		return jnode{}, p.errf("expected ',' or ']'")
	}
	n.s = p.s[start:p.pos]
	n.kids = append([]jnode(nil), p.kids[base:]...)
	return n, nil
}

func (n *jnode) child(key string) (*jnode, bool) {
	if n.index != nil {
		mask := uint32(len(n.index) - 1)
		for h := keyHash(key) & mask; n.index[h] != 0; h = (h + 1) & mask {
			if i := n.index[h] - 1; n.keys[i] == key {
				return &n.kids[i], true
			}
		}
		return nil, false
	}
	for i := len(n.keys) - 1; i >= 0; i-- {
		if n.keys[i] == key {
			return &n.kids[i], true
		}
	}
	return nil, false
}

func (n *jnode) value() Value {
	switch n.kind {
	case KindArray:
		v := Value{Kind: KindArray, Str: n.s, Elems: make([]Value, len(n.kids))}
		for i := range n.kids {
			v.Elems[i] = n.kids[i].value()
		}
		return v
	default:
		return Value{Kind: n.kind, Str: n.s, Num: n.num}
	}
}

// buildIndex hashes the keys of a large object; a key listed twice maps to its
// last member, as in encoding/json.
func (n *jnode) buildIndex() {
	if len(n.keys) >= 1<<15 {
		n.index = nil // linear search beyond what uint16 entries address
		return
	}
	size := 16
	for size < 2*len(n.keys) {
		size *= 2
	}
	n.index = make([]uint16, size)
	mask := uint32(size - 1)
	for i, k := range n.keys {
		h := keyHash(k) & mask
		for ; n.index[h] != 0; h = (h + 1) & mask {
			if n.keys[n.index[h]-1] == k {
				break
			}
		}
		n.index[h] = uint16(i + 1)
	}
}

// keyHash is FNV-1a: keys are short, and a map would cost more to build than the
// few lookups an event gets.
func keyHash(k string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(k); i++ {
		h = (h ^ uint32(k[i])) * 16777619
	}
	return h
}
