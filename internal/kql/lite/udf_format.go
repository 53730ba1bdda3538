package lite

import (
	"database/sql/driver"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/rampart-soc/rampart/internal/kql/syntax"
)

// Kusto's text forms of datetimes, timespans and reals, and its parsing of them.
func init() {
	addUDF(udf{name: "datetime_str", in: []duckdb.Type{duckdb.TYPE_TIMESTAMP}, out: duckdb.TYPE_VARCHAR,
		fn: func(a []driver.Value) (any, error) { return formatDatetime(a[0].(time.Time)), nil }})
	addUDF(udf{name: "timespan_str", in: []duckdb.Type{duckdb.TYPE_BIGINT}, out: duckdb.TYPE_VARCHAR,
		fn: func(a []driver.Value) (any, error) { return formatTicks(a[0].(int64)), nil }})
	addUDF(udf{name: "real_str", in: []duckdb.Type{duckdb.TYPE_DOUBLE}, out: duckdb.TYPE_VARCHAR,
		fn: func(a []driver.Value) (any, error) { return formatReal(a[0].(float64)), nil }})
	addUDF(udf{name: "real_json", in: []duckdb.Type{duckdb.TYPE_DOUBLE}, out: duckdb.TYPE_VARCHAR, nulls: true,
		fn: func(a []driver.Value) (any, error) {
			f, ok := a[0].(float64)
			switch {
			case !ok:
				return "null", nil
			case math.IsNaN(f) || math.IsInf(f, 0):
				return strconv.Quote(formatReal(f)), nil
			}
			return strconv.FormatFloat(f, 'g', -1, 64), nil
		}})
	addUDF(udf{name: "todatetime", in: []duckdb.Type{duckdb.TYPE_VARCHAR}, out: duckdb.TYPE_TIMESTAMP,
		fn: func(a []driver.Value) (any, error) {
			if t, ok := parseDatetime(a[0].(string)); ok {
				return t, nil
			}
			return nil, nil
		}})
	addUDF(udf{name: "totimespan", in: []duckdb.Type{duckdb.TYPE_VARCHAR}, out: duckdb.TYPE_BIGINT,
		fn: func(a []driver.Value) (any, error) {
			if t, ok := parseTimespan(a[0].(string)); ok {
				return t, nil
			}
			return nil, nil
		}})
}

// formatDatetime is ISO 8601 in UTC with seven fraction digits, as tostring() gives it.
func formatDatetime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.0000000Z")
}

// formatTicks is .NET's constant timespan format: [-][d.]hh:mm:ss[.fffffff].
func formatTicks(t int64) string {
	sign := ""
	if t < 0 {
		sign, t = "-", -t
	}
	const day = 24 * 3600 * 1e7
	days, rest := t/day, t%day
	h, m, s, f := rest/36e9, rest/6e8%60, rest/1e7%60, rest%1e7
	out := pad2(h) + ":" + pad2(m) + ":" + pad2(s)
	if f > 0 {
		out += "." + strconv.FormatInt(f+1e7, 10)[1:]
	}
	if days > 0 {
		out = strconv.FormatInt(days, 10) + "." + out
	}
	return sign + out
}

func pad2(n int64) string {
	if n < 10 {
		return "0" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}

// formatReal is .NET's shortest round-trip form: plain digits unless the exponent is
// below -5 or at least 15, then 1.5E+15.
func formatReal(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		return "0"
	}
	e := strconv.FormatFloat(f, 'e', -1, 64)
	i := strings.IndexByte(e, 'e')
	exp, _ := strconv.Atoi(e[i+1:])
	if exp >= 15 || exp < -5 {
		sign := "+"
		if exp < 0 {
			sign, exp = "-", -exp
		}
		return e[:i] + "E" + sign + pad2(int64(exp))
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// parseDatetime reads the datetime forms Kusto's todatetime() accepts (those of a literal).
func parseDatetime(s string) (time.Time, bool) {
	v, err := syntax.ParseDatetimeLiteral(s)
	if err != nil {
		return time.Time{}, false
	}
	t, ok := v.(time.Time)
	return t, ok
}

// parseTimespan reads the timespan forms of a literal (1d, 2.5h, 1.02:03:04) as ticks.
func parseTimespan(s string) (int64, bool) {
	if strings.TrimSpace(s) == "" {
		return 0, false
	}
	d, err := syntax.ParseTimespanLiteral(s)
	if err != nil {
		return 0, false
	}
	return int64(d / 100), true
}
