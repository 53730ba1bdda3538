package lite

import (
	"fmt"
	"strings"

	"github.com/rampart-soc/rampart/internal/kql/syntax"
	"github.com/rampart-soc/rampart/internal/schema"
)

// summarize groups by the by-expressions and computes aggregations. Aggregations that
// return several columns from one row (arg_max, take_any of several columns) compute a
// struct in an inner query that the outer one unpacks.
func (c *compiler) summarize(x *syntax.SummarizeOp, in rel) (rel, error) {
	sc := scopeOf(in.cols)
	var inner []selectItem // SQL computed per group
	var outer []selectItem // final columns over the inner query
	taken := map[string]bool{}
	n := 0
	var groups []string
	byName := map[string]bool{}
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
		if t.typ == schema.Dynamic { // group dynamic values by their JSON text
			t.sql = "CAST(CAST(" + t.sql + " AS VARCHAR) AS JSON)"
		}
		if name == "" {
			name = columnN(&n, taken)
		}
		name = uniqueName(name, taken)
		taken[name] = true
		byName[name] = true
		if id, ok := value.(*syntax.Ident); ok {
			byName[id.Name] = true
		}
		inner = append(inner, selectItem{t.sql, Column{name, t.typ}})
		outer = append(outer, selectItem{quote(name), Column{name, t.typ}})
		groups = append(groups, itoa(len(inner)))
	}
	for _, e := range x.Aggs {
		// (a, b) = arg_max(x, y): names for the columns of a several-column aggregation
		var names []*syntax.Ident
		if as, ok := e.(*syntax.Assign); ok && len(as.Names) > 1 {
			names, e = as.Names, as.Value
		}
		name, value, err := assignment(e)
		if err != nil {
			return rel{}, err
		}
		if call, ok := value.(*syntax.Call); ok {
			if multi, ok, err := c.multiAgg(call, name, in, sc, byName, taken, &n); ok || err != nil {
				if err != nil {
					return rel{}, err
				}
				if names != nil {
					if len(names) != len(multi.outer) {
						return rel{}, errAt(e, "%d names for %d columns", len(names), len(multi.outer))
					}
					for i := range names {
						delete(taken, multi.outer[i].col.Name)
					}
					for i, id := range names {
						multi.outer[i].col.Name = uniqueName(id.Name, taken)
						taken[multi.outer[i].col.Name] = true
					}
				}
				inner = append(inner, multi.inner)
				outer = append(outer, multi.outer...)
				continue
			}
		}
		if names != nil {
			return rel{}, errAt(e, "tuple assignments name the columns of arg_max(), arg_min() or take_any() only")
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
		inner = append(inner, selectItem{t.sql, Column{name, t.typ}})
		outer = append(outer, selectItem{quote(name), Column{name, t.typ}})
	}
	q := selectSQL(inner, "("+in.sql+") AS "+c.alias())
	if len(groups) > 0 {
		q += " GROUP BY " + strings.Join(groups, ", ")
	}
	return rel{selectSQL(outer, "("+q+") AS "+c.alias()), colsOf(outer)}, nil
}

type multiResult struct {
	inner selectItem
	outer []selectItem
}

