package lite

import (
	"fmt"
	"strings"

	"github.com/rampart-soc/rampart/internal/kql/syntax"
	"github.com/rampart-soc/rampart/internal/schema"
)

// Graphs: make-graph reads the edges (and node tables) into memory, graph-match and
// graph-shortest-paths enumerate the pattern's matches in Go, and the matches become a
// table whose node and edge variables are dynamic bags (arrays for variable-length
// edges) that the where and project clauses read in SQL.

// maxGraphMatches bounds the enumeration; a query past it is refused, not truncated.
const maxGraphMatches = 100_000

// Hidden properties of node bags, for node_id(), node_degree_in() and node_degree_out().
const (
	graphID   = "__kql_id"
	graphDIn  = "__kql_din"
	graphDOut = "__kql_dout"
)

type graphEdge struct {
	src, dst int
	props    *bag
}

type graphVal struct {
	nodes    []*bag
	byKey    map[string]int
	edges    []graphEdge
	out, in  [][]int // edge indexes by node
	nodeCols []Column
	edgeCols []Column
}

// fetch reads a table's rows as bags (plus extra JSON-valued expressions).
func (c *compiler) fetch(at syntax.Node, r rel, extra map[string]string) ([]*bag, error) {
	if c.probe == nil {
		return nil, errAt(at, "graphs need the data; run the query through the engine")
	}
	var parts []string
	for _, col := range r.cols {
		parts = append(parts, sqlString(col.Name), asJSON(typed{sql: quote(col.Name), typ: col.Type}))
	}
	for k, v := range extra {
		parts = append(parts, sqlString(k), v)
	}
	q := fmt.Sprintf("SELECT CAST(json_object(%s) AS VARCHAR) FROM (%s) AS %s", strings.Join(parts, ", "), r.sql, c.alias())
	rows, err := c.probe(q)
	if err != nil {
		return nil, errAt(at, "reading the graph: %v", err)
	}
	if len(rows) >= 10000 {
		return nil, errAt(at, "graphs of more than 10,000 rows are not supported yet by the query engine")
	}
	var out []*bag
	for _, row := range rows {
		v, err := parseJSON(fmt.Sprint(row[0]))
		if b, ok := v.(*bag); ok && err == nil {
			out = append(out, b)
		}
	}
	return out, nil
}

func (c *compiler) makeGraph(x *syntax.MakeGraphOp, in rel) (*graphVal, error) {
	if x.PartitionedBy != nil {
		return nil, errAt(x, "make-graph partitioned-by is not supported yet by the query engine")
	}
	sc := scopeOf(in.cols)
	src, err := c.expr(x.Source, sc)
	if err != nil {
		return nil, err
	}
	dst, err := c.expr(x.Target, sc)
	if err != nil {
		return nil, err
	}
	edges, err := c.fetch(x, in, map[string]string{"__src": asJSON(src), "__dst": asJSON(dst)})
	if err != nil {
		return nil, err
	}
	g := &graphVal{byKey: map[string]int{}, edgeCols: in.cols}
	idName := ""
	for _, p := range x.Params {
		if strings.EqualFold(p.Name.Name, "with_node_id") {
			idName = paramValue(p)
		}
	}
	addNode := func(key any, props *bag) int {
		k := jsonKeyOf(key)
		if i, ok := g.byKey[k]; ok { // the first row of a key wins
			return i
		}
		if props == nil {
			props = newBag()
			if idName != "" {
				props.set(idName, key)
			}
		}
		props.set(graphID, key)
		g.byKey[k] = len(g.nodes)
		g.nodes = append(g.nodes, props)
		return len(g.nodes) - 1
	}
	for _, nt := range x.With {
		r, err := c.tabular(nt.Table)
		if err != nil {
			return nil, err
		}
		key, err := c.expr(nt.Key, scopeOf(r.cols))
		if err != nil {
			return nil, err
		}
		rows, err := c.fetch(nt, r, map[string]string{"__key": asJSON(key)})
		if err != nil {
			return nil, err
		}
		for _, row := range rows {
			k := row.vals["__key"]
			row.del("__key")
			addNode(k, row)
		}
		for _, col := range r.cols {
			if !hasColumn(g.nodeCols, col.Name) {
				g.nodeCols = append(g.nodeCols, col)
			}
		}
	}
	if idName != "" && len(x.With) == 0 {
		g.nodeCols = append(g.nodeCols, Column{idName, src.typ})
	}
	for _, e := range edges {
		s, d := e.vals["__src"], e.vals["__dst"]
		e.del("__src")
		e.del("__dst")
		g.edges = append(g.edges, graphEdge{addNode(s, nil), addNode(d, nil), e})
	}
	g.index()
	return g, nil
}

