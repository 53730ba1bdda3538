package lite

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rampart-soc/rampart/internal/kql/syntax"
	"github.com/rampart-soc/rampart/internal/schema"
)

// Column is a result column with its KQL type.
type Column struct {
	Name string      `json:"name"`
	Type schema.Type `json:"type"`
}

// Tables resolves table names.
type Tables interface {
	Get(name string) (*schema.Table, bool)
}

// Window restricts every table read to TimeGenerated in [From, To) when set.
type Window struct{ From, To time.Time }

// Compile turns KQL text into DuckDB SQL and the result's columns.
func Compile(text string, tables Tables, now time.Time, w Window) (string, []Column, []*syntax.Error, error) {
	q, perrs := syntax.Parse(text)
	if len(perrs) > 0 {
		return "", nil, perrs, nil
	}
	c := &compiler{now: now, lets: map[string]typed{}, lists: map[string][]string{}, tabs: map[string]tabular{}}
	res := q.Result()
	if res == nil {
		return "", nil, nil, errAt(q, "the query has no tabular expression")
	}
	for _, st := range q.Stmts {
		switch x := st.(type) {
		case *syntax.LetStmt:
			if err := c.let(x, tables, w); err != nil {
				return "", nil, nil, err
			}
		case *syntax.ExprStmt:
			if x != res {
				return "", nil, nil, errAt(x, "only the last statement may be a query")
			}
		default:
			return "", nil, nil, errAt(st, "set and declare statements are not supported yet by the query engine")
		}
	}
	sql, cols, err := c.tabular(res.X, tables, w)
	return sql, cols, nil, err
}

// tabular is a compiled tabular expression.
type tabular struct {
	sql  string
	cols []Column
}

// let binds a scalar (a constant, dynamic list or expression of constants) or a tabular
// expression for the statements after it.
func (c *compiler) let(x *syntax.LetStmt, tables Tables, w Window) error {
	switch v := x.Value.(type) {
	case *syntax.FuncDecl:
		return errAt(x, "user-defined functions are not supported yet by the query engine")
	case *syntax.Pipe:
		sql, cols, err := c.tabular(v, tables, w)
		if err != nil {
			return err
		}
		c.tabs[x.Name.Name] = tabular{sql, cols}
		return nil
	case *syntax.Ident:
		if _, ok := tables.Get(v.Name); ok {
			sql, cols, err := c.tabular(v, tables, w)
			if err != nil {
				return err
			}
			c.tabs[x.Name.Name] = tabular{sql, cols}
			return nil
		}
	case *syntax.DynamicLit:
		if arr, ok := v.Value.(*syntax.DynArray); ok {
			var items []string
			for _, el := range arr.Elems {
				t, err := c.expr(el, scope{})
				if err != nil {
					return err
				}
				items = append(items, t.sql)
			}
			c.lists[x.Name.Name] = items
			return nil
		}
	}
	t, err := c.expr(x.Value, scope{})
	if err != nil {
		return err
	}
	c.lets[x.Name.Name] = t
	return nil
}

// tabular compiles a table name, a let-bound tabular name, or either piped through operators.
func (c *compiler) tabular(e syntax.Expr, tables Tables, w Window) (string, []Column, error) {
	src, ops := e, []syntax.TabularOp(nil)
	if p, ok := e.(*syntax.Pipe); ok {
		src, ops = p.Source, p.Ops
	}
	id, ok := src.(*syntax.Ident)
	if !ok {
		return "", nil, errAt(e, "the query must start with a table name (other sources are not supported yet)")
	}
	var sql string
	var cols []Column
	if tb, ok := c.tabs[id.Name]; ok {
		sql, cols = tb.sql, tb.cols
	} else {
		var err error
		if sql, cols, err = c.table(id, tables, w); err != nil {
			return "", nil, err
		}
	}
	for _, op := range ops {
		c.n++
		var err error
		sql, cols, err = c.op(op, sql, cols, fmt.Sprintf("t%d", c.n))
		if err != nil {
			return "", nil, err
		}
	}
	return sql, cols, nil
}

