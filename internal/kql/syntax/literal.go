package syntax

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Tick is Kusto's time resolution: 100 ns.
const Tick = 100 * time.Nanosecond

// timespanUnits maps a timespan literal suffix (5m, 2hours) to its length.
var timespanUnits = map[string]time.Duration{
	"d": 24 * time.Hour, "day": 24 * time.Hour, "days": 24 * time.Hour,
	"h": time.Hour, "hr": time.Hour, "hrs": time.Hour, "hour": time.Hour, "hours": time.Hour,
	"m": time.Minute, "min": time.Minute, "minute": time.Minute, "minutes": time.Minute,
	"s": time.Second, "sec": time.Second, "second": time.Second, "seconds": time.Second,
	"ms": time.Millisecond, "milli": time.Millisecond, "millis": time.Millisecond,
	"millisec": time.Millisecond, "millisecond": time.Millisecond, "milliseconds": time.Millisecond,
	"micro": time.Microsecond, "micros": time.Microsecond, "microsec": time.Microsecond,
	"microsecond": time.Microsecond, "microseconds": time.Microsecond,
	"tick": Tick, "ticks": Tick,
	"nanosecond": time.Nanosecond, "nanoseconds": time.Nanosecond,
}

// RelativeTime is the value of a datetime literal that depends on the
// query's clock: datetime(now), or a time of day without a date
// (datetime(8:00)), which Kusto places on the current UTC day.
type RelativeTime struct {
	Now       bool
	TimeOfDay time.Duration
}

// scaleDuration multiplies a decimal number text by a unit, exactly for
// integers and rounded to whole ticks for fractions.
func scaleDuration(num string, unit time.Duration) (time.Duration, error) {
	if !strings.ContainsAny(num, ".eE") {
		n, err := strconv.ParseInt(num, 10, 64)
		if err != nil {
			return 0, err
		}
		if unit != 0 && (n > math.MaxInt64/int64(unit) || n < math.MinInt64/int64(unit)) {
			return 0, errors.New("timespan out of range")
		}
		return time.Duration(n) * unit, nil
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return 0, err
	}
	v := f * float64(unit)
	if math.IsNaN(v) || math.Abs(v) > math.MaxInt64 {
		return 0, errors.New("timespan out of range")
	}
	ticks := math.Round(v / float64(Tick))
	return time.Duration(ticks) * Tick, nil
}

// ParseTimespanLiteral decodes a timespan literal's text: "5m", "1.5h",
// "15 seconds", "2" (days), "1.02:03:04.5", "-00:10:00".
func ParseTimespanLiteral(s string) (time.Duration, error) {
	s = strings.TrimSpace(unquote(s))
	if s == "" {
		return 0, errors.New("empty timespan")
	}
	neg := false
	body := s
	if body[0] == '-' || body[0] == '+' {
		neg = body[0] == '-'
		body = strings.TrimSpace(body[1:])
	}
	var d time.Duration
	var err error
	if strings.Contains(body, ":") {
		d, err = parseClockSpan(body)
	} else {
		i := 0
		for i < len(body) && (isDigit(body[i]) || body[i] == '.') {
			i++
		}
		num, unit := body[:i], strings.TrimSpace(body[i:])
		if num == "" {
			return 0, fmt.Errorf("invalid timespan %q", s)
		}
		u := 24 * time.Hour // a bare number counts days
		if unit != "" {
			var ok bool
			if u, ok = timespanUnits[unit]; !ok {
				return 0, fmt.Errorf("invalid timespan %q: unknown unit %q", s, unit)
			}
		}
		d, err = scaleDuration(num, u)
	}
	if err != nil {
		return 0, fmt.Errorf("invalid timespan %q", s)
	}
	if neg {
		d = -d
	}
	return d, nil
}

// parseClockSpan reads [d.]hh:mm[:ss[.fffffff]].
func parseClockSpan(s string) (time.Duration, error) {
	bad := fmt.Errorf("invalid timespan %q", s)
	var days int64
	if dot := strings.IndexByte(s, '.'); dot >= 0 && dot < strings.IndexByte(s, ':') {
		n, err := strconv.ParseInt(s[:dot], 10, 64)
		if err != nil || n > 10675199 {
			return 0, bad
		}
		days, s = n, s[dot+1:]
	}
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, bad
	}
	h, err1 := atoiRange(parts[0], 0, 23)
	m, err2 := atoiRange(parts[1], 0, 59)
	if err1 != nil || err2 != nil {
		return 0, bad
	}
	d := time.Duration(days)*24*time.Hour + time.Duration(h)*time.Hour + time.Duration(m)*time.Minute
	if len(parts) == 3 {
		sec, frac, _ := strings.Cut(parts[2], ".")
		sv, err := atoiRange(sec, 0, 59)
		if err != nil {
			return 0, bad
		}
		fd, err := fraction(frac)
		if err != nil {
			return 0, bad
		}
		d += time.Duration(sv)*time.Second + fd
	}
	return d, nil
}

