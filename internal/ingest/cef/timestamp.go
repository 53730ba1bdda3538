package cef

import (
	"strconv"
	"strings"
	"time"
)

// zones are the abbreviations CEF senders commonly append; others are not
// guessed at (the value then stays text in AdditionalExtensions).
var zones = map[string]int{
	"UTC": 0, "GMT": 0, "Z": 0,
	"EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
	"CET": 1, "CEST": 2, "EET": 2, "EEST": 3, "WET": 0, "WEST": 1, "JST": 9,
}

// parseTime reads the CEF date formats: epoch milliseconds (seconds when
// too small to be milliseconds), RFC 3339, and
// "MMM dd [yyyy] HH:mm:ss[.SSS] [zone]" where zone is an abbreviation
// above, "GMT+hh:mm" or "+hh:mm"/"+hhmm". Without a zone the time is UTC;
// without a year it is the one nearest to ref (zero ref: now).
func parseTime(v string, ref time.Time) (time.Time, bool) {
	s := strings.TrimSpace(v)
	if s == "" {
		return time.Time{}, false
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n < 0 || n > 1<<53 {
			return time.Time{}, false
		}
		if n < 1e11 {
			return time.Unix(n, 0), true
		}
		return time.UnixMilli(n), true
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, true
	}
	f := strings.Fields(s)
	if len(f) < 3 || len(f) > 5 {
		return time.Time{}, false
	}
	loc := time.UTC
	if last := f[len(f)-1]; !strings.Contains(last, ":") || strings.HasPrefix(last, "GMT") || last[0] == '+' || last[0] == '-' {
		l, ok := zone(last)
		if !ok {
			return time.Time{}, false
		}
		loc, f = l, f[:len(f)-1]
	}
	switch len(f) {
	case 4:
		t, err := time.ParseInLocation("Jan 2 2006 15:04:05", strings.Join(f, " "), loc)
		return t, err == nil
	case 3:
		t, err := time.ParseInLocation("Jan 2 15:04:05", strings.Join(f, " "), loc)
		if err != nil {
			return time.Time{}, false
		}
		if ref.IsZero() {
			ref = time.Now()
		}
		// The year that puts the date nearest to ref.
		best := t.AddDate(ref.Year(), 0, 0)
		for _, dy := range []int{-1, 1} {
			c := t.AddDate(ref.Year()+dy, 0, 0)
			if c.Sub(ref).Abs() < best.Sub(ref).Abs() {
				best = c
			}
		}
		return best, true
	}
	return time.Time{}, false
}

// zone reads "UTC", "GMT+01:00", "+0100", "-05:00" and the table above.
func zone(z string) (*time.Location, bool) {
	if h, ok := zones[z]; ok {
		return time.FixedZone(z, h*3600), true
	}
	z = strings.TrimPrefix(strings.TrimPrefix(z, "GMT"), "UTC")
	if len(z) < 3 || (z[0] != '+' && z[0] != '-') {
		return nil, false
	}
	d := strings.Replace(z[1:], ":", "", 1)
	if len(d) != 4 && len(d) != 2 {
		return nil, false
	}
	if len(d) == 2 {
		d += "00"
	}
	n, err := strconv.Atoi(d)
	if err != nil || n/100 > 23 || n%100 > 59 {
		return nil, false
	}
	off := (n/100*60 + n%100) * 60
	if z[0] == '-' {
		off = -off
	}
	return time.FixedZone("", off), true
}
