package azpolicy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Values are plain Go JSON values: nil, bool, int64, float64, string, []any
// and map[string]any. Other numeric types are accepted on input. A missing
// property is the distinct value undefined, so that `exists` and `equals null`
// can tell "absent" from "null".

type undefinedType struct{}

var undefined any = undefinedType{}

func isUndef(v any) bool { _, ok := v.(undefinedType); return ok }

// isNull reports absent or JSON null, which Azure treats alike for exists.
func isNull(v any) bool { return v == nil || isUndef(v) }

// decodeJSON decodes one JSON document, keeping integers exact.
func decodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("unexpected data after the JSON value")
	}
	return normalize(v), nil
}

// normalize converts decoder output (json.Number, int, map[any]any from YAML)
// into the canonical value types.
func normalize(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	case int:
		return int64(x)
	case int32:
		return int64(x)
	case uint64:
		if x <= math.MaxInt64 {
			return int64(x)
		}
		return float64(x)
	case float32:
		return float64(x)
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return int64(x)
		}
		return x
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalize(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = normalize(e)
		}
		return out
	case map[any]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[fmt.Sprint(k)] = normalize(e)
		}
		return out
	}
	return v
}

// number returns v as a float64 and whether it is integral typed.
func number(v any) (f float64, isInt bool, ok bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true, true
	case int:
		return float64(x), true, true
	case int32:
		return float64(x), true, true
	case float64:
		return x, false, true
	case float32:
		return float64(x), false, true
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return float64(i), true, true
		}
		f, err := x.Float64()
		return f, false, err == nil
	}
	return 0, false, false
}

// asInt returns v as an int64 when it is an integral number.
func asInt(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case int:
		return int64(x), true
	case int32:
		return int64(x), true
	}
	if f, _, ok := number(v); ok && f == math.Trunc(f) && math.Abs(f) < 1<<63 {
		return int64(f), true
	}
	return 0, false
}

// numFromString parses a numeric string as Azure does when it compares a
// string property with a number.
func numFromString(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case undefinedType:
		return "undefined"
	case bool:
		return "boolean"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	if _, isInt, ok := number(v); ok {
		if isInt {
			return "integer"
		}
		return "float"
	}
	return fmt.Sprintf("%T", v)
}

// lookupKey finds a property by name the way ARM does: case-insensitively,
// preferring an exact match.
func lookupKey(m map[string]any, key string) (any, bool) {
	if v, ok := m[key]; ok {
		return v, true
	}
	for k, v := range m {
		if eqFold(k, key) {
			return v, true
		}
	}
	return nil, false
}

// sortedKeys gives maps a deterministic order for output.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// formatNumber renders a number the way JSON would.
func formatNumber(v any) string {
	f, isInt, _ := number(v)
	if isInt {
		i, _ := asInt(v)
		return strconv.FormatInt(i, 10)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// toJSON renders a value compactly; undefined renders as null.
func toJSON(v any) string {
	var b strings.Builder
	writeJSON(&b, v)
	return b.String()
}

func writeJSON(b *strings.Builder, v any) {
	switch x := v.(type) {
	case nil, undefinedType:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case string:
		enc, _ := json.Marshal(x)
		b.Write(enc)
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSON(b, e)
		}
		b.WriteByte(']')
	case map[string]any:
		b.WriteByte('{')
		for i, k := range sortedKeys(x) {
			if i > 0 {
				b.WriteByte(',')
			}
			enc, _ := json.Marshal(k)
			b.Write(enc)
			b.WriteByte(':')
			writeJSON(b, x[k])
		}
		b.WriteByte('}')
	default:
		if _, _, ok := number(v); ok {
			b.WriteString(formatNumber(v))
			return
		}
		fmt.Fprintf(b, "%q", fmt.Sprint(v))
	}
}

// deepEqual compares values exactly (case-sensitive), treating numbers by
// value. The runner uses it for expected results.
func deepEqual(a, b any) bool {
	if isUndef(a) || isUndef(b) {
		return isUndef(a) && isUndef(b)
	}
	if fa, _, ok := number(a); ok {
		fb, _, ok := number(b)
		return ok && fa == fb
	}
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !deepEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !deepEqual(v, w) {
				return false
			}
		}
		return true
	}
	return false
}
