package lite

import (
	"database/sql/driver"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"
)

func init() {
	ts := duckdb.TYPE_TIMESTAMP
	addUDF(udf{name: "format_datetime", in: []duckdb.Type{ts, vc}, out: vc, fn: func(a []driver.Value) (any, error) {
		return formatKustoDatetime(a[0].(time.Time), str(a[1])), nil
	}})
	addUDF(udf{name: "format_timespan", in: []duckdb.Type{bi, vc}, out: vc, fn: func(a []driver.Value) (any, error) {
		return formatKustoTimespan(i64(a[0]), str(a[1])), nil
	}})
	addUDF(udf{name: "utc_to_local", in: []duckdb.Type{ts, vc}, out: ts, fn: func(a []driver.Value) (any, error) {
		loc, err := time.LoadLocation(str(a[1]))
		if err != nil {
			return nil, nil
		}
		t := a[0].(time.Time).In(loc)
		return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC), nil
	}})
	addUDF(udf{name: "local_to_utc", in: []duckdb.Type{ts, vc}, out: ts, fn: func(a []driver.Value) (any, error) {
		loc, err := time.LoadLocation(str(a[1]))
		if err != nil {
			return nil, nil
		}
		t := a[0].(time.Time)
		return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc).UTC(), nil
	}})
}

// formatTokens splits a .NET-style format into runs of one pattern letter and literals.
func formatTokens(f, letters string) []string {
	var out []string
	for i := 0; i < len(f); {
		c := f[i]
		j := i + 1
		if strings.IndexByte(letters, c) >= 0 {
			for j < len(f) && f[j] == c {
				j++
			}
		} else if c == '\\' && j < len(f) {
			out = append(out, "\x00"+f[j:j+1])
			i = j + 1
			continue
		}
		out = append(out, f[i:j])
		i = j
	}
	return out
}

// fraction renders the first n digits of a 7-digit tick fraction; upper case (F) drops
// trailing zeros.
func fraction(ticks int64, tok string) string {
	n := min(len(tok), 7)
	s := fmt.Sprintf("%07d", ticks)[:n]
	if tok[0] == 'F' {
		s = strings.TrimRight(s, "0")
	}
	return s
}

func padN(v, n int) string {
	s := strconv.Itoa(v)
	for len(s) < n {
		s = "0" + s
	}
	return s
}

// formatKustoDatetime implements format_datetime's specifiers (d, dd, f…, F…, h, hh, H,
// HH, m, mm, M, MM, s, ss, tt, y, yy, yyyy, ...).
func formatKustoDatetime(t time.Time, f string) string {
	t = t.UTC()
	ticks := int64(t.Nanosecond() / 100)
	var b strings.Builder
	for _, tok := range formatTokens(f, "dfFhHmMsty") {
		switch {
		case tok[0] == 0:
			b.WriteString(tok[1:])
		case tok[0] == 'd':
			switch len(tok) {
			case 1, 2:
				b.WriteString(padN(t.Day(), len(tok)))
			case 3:
				b.WriteString(t.Weekday().String()[:3])
			default:
				b.WriteString(t.Weekday().String())
			}
		case tok[0] == 'f' || tok[0] == 'F':
			b.WriteString(fraction(ticks, tok))
		case tok[0] == 'h':
			h := t.Hour() % 12
			if h == 0 {
				h = 12
			}
			b.WriteString(padN(h, len(tok)))
		case tok[0] == 'H':
			b.WriteString(padN(t.Hour(), len(tok)))
		case tok[0] == 'm':
			b.WriteString(padN(t.Minute(), len(tok)))
		case tok[0] == 'M':
			switch len(tok) {
			case 1, 2:
				b.WriteString(padN(int(t.Month()), len(tok)))
			case 3:
				b.WriteString(t.Month().String()[:3])
			default:
				b.WriteString(t.Month().String())
			}
		case tok[0] == 's':
			b.WriteString(padN(t.Second(), len(tok)))
		case tok[0] == 't':
			ampm := "AM"
			if t.Hour() >= 12 {
				ampm = "PM"
			}
			b.WriteString(ampm[:min(len(tok), 2)])
		case tok[0] == 'y':
			switch len(tok) {
			case 1:
				b.WriteString(strconv.Itoa(t.Year() % 100))
			case 2:
				b.WriteString(padN(t.Year()%100, 2))
			default:
				b.WriteString(padN(t.Year(), len(tok)))
			}
		default:
			b.WriteString(tok)
		}
	}
	return b.String()
}

// formatKustoTimespan implements format_timespan's specifiers (d…, f…, F…, h, hh, H, HH,
// m, mm, s, ss).
func formatKustoTimespan(ticks int64, f string) string {
	neg := ticks < 0
	if neg {
		ticks = -ticks
	}
	days := ticks / 864e9
	rest := ticks % 864e9
	h, m, s, frac := int(rest/36e9), int(rest/6e8%60), int(rest/1e7%60), rest%1e7
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for _, tok := range formatTokens(f, "dfFhHms") {
		switch {
		case tok[0] == 0:
			b.WriteString(tok[1:])
		case tok[0] == 'd':
			b.WriteString(padN(int(days), len(tok)))
		case tok[0] == 'f' || tok[0] == 'F':
			b.WriteString(fraction(frac, tok))
		case tok[0] == 'h' || tok[0] == 'H':
			b.WriteString(padN(h, len(tok)))
		case tok[0] == 'm':
			b.WriteString(padN(m, len(tok)))
		case tok[0] == 's':
			b.WriteString(padN(s, len(tok)))
		default:
			b.WriteString(tok)
		}
	}
	return b.String()
}
