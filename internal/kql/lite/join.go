package lite

import (
	"fmt"
	"strings"

	"github.com/rampart-soc/rampart/internal/kql/syntax"
	"github.com/rampart-soc/rampart/internal/schema"
)

// joinKey is one equality of a join: left column = right column.
type joinKey struct{ left, right string }

// joinKeys reads on Col, on $left.A == $right.B (and lists and conjunctions of them).
func joinKeys(on []syntax.Expr, left, right rel) ([]joinKey, error) {
	has := func(r rel, name string) bool {
		for _, c := range r.cols {
			if c.Name == name {
				return true
			}
		}
		return false
	}
	side := func(e syntax.Expr) (string, string, bool) {
		m, ok := e.(*syntax.Member)
		if !ok {
			return "", "", false
		}
		id, ok := m.X.(*syntax.Ident)
		if !ok || (id.Name != "$left" && id.Name != "$right") {
			return "", "", false
		}
		return id.Name, m.Name.Name, true
	}
	var keys []joinKey
	var walk func(e syntax.Expr) error
	walk = func(e syntax.Expr) error {
		switch x := e.(type) {
		case *syntax.Paren:
			return walk(x.X)
		case *syntax.Ident:
			if !has(left, x.Name) || !has(right, x.Name) {
				return errAt(x, "join key %q must be a column of both sides", x.Name)
			}
			keys = append(keys, joinKey{x.Name, x.Name})
			return nil
		case *syntax.Binary:
			if strings.EqualFold(x.Op, "and") {
				if err := walk(x.X); err != nil {
					return err
				}
				return walk(x.Y)
			}
			if x.Op == "==" {
				s1, c1, ok1 := side(x.X)
				s2, c2, ok2 := side(x.Y)
				if ok1 && ok2 && s1 != s2 {
					if s1 == "$right" {
						c1, c2 = c2, c1
					}
					if !has(left, c1) {
						return errAt(x.X, "unknown column %q on the left of the join", c1)
					}
					if !has(right, c2) {
						return errAt(x.Y, "unknown column %q on the right of the join", c2)
					}
					keys = append(keys, joinKey{c1, c2})
					return nil
				}
			}
		}
		return errAt(e, "join conditions other than equalities of columns are not supported yet by the query engine")
	}
	for _, e := range on {
		if err := walk(e); err != nil {
			return nil, err
		}
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("join needs on keys")
	}
	return keys, nil
}

func joinKind(params []*syntax.NamedArg, def string) string {
	for _, p := range params {
		if strings.EqualFold(p.Name.Name, "kind") {
			return strings.ToLower(paramValue(p))
		}
	}
	return def
}

// keyCond is the SQL equality of two key columns, comparing mixed types as text.
func keyCond(l, r string, lt, rt schema.Type, k joinKey) string {
	a := typed{sql: l + "." + quote(k.left), typ: lt}
	b := typed{sql: r + "." + quote(k.right), typ: rt}
	if lt == schema.Dynamic || rt == schema.Dynamic || (lt != rt && !(isNum(lt) && isNum(rt))) {
		return asString(a) + " = " + asString(b)
	}
	return a.sql + " = " + b.sql
}

func colType(r rel, name string) schema.Type {
	for _, c := range r.cols {
		if c.Name == name {
			return c.Type
		}
	}
	return ""
}

