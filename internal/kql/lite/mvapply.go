package lite

import (
	"strings"

	"github.com/rampart-soc/rampart/internal/kql/syntax"
)

// outerRow is a one-row table of an outer query's columns, for a LATERAL sub-query.
func outerRow(alias string, cols []Column) rel {
	sel := make([]string, len(cols))
	for i, col := range cols {
		sel[i] = alias + "." + quote(col.Name) + " AS " + quote(col.Name)
	}
	return rel{"SELECT " + strings.Join(sel, ", "), cols}
}

// subquery compiles a sub-query whose implicit input is in.
func (c *compiler) subquery(q syntax.Expr, in rel) (rel, error) {
	saved := c.input
	c.input = &in
	defer func() { c.input = saved }()
	if p, ok := q.(*syntax.Paren); ok {
		q = p.X
	}
	return c.tabular(q)
}

// mvApply expands arrays of each row and runs a sub-query over that row's expansion; the
// row's columns are joined to each row the sub-query returns (a LATERAL join).
func (c *compiler) mvApply(x *syntax.MvApplyOp, in rel) (rel, error) {
	o := c.alias()
	expanded, err := c.mvExpand(&syntax.MvExpandOp{Span: x.Span, Params: x.Params, Items: x.Items, Limit: x.Limit}, outerRow(o, in.cols))
	if err != nil {
		return rel{}, err
	}
	sub, err := c.subquery(x.Query, expanded)
	if err != nil {
		return rel{}, err
	}
	return lateral(o, in, sub, c.alias()), nil
}

// lateral joins each row of in (aliased o) to the rows sub returns for it: in's columns,
// then sub's other columns.
func lateral(o string, in, sub rel, s string) rel {
	items := make([]selectItem, 0, len(in.cols)+len(sub.cols))
	for _, col := range in.cols {
		items = append(items, selectItem{o + "." + quote(col.Name), col})
	}
	for _, col := range sub.cols {
		if !hasColumn(in.cols, col.Name) {
			items = append(items, selectItem{s + "." + quote(col.Name), col})
		}
	}
	return rel{selectSQL(items, "("+in.sql+") AS "+o+", LATERAL ("+sub.sql+") AS "+s), colsOf(items)}
}

// partition runs a sub-query once per value of a column and unions the results.
func (c *compiler) partition(x *syntax.PartitionOp, in rel) (rel, error) {
	sc := scopeOf(in.cols)
	key, err := c.expr(x.By, sc)
	if err != nil {
		return rel{}, err
	}
	p, t := c.alias(), c.alias()
	part := rel{"SELECT * FROM (" + in.sql + ") AS " + t + " WHERE " + key.sql + " IS NOT DISTINCT FROM " + p + ".\"__key\"", in.cols}
	if x.Braced {
		saved := c.tabs["T"]
		_, had := c.tabs["T"]
		c.tabs["T"] = part // { ... } sub-queries read the partition as T
		defer func() {
			if had {
				c.tabs["T"] = saved
			} else {
				delete(c.tabs, "T")
			}
		}()
	}
	sub, err := c.subquery(x.Query, part)
	if err != nil {
		return rel{}, err
	}
	s := c.alias()
	keys := "SELECT DISTINCT " + key.sql + " AS \"__key\" FROM (" + in.sql + ") AS " + c.alias()
	return rel{selectSQL(passThroughFrom(s, sub.cols), "("+keys+") AS "+p+", LATERAL ("+sub.sql+") AS "+s), sub.cols}, nil
}

func passThroughFrom(alias string, cols []Column) []selectItem {
	items := make([]selectItem, len(cols))
	for i, col := range cols {
		items[i] = selectItem{alias + "." + quote(col.Name), col}
	}
	return items
}
