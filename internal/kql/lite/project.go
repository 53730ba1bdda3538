package lite

import (
	"path"
	"strings"

	"github.com/rampart-soc/rampart/internal/kql/syntax"
)

// selectItem is one output column of a SELECT: SQL and column.
type selectItem struct {
	sql string
	col Column
}

func selectSQL(items []selectItem, from string) string {
	sel := make([]string, len(items))
	for i, it := range items {
		sel[i] = it.sql + " AS " + quote(it.col.Name)
	}
	if len(sel) == 0 {
		return "SELECT NULL AS " + quote("__empty") + " FROM " + from + " WHERE FALSE"
	}
	return "SELECT " + strings.Join(sel, ", ") + " FROM " + from
}

func passThrough(cols []Column) []selectItem {
	items := make([]selectItem, len(cols))
	for i, col := range cols {
		items[i] = selectItem{quote(col.Name), col}
	}
	return items
}

func colsOf(items []selectItem) []Column {
	out := make([]Column, len(items))
	for i, it := range items {
		out[i] = it.col
	}
	return out
}

// assignment splits [Name =] Expr.
func assignment(e syntax.Expr) (string, syntax.Expr, error) {
	if as, ok := e.(*syntax.Assign); ok {
		if len(as.Names) != 1 {
			return "", nil, errAt(e, "tuple assignments (a, b) = ... are not supported yet by the query engine")
		}
		return as.Names[0].Name, as.Value, nil
	}
	return "", e, nil
}

// refersTo reports whether an expression mentions any of the names.
func refersTo(e syntax.Expr, names map[string]bool) bool {
	found := false
	syntax.Inspect(e, func(n syntax.Node) bool {
		if id, ok := n.(*syntax.Ident); ok && names[id.Name] {
			found = true
		}
		return !found
	})
	return found
}

// extend compiles extend (keep = true) and project (keep = false). An item may use a
// column an earlier item of the same operator defined: the items then run in layers.
func (c *compiler) extend(list []syntax.Expr, in rel, keep bool) (rel, error) {
	return c.extendLayers(list, in, keep, true)
}

// extendLayers is extend; without layers every item reads the input's columns only
// (graph-match's project, where a result may take a pattern variable's name).
func (c *compiler) extendLayers(list []syntax.Expr, in rel, keep, layers bool) (rel, error) {
	cur := in
	items := passThrough(in.cols)
	defined := map[string]bool{}
	var projected []string
	n := 0
	ordered := false // window helpers were added: restore the row order, drop them
	for _, e := range list {
		name, value, err := assignment(e)
		if err != nil {
			return rel{}, err
		}
		if layers && refersTo(value, defined) {
			cur = rel{selectSQL(items, "("+cur.sql+") AS "+c.alias()), colsOf(items)}
			items = passThrough(cur.cols)
			defined = map[string]bool{}
		}
		sc := scopeOf(cur.cols)
		c.inCols = cur.cols
		if name == "" {
			name = c.exprName(value, sc)
		}
		c.pre = nil
		t, err := c.expr(value, sc)
		if err != nil {
			return rel{}, err
		}
		if len(c.pre) > 0 { // helper columns the item's window functions read
			cur = rel{selectSQL(items, "("+cur.sql+") AS "+c.alias()), colsOf(items)}
			for _, level := range c.pre {
				all := append(passThrough(cur.cols), level...)
				cur = rel{selectSQL(all, "("+cur.sql+") AS "+c.alias()), colsOf(all)}
			}
			items = passThrough(cur.cols)
			defined = map[string]bool{}
			ordered = true
			c.pre = nil
		}
		if name == "" {
			taken := map[string]bool{}
			for _, it := range items {
				taken[it.col.Name] = true
			}
			name = columnN(&n, taken)
		}
		replaced := false
		for i := range items {
			if items[i].col.Name == name {
				items[i] = selectItem{t.sql, Column{name, t.typ}}
				replaced = true
			}
		}
		if !replaced {
			items = append(items, selectItem{t.sql, Column{name, t.typ}})
		}
		defined[name] = true
		projected = append(projected, name)
	}
	out := rel{selectSQL(items, "("+cur.sql+") AS "+c.alias()), colsOf(items)}
	if ordered {
		var visible []selectItem
		for _, it := range items {
			if !strings.HasPrefix(it.col.Name, "__w") {
				visible = append(visible, selectItem{quote(it.col.Name), it.col})
			}
		}
		out = rel{selectSQL(visible, "("+out.sql+" ORDER BY \"__wpos\") AS "+c.alias()), colsOf(visible)}
	}
	if keep {
		return out, nil
	}
	// project: only the listed columns, in the listed order
	byName := map[string]Column{}
	for _, col := range out.cols {
		byName[col.Name] = col
	}
	var final []selectItem
	seen := map[string]bool{}
	for _, name := range projected {
		if !seen[name] {
			seen[name] = true
			final = append(final, selectItem{quote(name), byName[name]})
		}
	}
	return rel{selectSQL(final, "("+out.sql+") AS "+c.alias()), colsOf(final)}, nil
}

