package lite

import (
	"fmt"

	"github.com/rampart-soc/rampart/internal/kql/syntax"
	"github.com/rampart-soc/rampart/internal/schema"
)

// Math and binning. Domain errors give NaN or null as in Kusto, never a query failure.
func init() {
	R := schema.Real
	def("abs", 1, 1, sqlT(sameType, "abs(%s)"))
	def("sign", 1, 1, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		return typed{sql: "CAST(sign(" + a[0].sql + ") AS " + sqlType(a[0].typ) + ")", typ: a[0].typ}, nil
	})
	def("ceiling", 1, 1, sqlT(sameType, "ceiling(%s)"))
	def("sqrt", 1, 1, sqlT(R, "(CASE WHEN %[1]s >= 0 THEN sqrt(%[1]s) ELSE CAST('nan' AS DOUBLE) END)", R))
	def("exp", 1, 1, sqlT(R, "exp(%s)", R))
	def("exp2", 1, 1, sqlT(R, "pow(2, %s)", R))
	def("exp10", 1, 1, sqlT(R, "pow(10, %s)", R))
	logf := func(fn string) impl {
		return sqlT(R, "(CASE WHEN %[1]s > 0 THEN "+fn+"(%[1]s) WHEN %[1]s = 0 THEN CAST('-inf' AS DOUBLE) ELSE CAST('nan' AS DOUBLE) END)", R)
	}
	def("log", 1, 1, logf("ln"))
	def("log2", 1, 1, logf("log2"))
	def("log10", 1, 1, logf("log10"))
	def("pow", 2, 2, sqlT(R, "pow(%s, %s)", R, R))
	for _, f := range []string{"sin", "cos", "tan", "atan", "cot", "degrees", "radians"} {
		def(f, 1, 1, sqlT(R, f+"(%s)", R))
	}
	def("asin", 1, 1, sqlT(R, "(CASE WHEN abs(%[1]s) <= 1 THEN asin(%[1]s) ELSE CAST('nan' AS DOUBLE) END)", R))
	def("acos", 1, 1, sqlT(R, "(CASE WHEN abs(%[1]s) <= 1 THEN acos(%[1]s) ELSE CAST('nan' AS DOUBLE) END)", R))
	def("atan2", 2, 2, sqlT(R, "atan2(%s, %s)", R, R))
	def("pi", 0, 0, sqlT(R, "pi()"))
	def("gamma", 1, 1, sqlT(R, "gamma(%s)", R))
	def("loggamma", 1, 1, sqlT(R, "lgamma(%s)", R))
	def("isnan", 1, 1, sqlT(schema.Bool, "isnan(%s)", R))
	def("isinf", 1, 1, sqlT(schema.Bool, "isinf(%s)", R))
	def("isfinite", 1, 1, sqlT(schema.Bool, "isfinite(%s)", R))
	def("round", 1, 2, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		if len(a) == 1 {
			return typed{sql: "round(" + a[0].sql + ")", typ: a[0].typ}, nil
		}
		return typed{sql: fmt.Sprintf("round(%s, CAST(%s AS INTEGER))", a[0].sql, a[1].sql), typ: a[0].typ}, nil
	})
	def("bin floor", 1, 2, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		if len(a) == 1 {
			return typed{sql: "floor(" + a[0].sql + ")", typ: a[0].typ}, nil
		}
		return binSQL(a[0], a[1], nil)
	})
	def("bin_auto", 1, 1, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		size, ok := c.options["query_bin_auto_size"]
		if !ok {
			return typed{}, errAt(x, "bin_auto() needs set query_bin_auto_size=...")
		}
		if at, ok := c.options["query_bin_auto_at"]; ok {
			return binSQL(a[0], size, &at)
		}
		return binSQL(a[0], size, nil)
	})
	def("bin_at", 3, 3, func(c *compiler, x *syntax.Call, a []typed) (typed, error) { return binSQL(a[0], a[1], &a[2]) })
	def("binary_and", 2, 2, sqlT(schema.Long, "(CAST(%s AS BIGINT) & CAST(%s AS BIGINT))"))
	def("binary_or", 2, 2, sqlT(schema.Long, "(CAST(%s AS BIGINT) | CAST(%s AS BIGINT))"))
	def("binary_xor", 2, 2, sqlT(schema.Long, "xor(CAST(%s AS BIGINT), CAST(%s AS BIGINT))"))
	def("binary_not", 1, 1, sqlT(schema.Long, "(~CAST(%s AS BIGINT))"))
	def("binary_shift_left", 2, 2, sqlT(schema.Long, "(CASE WHEN %[2]s < 0 OR %[2]s > 63 THEN NULL ELSE CAST(%[1]s AS BIGINT) << CAST(%[2]s AS INTEGER) END)"))
	def("binary_shift_right", 2, 2, sqlT(schema.Long, "(CASE WHEN %[2]s < 0 OR %[2]s > 63 THEN NULL ELSE CAST(%[1]s AS BIGINT) >> CAST(%[2]s AS INTEGER) END)"))
	def("bitset_count_ones", 1, 1, sqlT(schema.Long, "CAST(bit_count(CAST(%s AS BIGINT)) AS BIGINT)"))
}

// binSQL rounds down to a multiple of size (from at): numbers, timespans and datetimes.
func binSQL(v, size typed, at *typed) (typed, error) {
	switch v.typ {
	case schema.DateTime:
		size = convert(size, schema.TimeSpan)
		origin := "0"
		if at != nil {
			origin = "epoch_us(" + convert(*at, schema.DateTime).sql + ")"
		}
		us := "((" + size.sql + ") // 10)"
		return typed{sql: fmt.Sprintf("make_timestamp(CAST(floor((epoch_us(%[1]s) - %[3]s) / %[2]s) AS BIGINT) * %[2]s + %[3]s)", v.sql, us, origin), typ: schema.DateTime}, nil
	case schema.TimeSpan, schema.Int, schema.Long:
		origin := "0"
		if at != nil {
			origin = convert(*at, v.typ).sql
		}
		if v.typ != schema.TimeSpan && !isInt(size.typ) {
			break
		}
		typ := v.typ
		if typ == schema.Int {
			typ = schema.Long
		}
		return typed{sql: fmt.Sprintf("(CAST(floor((%[1]s - %[3]s) / %[2]s) AS BIGINT) * %[2]s + %[3]s)", v.sql, convert(size, typ).sql, origin), typ: typ}, nil
	}
	origin := "0"
	if at != nil {
		origin = convert(*at, schema.Real).sql
	}
	x := convert(v, schema.Real)
	return typed{sql: fmt.Sprintf("(floor((%[1]s - %[3]s) / %[2]s) * %[2]s + %[3]s)", x.sql, convert(size, schema.Real).sql, origin), typ: schema.Real}, nil
}
