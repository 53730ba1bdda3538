package lite

import (
	"fmt"
	"strings"
	"time"

	"github.com/rampart-soc/rampart/internal/kql/syntax"
	"github.com/rampart-soc/rampart/internal/schema"
)

// tabular compiles a tabular expression: a source piped through operators.
func (c *compiler) tabular(e syntax.Expr) (rel, error) {
	switch x := e.(type) {
	case *syntax.Pipe:
		var r rel
		if x.Source == nil {
			if c.input == nil {
				return rel{}, errAt(x, "this sub-query has no input")
			}
			r = *c.input
		} else {
			var err error
			if r, err = c.tabular(x.Source); err != nil {
				return rel{}, err
			}
		}
		var g *graphVal // between make-graph and the operator that makes a table of it
		for _, op := range x.Ops {
			var err error
			switch {
			case g != nil:
				r, g, err = c.graphOp(op, g)
			default:
				if mg, ok := op.(*syntax.MakeGraphOp); ok {
					g, err = c.makeGraph(mg, r)
				} else {
					r, err = c.op(op, r)
				}
			}
			if err != nil {
				return rel{}, err
			}
		}
		if g != nil {
			return rel{}, errAt(x, "a graph is not a table: end it with graph-match, graph-shortest-paths or graph-to-table")
		}
		return r, nil
	case *syntax.Paren:
		return c.tabular(x.X)
	case *syntax.Ident:
		if r, ok := c.tabs[x.Name]; ok {
			return r, nil
		}
		if f, ok := c.funcs[x.Name]; ok && len(f.Params) == 0 {
			return c.tabularUser(x, f, nil, nil)
		}
		return c.table(x)
	case *syntax.PrintOp:
		return c.print(x)
	case *syntax.DatatableOp:
		return c.datatable(x)
	case *syntax.RangeOp:
		return c.rangeOp(x)
	case *syntax.UnionOp:
		return c.union(x, nil)
	case *syntax.Call:
		name := x.Name()
		if f, ok := c.funcs[name]; ok {
			return c.tabularUser(x, f, x.Args, nil)
		}
		switch name {
		case "materialize", "view":
			if len(x.Args) == 1 {
				return c.tabular(x.Args[0])
			}
		case "table":
			if len(x.Args) >= 1 {
				if lit, ok := x.Args[0].(*syntax.Literal); ok {
					if s, ok := lit.Value.(string); ok {
						return c.tabular(&syntax.Ident{Span: lit.Span, Name: s})
					}
				}
			}
		}
		return rel{}, errAt(x, "function %s() is not supported yet as a table by the query engine", name)
	case *syntax.EvaluateOp:
		return rel{}, errAt(x, "plugin %s() is not supported yet by the query engine", x.Call.Name())
	case syntax.TabularOp:
		return rel{}, errAt(x, "operator %q is not supported yet by the query engine", x.OpName())
	}
	return rel{}, errAt(e, "a table, print, datatable, range or union is expected here")
}

func (c *compiler) table(id *syntax.Ident) (rel, error) {
	t, ok := c.tables.Get(id.Name)
	if !ok {
		return rel{}, errAt(id, "unknown table %q", id.Name)
	}
	var cols []Column
	var sel []string
	for _, col := range t.Columns {
		cols = append(cols, Column{col.Physical, col.Type})
		sel = append(sel, quoteRaw(col.Physical)+" AS "+quote(col.Physical))
	}
	if _, ok := t.Column("Type"); !ok { // Log Analytics' standard column: the table's name
		cols = append(cols, Column{"Type", schema.String})
		sel = append(sel, sqlString(t.Name)+" AS "+quote("Type"))
	}
	if c.ingestion { // a hidden column that ingestion_time() reads
		cols = append(cols, Column{hiddenIngestion, schema.DateTime})
		sel = append(sel, quoteRaw(schema.IngestionTimeColumn)+" AS "+quote(hiddenIngestion))
	}
	sql := "SELECT " + strings.Join(sel, ", ") + " FROM " + quoteRaw(t.Name)
	w := c.window
	if w.Ingested {
		ts := func(t time.Time) string { return "TIMESTAMP '" + t.UTC().Format("2006-01-02 15:04:05.999999") + "'" }
		it := quoteRaw(schema.IngestionTimeColumn)
		sql += " WHERE " + it + " > " + ts(w.From) + " AND " + it + " <= " + ts(w.To)
		return rel{sql, cols}, nil
	}
	if !w.From.IsZero() || !w.To.IsZero() {
		if tg, ok := t.Column("TimeGenerated"); ok {
			var conds []string
			if !w.From.IsZero() {
				conds = append(conds, fmt.Sprintf("%s >= TIMESTAMP '%s'", quoteRaw(tg.Physical), w.From.UTC().Format("2006-01-02 15:04:05.999999")))
			}
			if !w.To.IsZero() {
				conds = append(conds, fmt.Sprintf("%s < TIMESTAMP '%s'", quoteRaw(tg.Physical), w.To.UTC().Format("2006-01-02 15:04:05.999999")))
			}
			sql += " WHERE " + strings.Join(conds, " AND ")
		}
	}
	return rel{sql, cols}, nil
}

