package lite

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Dynamic values in Go, for the functions implemented as UDFs. Property bags keep their
// key order (Kusto prints bags in insertion order), so they are not Go maps:
//
//	nil, bool, json.Number, string, []any, *bag
type bag struct {
	keys []string
	vals map[string]any
}

func newBag() *bag { return &bag{vals: map[string]any{}} }

func (b *bag) set(k string, v any) {
	if _, ok := b.vals[k]; !ok {
		b.keys = append(b.keys, k)
	}
	b.vals[k] = v
}

func (b *bag) del(k string) {
	if _, ok := b.vals[k]; !ok {
		return
	}
	delete(b.vals, k)
	for i, x := range b.keys {
		if x == k {
			b.keys = append(b.keys[:i:i], b.keys[i+1:]...)
			break
		}
	}
}

// parseJSON reads one JSON value, keeping bag key order.
func parseJSON(s string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	v, err := readValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("trailing data after JSON value")
	}
	return v, nil
}

func readValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '[':
			arr := []any{}
			for dec.More() {
				v, err := readValue(dec)
				if err != nil {
					return nil, err
				}
				arr = append(arr, v)
			}
			_, err := dec.Token()
			return arr, err
		case '{':
			b := newBag()
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, _ := kt.(string)
				v, err := readValue(dec)
				if err != nil {
					return nil, err
				}
				b.set(k, v)
			}
			_, err := dec.Token()
			return b, err
		}
		return nil, errors.New("unexpected delimiter")
	}
	return tok, nil
}

// writeJSONValue writes compact JSON.
func writeJSONValue(buf *bytes.Buffer, v any) {
	switch x := v.(type) {
	case nil:
		buf.WriteString("null")
	case bool:
		buf.WriteString(strconv.FormatBool(x))
	case json.Number:
		buf.WriteString(x.String())
	case string:
		b, _ := json.Marshal(x)
		buf.Write(b)
	case []any:
		buf.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				buf.WriteByte(',')
			}
			writeJSONValue(buf, e)
		}
		buf.WriteByte(']')
	case *bag:
		buf.WriteByte('{')
		for i, k := range x.keys {
			if i > 0 {
				buf.WriteByte(',')
			}
			b, _ := json.Marshal(k)
			buf.Write(b)
			buf.WriteByte(':')
			writeJSONValue(buf, x.vals[k])
		}
		buf.WriteByte('}')
	case int64:
		buf.WriteString(strconv.FormatInt(x, 10))
	case int:
		buf.WriteString(strconv.Itoa(x))
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			b, _ := json.Marshal(formatReal(x))
			buf.Write(b)
		} else {
			buf.WriteString(strconv.FormatFloat(x, 'g', -1, 64))
		}
	default:
		buf.WriteString("null")
	}
}

func toJSON(v any) string {
	var buf bytes.Buffer
	writeJSONValue(&buf, v)
	return buf.String()
}

// jsonText is a value's text as tostring() gives it: strings unquoted.
func jsonText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	if v == nil {
		return ""
	}
	return toJSON(v)
}

// jsonNum reads a JSON number (or numeric string) as float64.
func jsonNum(v any) (float64, bool) {
	switch x := v.(type) {
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	case string:
		f, err := strconv.ParseFloat(x, 64)
		return f, err == nil
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	case float64:
		return x, true
	case int64:
		return float64(x), true
	}
	return 0, false
}

// jsonKeyOf is the identity of a value for set operations.
func jsonKeyOf(v any) string { return toJSON(v) }

// sortJSON sorts array elements as Kusto's array_sort_*: numbers, then strings, nulls last.
func sortJSON(arr []any, desc bool) {
	rank := func(v any) int {
		switch v.(type) {
		case nil:
			return 3
		case json.Number, float64, int64, bool:
			return 0
		case string:
			return 1
		}
		return 2
	}
	sort.SliceStable(arr, func(i, j int) bool {
		a, b := arr[i], arr[j]
		ra, rb := rank(a), rank(b)
		if ra != rb {
			return ra < rb
		}
		var less bool
		switch ra {
		case 0:
			fa, _ := jsonNum(a)
			fb, _ := jsonNum(b)
			if fa == fb {
				return false
			}
			less = fa < fb
		case 1:
			if a.(string) == b.(string) {
				return false
			}
			less = a.(string) < b.(string)
		case 2:
			ta, tb := toJSON(a), toJSON(b)
			if ta == tb {
				return false
			}
			less = ta < tb
		default:
			return false
		}
		if desc {
			return !less
		}
		return less
	})
}
