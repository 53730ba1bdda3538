package lite

import (
	"fmt"
	"strings"

	"github.com/rampart-soc/rampart/internal/kql/syntax"
	"github.com/rampart-soc/rampart/internal/schema"
)

// op compiles one tabular operator over its input.
func (c *compiler) op(op syntax.TabularOp, in rel) (rel, error) {
	sc := scopeOf(in.cols)
	c.inCols = in.cols
	from := "(" + in.sql + ") AS " + c.alias()
	switch x := op.(type) {
	case *syntax.WhereOp:
		p, err := c.expr(x.Pred, sc)
		if err != nil {
			return rel{}, err
		}
		return rel{"SELECT * FROM " + from + " WHERE " + convert(p, schema.Bool).sql, in.cols}, nil
	case *syntax.TakeOp:
		n, err := c.count(x.Count)
		if err != nil {
			return rel{}, err
		}
		return rel{fmt.Sprintf("SELECT * FROM %s LIMIT %d", from, n), in.cols}, nil
	case *syntax.CountOp:
		return rel{"SELECT count(*) AS " + quote("Count") + " FROM " + from, []Column{{"Count", schema.Long}}}, nil
	case *syntax.SortOp:
		keys, err := c.sortKeys(x.Keys, sc)
		if err != nil {
			return rel{}, err
		}
		return rel{"SELECT * FROM " + from + " ORDER BY " + keys, in.cols}, nil
	case *syntax.TopOp:
		n, err := c.count(x.Count)
		if err != nil {
			return rel{}, err
		}
		keys, err := c.sortKeys(x.By, sc)
		if err != nil {
			return rel{}, err
		}
		return rel{fmt.Sprintf("SELECT * FROM %s ORDER BY %s LIMIT %d", from, keys, n), in.cols}, nil
	case *syntax.ProjectOp:
		return c.extend(x.Columns, in, false)
	case *syntax.ExtendOp:
		return c.extend(x.Columns, in, true)
	case *syntax.SerializeOp:
		return c.extend(x.Columns, in, true)
	case *syntax.ProjectAwayOp:
		return c.projectAway(x.Columns, in, false)
	case *syntax.ProjectKeepOp:
		return c.projectAway(x.Columns, in, true)
	case *syntax.ProjectRenameOp:
		return c.projectRename(x.Columns, in)
	case *syntax.ProjectReorderOp:
		return c.projectReorder(x.Columns, in)
	case *syntax.DistinctOp:
		return c.distinct(x, in, from)
	case *syntax.SummarizeOp:
		return c.summarize(x, in)
	case *syntax.RenderOp:
		return in, nil // a client-side chart: the result is the input table
	case *syntax.AsOp:
		c.tabs[x.Name.Name] = in
		return in, nil
	case *syntax.GetSchemaOp:
		return c.getschema(in)
	case *syntax.UnionOp:
		return c.union(x, &in)
	case *syntax.JoinOp:
		return c.join(x, in)
	case *syntax.LookupOp:
		return c.lookup(x, in)
	case *syntax.MvExpandOp:
		return c.mvExpand(x, in)
	case *syntax.ParseOp:
		return c.parse(x, in)
	case *syntax.MakeSeriesOp:
		return c.makeSeries(x, in)
	case *syntax.TopNestedOp:
		return c.topNested(x, in)
	case *syntax.InvokeOp:
		call, ok := x.Call.(*syntax.Call)
		if !ok {
			return rel{}, errAt(x, "invoke takes a function call")
		}
		f, ok := c.funcs[call.Name()]
		if !ok {
			return rel{}, errAt(call, "function %s() is not supported yet by the query engine", call.Name())
		}
		return c.tabularUser(call, f, call.Args, &in)
	case *syntax.SampleOp:
		n, err := c.count(x.Count)
		if err != nil {
			return rel{}, err
		}
		return rel{fmt.Sprintf("SELECT * FROM %s ORDER BY random() LIMIT %d", from, n), in.cols}, nil
	case *syntax.SampleDistinctOp:
		n, err := c.count(x.Count)
		if err != nil {
			return rel{}, err
		}
		t, err := c.expr(x.Of, sc)
		if err != nil {
			return rel{}, err
		}
		name := c.exprName(x.Of, sc)
		if name == "" {
			name = "Column1"
		}
		return rel{fmt.Sprintf("SELECT DISTINCT %s AS %s FROM %s LIMIT %d", t.sql, quote(name), from, n), []Column{{name, t.typ}}}, nil
	case *syntax.MvApplyOp:
		return c.mvApply(x, in)
	case *syntax.EvaluateOp:
		return c.evaluate(x, in)
	case *syntax.PartitionOp:
		return c.partition(x, in)
	case *syntax.ParseKvOp:
		return c.parseKv(x, in)
	case *syntax.ProjectByNamesOp:
		return c.projectByNames(x, in)
	}
	return rel{}, errAt(op, "operator %q is not supported yet by the query engine", op.OpName())
}

