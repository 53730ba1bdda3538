package lite

import (
	"fmt"
	"strings"

	"github.com/rampart-soc/rampart/internal/kql/syntax"
	"github.com/rampart-soc/rampart/internal/schema"
)

// matcher enumerates the matches of graph patterns.
type matcher struct {
	g        *graphVal
	patterns []*syntax.GraphPattern
	cycles   string // unique_edges (default), none, all
	nodes    map[string]int
	edges    map[string][]int // edge variable → edges of its path
	inner    map[string][]int // variable-length edge variable → inner nodes
	used     map[int]int      // edges in use by the match (unique_edges)
	first    int              // the match's first node, last node
	last     int
	length   int
	rows     [][]any
	err      error
}

type edgeBounds struct{ min, max int }

func (c *compiler) bounds(e *syntax.GraphEdge) (edgeBounds, error) {
	if e.Min == nil {
		return edgeBounds{1, 1}, nil
	}
	lo, err := c.count(e.Min)
	if err != nil {
		return edgeBounds{}, err
	}
	hi := lo
	if e.Max != nil {
		if hi, err = c.count(e.Max); err != nil {
			return edgeBounds{}, err
		}
	}
	if hi > 20 || lo > hi {
		return edgeBounds{}, errAt(e, "variable-length edges are limited to 20 steps here")
	}
	return edgeBounds{int(lo), int(hi)}, nil
}

func (m *matcher) pattern(pi int, b [][]edgeBounds) {
	if m.err != nil {
		return
	}
	if pi == len(m.patterns) {
		m.record()
		return
	}
	first := m.patterns[pi].Nodes[0]
	for v := range m.g.nodes {
		ok, created := m.bind(first, v)
		if !ok {
			continue
		}
		if pi == 0 {
			m.first = v
		}
		m.step(pi, 0, v, b)
		if created {
			delete(m.nodes, first.Name.Name)
		}
	}
}

// bind binds a node variable to v, or checks the binding it has (the same name twice).
func (m *matcher) bind(n *syntax.GraphNode, v int) (ok, created bool) {
	if n.Name == nil {
		return true, false
	}
	if w, bound := m.nodes[n.Name.Name]; bound {
		return w == v, false
	}
	m.nodes[n.Name.Name] = v
	return true, true
}

func (m *matcher) step(pi, ei, cur int, b [][]edgeBounds) {
	pat := m.patterns[pi]
	if ei == len(pat.Edges) {
		if pi == len(m.patterns)-1 {
			m.last = cur
		}
		m.pattern(pi+1, b)
		return
	}
	m.walk(pi, ei, cur, []int{}, []int{cur}, b)
}

// walk extends edge ei of pattern pi from cur; path holds its edges so far, seen its nodes.
func (m *matcher) walk(pi, ei, cur int, path, seen []int, b [][]edgeBounds) {
	if m.err != nil {
		return
	}
	pat := m.patterns[pi]
	edge, next := pat.Edges[ei], pat.Nodes[ei+1]
	bd := b[pi][ei]
	if len(path) >= bd.min {
		if ok, created := m.bind(next, cur); ok {
			if edge.Name != nil {
				m.edges[edge.Name.Name] = append([]int{}, path...)
				if len(seen) > 2 {
					m.inner[edge.Name.Name] = append([]int{}, seen[1:len(seen)-1]...)
				} else {
					m.inner[edge.Name.Name] = []int{}
				}
			}
			m.length += len(path)
			m.step(pi, ei+1, cur, b)
			m.length -= len(path)
			if created {
				delete(m.nodes, next.Name.Name)
			}
		}
	}
	if len(path) >= bd.max {
		return
	}
	try := func(ei2, other int) {
		if m.cycles != "all" && m.used[ei2] > 0 {
			return
		}
		if m.cycles == "none" {
			for _, s := range seen {
				if s == other {
					return
				}
			}
		}
		m.used[ei2]++
		m.walk(pi, ei, other, append(path, ei2), append(seen, other), b)
		m.used[ei2]--
	}
	if edge.Dir == "->" || edge.Dir == "-" {
		for _, e := range m.g.out[cur] {
			try(e, m.g.edges[e].dst)
		}
	}
	if edge.Dir == "<-" || edge.Dir == "-" {
		for _, e := range m.g.in[cur] {
			try(e, m.g.edges[e].src)
		}
	}
}

// graphVars lists a pattern's variables in order: nodes, edges (variable or not).
type graphVar struct {
	name   string
	node   bool
	varlen bool
}

