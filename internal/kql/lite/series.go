package lite

import (
	"fmt"
	"strings"

	"github.com/rampart-soc/rampart/internal/kql/syntax"
	"github.com/rampart-soc/rampart/internal/schema"
)

// makeSeries aggregates into arrays over bins of an axis: one row per group, one array per
// aggregation (empty bins hold the default, 0 unless given) and the bins' start values.
// The bins run from `from` (or the first value's bin) up to, not including, `to` (or past
// the last value).
func (c *compiler) makeSeries(x *syntax.MakeSeriesOp, in rel) (rel, error) {
	sc := scopeOf(in.cols)
	c.inCols = in.cols
	fromE, toE, stepE := x.From, x.To, x.Step
	if x.Range != nil {
		if len(x.Range.Args) != 3 {
			return rel{}, errAt(x.Range, "range() takes start, stop and step")
		}
		fromE, toE, stepE = x.Range.Args[0], x.Range.Args[1], x.Range.Args[2]
	}
	if stepE == nil {
		return rel{}, errAt(x, "make-series needs a step")
	}
	axis, err := c.expr(x.On, sc)
	if err != nil {
		return rel{}, err
	}
	axisName := c.exprName(x.On, sc)
	if axisName == "" {
		return rel{}, errAt(x.On, "make-series needs a column as its axis")
	}
	step, err := c.expr(stepE, scope{})
	if err != nil {
		return rel{}, err
	}
	stepTyp := axis.typ
	if axis.typ == schema.DateTime {
		stepTyp = schema.TimeSpan
	}
	step = convert(step, stepTyp)
	src := "(" + in.sql + ")"
	bound := func(e syntax.Expr, agg string) (typed, error) {
		if e == nil {
			t := typed{sql: fmt.Sprintf("(SELECT %s(%s) FROM %s AS %s)", agg, axis.sql, src, c.alias()), typ: axis.typ}
			if agg == "min" {
				return binSQL(t, step, nil)
			}
			b, err := binSQL(t, step, nil)
			if err != nil {
				return t, err
			}
			return arith(x, "+", b, step)
		}
		t, err := c.expr(e, scope{})
		return convert(t, axis.typ), err
	}
	from, err := bound(fromE, "min")
	if err != nil {
		return rel{}, err
	}
	to, err := bound(toE, "max")
	if err != nil {
		return rel{}, err
	}
	bin, err := binSQL(axis, step, &from)
	if err != nil {
		return rel{}, err
	}
	// groups
	var groupItems []selectItem
	taken := map[string]bool{}
	n := 0
	for _, e := range x.By {
		name, value, err := assignment(e)
		if err != nil {
			return rel{}, err
		}
		if name == "" {
			name = c.exprName(value, sc)
		}
		t, err := c.expr(value, sc)
		if err != nil {
			return rel{}, err
		}
		if name == "" {
			name = columnN(&n, taken)
		}
		taken[name] = true
		groupItems = append(groupItems, selectItem{t.sql, Column{name, t.typ}})
	}
	// aggregations with their defaults
	type seriesAgg struct {
		name string
		t    typed
		def  typed
	}
	var aggs []seriesAgg
	for _, sa := range x.Aggs {
		name, value, err := assignment(sa.X)
		if err != nil {
			return rel{}, err
		}
		c.agg = &aggState{}
		if name == "" {
			name = c.exprName(value, sc)
		}
		t, err := c.expr(value, sc)
		c.agg = nil
		if err != nil {
			return rel{}, err
		}
		if name == "" {
			name = columnN(&n, taken)
		}
		name = uniqueName(name, taken)
		taken[name] = true
		def := constant(int64(0))
		if sa.Default != nil {
			if def, err = c.expr(sa.Default, scope{}); err != nil {
				return rel{}, err
			}
		}
		if !isNum(t.typ) && sa.Default == nil {
			def = nullOf(t.typ)
		}
		aggs = append(aggs, seriesAgg{name, t, convert(def, t.typ)})
	}
	ga, ba, ka := c.alias(), c.alias(), c.alias()
	// per group and bin
	var sel, gcols []string
	for i, g := range groupItems {
		sel = append(sel, g.sql+" AS "+quote(g.col.Name))
		gcols = append(gcols, itoa(i+1))
	}
	sel = append(sel, bin.sql+` AS "__b"`)
	gcols = append(gcols, itoa(len(groupItems)+1))
	for i, a := range aggs {
		sel = append(sel, fmt.Sprintf("%s AS \"__a%d\"", a.t.sql, i))
	}
	per := fmt.Sprintf("SELECT %s FROM %s AS %s WHERE %s >= %s AND %s < %s GROUP BY %s",
		strings.Join(sel, ", "), src, c.alias(), axis.sql, from.sql, axis.sql, to.sql, strings.Join(gcols, ", "))
	var count string
	if axis.typ == schema.DateTime {
		count = fmt.Sprintf("CAST(ceil((epoch_us(%s) - epoch_us(%s)) * 10.0 / %s) AS BIGINT)", to.sql, from.sql, step.sql)
	} else {
		count = fmt.Sprintf("CAST(ceil((%s - %s) / CAST(%s AS DOUBLE)) AS BIGINT)", to.sql, from.sql, step.sql)
	}
	binAt := fmt.Sprintf("%s.i * (%s)", ba, step.sql)
	if axis.typ == schema.DateTime {
		binAt = fmt.Sprintf("%s + to_microseconds(%s // 10)", from.sql, binAt)
	} else {
		binAt = fmt.Sprintf("%s + %s", from.sql, binAt)
	}
	bins := fmt.Sprintf("SELECT %s AS \"__b\" FROM generate_series(0, %s - 1) AS %s(i)", binAt, count, ba)
	var outSel, keyCols, joinOn []string
	var cols []Column
	for _, g := range groupItems {
		q := quote(g.col.Name)
		keyCols = append(keyCols, q)
		outSel = append(outSel, ka+"."+q)
		joinOn = append(joinOn, fmt.Sprintf("%s.%s IS NOT DISTINCT FROM %s.%s", ka, q, ga, q))
		cols = append(cols, g.col)
	}
	joinOn = append(joinOn, fmt.Sprintf("%s.\"__b\" = %s.\"__b\"", "bins", ga))
	for i, a := range aggs {
		v := typed{sql: fmt.Sprintf("coalesce(%s.\"__a%d\", %s)", ga, i, a.def.sql), typ: a.t.typ}
		outSel = append(outSel, fmt.Sprintf("to_json(list(%s ORDER BY bins.\"__b\")) AS %s", asJSON(v), quote(a.name)))
		cols = append(cols, Column{a.name, schema.Dynamic})
	}
	axisVal := asJSON(typed{sql: "bins.\"__b\"", typ: axis.typ})
	outSel = append(outSel, fmt.Sprintf("to_json(list(%s ORDER BY bins.\"__b\")) AS %s", axisVal, quote(axisName)))
	cols = append(cols, Column{axisName, schema.Dynamic})
	keys := fmt.Sprintf("SELECT DISTINCT %s FROM (%s) AS %s", strings.Join(append(keyCols, "1 AS \"__k\""), ", "), per, c.alias())
	nonempty := false
	for _, p := range x.Params {
		if strings.EqualFold(p.Name.Name, "kind") && strings.EqualFold(paramValue(p), "nonempty") {
			nonempty = true
		}
	}
	if nonempty && len(groupItems) == 0 { // one series of defaults even without data
		keys = `SELECT 1 AS "__k"`
	}
	q := fmt.Sprintf("SELECT %s FROM (%s) AS %s CROSS JOIN (%s) AS bins LEFT JOIN (%s) AS %s ON %s",
		strings.Join(outSel, ", "), keys, ka, bins, per, ga, strings.Join(joinOn, " AND "))
	var groupBy []string
	for i := range groupItems {
		groupBy = append(groupBy, itoa(i+1))
	}
	if len(groupBy) > 0 {
		q += " GROUP BY " + strings.Join(groupBy, ", ")
	} else if !nonempty {
		q += " HAVING count(*) > 0" // no data, no series
	}
	return rel{q, cols}, nil
}
