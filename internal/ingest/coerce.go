// Package ingest turns input (JSON bodies, syslog, CEF) into typed store batches and
// commits them durably through one writer that groups concurrent requests.
package ingest

import (
	"encoding/hex"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/rampart-soc/rampart/internal/schema"
)

// FromString converts text to the Go value a column of type t stores (see store.Batch).
// ok is false for empty input that means "no value". now anchors formats without a year.
func FromString(t schema.Type, s string, now time.Time) (v any, ok bool, err error) {
	if t == schema.String {
		return s, true, nil
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, false, nil
	}
	switch t {
	case schema.Int, schema.Long:
		n, err := parseInteger(s)
		if err != nil {
			return nil, false, err
		}
		if t == schema.Int && (n > math.MaxInt32 || n < math.MinInt32) {
			return nil, false, fmt.Errorf("%d is out of range for int", n)
		}
		return n, true, nil
	case schema.Real, schema.Decimal:
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, false, fmt.Errorf("cannot read %q as a number", clip(s))
		}
		return f, true, nil
	case schema.Bool:
		switch strings.ToLower(s) {
		case "true", "1", "yes":
			return true, true, nil
		case "false", "0", "no":
			return false, true, nil
		}
		return nil, false, fmt.Errorf("cannot read %q as a bool", clip(s))
	case schema.DateTime:
		ts, err := ParseTime(s, now)
		if err != nil {
			return nil, false, err
		}
		return ts, true, nil
	case schema.TimeSpan:
		ticks, err := ParseTimespan(s)
		if err != nil {
			return nil, false, err
		}
		return ticks, true, nil
	case schema.GUID:
		g, err := ParseGUID(s)
		if err != nil {
			return nil, false, err
		}
		return g, true, nil
	case schema.Dynamic:
		// Text for a dynamic column is kept as a JSON string, unless it is itself JSON.
		if (s[0] == '{' || s[0] == '[') && validJSON(s) {
			return s, true, nil
		}
		return strconv.Quote(s), true, nil
	}
	return nil, false, fmt.Errorf("unsupported column type %s", t)
}

func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}

// parseInteger reads decimal, hexadecimal (0x..., as Windows events write ids) and
// integral floating-point text.
func parseInteger(s string) (int64, error) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, nil
	}
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		if n, err := strconv.ParseUint(s[2:], 16, 64); err == nil {
			return int64(n), nil
		}
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f == math.Trunc(f) && math.Abs(f) < 1<<63 {
		return int64(f), nil
	}
	return 0, fmt.Errorf("cannot read %q as an integer", clip(s))
}

// ParseGUID reads a GUID with or without braces or dashes into its 16 bytes.
func ParseGUID(s string) ([]byte, error) {
	h := strings.TrimSuffix(strings.TrimPrefix(s, "{"), "}")
	if len(h) == 36 && h[8] == '-' && h[13] == '-' && h[18] == '-' && h[23] == '-' {
		h = h[:8] + h[9:13] + h[14:18] + h[19:23] + h[24:]
	}
	if len(h) != 32 {
		return nil, fmt.Errorf("cannot read %q as a guid", clip(s))
	}
	b, err := hex.DecodeString(h)
	if err != nil {
		return nil, fmt.Errorf("cannot read %q as a guid", clip(s))
	}
	return b, nil
}

