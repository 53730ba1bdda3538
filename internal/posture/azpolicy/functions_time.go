package azpolicy

import (
	"fmt"
	"strings"
	"time"
)

// Date-time template functions. Values are ISO 8601 strings; results keep
// second precision unless the input had fractions.

func init() {
	register("adddays", 2, 2, func(_ *evalCtx, a []any) (any, error) {
		t, frac, err := parseDateTimeArg(a[0])
		if err != nil {
			return nil, err
		}
		days, ok := asInt(a[1])
		if !ok {
			return nil, fmt.Errorf("days must be an integer, not %s", typeName(a[1]))
		}
		return formatDateTime(t.AddDate(0, 0, int(days)), frac), nil
	})
	register("datetimeadd", 2, 3, func(_ *evalCtx, a []any) (any, error) {
		t, frac, err := parseDateTimeArg(a[0])
		if err != nil {
			return nil, err
		}
		d, ok := a[1].(string)
		if !ok {
			return nil, fmt.Errorf("duration must be a string, not %s", typeName(a[1]))
		}
		r, err := addISODuration(t, d)
		if err != nil {
			return nil, err
		}
		return formatDateTime(r, frac), nil
	})
	register("datetimefromepoch", 1, 1, func(_ *evalCtx, a []any) (any, error) {
		n, ok := asInt(a[0])
		if !ok {
			return nil, fmt.Errorf("needs an integer, not %s", typeName(a[0]))
		}
		return time.Unix(n, 0).UTC().Format(time.RFC3339), nil
	})
	register("datetimetoepoch", 1, 1, func(_ *evalCtx, a []any) (any, error) {
		t, _, err := parseDateTimeArg(a[0])
		if err != nil {
			return nil, err
		}
		return t.Unix(), nil
	})
}

var dateTimeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04Z07:00",
	"2006-01-02",
}

// parseDateTimeArg parses an ISO 8601 date-time; no zone means UTC.
func parseDateTimeArg(v any) (time.Time, bool, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, false, fmt.Errorf("needs a date-time string, not %s", typeName(v))
	}
	s = strings.TrimSpace(s)
	for _, layout := range dateTimeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, strings.Contains(s, "."), nil
		}
	}
	return time.Time{}, false, fmt.Errorf("%q is not a date-time", s)
}

func formatDateTime(t time.Time, frac bool) string {
	if frac {
		return t.Format(time.RFC3339Nano)
	}
	return t.Format(time.RFC3339)
}

// addISODuration adds an ISO 8601 duration such as P1D, PT2H30M, -P1Y2M.
func addISODuration(t time.Time, d string) (time.Time, error) {
	bad := fmt.Errorf("%q is not an ISO 8601 duration", d)
	s := d
	sign := 1
	if strings.HasPrefix(s, "-") {
		sign, s = -1, s[1:]
	}
	if !strings.HasPrefix(s, "P") || len(s) < 2 {
		return t, bad
	}
	s = s[1:]
	var years, months, days int
	var clock time.Duration
	inTime := false
	for s != "" {
		if s[0] == 'T' {
			if inTime {
				return t, bad
			}
			inTime, s = true, s[1:]
			continue
		}
		i := 0
		for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
			i++
		}
		if i == 0 || i == len(s) {
			return t, bad
		}
		var n float64
		if _, err := fmt.Sscanf(s[:i], "%g", &n); err != nil || n > 1e7 {
			return t, bad
		}
		unit := s[i]
		s = s[i+1:]
		switch {
		case !inTime && unit == 'Y':
			years += int(n)
		case !inTime && unit == 'M':
			months += int(n)
		case !inTime && unit == 'W':
			days += 7 * int(n)
		case !inTime && unit == 'D':
			days += int(n)
		case inTime && unit == 'H':
			clock += time.Duration(n * float64(time.Hour))
		case inTime && unit == 'M':
			clock += time.Duration(n * float64(time.Minute))
		case inTime && unit == 'S':
			clock += time.Duration(n * float64(time.Second))
		default:
			return t, bad
		}
	}
	return t.AddDate(sign*years, sign*months, sign*days).Add(time.Duration(sign) * clock), nil
}