// matchColumns resolves names and wildcards (Sec*, *) against columns, in column order.
func matchColumns(list []syntax.Expr, cols []Column) (map[string]bool, error) {
	out := map[string]bool{}
	for _, e := range list {
		switch x := e.(type) {
		case *syntax.Ident:
			found := false
			for _, col := range cols {
				if col.Name == x.Name {
					found = true
				}
			}
			if !found {
				return nil, errAt(x, "unknown column %q", x.Name)
			}
			out[x.Name] = true
		case *syntax.Wildcard:
			for _, col := range cols {
				if ok, _ := path.Match(x.Pattern, col.Name); ok {
					out[col.Name] = true
				}
			}
		default:
			return nil, errAt(e, "a column name or wildcard is expected")
		}
	}
	return out, nil
}

func (c *compiler) projectAway(list []syntax.Expr, in rel, keep bool) (rel, error) {
	m, err := matchColumns(list, in.cols)
	if err != nil {
		return rel{}, err
	}
	var items []selectItem
	for _, col := range in.cols {
		if m[col.Name] == keep {
			items = append(items, selectItem{quote(col.Name), col})
		}
	}
	return rel{selectSQL(items, "("+in.sql+") AS "+c.alias()), colsOf(items)}, nil
}

func (c *compiler) projectRename(list []syntax.Expr, in rel) (rel, error) {
	items := passThrough(in.cols)
	for _, e := range list {
		as, ok := e.(*syntax.Assign)
		if !ok || len(as.Names) != 1 {
			return rel{}, errAt(e, "project-rename takes NewName = OldName")
		}
		old, ok := as.Value.(*syntax.Ident)
		if !ok {
			return rel{}, errAt(as.Value, "project-rename takes NewName = OldName")
		}
		found := false
		for i := range items {
			if in.cols[i].Name == old.Name {
				items[i].col.Name = as.Names[0].Name
				found = true
			}
		}
		if !found {
			return rel{}, errAt(old, "unknown column %q", old.Name)
		}
	}
	return rel{selectSQL(items, "("+in.sql+") AS "+c.alias()), colsOf(items)}, nil
}

func (c *compiler) projectReorder(keys []*syntax.SortKey, in rel) (rel, error) {
	var first []Column
	used := map[string]bool{}
	for _, k := range keys {
		var pattern string
		switch x := k.X.(type) {
		case *syntax.Ident:
			pattern = x.Name
		case *syntax.Wildcard:
			pattern = x.Pattern
		default:
			return rel{}, errAt(k, "a column name or wildcard is expected")
		}
		var group []Column
		for _, col := range in.cols {
			if ok, _ := path.Match(pattern, col.Name); ok && !used[col.Name] {
				group = append(group, col)
				used[col.Name] = true
			}
		}
		if len(group) == 0 {
			if _, ok := k.X.(*syntax.Ident); ok {
				return rel{}, errAt(k, "unknown column %q", pattern)
			}
		}
		if k.Order != "" {
			sortColumns(group, k.Order == "desc")
		}
		first = append(first, group...)
	}
	for _, col := range in.cols {
		if !used[col.Name] {
			first = append(first, col)
		}
	}
	items := passThrough(first)
	return rel{selectSQL(items, "("+in.sql+") AS "+c.alias()), first}, nil
}

func sortColumns(cols []Column, desc bool) {
	for i := 1; i < len(cols); i++ {
		for j := i; j > 0 && (cols[j].Name < cols[j-1].Name) != desc; j-- {
			cols[j], cols[j-1] = cols[j-1], cols[j]
		}
	}
}

func scopeOf(cols []Column) scope {
	sc := scope{}
	for _, c := range cols {
		sc[c.Name] = c.Type
	}
	return sc
}