func graphVarsOf(pats []*syntax.GraphPattern) []graphVar {
	var out []graphVar
	seen := map[string]bool{}
	for _, p := range pats {
		for i, n := range p.Nodes {
			if n.Name != nil && !seen[n.Name.Name] {
				seen[n.Name.Name] = true
				out = append(out, graphVar{n.Name.Name, true, false})
			}
			if i < len(p.Edges) {
				if e := p.Edges[i]; e.Name != nil && !seen[e.Name.Name] {
					seen[e.Name.Name] = true
					out = append(out, graphVar{e.Name.Name, false, e.Min != nil})
				}
			}
		}
	}
	return out
}

func (m *matcher) record() {
	if len(m.rows) >= maxGraphMatches {
		m.err = fmt.Errorf("the graph pattern has more than %d matches; narrow it", maxGraphMatches)
		return
	}
	var row []any
	for _, v := range graphVarsOf(m.patterns) {
		switch {
		case v.node:
			row = append(row, m.g.nodes[m.nodes[v.name]])
		case v.varlen:
			var es, ns []any
			for _, e := range m.edges[v.name] {
				es = append(es, m.g.edges[e].props)
			}
			for _, n := range m.inner[v.name] {
				ns = append(ns, m.g.nodes[n])
			}
			row = append(row, orEmpty(es), orEmpty(ns))
		default:
			row = append(row, m.g.edges[m.edges[v.name][0]].props)
		}
	}
	row = append(row, int64(m.length), fmt.Sprintf("%d-%d", m.first, m.last))
	m.rows = append(m.rows, row)
}

func orEmpty(xs []any) []any {
	if xs == nil {
		return []any{}
	}
	return xs
}

// graphMatch compiles graph-match and graph-shortest-paths.
func (c *compiler) graphMatch(x *syntax.GraphMatchOp, g *graphVal) (rel, error) {
	m := &matcher{g: g, patterns: x.Patterns, cycles: "unique_edges", nodes: map[string]int{}, edges: map[string][]int{}, inner: map[string][]int{}, used: map[int]int{}}
	shortest := x.Keyword == "graph-shortest-paths"
	output := "any"
	for _, p := range x.Params {
		switch strings.ToLower(p.Name.Name) {
		case "cycles":
			m.cycles = strings.ToLower(paramValue(p))
		case "output":
			output = strings.ToLower(paramValue(p))
		}
	}
	if shortest {
		m.cycles = "none"
	}
	var b [][]edgeBounds
	for _, p := range x.Patterns {
		var pb []edgeBounds
		for _, e := range p.Edges {
			bd, err := c.bounds(e)
			if err != nil {
				return rel{}, err
			}
			pb = append(pb, bd)
		}
		b = append(b, pb)
	}
	m.pattern(0, b)
	if m.err != nil {
		return rel{}, errAt(x, "%v", m.err)
	}
	// the matches as a table of JSON values
	var cols []Column
	for _, v := range graphVarsOf(x.Patterns) {
		cols = append(cols, Column{v.name, schema.Dynamic})
		if v.varlen {
			cols = append(cols, Column{"__inner_" + v.name, schema.Dynamic})
		}
	}
	cols = append(cols, Column{"__len", schema.Long}, Column{"__pair", schema.String})
	var values, names, sel []string
	for _, col := range cols {
		names = append(names, quote(col.Name))
		if col.Type == schema.Dynamic {
			sel = append(sel, "CAST("+quote(col.Name)+" AS JSON) AS "+quote(col.Name))
		} else {
			sel = append(sel, quote(col.Name))
		}
	}
	for _, row := range m.rows {
		var vals []string
		for _, v := range row {
			switch x := v.(type) {
			case int64:
				vals = append(vals, fmt.Sprintf("CAST(%d AS BIGINT)", x))
			case string:
				vals = append(vals, sqlString(x))
			default:
				vals = append(vals, sqlString(toJSON(x)))
			}
		}
		values = append(values, "("+strings.Join(vals, ", ")+")")
	}
	a := c.alias()
	src := fmt.Sprintf("SELECT %s FROM (VALUES %s) AS %s(%s)", strings.Join(sel, ", "), strings.Join(values, ", "), a, strings.Join(names, ", "))
	if len(values) == 0 {
		var nulls []string
		for _, col := range cols {
			nulls = append(nulls, nullOf(col.Type).sql+" AS "+quote(col.Name))
		}
		src = "SELECT " + strings.Join(nulls, ", ") + " WHERE FALSE"
	}
	in := rel{src, cols}
	saved := c.gctx
	c.gctx = g
	defer func() { c.gctx = saved }()
	if x.Where != nil {
		var err error
		if in, err = c.op(&syntax.WhereOp{Span: syntax.Span{From: x.Where.Pos(), To: x.Where.End()}, Pred: x.Where}, in); err != nil {
			return rel{}, err
		}
	}
	if shortest { // the shortest of the matching paths per pair of end nodes
		keep := `"__len" = min("__len") OVER (PARTITION BY "__pair")`
		q := fmt.Sprintf("SELECT *, %s AS \"__short\", row_number() OVER (PARTITION BY \"__pair\" ORDER BY \"__len\") AS \"__rn\" FROM (%s) AS %s", keep, in.sql, c.alias())
		cond := `"__short"`
		if output != "all" {
			cond += ` AND "__rn" = 1`
		}
		in = rel{fmt.Sprintf("SELECT * EXCLUDE (\"__short\", \"__rn\") FROM (%s) AS %s WHERE %s", q, c.alias(), cond), in.cols}
	}
	if len(x.Project) == 0 {
		var items []selectItem
		for _, col := range in.cols {
			if !strings.HasPrefix(col.Name, "__") {
				items = append(items, selectItem{quote(col.Name), col})
			}
		}
		return rel{selectSQL(items, "("+in.sql+") AS "+c.alias()), colsOf(items)}, nil
	}
	return c.extendLayers(x.Project, in, false, false)
}

