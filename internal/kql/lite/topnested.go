package lite

import (
	"fmt"
	"strings"

	"github.com/rampart-soc/rampart/internal/kql/syntax"
)

// topNested keeps, level by level, the top N values of a column by an aggregation within
// each group the previous levels kept. Columns: each level's value, then its aggregate.
func (c *compiler) topNested(x *syntax.TopNestedOp, in rel) (rel, error) {
	sc := scopeOf(in.cols)
	c.inCols = in.cols
	var prev string
	var keys []string // quoted key columns of the levels so far
	var cols []Column
	taken := map[string]bool{}
	for i, cl := range x.Clauses {
		if cl.Others != nil {
			return rel{}, errAt(cl.Others, "top-nested ... with others is not supported yet by the query engine")
		}
		of, err := c.expr(cl.Of, sc)
		if err != nil {
			return rel{}, err
		}
		name := c.exprName(cl.Of, sc)
		if name == "" {
			name = fmt.Sprintf("Column%d", i+1)
		}
		aggName, aggExpr, err := assignment(cl.By)
		if err != nil {
			return rel{}, err
		}
		if aggName == "" {
			aggName = "aggregated_" + name
		}
		c.agg = &aggState{}
		agg, err := c.expr(aggExpr, sc)
		c.agg = nil
		if err != nil {
			return rel{}, err
		}
		name = uniqueName(name, taken)
		taken[name] = true
		aggName = uniqueName(aggName, taken)
		taken[aggName] = true
		k, a := fmt.Sprintf("\"__k%d\"", i), fmt.Sprintf("\"__a%d\"", i)
		// the level's groups: all previous keys and this one
		var sel, group []string
		for j := 0; j < i; j++ {
			sel = append(sel, fmt.Sprintf("%s AS \"__k%d\"", c.levelKey(x, j, sc), j))
			group = append(group, itoa(j+1))
		}
		sel = append(sel, of.sql+" AS "+k, agg.sql+" AS "+a)
		group = append(group, itoa(i+1))
		dir := "DESC"
		if strings.EqualFold(cl.Order, "asc") {
			dir = "ASC"
		}
		part := ""
		if len(keys) > 0 {
			part = "PARTITION BY " + strings.Join(keys, ", ") + " "
		}
		level := fmt.Sprintf("SELECT *, row_number() OVER (%sORDER BY %s %s NULLS LAST) AS \"__rn\" FROM (SELECT %s FROM (%s) AS %s GROUP BY %s) AS %s",
			part, a, dir, strings.Join(sel, ", "), in.sql, c.alias(), strings.Join(group, ", "), c.alias())
		if cl.Count != nil {
			n, err := c.count(cl.Count)
			if err != nil {
				return rel{}, err
			}
			level = fmt.Sprintf("SELECT * FROM (%s) AS %s WHERE \"__rn\" <= %d", level, c.alias(), n)
		}
		if prev == "" {
			prev = fmt.Sprintf("SELECT %s, %s FROM (%s) AS %s", k, a, level, c.alias())
		} else {
			p, l := c.alias(), c.alias()
			var on []string
			for _, key := range keys {
				on = append(on, fmt.Sprintf("%s.%s IS NOT DISTINCT FROM %s.%s", p, key, l, key))
			}
			prev = fmt.Sprintf("SELECT %s.*, %s.%s, %s.%s FROM (%s) AS %s JOIN (%s) AS %s ON %s", p, l, k, l, a, prev, p, level, l, strings.Join(on, " AND "))
		}
		keys = append(keys, k)
		cols = append(cols, Column{name, of.typ}, Column{aggName, agg.typ})
	}
	var items []selectItem
	for i := range x.Clauses {
		items = append(items, selectItem{fmt.Sprintf("\"__k%d\"", i), cols[2*i]}, selectItem{fmt.Sprintf("\"__a%d\"", i), cols[2*i+1]})
	}
	return rel{selectSQL(items, "("+prev+") AS "+c.alias()), colsOf(items)}, nil
}

// levelKey is the SQL of level j's column.
func (c *compiler) levelKey(x *syntax.TopNestedOp, j int, sc scope) string {
	t, _ := c.expr(x.Clauses[j].Of, sc)
	return t.sql
}