// fraction converts the digits after a decimal point into whole ticks.
func fraction(digits string) (time.Duration, error) {
	if digits == "" {
		return 0, nil
	}
	for i := 0; i < len(digits); i++ {
		if !isDigit(digits[i]) {
			return 0, errors.New("bad fraction")
		}
	}
	if len(digits) > 7 {
		digits = digits[:7]
	}
	n, _ := strconv.Atoi(digits + strings.Repeat("0", 7-len(digits)))
	return time.Duration(n) * Tick, nil
}

func atoiRange(s string, lo, hi int) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 4 {
		return 0, errors.New("bad number")
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, errors.New("out of range")
	}
	return n, nil
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '\'' || s[0] == '"') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

var monthNames = map[string]time.Month{
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
	"jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}

// ParseDatetimeLiteral decodes the text of datetime(...). It returns a
// time.Time in UTC, or a RelativeTime for datetime(now) and times of day.
// Accepted: ISO 8601 (2014-05-25T08:20:03.123456Z, 2014-05-25 08:20, with
// or without offset), yyyy/MM/dd, MM/dd/yyyy [hh:mm[:ss] [AM|PM]],
// RFC 822 (Sat, 8 Nov 14 15:05:02 GMT), RFC 850 (Saturday, 08-Nov-14 15:05:02 GMT),
// "yyyy, M, d[, h, m, s]", and quoted forms of these.
func ParseDatetimeLiteral(s string) (any, error) {
	orig := s
	s = strings.TrimSpace(unquote(strings.TrimSpace(s)))
	bad := fmt.Errorf("invalid datetime %q", orig)
	if strings.EqualFold(s, "now") {
		return RelativeTime{Now: true}, nil
	}
	if s == "" {
		return nil, bad
	}
	if strings.Contains(s, ",") && isDigit(s[0]) && !strings.ContainsAny(s, "-/:") {
		return datetimeFromParts(s, bad)
	}
	// Time of day only: 8:00, 9:05:10 PM.
	if tod, ok := timeOfDay(s); ok {
		return RelativeTime{TimeOfDay: tod}, nil
	}
	if t, ok := parseISOish(s); ok {
		return t, nil
	}
	if t, ok := parseRFC(s); ok {
		return t, nil
	}
	return nil, bad
}

func datetimeFromParts(s string, bad error) (any, error) {
	parts := strings.Split(s, ",")
	if len(parts) < 3 || len(parts) > 7 {
		return nil, bad
	}
	var n [7]int
	for i, p := range parts {
		v, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil {
			return nil, bad
		}
		n[i] = v
	}
	if n[1] < 1 || n[1] > 12 || n[2] < 1 || n[2] > 31 {
		return nil, bad
	}
	return time.Date(n[0], time.Month(n[1]), n[2], n[3], n[4], n[5], n[6]*int(time.Millisecond), time.UTC), nil
}

// timeOfDay reads hh:mm[:ss[.fff]] [AM|PM].
func timeOfDay(s string) (time.Duration, bool) {
	clock, ampm := splitAMPM(s)
	if strings.ContainsAny(clock, "-/ T") || !strings.Contains(clock, ":") {
		return 0, false
	}
	d, err := parseClockSpan(clock)
	if err != nil || d >= 24*time.Hour {
		return 0, false
	}
	d, ok := applyAMPM(d, ampm)
	return d, ok
}

func splitAMPM(s string) (string, string) {
	u := strings.ToUpper(s)
	for _, sfx := range []string{" AM", " PM", "AM", "PM"} {
		if strings.HasSuffix(u, sfx) {
			return strings.TrimSpace(s[:len(s)-len(sfx)]), strings.TrimSpace(sfx)
		}
	}
	return s, ""
}

func applyAMPM(d time.Duration, ampm string) (time.Duration, bool) {
	if ampm == "" {
		return d, true
	}
	h := d / time.Hour
	if h < 1 || h > 12 {
		return 0, false
	}
	if h == 12 {
		d -= 12 * time.Hour
	}
	if ampm == "PM" {
		d += 12 * time.Hour
	}
	return d, true
}

// parseISOish reads a numeric date, then an optional time and zone.
func parseISOish(s string) (time.Time, bool) {
	datePart, rest := s, ""
	if i := strings.IndexAny(s, "T "); i >= 0 {
		datePart, rest = s[:i], strings.TrimSpace(s[i+1:])
	}
	var y, mo, d int
	var err error
	sep := "-"
	if strings.Contains(datePart, "/") {
		sep = "/"
	}
	f := strings.Split(datePart, sep)
	switch {
	case len(f) == 3 && len(f[0]) == 4:
		y, err = atoiRange(f[0], 1, 9999)
		if err == nil {
			mo, err = atoiRange(f[1], 1, 12)
		}
		if err == nil {
			d, err = atoiRange(f[2], 1, 31)
		}
	case len(f) == 3 && len(f[2]) == 4: // MM/dd/yyyy, MM-dd-yyyy
		mo, err = atoiRange(f[0], 1, 12)
		if err == nil {
			d, err = atoiRange(f[1], 1, 31)
		}
		if err == nil {
			y, err = atoiRange(f[2], 1, 9999)
		}
	case len(f) == 1 && len(datePart) == 8: // yyyyMMdd
		y, err = atoiRange(datePart[:4], 1, 9999)
		if err == nil {
			mo, err = atoiRange(datePart[4:6], 1, 12)
		}
		if err == nil {
			d, err = atoiRange(datePart[6:], 1, 31)
		}
	default:
		return time.Time{}, false
	}
	if err != nil {
		return time.Time{}, false
	}
	base := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	if base.Day() != d { // 2021-02-30
		return time.Time{}, false
	}
	if rest == "" {
		return base, true
	}
	tod, zone, ok := clockAndZone(rest)
	if !ok {
		return time.Time{}, false
	}
	return base.Add(tod).Add(-zone), true
}

// clockAndZone reads hh:mm[:ss[.f]] [AM|PM] [Z|UTC|GMT|+hh:mm|-hhmm].
func clockAndZone(s string) (time.Duration, time.Duration, bool) {
	s = strings.TrimSpace(s)
	var zone time.Duration
	switch u := strings.ToUpper(s); {
	case strings.HasSuffix(u, "Z"):
		s = s[:len(s)-1]
	case strings.HasSuffix(u, "UTC"), strings.HasSuffix(u, "GMT"):
		s = strings.TrimSpace(s[:len(s)-3])
	default:
		if i := strings.LastIndexAny(s, "+-"); i > 0 {
			z := strings.ReplaceAll(s[i+1:], ":", "")
			if len(z) == 4 || len(z) == 2 {
				hh, err1 := atoiRange(z[:2], 0, 23)
				mm := 0
				var err2 error
				if len(z) == 4 {
					mm, err2 = atoiRange(z[2:], 0, 59)
				}
				if err1 != nil || err2 != nil {
					return 0, 0, false
				}
				zone = time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute
				if s[i] == '-' {
					zone = -zone
				}
				s = strings.TrimSpace(s[:i])
			}
		}
	}
	clock, ampm := splitAMPM(s)
	d, err := parseClockSpan(clock)
	if err != nil || d >= 24*time.Hour || strings.Contains(clock, ".") && strings.Index(clock, ".") < strings.Index(clock, ":") {
		return 0, 0, false
	}
	d, ok := applyAMPM(d, ampm)
	return d, zone, ok
}

// parseRFC reads RFC 822 / RFC 850 forms, with or without the weekday:
// "Sat, 8 Nov 14 15:05:02 GMT", "Saturday, 08-Nov-14 15:05:02 GMT", "8 Nov 2014".
func parseRFC(s string) (time.Time, bool) {
	if i := strings.IndexByte(s, ','); i >= 0 {
		s = strings.TrimSpace(s[i+1:])
	}
	fields := strings.Fields(strings.ReplaceAll(s, "-", " "))
	if len(fields) < 3 {
		return time.Time{}, false
	}
	d, err := atoiRange(fields[0], 1, 31)
	if err != nil {
		return time.Time{}, false
	}
	mo, ok := monthNames[strings.ToLower(fields[1][:min(3, len(fields[1]))])]
	if !ok {
		return time.Time{}, false
	}
	y, err := atoiRange(fields[2], 0, 9999)
	if err != nil {
		return time.Time{}, false
	}
	if len(fields[2]) <= 2 {
		y += 2000 // two-digit years: Kusto reads 14 as 2014
	}
	base := time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
	if base.Day() != d {
		return time.Time{}, false
	}
	if len(fields) == 3 {
		return base, true
	}
	tod, zone, ok := clockAndZone(strings.Join(fields[3:], " "))
	if !ok {
		return time.Time{}, false
	}
	return base.Add(tod).Add(-zone), true
}

// ValidGUID reports whether s is a GUID in 8-4-4-4-12 or 32-digit form.
func ValidGUID(s string) bool {
	s = strings.TrimSpace(unquote(strings.TrimSpace(s)))
	if len(s) == 38 && s[0] == '{' && s[37] == '}' {
		s = s[1:37]
	}
	switch len(s) {
	case 32:
		for i := 0; i < 32; i++ {
			if !isHex(s[i]) {
				return false
			}
		}
		return true
	case 36:
		for i := 0; i < 36; i++ {
			if i == 8 || i == 13 || i == 18 || i == 23 {
				if s[i] != '-' {
					return false
				}
			} else if !isHex(s[i]) {
				return false
			}
		}
		return true
	}
	return false
}