// multiAgg handles aggregations with several result columns: arg_max/arg_min, take_any of
// several columns or *, and percentiles.
func (c *compiler) multiAgg(call *syntax.Call, assigned string, in rel, sc scope, byName, taken map[string]bool, n *int) (multiResult, bool, error) {
	fn := call.Name()
	if _, user := c.funcs[fn]; user {
		return multiResult{}, false, nil
	}
	field := fmt.Sprintf("__m%d", len(taken)+*n+c.n)
	c.n++
	var exprs []syntax.Expr
	var key syntax.Expr
	var aggSQL string
	switch fn {
	case "arg_max", "arg_min", "argmax", "argmin":
		if len(call.Args) < 1 {
			return multiResult{}, true, errAt(call, "%s() needs an expression", fn)
		}
		key, exprs = call.Args[0], call.Args[1:]
	case "take_any", "any":
		if len(call.Args) == 1 {
			if _, ok := call.Args[0].(*syntax.Wildcard); !ok {
				return multiResult{}, false, nil
			}
		}
		exprs = call.Args
	case "percentiles":
		return c.percentiles(call, sc, taken)
	default:
		return multiResult{}, false, nil
	}
	// expand * into the input's columns other than the keys and the group columns
	var items []syntax.Expr
	keyName := ""
	if key != nil {
		keyName = c.exprName(key, sc)
	}
	for _, e := range exprs {
		if _, ok := e.(*syntax.Wildcard); ok {
			for _, col := range in.cols {
				if !byName[col.Name] && col.Name != keyName {
					items = append(items, &syntax.Ident{Span: syntax.Span{From: e.Pos(), To: e.End()}, Name: col.Name})
				}
			}
			continue
		}
		items = append(items, e)
	}
	var fields []string
	var outer []selectItem
	add := func(name string, t typed) {
		name = uniqueName(name, taken)
		taken[name] = true
		f := fmt.Sprintf("f%d", len(fields))
		fields = append(fields, fmt.Sprintf("'%s': %s", f, t.sql))
		outer = append(outer, selectItem{quote(field) + "." + quote(f), Column{name, t.typ}})
	}
	if key != nil {
		t, err := c.expr(key, sc)
		if err != nil {
			return multiResult{}, true, err
		}
		name := keyName
		if assigned != "" {
			name = assigned
		}
		if name == "" {
			name = columnN(n, taken)
		}
		add(name, t)
		agg := "arg_max"
		if fn == "arg_min" || fn == "argmin" {
			agg = "arg_min"
		}
		k := t
		if k.typ == schema.Dynamic {
			k = convert(k, schema.Real)
		}
		// all keys null: Kusto still returns a row's values
		aggSQL = "coalesce(" + agg + "({\x00}, " + k.sql + "), first({\x00}))"
	} else {
		aggSQL = "first({\x00})"
	}
	for _, e := range items {
		name, value, err := assignment(e)
		if err != nil {
			return multiResult{}, true, err
		}
		if name == "" {
			name = c.exprName(value, sc)
		}
		t, err := c.expr(value, sc)
		if err != nil {
			return multiResult{}, true, err
		}
		if name == "" {
			name = columnN(n, taken)
		}
		add(name, t)
	}
	return multiResult{selectItem{strings.ReplaceAll(aggSQL, "\x00", strings.Join(fields, ", ")), Column{field, schema.Dynamic}}, outer}, true, nil
}

// percentiles(x, p1, p2, ...) is one column per percentile: percentile_x_50, ...
func (c *compiler) percentiles(call *syntax.Call, sc scope, taken map[string]bool) (multiResult, bool, error) {
	if len(call.Args) < 2 {
		return multiResult{}, true, errAt(call, "percentiles() needs a value and percentiles")
	}
	x, err := c.expr(call.Args[0], sc)
	if err != nil {
		return multiResult{}, true, err
	}
	base := c.exprName(call.Args[0], sc)
	field := fmt.Sprintf("__p%d", c.n)
	c.n++
	var fields []string
	var outer []selectItem
	for i, pe := range call.Args[1:] {
		p, err := c.expr(pe, sc)
		if err != nil {
			return multiResult{}, true, err
		}
		t := percentileSQL(x, p.sql)
		f := fmt.Sprintf("f%d", i)
		fields = append(fields, fmt.Sprintf("'%s': %s", f, t.sql))
		name := uniqueName("percentile_"+base+"_"+strings.ReplaceAll(syntax.Format(pe), ".", "_"), taken)
		taken[name] = true
		outer = append(outer, selectItem{quote(field) + "." + quote(f), Column{name, t.typ}})
	}
	return multiResult{selectItem{"{" + strings.Join(fields, ", ") + "}", Column{field, schema.Dynamic}}, outer}, true, nil
}