// ParseTimespan reads Kusto timespan text: "[-][d.]hh:mm:ss[.fffffff]" or a literal such as
// "5m", "1.5h", "100ms", "2d", returning 100 ns ticks.
func ParseTimespan(s string) (int64, error) {
	bad := fmt.Errorf("cannot read %q as a timespan", clip(s))
	neg := strings.HasPrefix(s, "-")
	body := strings.TrimPrefix(s, "-")
	var ticks float64
	if strings.Contains(body, ":") {
		days := 0.0
		if i := strings.IndexByte(body, '.'); i >= 0 && i < strings.IndexByte(body, ':') {
			d, err := strconv.ParseFloat(body[:i], 64)
			if err != nil {
				return 0, bad
			}
			days, body = d, body[i+1:]
		}
		parts := strings.Split(body, ":")
		if len(parts) != 3 {
			return 0, bad
		}
		h, err1 := strconv.ParseFloat(parts[0], 64)
		m, err2 := strconv.ParseFloat(parts[1], 64)
		sec, err3 := strconv.ParseFloat(parts[2], 64)
		if err1 != nil || err2 != nil || err3 != nil {
			return 0, bad
		}
		ticks = ((days*24+h)*60+m)*60e7 + sec*1e7
	} else {
		units := []struct {
			suffix string
			ticks  float64
		}{{"microseconds", 10}, {"microsecond", 10}, {"milliseconds", 1e4}, {"millisecond", 1e4}, {"ms", 1e4}, {"ticks", 1}, {"tick", 1},
			{"seconds", 1e7}, {"second", 1e7}, {"s", 1e7}, {"minutes", 60e7}, {"minute", 60e7}, {"m", 60e7}, {"hours", 3600e7}, {"hour", 3600e7}, {"h", 3600e7},
			{"days", 864e9}, {"day", 864e9}, {"d", 864e9}}
		found := false
		for _, u := range units {
			if strings.HasSuffix(body, u.suffix) {
				f, err := strconv.ParseFloat(body[:len(body)-len(u.suffix)], 64)
				if err != nil {
					return 0, bad
				}
				ticks, found = f*u.ticks, true
				break
			}
		}
		if !found {
			return 0, bad
		}
	}
	if math.IsNaN(ticks) || math.Abs(ticks) > math.MaxInt64/2 {
		return 0, bad
	}
	if neg {
		ticks = -ticks
	}
	return int64(math.Round(ticks)), nil
}

// Layouts tried, after the fast RFC 3339 path, for datetimes seen in real logs.
var timeLayouts = []string{
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999 Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02 15:04:05.999999999 -0700 MST",
	"2006-01-02",
	"2006/01/02 15:04:05.999999999",
	"1/2/2006, 3:04:05.999999999 PM", // Log Analytics CSV export
	"1/2/2006 3:04:05 PM",
	"1/2/2006 15:04:05",
	"02/Jan/2006:15:04:05 -0700", // Apache/NGINX common log format
	time.RFC1123Z,
	time.RFC1123,
	time.RFC850,
	time.ANSIC,
	time.UnixDate,
	"Mon Jan _2 15:04:05.999999999 2006",
	"Jan _2 2006 15:04:05",
	"Jan _2 15:04:05.999999999 2006",
	"2006-01-02T15:04:05.999999999-07:00:00",
}

// Layouts without a year: the year is taken from now (syslog's BSD timestamps).
var yearlessLayouts = []string{"Jan _2 15:04:05.999999999", "Jan _2 15:04:05"}

// ParseTime reads a datetime in the formats logs use: RFC 3339/ISO 8601, common log
// formats, and epoch seconds, milliseconds, microseconds or nanoseconds. Times without a
// zone are UTC. The result is UTC.
func ParseTime(s string, now time.Time) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	if isNumeric(s) {
		f, err := strconv.ParseFloat(s, 64)
		if err == nil {
			return FromEpoch(f)
		}
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	for _, l := range yearlessLayouts {
		if t, err := time.Parse(l, s); err == nil {
			t = t.AddDate(now.Year(), 0, 0)
			if t.After(now.Add(48 * time.Hour)) { // December's logs read in January
				t = t.AddDate(-1, 0, 0)
			}
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("cannot read %q as a datetime (want ISO 8601/RFC 3339, a common log format or epoch seconds/milliseconds)", clip(s))
}

// FromEpoch reads an epoch number, guessing its unit from its magnitude.
func FromEpoch(f float64) (time.Time, error) {
	a := math.Abs(f)
	switch {
	case math.IsNaN(f) || math.IsInf(f, 0):
		return time.Time{}, fmt.Errorf("%v is not a datetime", f)
	case a < 1e11: // seconds (until the year 5138)
		sec, frac := math.Modf(f)
		return time.Unix(int64(sec), int64(math.Round(frac*1e9))).UTC(), nil
	case a < 1e14:
		return time.UnixMicro(int64(math.Round(f * 1e3))).UTC(), nil
	case a < 1e17:
		return time.UnixMicro(int64(f)).UTC(), nil
	case a < 9e18:
		return time.Unix(0, int64(f)).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("%v is out of range for a datetime", f)
}

func isNumeric(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && c != '.' && !(i == 0 && c == '-') && c != 'e' && c != 'E' && c != '+' {
			return false
		}
	}
	return true
}
