package sigma

import (
	"strconv"
)

// Kind is the JSON type of an event value.
type Kind uint8

const (
	KindNull Kind = iota
	KindString
	KindNumber
	KindBool
	KindArray
	KindObject
)

// Value is one field value of an event. It is passed by value and holds no
// pointers for strings beyond the text itself, so reading a string field does not
// allocate.
type Value struct {
	Kind Kind
	// Str is the text of a string, the literal text of a number, "true"/"false" for a
	// bool, and the raw JSON text (possibly empty) of an object or array.
	Str   string
	Num   float64 // numbers; 1/0 for bools
	Elems []Value // array elements
}

// StringValue wraps a string.
func StringValue(s string) Value { return Value{Kind: KindString, Str: s} }

// NumberValue wraps a number; text is its literal form ("" to format f).
func NumberValue(f float64, text string) Value {
	if text == "" {
		text = strconv.FormatFloat(f, 'f', -1, 64)
	}
	return Value{Kind: KindNumber, Num: f, Str: text}
}

// BoolValue wraps a bool.
func BoolValue(b bool) Value {
	if b {
		return Value{Kind: KindBool, Str: "true", Num: 1}
	}
	return Value{Kind: KindBool, Str: "false"}
}

// Scalar reports whether the value has a text form that string patterns apply to.
func (v Value) Scalar() bool {
	return v.Kind == KindString || v.Kind == KindNumber || v.Kind == KindBool
}

// Event is one table row (or any structured event) as the matcher sees it.
//
// Get resolves a column or a dotted path into nested values (see package
// documentation of MapEvent for the resolution rules) and reports whether it
// exists. A string column read through Get costs no allocation in the provided
// implementations. Range visits every scalar leaf value (strings, numbers,
// booleans, inside nested objects and arrays), for keyword (field-less) searches;
// it stops when fn returns false.
type Event interface {
	Get(field string) (Value, bool)
	Range(fn func(v Value) bool)
}
