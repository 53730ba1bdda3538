package cef

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Columns maps e onto Sentinel's CommonSecurityLog table. Empty values are
// not set, except inside AdditionalExtensions. No value is lost:
//
//   - header fields go to DeviceVendor, DeviceProduct, DeviceVersion,
//     DeviceEventClassID, Activity (Name) and LogSeverity. LogSeverity holds
//     Severity as sent, as Sentinel does (its sample data has "Critical"
//     and "2.2" as well as 0-10); SeverityClass gives the Low..Very-High
//     reading. OriginalLogSeverity is left empty: Sentinel documents it as
//     always empty. The CEF version has no column; version 0 is implied and
//     any other is kept as "cefVersion=N" in AdditionalExtensions;
//   - standard keys (short or long form) go to their column; cat has no
//     column in this schema and, like every other unknown key, goes to
//     AdditionalExtensions as "key=value" pairs joined by ';';
//   - a value that does not fit its column's type (cn3=N/A), or a second
//     value for a column already set, goes to AdditionalExtensions too;
//   - StartTime and EndTime are normalised to RFC 3339 UTC.
//
// Invalid UTF-8 is replaced.
func (e *Event) Columns(set func(col, val string)) {
	put := func(col, val string) {
		if val == "" {
			return
		}
		set(col, validUTF8(val))
	}
	put("Computer", e.Host)
	put("DeviceVendor", e.DeviceVendor)
	put("DeviceProduct", e.DeviceProduct)
	put("DeviceVersion", e.DeviceVersion)
	put("DeviceEventClassID", e.DeviceEventClassID)
	put("Activity", e.Name)
	put("LogSeverity", e.Severity)

	var extra strings.Builder
	addExtra := func(k, v string) {
		if extra.Len() > 0 {
			extra.WriteByte(';')
		}
		if k != "" {
			extra.WriteString(k)
			extra.WriteByte('=')
		}
		extra.WriteString(v)
	}
	if e.Version != 0 {
		addExtra("cefVersion", strconv.Itoa(e.Version))
	}
	var done map[string]bool // columns already set from the extension
	for _, x := range e.Extensions {
		d := lookup(x.Key)
		if d == nil {
			addExtra(x.Key, x.Value)
			continue
		}
		if x.Value == "" {
			continue // an empty standard key says nothing
		}
		v, ok := fit(d.kind, x.Value, e.Received)
		if !ok || done[d.column] {
			addExtra(x.Key, x.Value)
			continue
		}
		if done == nil {
			done = make(map[string]bool)
		}
		done[d.column] = true
		put(d.column, v)
	}
	put("AdditionalExtensions", extra.String())
}

// fit checks v against a column type, normalising times.
func fit(k kind, v string, received time.Time) (string, bool) {
	switch k {
	case kInt, kLong:
		n, ok := parseInteger(strings.TrimSpace(v))
		if !ok || k == kInt && (n > math.MaxInt32 || n < math.MinInt32) {
			return "", false
		}
		return v, true
	case kReal:
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		return v, err == nil && !math.IsNaN(f) && !math.IsInf(f, 0)
	case kDatetime:
		t, ok := parseTime(v, received)
		if !ok {
			return "", false
		}
		return t.UTC().Format("2006-01-02T15:04:05.000000000Z07:00"), true
	}
	return v, true
}

// parseInteger accepts decimal, 0x hexadecimal and integral decimals ("5.0").
func parseInteger(s string) (int64, bool) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, true
	}
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		if n, err := strconv.ParseUint(s[2:], 16, 63); err == nil {
			return int64(n), true
		}
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f == math.Trunc(f) && math.Abs(f) < 1<<62 {
		return int64(f), true
	}
	return 0, false
}

func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}