// Graph functions: all(), any(), map() over a variable-length edge's edges or
// inner_nodes(), and node_id(), node_degree_in(), node_degree_out().
func init() {
	listFn := func(kind string) func(c *compiler, x *syntax.Call, sc scope) (typed, error) {
		return func(c *compiler, x *syntax.Call, sc scope) (typed, error) {
			if c.gctx == nil {
				if kind == "any" {
					return typed{}, errAt(x, "aggregation any() is only allowed in summarize")
				}
				return typed{}, errAt(x, "function %s() is only allowed in graph-match", kind)
			}
			if len(x.Args) != 2 {
				return typed{}, errAt(x, "%s() takes a path and an expression", kind)
			}
			list, cols, err := c.graphList(x.Args[0], sc)
			if err != nil {
				return typed{}, err
			}
			saved := c.elem
			c.elem = cols
			body, err := c.expr(x.Args[1], sc)
			c.elem = saved
			if err != nil {
				return typed{}, err
			}
			each := fmt.Sprintf("list_transform(from_json(%s, '[\"JSON\"]'), lambda __g: %%s)", list)
			switch kind {
			case "all":
				return typed{sql: "coalesce(list_bool_and(" + fmt.Sprintf(each, convert(body, schema.Bool).sql) + "), TRUE)", typ: schema.Bool}, nil
			case "any":
				return typed{sql: "coalesce(list_bool_or(" + fmt.Sprintf(each, convert(body, schema.Bool).sql) + "), FALSE)", typ: schema.Bool}, nil
			}
			return typed{sql: "to_json(" + fmt.Sprintf(each, asJSON(body)) + ")", typ: schema.Dynamic}, nil
		}
	}
	rawScalars["all"] = listFn("all")
	rawScalars["any"] = listFn("any")
	rawScalars["map"] = listFn("map")
	rawScalars["inner_nodes"] = func(c *compiler, x *syntax.Call, sc scope) (typed, error) {
		list, _, err := c.graphList(x, sc)
		return typed{sql: list, typ: schema.Dynamic}, err
	}
	nodeProp := func(name, prop string, typ schema.Type) {
		rawScalars[name] = func(c *compiler, x *syntax.Call, sc scope) (typed, error) {
			if c.gctx == nil {
				return typed{}, errAt(x, "function %s() is only allowed in graph-match", name)
			}
			node := "__g"
			if len(x.Args) == 1 {
				t, err := c.expr(x.Args[0], sc)
				if err != nil {
					return t, err
				}
				node = t.sql
			} else if c.elem == nil {
				return typed{}, errAt(x, "%s() without a node is only allowed inside map(), all() or any()", name)
			}
			v := typed{sql: fmt.Sprintf("json_extract(%s, '$.%s')", node, prop), typ: schema.Dynamic}
			return convert(v, typ), nil
		}
	}
	nodeProp("node_degree_in", graphDIn, schema.Long)
	nodeProp("node_degree_out", graphDOut, schema.Long)
	nodeProp("node_id", graphID, schema.String)
}

// graphList compiles a path argument: an edge variable (its edges) or inner_nodes(e).
func (c *compiler) graphList(e syntax.Expr, sc scope) (string, []Column, error) {
	if call, ok := e.(*syntax.Call); ok && call.Name() == "inner_nodes" && len(call.Args) == 1 {
		if id, ok := call.Args[0].(*syntax.Ident); ok {
			if _, ok := sc["__inner_"+id.Name]; ok {
				return quote("__inner_" + id.Name), c.gctx.nodeCols, nil
			}
		}
		return "", nil, errAt(call, "inner_nodes() takes a variable-length edge of the pattern")
	}
	if id, ok := e.(*syntax.Ident); ok {
		if _, ok := sc["__inner_"+id.Name]; ok {
			return quote(id.Name), c.gctx.edgeCols, nil
		}
	}
	return "", nil, errAt(e, "a variable-length edge of the pattern is expected here")
}