func (c *compiler) table(id *syntax.Ident, tables Tables, w Window) (string, []Column, error) {
	t, ok := tables.Get(id.Name)
	if !ok {
		return "", nil, errAt(id, "unknown table %q", id.Name)
	}
	var cols []Column
	for _, col := range t.Columns {
		cols = append(cols, Column{col.Physical, col.Type})
	}
	sql := "SELECT * EXCLUDE (" + quote(schema.AdditionalFieldsColumn) + ", " + quote(schema.IngestionTimeColumn) + ") FROM " + quote(t.Name)
	if !w.From.IsZero() || !w.To.IsZero() {
		if tg, ok := t.Column("TimeGenerated"); ok {
			var conds []string
			if !w.From.IsZero() {
				conds = append(conds, fmt.Sprintf("%s >= TIMESTAMP '%s'", quote(tg.Physical), w.From.UTC().Format("2006-01-02 15:04:05.999999")))
			}
			if !w.To.IsZero() {
				conds = append(conds, fmt.Sprintf("%s < TIMESTAMP '%s'", quote(tg.Physical), w.To.UTC().Format("2006-01-02 15:04:05.999999")))
			}
			sql += " WHERE " + strings.Join(conds, " AND ")
		}
	}
	return sql, cols, nil
}

func scopeOf(cols []Column) scope {
	sc := scope{}
	for _, c := range cols {
		sc[c.Name] = c.Type
	}
	return sc
}

func (c *compiler) op(op syntax.TabularOp, in string, cols []Column, alias string) (string, []Column, error) {
	sc := scopeOf(cols)
	from := "(" + in + ") AS " + alias
	switch x := op.(type) {
	case *syntax.WhereOp:
		p, err := c.expr(x.Pred, sc)
		if err != nil {
			return "", nil, err
		}
		return "SELECT * FROM " + from + " WHERE " + p.sql, cols, nil
	case *syntax.TakeOp:
		n, err := c.count(x.Count)
		if err != nil {
			return "", nil, err
		}
		return fmt.Sprintf("SELECT * FROM %s LIMIT %d", from, n), cols, nil
	case *syntax.CountOp:
		return "SELECT count(*) AS \"Count\" FROM " + from, []Column{{"Count", schema.Long}}, nil
	case *syntax.SortOp:
		keys, err := c.sortKeys(x.Keys, sc)
		if err != nil {
			return "", nil, err
		}
		return "SELECT * FROM " + from + " ORDER BY " + keys, cols, nil
	case *syntax.TopOp:
		n, err := c.count(x.Count)
		if err != nil {
			return "", nil, err
		}
		keys, err := c.sortKeys(x.By, sc)
		if err != nil {
			return "", nil, err
		}
		return fmt.Sprintf("SELECT * FROM %s ORDER BY %s LIMIT %d", from, keys, n), cols, nil
	case *syntax.ProjectOp:
		return c.project(x.Columns, from, sc, nil)
	case *syntax.ExtendOp:
		return c.project(x.Columns, from, sc, cols)
	case *syntax.ProjectAwayOp:
		drop := map[string]bool{}
		for _, e := range x.Columns {
			id, ok := e.(*syntax.Ident)
			if !ok {
				return "", nil, errAt(e, "project-away takes column names")
			}
			if _, ok := sc[id.Name]; !ok {
				return "", nil, errAt(id, "unknown column %q", id.Name)
			}
			drop[id.Name] = true
		}
		var keep []string
		var out []Column
		for _, col := range cols {
			if !drop[col.Name] {
				keep = append(keep, quote(col.Name))
				out = append(out, col)
			}
		}
		return "SELECT " + strings.Join(keep, ", ") + " FROM " + from, out, nil
	case *syntax.DistinctOp:
		var sel []string
		var out []Column
		for _, e := range x.Columns {
			id, ok := e.(*syntax.Ident)
			if !ok {
				return "", nil, errAt(e, "distinct takes column names")
			}
			typ, ok := sc[id.Name]
			if !ok {
				return "", nil, errAt(id, "unknown column %q", id.Name)
			}
			sel = append(sel, quote(id.Name))
			out = append(out, Column{id.Name, typ})
		}
		return "SELECT DISTINCT " + strings.Join(sel, ", ") + " FROM " + from, out, nil
	case *syntax.SummarizeOp:
		return c.summarize(x, from, sc)
	}
	return "", nil, errAt(op, "operator %q is not supported yet by the query engine", op.OpName())
}

