package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/valyala/fastjson"

	"github.com/rampart-soc/rampart/internal/schema"
	"github.com/rampart-soc/rampart/internal/store"
)

// Decoding goes straight from JSON tokens to typed cells, never through map[string]any:
// JSON decoding, not storage, bounds ingestion in Go.

var parserPool fastjson.ParserPool

// MaxRecordBytes bounds one NDJSON line / array element.
const MaxRecordBytes = 4 << 20

// DecodeJSON reads body, a JSON array of objects or newline-delimited JSON objects, into a
// batch for table t. It is all or nothing: the first bad record fails the whole body with
// a *FieldError naming the record and field.
func DecodeJSON(t *schema.Table, body []byte, now time.Time) (*store.Batch, error) {
	b := NewBuilder(t, now)
	trimmed := bytes.TrimLeft(body, " \t\r\n\ufeff")
	trimmed = bytes.TrimPrefix(trimmed, []byte("\xef\xbb\xbf"))
	if len(trimmed) > 0 && trimmed[0] == '[' {
		if err := decodeArray(b, trimmed); err != nil {
			return nil, err
		}
	} else if err := decodeLines(b, trimmed); err != nil {
		return nil, err
	}
	return b.Batch(len(body)), nil
}

func decodeArray(b *Builder, body []byte) error {
	p := parserPool.Get()
	defer parserPool.Put(p)
	v, err := p.ParseBytes(body)
	if err != nil {
		return &FieldError{Line: 1, Err: fmt.Errorf("invalid JSON array: %v", err)}
	}
	arr, err := v.Array()
	if err != nil {
		return &FieldError{Line: 1, Err: errors.New("expected a JSON array of objects")}
	}
	for i, el := range arr {
		if err := decodeObject(b, el, i+1); err != nil {
			return err
		}
	}
	return nil
}

func decodeLines(b *Builder, body []byte) error {
	p := parserPool.Get()
	defer parserPool.Put(p)
	line := 0
	for len(body) > 0 {
		line++
		var rec []byte
		if i := bytes.IndexByte(body, '\n'); i >= 0 {
			rec, body = body[:i], body[i+1:]
		} else {
			rec, body = body, nil
		}
		rec = bytes.TrimSpace(rec)
		if len(rec) == 0 {
			continue
		}
		if len(rec) > MaxRecordBytes {
			return &FieldError{Line: line, Err: fmt.Errorf("record of %d bytes exceeds the %d-byte limit", len(rec), MaxRecordBytes)}
		}
		v, err := p.ParseBytes(rec)
		if err != nil {
			return &FieldError{Line: line, Err: fmt.Errorf("invalid JSON: %v", err)}
		}
		if err := decodeObject(b, v, line); err != nil {
			return err
		}
	}
	return nil
}

func decodeObject(b *Builder, v *fastjson.Value, line int) error {
	obj, err := v.Object()
	if err != nil {
		return &FieldError{Line: line, Err: fmt.Errorf("expected a JSON object, found %s", v.Type())}
	}
	t := b.Table()
	var ferr error
	obj.Visit(func(key []byte, val *fastjson.Value) {
		if ferr != nil {
			return
		}
		ci, ok := t.LookupBytes(key)
		if !ok {
			if val.Type() != fastjson.TypeNull {
				b.AddExtra(string(key), val)
			}
			return
		}
		col := &t.Columns[ci]
		if col.Type == schema.String && val.Type() == fastjson.TypeString {
			b.Set(ci, b.intern(val.GetStringBytes()))
			return
		}
		out, ok, err := fromJSON(col.Type, val, b.b.IngestionTime)
		if err != nil {
			ferr = &FieldError{Line: line, Field: col.Name, Err: err}
			return
		}
		if ok {
			b.Set(ci, out)
		}
	})
	if ferr != nil {
		b.DiscardRow()
		return ferr
	}
	b.EndRow()
	return nil
}

// fromJSON converts a JSON value to the Go value a column of type t stores.
func fromJSON(t schema.Type, v *fastjson.Value, now time.Time) (any, bool, error) {
	switch v.Type() {
	case fastjson.TypeNull:
		return nil, false, nil
	case fastjson.TypeString:
		s := string(v.GetStringBytes())
		if t == schema.Dynamic && s != "" && (s[0] == '{' || s[0] == '[') && validJSON(s) {
			return s, true, nil
		}
		if t == schema.Dynamic {
			return string(v.MarshalTo(nil)), true, nil
		}
		return FromString(t, s, now)
	case fastjson.TypeNumber:
		switch t {
		case schema.Int, schema.Long:
			if n, err := v.Int64(); err == nil {
				if t == schema.Int && (n > math.MaxInt32 || n < math.MinInt32) {
					return nil, false, fmt.Errorf("%d is out of range for int", n)
				}
				return n, true, nil
			}
			f := v.GetFloat64()
			if f != math.Trunc(f) || math.Abs(f) >= 1<<63 {
				return nil, false, fmt.Errorf("%s is not an integer", v.MarshalTo(nil))
			}
			return FromString(t, strconv.FormatInt(int64(f), 10), now)
		case schema.Real, schema.Decimal:
			return v.GetFloat64(), true, nil
		case schema.DateTime:
			ts, err := FromEpoch(v.GetFloat64())
			return ts, err == nil, err
		case schema.TimeSpan:
			n, err := v.Int64() // ticks
			if err != nil {
				return nil, false, fmt.Errorf("timespan number must be whole 100 ns ticks")
			}
			return n, true, nil
		case schema.Bool:
			switch v.GetFloat64() {
			case 0:
				return false, true, nil
			case 1:
				return true, true, nil
			}
			return nil, false, fmt.Errorf("%s is not a bool", v.MarshalTo(nil))
		case schema.String, schema.Dynamic:
			return string(v.MarshalTo(nil)), true, nil
		}
		return nil, false, fmt.Errorf("a number cannot be a %s", t)
	case fastjson.TypeTrue, fastjson.TypeFalse:
		switch t {
		case schema.Bool:
			return v.Type() == fastjson.TypeTrue, true, nil
		case schema.String, schema.Dynamic:
			return string(v.MarshalTo(nil)), true, nil
		case schema.Int, schema.Long:
			if v.Type() == fastjson.TypeTrue {
				return int64(1), true, nil
			}
			return int64(0), true, nil
		}
		return nil, false, fmt.Errorf("a bool cannot be a %s", t)
	default: // object or array
		switch t {
		case schema.Dynamic, schema.String:
			return string(v.MarshalTo(nil)), true, nil
		}
		return nil, false, fmt.Errorf("a JSON %s cannot be a %s", v.Type(), t)
	}
}

func validJSON(s string) bool { return fastjson.Validate(s) == nil }
