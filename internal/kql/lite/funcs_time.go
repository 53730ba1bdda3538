package lite

import (
	"fmt"
	"strings"

	"github.com/rampart-soc/rampart/internal/kql/syntax"
	"github.com/rampart-soc/rampart/internal/schema"
)

const tickSQLDay = "864000000000"

// Datetime and timespan functions. Datetimes compute as TIMESTAMP (microseconds),
// timespans as 100-ns ticks.
func init() {
	D, T, I := schema.DateTime, schema.TimeSpan, schema.Int
	def("now", 0, 1, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		n := constant(c.now.UTC())
		if len(a) == 1 {
			return arith(x, "+", n, convert(a[0], T))
		}
		return n, nil
	})
	def("ago", 1, 1, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		return arith(x, "-", constant(c.now.UTC()), convert(a[0], T))
	})
	def("datetime_add", 3, 3, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		part, err := constString(x.Args[0], a[0], "the period")
		if err != nil {
			return typed{}, err
		}
		n := convert(a[1], schema.Long).sql
		fns := map[string]string{"year": "to_years(%s)", "quarter": "to_months(3 * %s)", "month": "to_months(%s)", "week": "to_days(7 * %s)",
			"day": "to_days(%s)", "hour": "to_hours(%s)", "minute": "to_minutes(%s)", "second": "to_seconds(%s)",
			"millisecond": "to_milliseconds(%s)", "microsecond": "to_microseconds(%s)", "nanosecond": "to_microseconds(%s // 1000)"}
		f, ok := fns[strings.ToLower(part)]
		if !ok {
			return typed{}, errAt(x.Args[0], "unknown period %q", part)
		}
		return typed{sql: fmt.Sprintf("(%s + "+f+")", convert(a[2], D).sql, n), typ: D}, nil
	})
	def("datetime_diff", 3, 3, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		part, err := constString(x.Args[0], a[0], "the period")
		if err != nil {
			return typed{}, err
		}
		t1, t2 := convert(a[1], D).sql, convert(a[2], D).sql
		var s string
		switch p := strings.ToLower(part); p {
		case "year", "quarter", "month", "day", "hour", "minute", "second", "millisecond", "microsecond":
			s = fmt.Sprintf("date_diff('%s', %s, %s)", p, t2, t1)
		case "week": // weeks start on Sunday; 1970-01-04 was one
			w := "floor((epoch_us(%s) // 86400000000 - 3) / 7)"
			s = fmt.Sprintf("CAST("+w+" - "+w+" AS BIGINT)", t1, t2)
		case "nanosecond":
			s = fmt.Sprintf("(date_diff('microsecond', %s, %s) * 1000)", t2, t1)
		default:
			return typed{}, errAt(x.Args[0], "unknown period %q", part)
		}
		return typed{sql: s, typ: schema.Long}, nil
	})
	def("datetime_part datepart", 2, 2, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		part, err := constString(x.Args[0], a[0], "the part")
		if err != nil {
			return typed{}, err
		}
		v := convert(a[1], D).sql
		parts := map[string]string{"year": "year(%s)", "quarter": "quarter(%s)", "month": "month(%s)", "week_of_year": "weekofyear(%s)",
			"day": "day(%s)", "dayofyear": "dayofyear(%s)", "hour": "hour(%s)", "minute": "minute(%s)", "second": "second(%s)",
			"millisecond": "(millisecond(%s) % 1000)", "microsecond": "(microsecond(%s) % 1000000)", "nanosecond": "((microsecond(%s) % 1000000) * 1000)"}
		f, ok := parts[strings.ToLower(part)]
		if !ok {
			return typed{}, errAt(x.Args[0], "unknown part %q", part)
		}
		return typed{sql: "CAST(" + fmt.Sprintf(f, v) + " AS INTEGER)", typ: I}, nil
	})
	def("dayofweek", 1, 1, sqlT(T, "(CAST(dayofweek(%s) AS BIGINT) * "+tickSQLDay+")", D))
	def("dayofmonth", 1, 1, sqlT(I, "CAST(day(%s) AS INTEGER)", D))
	def("dayofyear", 1, 1, sqlT(I, "CAST(dayofyear(%s) AS INTEGER)", D))
	def("hourofday", 1, 1, sqlT(I, "CAST(hour(%s) AS INTEGER)", D))
	def("weekofyear week_of_year", 1, 1, sqlT(I, "CAST(weekofyear(%s) AS INTEGER)", D))
	def("monthofyear getmonth", 1, 1, sqlT(I, "CAST(month(%s) AS INTEGER)", D))
	def("getyear", 1, 1, sqlT(I, "CAST(year(%s) AS INTEGER)", D))
	startEnd := func(unit string, end bool) impl {
		return func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
			v := convert(a[0], D).sql
			off := "0"
			if len(a) > 1 {
				off = convert(a[1], schema.Long).sql
			}
			var start string
			switch unit {
			case "day":
				start = fmt.Sprintf("(date_trunc('day', %s) + to_days(%s))", v, off)
			case "week":
				start = fmt.Sprintf("(date_trunc('day', %[1]s) - to_days(CAST(dayofweek(%[1]s) AS INTEGER)) + to_days(7 * %[2]s))", v, off)
			case "month":
				start = fmt.Sprintf("(date_trunc('month', %s) + to_months(%s))", v, off)
			case "year":
				start = fmt.Sprintf("(date_trunc('year', %s) + to_years(%s))", v, off)
			}
			if end {
				next := map[string]string{"day": "to_days(1)", "week": "to_days(7)", "month": "to_months(1)", "year": "to_years(1)"}[unit]
				start = "(" + start + " + " + next + " - to_microseconds(1))"
			}
			return typed{sql: start, typ: D}, nil
		}
	}
	for _, u := range []string{"day", "week", "month", "year"} {
		def("startof"+u, 1, 2, startEnd(u, false))
		def("endof"+u, 1, 2, startEnd(u, true))
	}
	def("startofhour", 1, 1, sqlT(D, "date_trunc('hour', %s)", D))
	def("make_datetime", 1, 7, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		if len(a) == 1 {
			return convert(a[0], D), nil
		}
		args := []string{"1", "1", "1", "0", "0", "0"}
		for i, t := range a {
			if i < 6 {
				args[i] = convert(t, schema.Real).sql
			}
		}
		for i := 0; i < 5; i++ {
			args[i] = "CAST(" + args[i] + " AS BIGINT)"
		}
		args[5] = "floor(" + args[5] + " * 1000000) / 1000000" // microseconds, truncated
		return typed{sql: "TRY(make_timestamp(" + strings.Join(args, ", ") + "))", typ: D}, nil
	})
	def("make_timespan", 1, 4, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		var parts []string // d, h, m, s
		switch len(a) {
		case 1:
			return convert(a[0], T), nil
		case 2:
			parts = []string{"0", a[0].sql, a[1].sql, "0"}
		case 3:
			parts = []string{"0", a[0].sql, a[1].sql, a[2].sql}
		default:
			parts = []string{a[0].sql, a[1].sql, a[2].sql, a[3].sql}
		}
		return typed{sql: fmt.Sprintf("CAST(round(((CAST(%s AS DOUBLE) * 24 + %s) * 60 + %s) * 600000000 + CAST(%s AS DOUBLE) * 10000000) AS BIGINT)", parts[0], parts[1], parts[2], parts[3]), typ: T}, nil
	})
	def("format_datetime", 2, 2, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		return typed{sql: fmt.Sprintf("coalesce(kql_format_datetime(%s, %s), '')", convert(a[0], D).sql, asString(a[1])), typ: schema.String}, nil
	})
	def("format_timespan", 2, 2, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		return typed{sql: fmt.Sprintf("coalesce(kql_format_timespan(%s, %s), '')", convert(a[0], T).sql, asString(a[1])), typ: schema.String}, nil
	})
	unix := func(perSecond string) impl {
		return sqlT(D, "make_timestamp(CAST(round(%s * 1000000.0 / "+perSecond+") AS BIGINT))", schema.Real)
	}
	def("unixtime_seconds_todatetime", 1, 1, unix("1"))
	def("unixtime_milliseconds_todatetime", 1, 1, unix("1000"))
	def("unixtime_microseconds_todatetime", 1, 1, unix("1000000"))
	def("unixtime_nanoseconds_todatetime", 1, 1, unix("1000000000"))
	def("datetime_utc_to_local", 2, 2, udfT(D, "utc_to_local", D, schema.String))
	def("datetime_local_to_utc", 2, 2, udfT(D, "local_to_utc", D, schema.String))
}
