package syslog

import (
	"errors"
	"time"
)

// errBadTime marks text shaped like a timestamp whose values are impossible.
var errBadTime = errors.New("impossible date or time")

// num reads exactly n digits at b[i:].
func num(b []byte, i, n int) (int, bool) {
	if i+n > len(b) {
		return 0, false
	}
	v := 0
	for _, c := range b[i : i+n] {
		if !isDigit(c) {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

// fraction reads ".d+" at b[i:], returning nanoseconds and bytes consumed.
// Digits beyond nanoseconds are accepted and ignored.
func fraction(b []byte, i int) (nsec, n int) {
	if i >= len(b) || b[i] != '.' || i+1 >= len(b) || !isDigit(b[i+1]) {
		return 0, 0
	}
	j := i + 1
	scale := 100000000
	for j < len(b) && isDigit(b[j]) {
		nsec += int(b[j]-'0') * scale
		scale /= 10
		j++
	}
	return nsec, j - i
}

// clock reads "hh:mm:ss[.frac]" at b[i:].
func clock(b []byte, i int) (h, mi, s, nsec, n int, ok bool) {
	h, ok1 := num(b, i, 2)
	mi, ok2 := num(b, i+3, 2)
	s, ok3 := num(b, i+6, 2)
	if !ok1 || !ok2 || !ok3 || b[i+2] != ':' || b[i+5] != ':' {
		return 0, 0, 0, 0, 0, false
	}
	nsec, fn := fraction(b, i+8)
	return h, mi, s, nsec, 8 + fn, true
}

// date builds a time and rejects values time.Date would silently normalise
// (Feb 30, hour 24). Second 60 (a leap second) is allowed and rolls over.
func date(y, mo, d, h, mi, s, nsec int, loc *time.Location) (time.Time, error) {
	if mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 60 {
		return time.Time{}, errBadTime
	}
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, loc)
	if t.Day() != d {
		return time.Time{}, errBadTime
	}
	return t.Add(time.Duration(h)*time.Hour + time.Duration(mi)*time.Minute +
		time.Duration(s)*time.Second + time.Duration(nsec)), nil
}

// parseISO reads an RFC 3339-like timestamp at the start of b:
// YYYY-MM-DD(T|t)hh:mm:ss[.frac][Z|z|+hh:mm|+hhmm], also with a space
// separator when spaceSep. Without an offset the time is in loc.
// It returns the bytes consumed: 0 with a nil error means "not a timestamp".
func parseISO(b []byte, loc *time.Location, spaceSep bool) (time.Time, int, error) {
	y, ok1 := num(b, 0, 4)
	mo, ok2 := num(b, 5, 2)
	d, ok3 := num(b, 8, 2)
	if !ok1 || !ok2 || !ok3 || b[4] != '-' || b[7] != '-' || len(b) < 11 {
		return time.Time{}, 0, nil
	}
	if sep := b[10]; sep != 'T' && sep != 't' && !(spaceSep && sep == ' ') {
		return time.Time{}, 0, nil
	}
	h, mi, s, nsec, n, ok := clock(b, 11)
	if !ok {
		return time.Time{}, 0, nil
	}
	i := 11 + n
	if i < len(b) {
		switch c := b[i]; c {
		case 'Z', 'z':
			loc = time.UTC
			i++
		case '+', '-':
			oh, okh := num(b, i+1, 2)
			j := i + 3
			if j < len(b) && b[j] == ':' {
				j++
			}
			om, okm := num(b, j, 2)
			if !okh || !okm || oh > 23 || om > 59 {
				return time.Time{}, 0, errBadTime
			}
			off := (oh*60 + om) * 60
			if c == '-' {
				off = -off
			}
			loc = time.FixedZone("", off)
			i = j + 2
		}
	}
	t, err := date(y, mo, d, h, mi, s, nsec, loc)
	if err != nil {
		return time.Time{}, 0, err
	}
	return t, i, nil
}

var months = map[string]int{
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
	"jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}

func month(b []byte) int {
	if len(b) < 3 {
		return 0
	}
	var k [3]byte
	for i := range k {
		k[i] = b[i] | 0x20 // ASCII lower case; non-letters never match
	}
	return months[string(k[:])]
}

// parseBSDTime reads the timestamps seen in RFC 3164 framing:
//
//	Mmm dd hh:mm:ss[.frac]              the RFC form (day space-padded or not)
//	Mmm dd yyyy hh:mm:ss[.frac]          Cisco ASA and others
//	Mmm dd hh:mm:ss[.frac] ZONE[ yyyy]   the RFC's "CST 1987" example, Cisco IOS "UTC:"
//	YYYY-MM-DD(T| )hh:mm:ss[.frac][zone] ISO 8601, common from modern devices
//
// A missing year is inferred from received; a missing zone is received's.
// It returns 0 bytes and no error when b does not start with a timestamp.
func parseBSDTime(b []byte, received time.Time) (time.Time, int, error) {
	loc := received.Location()
	if len(b) > 0 && isDigit(b[0]) {
		t, n, err := parseISO(b, loc, true)
		if n == 0 || err != nil || !boundary(b, n) {
			return time.Time{}, 0, err
		}
		return t, n, nil
	}
	mo := month(b)
	if mo == 0 || len(b) < 4 || b[3] != ' ' {
		return time.Time{}, 0, nil
	}
	i := 4
	if i < len(b) && b[i] == ' ' {
		i++
	}
	d, ok := num(b, i, 2)
	if ok {
		i += 2
	} else if d, ok = num(b, i, 1); ok {
		i++
	} else {
		return time.Time{}, 0, nil
	}
	if i >= len(b) || b[i] != ' ' {
		return time.Time{}, 0, nil
	}
	i++
	year := 0
	if y, ok := num(b, i, 4); ok && i+4 < len(b) && b[i+4] == ' ' {
		year = y
		i += 5
	}
	h, mi, s, nsec, n, ok := clock(b, i)
	if !ok {
		return time.Time{}, 0, nil
	}
	i += n
	if j, zone, y := bsdZone(b, i); j > i {
		i = j
		if zone == "UTC" || zone == "GMT" || zone == "Z" {
			loc = time.UTC
		}
		if y != 0 {
			year = y
		}
	}
	if !boundary(b, i) {
		return time.Time{}, 0, nil
	}
	var t time.Time
	var err error
	if year != 0 {
		t, err = date(year, mo, d, h, mi, s, nsec, loc)
	} else {
		t, err = inferYear(mo, d, h, mi, s, nsec, received, loc)
	}
	if err != nil {
		return time.Time{}, 0, err
	}
	return t, i, nil
}

// bsdZone accepts " ZONE" (1-5 upper-case letters) only when followed by
// ':' or " yyyy", so that a host name is never mistaken for a zone.
func bsdZone(b []byte, i int) (end int, zone string, year int) {
	if i >= len(b) || b[i] != ' ' {
		return i, "", 0
	}
	j := i + 1
	for j < len(b) && j-i <= 6 && b[j] >= 'A' && b[j] <= 'Z' {
		j++
	}
	if letters := j - i - 1; letters == 0 || letters > 5 {
		return i, "", 0
	}
	zone = string(b[i+1 : j])
	if j < len(b) && b[j] == ':' {
		return j, zone, 0
	}
	if j < len(b) && b[j] == ' ' {
		if y, ok := num(b, j+1, 4); ok && boundary(b, j+5) {
			return j + 5, zone, y
		}
	}
	return i, "", 0
}

// boundary reports whether a timestamp may end at b[i]: end, SP, or ':'.
func boundary(b []byte, i int) bool {
	return i >= len(b) || b[i] == ' ' || b[i] == ':'
}

// inferYear picks the year that puts the date nearest to received, so that
// a "Dec 31" message received on Jan 1 is dated last year, and a "Jan 1"
// message from a sender whose clock runs ahead is dated next year.
func inferYear(mo, d, h, mi, s, nsec int, received time.Time, loc *time.Location) (time.Time, error) {
	y := received.Year()
	switch diff := mo - int(received.Month()); {
	case diff > 6:
		y--
	case diff < -6:
		y++
	}
	t, err := date(y, mo, d, h, mi, s, nsec, loc)
	if err != nil && mo == 2 && d == 29 {
		// Feb 29 in a non-leap inferred year: the nearest leap year is likelier.
		for _, dy := range []int{-1, 1, -2, 2, -3, 3} {
			if t, err = date(y+dy, mo, d, h, mi, s, nsec, loc); err == nil {
				break
			}
		}
	}
	return t, err
}
