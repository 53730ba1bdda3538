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
	var unnests, lens []string
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
		list := mvList(t, bagArray)
		unnests = append(unnests, fmt.Sprintf("unnest(%s) AS \"__mv%d\"", list, i))
		lens = append(lens, "len("+list+")")
		items = append(items, item{name, typ})
	}
	if len(items) == 0 {
		return rel{}, errAt(x, "mv-expand needs columns")
	}
	if index != "" || x.Limit != nil {
		unnests = append(unnests, fmt.Sprintf("unnest(range(greatest(%s))) AS \"__mvi\"", strings.Join(lens, ", ")))
	}
	inner := "SELECT *, " + strings.Join(unnests, ", ") + " FROM (" + in.sql + ") AS " + c.alias()
	var sel []selectItem
	replaced := map[string]bool{}
	for _, it := range items {
		replaced[it.name] = true
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

// mvList is the SQL list of what a value expands to; arrays stay in SQL, bags and
// scalars go through kql_mv_items.
func mvList(t typed, bagArray bool) string {
	j := asJSON(t)
	return fmt.Sprintf("(CASE WHEN json_type(%[1]s) = 'ARRAY' THEN from_json(%[1]s, '[\"JSON\"]') ELSE from_json(kql_mv_items(CAST(%[1]s AS VARCHAR), %[2]v), '[\"JSON\"]') END)", j, bagArray)
}

func expandValue(i int, typ schema.Type) string {
	v := typed{sql: fmt.Sprintf("CAST(\"__mv%d\" AS JSON)", i), typ: schema.Dynamic}
	if typ != schema.Dynamic {
		v = convert(v, typ)
	}
	return v.sql
}