// count evaluates a row count: a constant or a let-bound constant.
func (c *compiler) count(e syntax.Expr) (int64, error) {
	t, err := c.expr(e, scope{})
	if err != nil {
		return 0, err
	}
	n, ok := t.val.(int64)
	if !t.konst || !ok || n < 0 {
		return 0, errAt(e, "a constant non-negative row count is expected")
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
		if t.typ == schema.Dynamic {
			t.sql = dynText(t.sql)
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

func (c *compiler) distinct(x *syntax.DistinctOp, in rel, from string) (rel, error) {
	if len(x.Columns) == 1 {
		if _, ok := x.Columns[0].(*syntax.Wildcard); ok {
			return rel{"SELECT DISTINCT * FROM " + from, in.cols}, nil
		}
	}
	sc := scopeOf(in.cols)
	var items []selectItem
	n := 0
	for _, e := range x.Columns {
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
			name = columnN(&n, nil)
		}
		items = append(items, selectItem{t.sql, Column{name, t.typ}})
	}
	q := selectSQL(items, from)
	return rel{"SELECT DISTINCT" + strings.TrimPrefix(q, "SELECT"), colsOf(items)}, nil
}

func (c *compiler) getschema(in rel) (rel, error) {
	var rows []string
	for i, col := range visibleCols(in.cols) {
		rows = append(rows, fmt.Sprintf("(%s, CAST(%d AS INTEGER), %s, %s)", sqlString(col.Name), i, sqlString(dotnetType(col.Type)), sqlString(string(col.Type))))
	}
	cols := []Column{{"ColumnName", schema.String}, {"ColumnOrdinal", schema.Int}, {"DataType", schema.String}, {"ColumnType", schema.String}}
	if len(rows) == 0 {
		return rel{fmt.Sprintf("SELECT '' AS %s, 0 AS %s, '' AS %s, '' AS %s WHERE FALSE", quote("ColumnName"), quote("ColumnOrdinal"), quote("DataType"), quote("ColumnType")), cols}, nil
	}
	return rel{fmt.Sprintf("SELECT * FROM (VALUES %s) AS %s(%s, %s, %s, %s)", strings.Join(rows, ", "), c.alias(), quote("ColumnName"), quote("ColumnOrdinal"), quote("DataType"), quote("ColumnType")), cols}, nil
}

func visibleCols(cols []Column) []Column {
	var out []Column
	for _, c := range cols {
		if c.Name != hiddenIngestion {
			out = append(out, c)
		}
	}
	return out
}

// dotnetType is the .NET type name getschema reports.
func dotnetType(t schema.Type) string {
	return map[schema.Type]string{
		schema.String: "System.String", schema.Int: "System.Int32", schema.Long: "System.Int64",
		schema.Real: "System.Double", schema.Decimal: "System.Data.SqlTypes.SqlDecimal", schema.Bool: "System.SByte",
		schema.DateTime: "System.DateTime", schema.TimeSpan: "System.TimeSpan", schema.GUID: "System.Guid",
		schema.Dynamic: "System.Object",
	}[t]
}
