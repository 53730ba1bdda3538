package sigma

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// MapEvent is an Event over a decoded row (map[string]any, possibly nested).
//
// Field resolution, shared with JSONEvent: a key equal to the whole field name
// wins; otherwise the name is split at a dot (longest head first) and resolution
// continues in the nested object. Arrays on the way yield every element's result
// (an array value, matched if any element matches). A string met on the way is
// decoded as embedded JSON, Windows event XML or key=value text.
type MapEvent struct {
	M        map[string]any
	embedded map[string]map[string]any
	// dotted: 0 not yet known, 1 no top-level key holds a dot, 2 some key does.
	// Without dotted keys a path resolves through its first segment only, which
	// saves the lookups of the whole path and of its longer heads.
	dotted   int8
	lastSet  bool   // lastHead holds the last first segment looked up
	lastHead string // and lastVal, lastOK its value
	lastVal  any
	lastOK   bool
}

// NewMapEvent wraps a row. The row must not change while the event is in use:
// the event caches what it looked up.
func NewMapEvent(m map[string]any) *MapEvent { return &MapEvent{M: m} }

// Get implements Event.
func (e *MapEvent) Get(field string) (Value, bool) {
	dot := strings.IndexByte(field, '.')
	if dot < 0 {
		if v, ok := e.M[field]; ok {
			return anyValue(v), true
		}
		return Value{}, false
	}
	if e.dotted == 0 {
		e.dotted = 1
		for k := range e.M {
			if strings.IndexByte(k, '.') >= 0 {
				e.dotted = 2
				break
			}
		}
	}
	if e.dotted == 2 {
		return e.walk(e.M, field)
	}
	head := field[:dot]
	if !e.lastSet || head != e.lastHead {
		e.lastSet, e.lastHead = true, head
		e.lastVal, e.lastOK = e.M[head]
	}
	if !e.lastOK {
		return Value{}, false
	}
	return e.into(e.lastVal, field[dot+1:])
}

func (e *MapEvent) walk(m map[string]any, path string) (Value, bool) {
	if v, ok := m[path]; ok {
		return anyValue(v), true
	}
	for i := strings.LastIndexByte(path, '.'); i > 0; i = strings.LastIndexByte(path[:i], '.') {
		child, ok := m[path[:i]]
		if !ok {
			continue
		}
		return e.into(child, path[i+1:])
	}
	return Value{}, false
}

func (e *MapEvent) into(child any, rest string) (Value, bool) {
	switch c := child.(type) {
	case map[string]any:
		return e.walk(c, rest)
	case []any:
		var elems []Value
		for _, el := range c {
			if v, ok := e.into(el, rest); ok {
				elems = append(elems, flatten(v)...)
			}
		}
		if len(elems) == 0 {
			return Value{}, false
		}
		return Value{Kind: KindArray, Elems: elems}, true
	case string:
		if e.embedded == nil {
			e.embedded = map[string]map[string]any{}
		}
		m, seen := e.embedded[c]
		if !seen {
			m, _ = decodeEmbedded(c)
			e.embedded[c] = m
		}
		if m == nil {
			return Value{}, false
		}
		return e.walk(m, rest)
	}
	return Value{}, false
}

func flatten(v Value) []Value {
	if v.Kind == KindArray {
		return v.Elems
	}
	return []Value{v}
}

// Range implements Event.
func (e *MapEvent) Range(fn func(Value) bool) { rangeAny(e.M, fn) }

func rangeAny(v any, fn func(Value) bool) bool {
	switch x := v.(type) {
	case map[string]any:
		for _, c := range x {
			if !rangeAny(c, fn) {
				return false
			}
		}
		return true
	case []any:
		for _, c := range x {
			if !rangeAny(c, fn) {
				return false
			}
		}
		return true
	}
	val := anyValue(v)
	if !val.Scalar() {
		return true
	}
	return fn(val)
}

// anyValue converts a decoded Go value into a Value.
func anyValue(v any) Value {
	switch x := v.(type) {
	case string:
		return StringValue(x)
	case nil:
		return Value{}
	case bool:
		return BoolValue(x)
	case float64:
		return NumberValue(x, "")
	case float32:
		return NumberValue(float64(x), "")
	case int:
		return Value{Kind: KindNumber, Num: float64(x), Str: strconv.Itoa(x)}
	case int64:
		return Value{Kind: KindNumber, Num: float64(x), Str: strconv.FormatInt(x, 10)}
	case int32:
		return Value{Kind: KindNumber, Num: float64(x), Str: strconv.FormatInt(int64(x), 10)}
	case int16:
		return Value{Kind: KindNumber, Num: float64(x), Str: strconv.FormatInt(int64(x), 10)}
	case int8:
		return Value{Kind: KindNumber, Num: float64(x), Str: strconv.FormatInt(int64(x), 10)}
	case uint:
		return Value{Kind: KindNumber, Num: float64(x), Str: strconv.FormatUint(uint64(x), 10)}
	case uint64:
		return Value{Kind: KindNumber, Num: float64(x), Str: strconv.FormatUint(x, 10)}
	case uint32:
		return Value{Kind: KindNumber, Num: float64(x), Str: strconv.FormatUint(uint64(x), 10)}
	case uint16:
		return Value{Kind: KindNumber, Num: float64(x), Str: strconv.FormatUint(uint64(x), 10)}
	case uint8:
		return Value{Kind: KindNumber, Num: float64(x), Str: strconv.FormatUint(uint64(x), 10)}
	case json.Number:
		f, _ := x.Float64()
		return Value{Kind: KindNumber, Num: f, Str: x.String()}
	case time.Time:
		return StringValue(x.UTC().Format(time.RFC3339Nano))
	case []any:
		elems := make([]Value, len(x))
		for i, c := range x {
			elems[i] = anyValue(c)
		}
		return Value{Kind: KindArray, Elems: elems}
	case []string:
		elems := make([]Value, len(x))
		for i, c := range x {
			elems[i] = StringValue(c)
		}
		return Value{Kind: KindArray, Elems: elems}
	case map[string]any:
		return Value{Kind: KindObject}
	case fmt.Stringer:
		return StringValue(x.String())
	}
	return StringValue(fmt.Sprint(v))
}
