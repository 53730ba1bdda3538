package lite

import (
	"fmt"

	"github.com/rampart-soc/rampart/internal/kql/syntax"
	"github.com/rampart-soc/rampart/internal/schema"
)

// Window functions over a serialized row set (after sort, top, serialize, range, ...):
// they see the rows in the order the input has. Restart conditions and ranks need
// helper columns that extend computes in layers before the item (see addPre).
func init() {
	def("row_number", 0, 2, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		start := "1"
		if len(a) >= 1 {
			start = convert(a[0], schema.Long).sql
		}
		over := "()"
		if len(a) == 2 {
			over = "(" + c.restartPartition(a[1]) + "ORDER BY " + c.winPos() + ")"
		}
		return typed{sql: fmt.Sprintf("(row_number() OVER %s + %s - 1)", over, start), typ: schema.Long}, nil
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
		typ := a[0].typ
		over := "(ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"
		if len(a) == 2 {
			over = "(" + c.restartPartition(a[1]) + "ORDER BY " + c.winPos() + " ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"
		}
		s := fmt.Sprintf("sum(%s) OVER %s", a[0].sql, over)
		if isInt(typ) || typ == schema.TimeSpan {
			s = "CAST(" + s + " AS BIGINT)"
			if typ == schema.Int {
				typ = schema.Long
			}
		}
		return typed{sql: s, typ: typ}, nil
	})
	// row_rank_dense: 1 for the first row, +1 whenever the term differs from the row before.
	def("row_rank_dense", 1, 2, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		pos := c.winPos()
		starts := c.runStarts(a)
		part := ""
		if len(a) == 2 {
			part = c.restartPartition(a[1])
		}
		dense := c.addPre(2, fmt.Sprintf("sum(CASE WHEN %s THEN 1 ELSE 0 END) OVER (%sORDER BY %s ROWS UNBOUNDED PRECEDING)", starts, part, pos))
		return typed{sql: dense, typ: schema.Long}, nil
	})
	// row_rank_min: the row number (from 1, per restart) where the current run of equal terms began.
	def("row_rank_min", 1, 2, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		pos := c.winPos()
		starts := c.runStarts(a)
		part := ""
		if len(a) == 2 {
			part = c.restartPartition(a[1])
		}
		rn := c.addPre(2, fmt.Sprintf("row_number() OVER (%sORDER BY %s)", part, pos))
		run := c.addPre(2, fmt.Sprintf("sum(CASE WHEN %s THEN 1 ELSE 0 END) OVER (ORDER BY %s ROWS UNBOUNDED PRECEDING)", starts, pos))
		return typed{sql: fmt.Sprintf("min(%s) OVER (PARTITION BY %s)", rn, run), typ: schema.Long}, nil
	})
}

// addPre adds a helper column computed at a level (0 over the input, 1 over level 0, ...)
// and returns its quoted name.
func (c *compiler) addPre(level int, sql string) string {
	for len(c.pre) <= level {
		c.pre = append(c.pre, nil)
	}
	c.n++
	name := fmt.Sprintf("__w%d", c.n)
	c.pre[level] = append(c.pre[level], selectItem{sql, Column{name, schema.Long}})
	return quote(name)
}

// winPos is the rows' serial position, a helper column shared by the operator's items.
func (c *compiler) winPos() string {
	if hasColumn(c.inCols, "__wpos") {
		return `"__wpos"`
	}
	for _, it := range firstLevel(c.pre) {
		if it.col.Name == "__wpos" {
			return `"__wpos"`
		}
	}
	if len(c.pre) == 0 {
		c.pre = append(c.pre, nil)
	}
	c.pre[0] = append(c.pre[0], selectItem{"row_number() OVER ()", Column{"__wpos", schema.Long}})
	return `"__wpos"`
}

func firstLevel(pre [][]selectItem) []selectItem {
	if len(pre) == 0 {
		return nil
	}
	return pre[0]
}

// restartPartition numbers the segments a restart condition starts and returns the
// "PARTITION BY segment " clause.
func (c *compiler) restartPartition(restart typed) string {
	pos := c.winPos()
	flag := c.addPre(0, "coalesce("+convert(restart, schema.Bool).sql+", FALSE)")
	seg := c.addPre(1, fmt.Sprintf("sum(CASE WHEN %s THEN 1 ELSE 0 END) OVER (ORDER BY %s ROWS UNBOUNDED PRECEDING)", flag, pos))
	return "PARTITION BY " + seg + " "
}

// runStarts is a level-0 condition: the row starts a run (its term differs from the
// previous row's, or the restart condition holds).
func (c *compiler) runStarts(a []typed) string {
	term := a[0]
	if term.typ == schema.Dynamic {
		term.sql = "CAST(" + term.sql + " AS VARCHAR)"
	}
	cond := fmt.Sprintf("(%[1]s IS DISTINCT FROM lag(%[1]s) OVER ())", term.sql)
	if len(a) == 2 {
		cond = "(" + cond + " OR coalesce(" + convert(a[1], schema.Bool).sql + ", FALSE))"
	}
	return c.addPre(0, cond)
}