// hiddenIngestion is the column ingestion_time() reads; results never show it.
const hiddenIngestion = "__ingestion_time"

// print is a one-row table of expressions: print [Name =] Expr, ...
func (c *compiler) print(x *syntax.PrintOp) (rel, error) {
	var sel []string
	var cols []Column
	for i, e := range x.Columns {
		name, value := "", e
		if as, ok := e.(*syntax.Assign); ok && len(as.Names) == 1 {
			name, value = as.Names[0].Name, as.Value
		}
		t, err := c.expr(value, scope{})
		if err != nil {
			return rel{}, err
		}
		if name == "" {
			name = "print_" + itoa(i)
		}
		cols = setColumn(cols, Column{name, t.typ})
		sel = append(sel, t.sql+" AS "+quote(name))
	}
	return rel{"SELECT " + strings.Join(sel, ", "), cols}, nil
}

// setColumn adds a column or replaces the one with its name.
func setColumn(cols []Column, col Column) []Column {
	for i := range cols {
		if cols[i].Name == col.Name {
			cols[i] = col
			return cols
		}
	}
	return append(cols, col)
}

func (c *compiler) datatable(x *syntax.DatatableOp) (rel, error) {
	var cols []Column
	for _, cd := range x.Columns {
		typ := schema.String
		if cd.Type != nil {
			t, err := schema.ParseType(cd.Type.Name)
			if err != nil {
				return rel{}, errAt(cd, "%v", err)
			}
			typ = t
		}
		cols = append(cols, Column{cd.Name.Name, typ})
	}
	if len(cols) == 0 {
		return rel{}, errAt(x, "datatable needs columns")
	}
	if len(x.Values)%len(cols) != 0 {
		return rel{}, errAt(x, "datatable has %d values, not a multiple of its %d columns", len(x.Values), len(cols))
	}
	var rows []string
	for i := 0; i < len(x.Values); i += len(cols) {
		var vals []string
		for j, col := range cols {
			t, err := c.expr(x.Values[i+j], scope{})
			if err != nil {
				return rel{}, err
			}
			vals = append(vals, "CAST("+convert(t, col.Type).sql+" AS "+sqlType(col.Type)+")")
		}
		rows = append(rows, "("+strings.Join(vals, ", ")+")")
	}
	var names, nulls []string
	for _, col := range cols {
		names = append(names, quote(col.Name))
		nulls = append(nulls, "CAST(NULL AS "+sqlType(col.Type)+") AS "+quote(col.Name))
	}
	if len(rows) == 0 {
		return rel{"SELECT " + strings.Join(nulls, ", ") + " WHERE FALSE", cols}, nil
	}
	a := c.alias()
	return rel{fmt.Sprintf("SELECT * FROM (VALUES %s) AS %s(%s)", strings.Join(rows, ", "), a, strings.Join(names, ", ")), cols}, nil
}

// rangeOp is range Col from A to B step S: A, A+S, ... while not past B.
func (c *compiler) rangeOp(x *syntax.RangeOp) (rel, error) {
	from, err := c.expr(x.From, scope{})
	if err != nil {
		return rel{}, err
	}
	to, err := c.expr(x.To, scope{})
	if err != nil {
		return rel{}, err
	}
	step, err := c.expr(x.Step, scope{})
	if err != nil {
		return rel{}, err
	}
	name := quote(x.Column.Name)
	a := c.alias()
	switch {
	case from.typ == schema.DateTime:
		to = convert(to, schema.DateTime)
		step = convert(step, schema.TimeSpan)
		n := fmt.Sprintf("((epoch_us(%s) - epoch_us(%s)) * 10) // (%s)", to.sql, from.sql, step.sql)
		return rel{fmt.Sprintf("SELECT %s + to_microseconds(%s.i * (%s) // 10) AS %s FROM generate_series(0, %s) AS %s(i)", from.sql, a, step.sql, name, n, a),
			[]Column{{x.Column.Name, schema.DateTime}}}, nil
	case from.typ == schema.TimeSpan || isInt(from.typ) && isInt(to.typ) && isInt(step.typ):
		typ := schema.Long
		if from.typ == schema.TimeSpan {
			typ = schema.TimeSpan
		}
		n := fmt.Sprintf("((%s) - (%s)) // (%s)", to.sql, from.sql, step.sql)
		return rel{fmt.Sprintf("SELECT CAST(%s + %s.i * (%s) AS BIGINT) AS %s FROM generate_series(0, %s) AS %s(i)", from.sql, a, step.sql, name, n, a),
			[]Column{{x.Column.Name, typ}}}, nil
	case isNum(from.typ) && isNum(to.typ) && isNum(step.typ):
		n := fmt.Sprintf("CAST(floor((CAST(%s AS DOUBLE) - %s) / (%s) + 1e-9) AS BIGINT)", to.sql, from.sql, step.sql)
		return rel{fmt.Sprintf("SELECT CAST(%s + %s.i * (%s) AS DOUBLE) AS %s FROM generate_series(0, %s) AS %s(i)", from.sql, a, step.sql, name, n, a),
			[]Column{{x.Column.Name, schema.Real}}}, nil
	}
	return rel{}, errAt(x, "range needs numbers, datetimes or timespans")
}

