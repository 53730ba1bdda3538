package lite

import (
	"fmt"

	"github.com/rampart-soc/rampart/internal/kql/syntax"
	"github.com/rampart-soc/rampart/internal/schema"
)

// Window functions over a serialized row set (after sort, top, serialize, range, ...):
// they see the rows in the order the input has.
func init() {
	def("row_number", 0, 2, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		if len(a) == 2 {
			return typed{}, errAt(x, "row_number() with a restart condition is not supported yet by the query engine")
		}
		start := "1"
		if len(a) == 1 {
			start = convert(a[0], schema.Long).sql
		}
		return typed{sql: fmt.Sprintf("(row_number() OVER () + %s - 1)", start), typ: schema.Long}, nil
	})
	shift := func(fn string) impl {
		return func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
			off, def := "1", nullOf(a[0].typ).sql
			if len(a) > 1 {
				off = convert(a[1], schema.Long).sql
			}
			if len(a) > 2 {
				def = convert(a[2], a[0].typ).sql
			}
			return typed{sql: fmt.Sprintf("%s(%s, CAST(%s AS BIGINT), %s) OVER ()", fn, a[0].sql, off, def), typ: a[0].typ}, nil
		}
	}
	def("prev", 1, 3, shift("lag"))
	def("next", 1, 3, shift("lead"))
	def("row_cumsum", 1, 2, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		if len(a) == 2 {
			return typed{}, errAt(x, "row_cumsum() with a restart condition is not supported yet by the query engine")
		}
		typ := a[0].typ
		s := fmt.Sprintf("sum(%s) OVER (ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)", a[0].sql)
		if isInt(typ) || typ == schema.TimeSpan {
			s = "CAST(" + s + " AS BIGINT)"
			if typ == schema.Int {
				typ = schema.Long
			}
		}
		return typed{sql: s, typ: typ}, nil
	})
}
