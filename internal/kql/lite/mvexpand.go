package lite

import (
	"fmt"
	"strings"

	"github.com/rampart-soc/rampart/internal/kql/syntax"
	"github.com/rampart-soc/rampart/internal/schema"
)

func init() {
	// mv_items lists what mv-expand makes rows of: an array's elements, a bag's properties
	// (as {"key": value} bags, or ["key", value] arrays with bagexpansion=array), or a
	// scalar itself. Null and empty arrays give no rows.
	jsonUDF("mv_items", "jbj", func(a []any) any {
		switch x := a[0].(type) {
		case nil:
			return []any{}
		case []any:
			return x
		case *bag:
			out := []any{}
			for _, k := range x.keys {
				if a[1].(bool) {
					out = append(out, []any{k, x.vals[k]})
				} else {
					b := newBag()
					b.set(k, x.vals[k])
					out = append(out, b)
				}
			}
			return out
		default:
			return []any{x}
		}
	})
}

// mvExpand turns each element of dynamic arrays (or bags) into a row; several columns
// expand side by side, the shorter padded with nulls.
func (c *compiler) mvExpand(x *syntax.MvExpandOp, in rel) (rel, error) {
	sc := scopeOf(in.cols)
	c.inCols = in.cols
	bagArray, index := false, ""
	for _, p := range x.Params {
		switch strings.ToLower(p.Name.Name) {
		case "bagexpansion", "kind":
			bagArray = strings.EqualFold(paramValue(p), "array")
		case "with_itemindex":
			index = paramValue(p)
		}
	}
	type item struct {
		name string
		typ  schema.Type
	}
	var items []item
	var unnests []string
	for i, it := range x.Items {
		name, value, err := assignment(it.X)
		if err != nil {
			return rel{}, err
		}
		t, err := c.expr(value, sc)
		if err != nil {
			return rel{}, err
		}
		if name == "" {
			name = c.exprName(value, sc)
		}
		if name == "" {
			return rel{}, errAt(it, "mv-expand needs a column or Name = expression")
		}
		typ := schema.Dynamic
		if it.ToType != nil {
			if typ, err = schema.ParseType(it.ToType.Name); err != nil {
				return rel{}, errAt(it.ToType, "%v", err)
			}
		}
		list := fmt.Sprintf("from_json(kql_mv_items(%s, %v), '[\"JSON\"]')", jsonArg(t), bagArray)
		unnests = append(unnests, fmt.Sprintf("unnest(%s) AS \"__mv%d\"", list, i))
		if i == 0 {
			unnests = append(unnests, fmt.Sprintf("len(%s) AS \"__mvn%d\"", list, i))
		}
		items = append(items, item{name, typ})
	}
	if len(items) == 0 {
		return rel{}, errAt(x, "mv-expand needs columns")
	}
	if index != "" || x.Limit != nil {
		var lens []string
		for i, it := range x.Items {
			name, value, _ := assignment(it.X)
			_ = name
			t, err := c.expr(value, sc)
			if err != nil {
				return rel{}, err
			}
			lens = append(lens, fmt.Sprintf("len(from_json(kql_mv_items(%s, %v), '[\"JSON\"]'))", jsonArg(t), bagArray))
			_ = i
		}
		unnests = append(unnests, fmt.Sprintf("unnest(range(greatest(%s))) AS \"__mvi\"", strings.Join(lens, ", ")))
	}
	inner := "SELECT *, " + strings.Join(unnests, ", ") + " FROM (" + in.sql + ") AS " + c.alias()
	var sel []selectItem
	replaced := map[string]bool{}
	for i, it := range items {
		v := typed{sql: fmt.Sprintf("CAST(\"__mv%d\" AS JSON)", i), typ: schema.Dynamic}
		if it.typ != schema.Dynamic {
			v = convert(v, it.typ)
		}
		replaced[it.name] = true
		_ = v
	}
	for _, col := range in.cols {
		if replaced[col.Name] {
			for i, it := range items {
				if it.name == col.Name {
					sel = append(sel, selectItem{expandValue(i, it.typ), Column{it.name, it.typ}})
				}
			}
			continue
		}
		sel = append(sel, selectItem{quote(col.Name), col})
	}
	for i, it := range items {
		if _, ok := sc[it.name]; !ok {
			sel = append(sel, selectItem{expandValue(i, it.typ), Column{it.name, it.typ}})
		}
	}
	if index != "" {
		sel = append(sel, selectItem{"CAST(\"__mvi\" AS BIGINT)", Column{index, schema.Long}})
	}
	q := selectSQL(sel, "("+inner+") AS "+c.alias())
	if x.Limit != nil {
		n, err := c.count(x.Limit)
		if err != nil {
			return rel{}, err
		}
		q += fmt.Sprintf(" WHERE \"__mvi\" < %d", n)
	}
	return rel{q, colsOf(sel)}, nil
}

func expandValue(i int, typ schema.Type) string {
	v := typed{sql: fmt.Sprintf("CAST(\"__mv%d\" AS JSON)", i), typ: schema.Dynamic}
	if typ != schema.Dynamic {
		v = convert(v, typ)
	}
	return v.sql
}