func (c *compiler) join(x *syntax.JoinOp, left rel) (rel, error) {
	right, err := c.tabular(x.Right)
	if err != nil {
		return rel{}, err
	}
	kind := joinKind(x.Params, "innerunique")
	keys, err := joinKeys(x.On, left, right)
	if err != nil {
		if _, ok := err.(*Error); ok {
			return rel{}, err
		}
		return rel{}, errAt(x, "%v", err)
	}
	la, ra := c.alias(), c.alias()
	var conds []string
	for _, k := range keys {
		conds = append(conds, keyCond(la, ra, colType(left, k.left), colType(right, k.right), k))
	}
	on := strings.Join(conds, " AND ")
	lsql := left.sql
	if kind == "innerunique" { // one left row per key, then an inner join
		var ks []string
		for _, k := range keys {
			ks = append(ks, quote(k.left))
		}
		lsql = fmt.Sprintf("SELECT DISTINCT ON (%s) * FROM (%s) AS %s", strings.Join(ks, ", "), left.sql, c.alias())
	}
	from := func(kind string) string {
		return "(" + lsql + ") AS " + la + " " + kind + " JOIN (" + right.sql + ") AS " + ra + " ON " + on
	}
	sideItems := func(alias string, cols []Column) []selectItem {
		var items []selectItem
		for _, col := range cols {
			items = append(items, selectItem{alias + "." + quote(col.Name), col})
		}
		return items
	}
	switch kind {
	case "leftsemi", "leftanti", "anti", "leftantisemi":
		q := "SEMI"
		if kind != "leftsemi" {
			q = "ANTI"
		}
		return rel{selectSQL(sideItems(la, left.cols), from(q)), left.cols}, nil
	case "rightsemi", "rightanti", "rightantisemi":
		q := "SEMI"
		if kind != "rightsemi" {
			q = "ANTI"
		}
		f := "(" + right.sql + ") AS " + ra + " " + q + " JOIN (" + lsql + ") AS " + la + " ON " + on
		return rel{selectSQL(sideItems(ra, right.cols), f), right.cols}, nil
	}
	sqlKind := map[string]string{"innerunique": "INNER", "inner": "INNER", "leftouter": "LEFT", "rightouter": "RIGHT", "fullouter": "FULL", "outer": "FULL"}[kind]
	if sqlKind == "" {
		return rel{}, errAt(x, "join kind %q is not supported yet by the query engine", kind)
	}
	items := sideItems(la, left.cols)
	taken := map[string]bool{}
	for _, col := range left.cols {
		taken[col.Name] = true
	}
	for _, col := range right.cols {
		name := col.Name
		if taken[name] {
			name = uniqueName(name, taken)
		}
		taken[name] = true
		items = append(items, selectItem{ra + "." + quote(col.Name), Column{name, col.Type}})
	}
	return rel{selectSQL(items, from(sqlKind)), colsOf(items)}, nil
}

// lookup extends the left table with the right one's columns (keys once), leftouter by default.
func (c *compiler) lookup(x *syntax.LookupOp, left rel) (rel, error) {
	right, err := c.tabular(x.Right)
	if err != nil {
		return rel{}, err
	}
	kind := joinKind(x.Params, "leftouter")
	keys, err := joinKeys(x.On, left, right)
	if err != nil {
		if _, ok := err.(*Error); ok {
			return rel{}, err
		}
		return rel{}, errAt(x, "%v", err)
	}
	sqlKind := map[string]string{"leftouter": "LEFT", "inner": "INNER"}[kind]
	if sqlKind == "" {
		return rel{}, errAt(x, "lookup kind %q is not supported (leftouter or inner)", kind)
	}
	la, ra := c.alias(), c.alias()
	var conds []string
	rightKey := map[string]bool{}
	for _, k := range keys {
		conds = append(conds, keyCond(la, ra, colType(left, k.left), colType(right, k.right), k))
		if k.left == k.right {
			rightKey[k.right] = true
		}
	}
	var items []selectItem
	taken := map[string]bool{}
	for _, col := range left.cols {
		items = append(items, selectItem{la + "." + quote(col.Name), col})
		taken[col.Name] = true
	}
	for _, col := range right.cols {
		if rightKey[col.Name] {
			continue
		}
		name := uniqueName(col.Name, taken)
		taken[name] = true
		items = append(items, selectItem{ra + "." + quote(col.Name), Column{name, col.Type}})
	}
	from := "(" + left.sql + ") AS " + la + " " + sqlKind + " JOIN (" + right.sql + ") AS " + ra + " ON " + strings.Join(conds, " AND ")
	return rel{selectSQL(items, from), colsOf(items)}, nil
}