// index builds adjacency and the degree properties.
func (g *graphVal) index() {
	g.out, g.in = make([][]int, len(g.nodes)), make([][]int, len(g.nodes))
	for i, e := range g.edges {
		g.out[e.src] = append(g.out[e.src], i)
		g.in[e.dst] = append(g.in[e.dst], i)
	}
	for i, n := range g.nodes {
		n.set(graphDIn, int64(len(g.in[i])))
		n.set(graphDOut, int64(len(g.out[i])))
	}
}

// markComponents numbers the weakly connected components in a node property.
func (g *graphVal) markComponents(name string) {
	comp := make([]int, len(g.nodes))
	for i := range comp {
		comp[i] = -1
	}
	n := 0
	for start := range g.nodes {
		if comp[start] >= 0 {
			continue
		}
		stack := []int{start}
		comp[start] = n
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, ei := range append(append([]int{}, g.out[v]...), g.in[v]...) {
				for _, w := range []int{g.edges[ei].src, g.edges[ei].dst} {
					if comp[w] < 0 {
						comp[w] = n
						stack = append(stack, w)
					}
				}
			}
		}
		n++
	}
	for i, b := range g.nodes {
		b.set(name, int64(comp[i]))
	}
	g.nodeCols = append(g.nodeCols, Column{name, schema.Long})
}

// graphOp applies an operator that takes a graph: a table, or a graph again.
func (c *compiler) graphOp(op syntax.TabularOp, g *graphVal) (rel, *graphVal, error) {
	switch x := op.(type) {
	case *syntax.GraphMarkComponentsOp:
		name := "ComponentId"
		for _, p := range x.Params {
			if strings.EqualFold(p.Name.Name, "with_component_id") {
				name = paramValue(p)
			}
		}
		g.markComponents(name)
		return rel{}, g, nil
	case *syntax.GraphToTableOp:
		if len(x.Parts) != 1 || x.Parts[0].As != nil {
			return rel{}, nil, errAt(x, "graph-to-table of several parts or with 'as' is not supported yet by the query engine")
		}
		if x.Parts[0].What == "edges" {
			r, err := bagsRel(c, g.edgeCols, edgeBags(g))
			return r, nil, err
		}
		r, err := bagsRel(c, g.nodeCols, g.nodes)
		return r, nil, err
	case *syntax.GraphMatchOp:
		r, err := c.graphMatch(x, g)
		return r, nil, err
	}
	return rel{}, nil, errAt(op, "operator %q needs a table, not a graph (use graph-match or graph-to-table)", op.OpName())
}

func edgeBags(g *graphVal) []*bag {
	out := make([]*bag, len(g.edges))
	for i, e := range g.edges {
		out[i] = e.props
	}
	return out
}

// bagsRel is a table of bags' properties as typed columns.
func bagsRel(c *compiler, cols []Column, rows []*bag) (rel, error) {
	if len(cols) == 0 {
		return rel{}, fmt.Errorf("the graph has no properties to tabulate")
	}
	var values []string
	for _, b := range rows {
		values = append(values, "("+sqlString(toJSON(b))+")")
	}
	a := c.alias()
	src := fmt.Sprintf("SELECT CAST(j AS JSON) AS j FROM (VALUES %s) AS %s(j)", strings.Join(values, ", "), a)
	if len(values) == 0 {
		src = "SELECT CAST(NULL AS JSON) AS j WHERE FALSE"
	}
	var items []selectItem
	for _, col := range cols {
		v := typed{sql: "json_extract(j, " + sqlString("$."+jsonKey(col.Name)) + ")", typ: schema.Dynamic}
		items = append(items, selectItem{convert(v, col.Type).sql, col})
	}
	return rel{selectSQL(items, "("+src+") AS "+c.alias()), colsOf(items)}, nil
}