func (c *compiler) count(e syntax.Expr) (int64, error) {
	lit, ok := e.(*syntax.Literal)
	if !ok {
		return 0, errAt(e, "a constant row count is expected")
	}
	n, ok := lit.Value.(int64)
	if !ok || n < 0 {
		return 0, errAt(e, "a non-negative integer is expected")
	}
	return n, nil
}

func (c *compiler) sortKeys(keys []*syntax.SortKey, sc scope) (string, error) {
	var out []string
	for _, k := range keys {
		t, err := c.expr(k.X, sc)
		if err != nil {
			return "", err
		}
		dir := "DESC" // Kusto sorts descending by default
		if k.Order == "asc" {
			dir = "ASC"
		}
		nulls := " NULLS LAST"
		if k.Nulls == "first" || (k.Nulls == "" && dir == "ASC") {
			nulls = " NULLS FIRST"
		}
		out = append(out, t.sql+" "+dir+nulls)
	}
	return strings.Join(out, ", "), nil
}

// project compiles project (base nil) and extend (base = the input's columns).
func (c *compiler) project(items []syntax.Expr, from string, sc scope, base []Column) (string, []Column, error) {
	out := append([]Column(nil), base...)
	exprs := map[string]string{}
	for _, col := range base {
		exprs[col.Name] = quote(col.Name)
	}
	n := 0
	for _, e := range items {
		name := ""
		value := e
		if as, ok := e.(*syntax.Assign); ok {
			if len(as.Names) != 1 {
				return "", nil, errAt(e, "only single-name assignments are supported yet")
			}
			name, value = as.Names[0].Name, as.Value
		} else if id, ok := e.(*syntax.Ident); ok {
			name = id.Name
		} else {
			n++
			name = "Column" + strconv.Itoa(n) // Kusto's name for an unnamed expression
		}
		t, err := c.expr(value, sc)
		if err != nil {
			return "", nil, err
		}
		if _, exists := exprs[name]; !exists {
			out = append(out, Column{name, t.typ})
		} else {
			for i := range out {
				if out[i].Name == name {
					out[i].Type = t.typ
				}
			}
		}
		exprs[name] = t.sql
	}
	sel := make([]string, len(out))
	for i, col := range out {
		sel[i] = exprs[col.Name] + " AS " + quote(col.Name)
	}
	return "SELECT " + strings.Join(sel, ", ") + " FROM " + from, out, nil
}

func (c *compiler) summarize(x *syntax.SummarizeOp, from string, sc scope) (string, []Column, error) {
	var sel, group []string
	var out []Column
	for i, e := range x.By {
		name := ""
		value := e
		if as, ok := e.(*syntax.Assign); ok && len(as.Names) == 1 {
			name, value = as.Names[0].Name, as.Value
		} else if id, ok := e.(*syntax.Ident); ok {
			name = id.Name
		} else if call, ok := e.(*syntax.Call); ok && strings.EqualFold(call.Name(), "bin") && len(call.Args) > 0 {
			if id, ok := call.Args[0].(*syntax.Ident); ok {
				name = id.Name // Kusto keeps the column's name for bin(col, ...)
			}
		}
		if name == "" {
			name = fmt.Sprintf("Column%d", i+1)
		}
		t, err := c.expr(value, sc)
		if err != nil {
			return "", nil, err
		}
		sel = append(sel, t.sql+" AS "+quote(name))
		group = append(group, t.sql)
		out = append(out, Column{name, t.typ})
	}
	for _, e := range x.Aggs {
		name, t, err := c.aggregate(e, sc)
		if err != nil {
			return "", nil, err
		}
		sel = append(sel, t.sql+" AS "+quote(name))
		out = append(out, Column{name, t.typ})
	}
	q := "SELECT " + strings.Join(sel, ", ") + " FROM " + from
	if len(group) > 0 {
		q += " GROUP BY " + strings.Join(group, ", ")
	}
	return q, out, nil
}