// union concatenates tables; columns are matched by name (missing ones are null) and
// a name with two types becomes name_type in each, as Kusto does.
func (c *compiler) union(x *syntax.UnionOp, input *rel) (rel, error) {
	var legs []rel
	var names []string
	if input != nil {
		legs = append(legs, *input)
		names = append(names, "")
	}
	kind, source, fuzzy := "outer", "", false
	for _, p := range x.Params {
		v := paramValue(p)
		switch strings.ToLower(p.Name.Name) {
		case "kind":
			kind = strings.ToLower(v)
		case "withsource", "with_source":
			source = v
		case "isfuzzy":
			fuzzy = strings.EqualFold(v, "true")
		}
	}
	for i, t := range x.Tables {
		if _, ok := t.(*syntax.Wildcard); ok {
			return rel{}, errAt(t, "table wildcards in union are not supported yet by the query engine")
		}
		r, err := c.tabular(t)
		if err != nil {
			if id, ok := t.(*syntax.Ident); ok && fuzzy {
				_ = id
				continue
			}
			return rel{}, err
		}
		legs = append(legs, r)
		name := fmt.Sprintf("union_arg%d", i)
		if id, ok := t.(*syntax.Ident); ok {
			name = id.Name
		}
		names = append(names, name)
	}
	if len(legs) == 0 {
		return rel{}, errAt(x, "union has no tables")
	}
	types := map[string]map[schema.Type]bool{}
	var order []string
	count := map[string]int{}
	for _, l := range legs {
		for _, col := range l.cols {
			if types[col.Name] == nil {
				types[col.Name] = map[schema.Type]bool{}
				order = append(order, col.Name)
			}
			types[col.Name][col.Type] = true
			count[col.Name]++
		}
	}
	outName := func(col Column) string {
		if len(types[col.Name]) > 1 {
			return col.Name + "_" + string(col.Type)
		}
		return col.Name
	}
	var cols []Column
	seen := map[string]bool{}
	for _, name := range order {
		if kind == "inner" && count[name] < len(legs) {
			continue
		}
		for _, l := range legs {
			for _, col := range l.cols {
				if col.Name == name && !seen[outName(col)] {
					seen[outName(col)] = true
					cols = append(cols, Column{outName(col), col.Type})
				}
			}
		}
	}
	var parts []string
	for i, l := range legs {
		have := map[string]bool{}
		for _, col := range l.cols {
			have[outName(col)] = true
		}
		var sel []string
		if source != "" {
			sel = append(sel, sqlString(names[i])+" AS "+quote(source))
		}
		for _, col := range cols {
			if have[col.Name] {
				orig := col.Name
				for _, lc := range l.cols {
					if outName(lc) == col.Name {
						orig = lc.Name
					}
				}
				sel = append(sel, quote(orig)+" AS "+quote(col.Name))
			} else {
				sel = append(sel, nullOf(col.Type).sql+" AS "+quote(col.Name))
			}
		}
		parts = append(parts, fmt.Sprintf("SELECT %s FROM (%s) AS %s", strings.Join(sel, ", "), l.sql, c.alias()))
	}
	if source != "" {
		cols = append([]Column{{source, schema.String}}, cols...)
	}
	return rel{strings.Join(parts, " UNION ALL "), cols}, nil
}

// paramValue is an operator parameter's value as text (kind=inner, withsource=T).
func paramValue(p *syntax.NamedArg) string {
	switch v := p.Value.(type) {
	case *syntax.Ident:
		return v.Name
	case *syntax.Literal:
		if v.Value == nil {
			return v.Text
		}
		return fmt.Sprint(v.Value)
	}
	return syntax.Format(p.Value)
}
