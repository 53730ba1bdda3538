package sigma

import (
	"errors"
	"strings"
)

// JSONEvent is an Event over one JSON object, parsed once into a read-only tree
// whose strings share the event's text. Field resolution is as for MapEvent.
type JSONEvent struct {
	root     jnode
	embedded map[string]map[string]any
	helper   MapEvent // walks decoded embedded documents
	// dotted: 0 not yet known, 1 no top-level key holds a dot, 2 some key does
	// (see MapEvent.dotted).
	dotted int8
}

// ParseJSONEvent parses a JSON object. The bytes are copied once; the event does
// not keep b.
func ParseJSONEvent(b []byte) (*JSONEvent, error) {
	return ParseJSONEventString(string(b))
}

// ParseJSONEventString parses a JSON object held in a string, without copying it.
func ParseJSONEventString(s string) (*JSONEvent, error) {
	n, err := parseJSONText(s)
	if err != nil {
		return nil, err
	}
	if n.kind != KindObject {
		return nil, errors.New("json: event must be an object")
	}
	return &JSONEvent{root: n}, nil
}

// Get implements Event.
func (e *JSONEvent) Get(field string) (Value, bool) {
	dot := strings.IndexByte(field, '.')
	if dot < 0 {
		if c, ok := e.root.child(field); ok {
			return c.value(), true
		}
		return Value{}, false
	}
	if e.dotted == 0 {
		e.dotted = 1
		for _, k := range e.root.keys {
			if strings.IndexByte(k, '.') >= 0 {
				e.dotted = 2
				break
			}
		}
	}
	if e.dotted == 2 {
		return e.walk(&e.root, field)
	}
	c, ok := e.root.child(field[:dot])
	if !ok {
		return Value{}, false
	}
	return e.into(c, field[dot+1:])
}

func (e *JSONEvent) walk(n *jnode, path string) (Value, bool) {
	if c, ok := n.child(path); ok {
		return c.value(), true
	}
	for i := strings.LastIndexByte(path, '.'); i > 0; i = strings.LastIndexByte(path[:i], '.') {
		c, ok := n.child(path[:i])
		if !ok {
			continue
		}
		return e.into(c, path[i+1:])
	}
	return Value{}, false
}

func (e *JSONEvent) into(c *jnode, rest string) (Value, bool) {
	switch c.kind {
	case KindObject:
		return e.walk(c, rest)
	case KindArray:
		var elems []Value
		for i := range c.kids {
			if v, ok := e.into(&c.kids[i], rest); ok {
				elems = append(elems, flatten(v)...)
			}
		}
		if len(elems) == 0 {
			return Value{}, false
		}
		return Value{Kind: KindArray, Elems: elems}, true
	case KindString:
		if e.embedded == nil {
			e.embedded = map[string]map[string]any{}
		}
		m, seen := e.embedded[c.s]
		if !seen {
			m, _ = decodeEmbedded(c.s)
			e.embedded[c.s] = m
		}
		if m == nil {
			return Value{}, false
		}
		e.helper.embedded = e.embedded
		return e.helper.walk(m, rest)
	}
	return Value{}, false
}

// Range implements Event.
func (e *JSONEvent) Range(fn func(Value) bool) { rangeNode(&e.root, fn) }

func rangeNode(n *jnode, fn func(Value) bool) bool {
	switch n.kind {
	case KindObject, KindArray:
		for i := range n.kids {
			if !rangeNode(&n.kids[i], fn) {
				return false
			}
		}
		return true
	case KindNull:
		return true
	}
	return fn(Value{Kind: n.kind, Str: n.s, Num: n.num})
}
