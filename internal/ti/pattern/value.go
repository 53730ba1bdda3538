package pattern

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// asString returns the text of a string-like observed value.
func asString(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case json.Number:
		return string(v), true
	case netip.Addr:
		return v.String(), v.IsValid()
	case netip.Prefix:
		return prefixString(v), v.IsValid()
	}
	return "", false
}

// asPrefix reads an observed address or CIDR.
func asPrefix(v any) (netip.Prefix, bool) {
	switch v := v.(type) {
	case netip.Addr:
		if !v.IsValid() {
			return netip.Prefix{}, false
		}
		v = v.Unmap()
		return netip.PrefixFrom(v, v.BitLen()), true
	case netip.Prefix:
		return ParseIPOrCIDR(v.String())
	case string:
		return ParseIPOrCIDR(v)
	}
	return netip.Prefix{}, false
}

// number is an observed numeric value; isInt keeps int64 precision.
type number struct {
	i     int64
	f     float64
	isInt bool
}

func asNumber(v any) (number, bool) {
	switch v := v.(type) {
	case int:
		return number{int64(v), float64(v), true}, true
	case int8:
		return number{int64(v), float64(v), true}, true
	case int16:
		return number{int64(v), float64(v), true}, true
	case int32:
		return number{int64(v), float64(v), true}, true
	case int64:
		return number{v, float64(v), true}, true
	case uint:
		return fromUint(uint64(v)), true
	case uint8:
		return fromUint(uint64(v)), true
	case uint16:
		return fromUint(uint64(v)), true
	case uint32:
		return fromUint(uint64(v)), true
	case uint64:
		return fromUint(v), true
	case float32:
		return number{f: float64(v)}, !math.IsNaN(float64(v))
	case float64:
		return number{f: v}, !math.IsNaN(v)
	case string, json.Number:
		s, _ := asString(v)
		s = strings.TrimSpace(s)
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return number{i, float64(i), true}, true
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsNaN(f) {
			return number{f: f}, true
		}
	}
	return number{}, false
}

func fromUint(u uint64) number {
	if u > math.MaxInt64 {
		return number{f: float64(u)}
	}
	return number{int64(u), float64(u), true}
}

func asTime(v any) (time.Time, bool) {
	switch v := v.(type) {
	case time.Time:
		return v, !v.IsZero()
	case string:
		t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(v))
		return t, err == nil
	}
	return time.Time{}, false
}

// asBytes reads an observed binary value; strings are decoded as hex or
// base64 to match the literal they are compared with.
func asBytes(v any, kind LitKind) ([]byte, bool) {
	switch v := v.(type) {
	case []byte:
		return v, true
	case string:
		s := strings.TrimSpace(v)
		if kind == LitHex {
			b, err := hex.DecodeString(strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X"))
			return b, err == nil
		}
		return decodeBase64(s, true)
	}
	return nil, false
}

func asBool(v any) (bool, bool) {
	switch v := v.(type) {
	case bool:
		return v, true
	case string:
		b, err := strconv.ParseBool(strings.TrimSpace(v))
		return b, err == nil
	}
	return false, false
}

func sign[T int64 | float64](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// order compares an observed value with a literal: -1, 0 or 1, and
// ok=false when the two are of different types.
func (m *cmpMatcher) order(l *compiledLit, v any) (int, bool) {
	switch l.Kind {
	case LitString:
		s, ok := asString(v)
		if !ok {
			return 0, false
		}
		switch m.kind {
		case kindHash:
			return strings.Compare(NormalizeHashValue(s), l.norm), true
		case kindDomain:
			return strings.Compare(NormalizeDomain(s), l.norm), true
		}
		return strings.Compare(s, l.Str), true
	case LitInt, LitFloat:
		n, ok := asNumber(v)
		if !ok {
			return 0, false
		}
		if n.isInt && l.Kind == LitInt && !l.intOverflow {
			return sign(n.i, l.Int), true
		}
		return sign(n.f, l.Float), true
	case LitBool:
		b, ok := asBool(v)
		if !ok {
			return 0, false
		}
		if b == l.Bool {
			return 0, true
		}
		return 1, true
	case LitTimestamp:
		t, ok := asTime(v)
		if !ok {
			return 0, false
		}
		return t.Compare(l.Time), true
	case LitHex, LitBinary:
		b, ok := asBytes(v, l.Kind)
		if !ok {
			return 0, false
		}
		return bytes.Compare(b, l.Bytes), true
	}
	return 0, false
}

// equal compares for =, != and IN. Addresses compare by containment, so
// a CIDR literal matches every address inside it.
func (m *cmpMatcher) equal(l *compiledLit, v any) (bool, bool) {
	if m.kind == kindIP && l.Kind == LitString && l.prefix.IsValid() {
		if p, ok := asPrefix(v); ok {
			return prefixWithin(p, l.prefix), true
		}
	}
	c, ok := m.order(l, v)
	return ok && c == 0, ok
}
