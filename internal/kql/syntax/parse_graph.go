package syntax

// Graph operators: make-graph, graph-match, graph-shortest-paths,
// graph-to-table, graph-mark-components.

func (p *parser) parseMakeGraph() TabularOp {
	o := &MakeGraphOp{Params: p.parseParams("with_node_id", "kind")}
	o.Source = p.parsePostfix(p.parsePrimary())
	p.expect(Minus, "in the make-graph edge (-->)")
	p.expect(Minus, "in the make-graph edge (-->)")
	if p.accept(Gt) {
		o.Directed = true
	}
	o.Target = p.parsePostfix(p.parsePrimary())
	o.Params = append(o.Params, p.parseParams("with_node_id")...)
	if p.acceptWord("with") {
		for {
			start := p.tok().Pos
			t := p.parseEntityRef()
			p.expectWord("on", "after the make-graph nodes table")
			k := p.parseExpr()
			o.With = append(o.With, &GraphNodesTable{Span: Span{start, k.End()}, Table: t, Key: k})
			if !p.accept(Comma) {
				break
			}
		}
	}
	if name, n := p.operatorWord(); name == "partitioned-by" {
		for i := 0; i < n; i++ {
			p.next()
		}
		o.PartitionedBy = p.parseName("after 'partitioned-by'")
		p.expect(LParen, "to open the make-graph sub-query")
		o.Query = p.parseSubquery()
		p.expect(RParen, "to close the make-graph sub-query")
	}
	return o
}

func (p *parser) parseGraphMatch(kw string) TabularOp {
	o := &GraphMatchOp{Keyword: kw, Params: p.parseParams("cycles", "output")}
	for {
		o.Patterns = append(o.Patterns, p.parseGraphPattern())
		if !p.accept(Comma) {
			break
		}
	}
	if p.acceptWord("where") {
		o.Where = p.parseExpr()
	}
	if p.acceptWord("project") {
		o.Project = p.parseNamedExprList()
	}
	return o
}

func (p *parser) parseGraphNode() *GraphNode {
	lp := p.expect(LParen, "to open a graph pattern node")
	n := &GraphNode{}
	if !p.is(RParen) {
		n.Name = p.parseName("for the graph node")
	}
	rp := p.expect(RParen, "to close the graph pattern node")
	n.Span = Span{lp.Pos, rp.End}
	return n
}

// parseGraphPattern reads (a)-[e]->(b)<-[f*1..3]-(c)-->(d).
func (p *parser) parseGraphPattern() *GraphPattern {
	first := p.parseGraphNode()
	g := &GraphPattern{Nodes: []*GraphNode{first}}
	for p.is(Minus) || p.is(Lt) && p.peek(1).Kind == Minus {
		e := &GraphEdge{Dir: "-"}
		start := p.tok().Pos
		if p.accept(Lt) {
			e.Dir = "<-"
		}
		p.expect(Minus, "in the graph pattern edge")
		if p.accept(LBracket) {
			if p.is(Name) || p.is(LBracket) {
				e.Name = p.parseName("for the graph edge")
			}
			if p.accept(Star) {
				e.Min = p.parsePrimary()
				p.expect(DotDot, "in the edge length range")
				e.Max = p.parsePrimary()
			}
			p.expect(RBracket, "to close the graph pattern edge")
		}
		p.expect(Minus, "in the graph pattern edge")
		if p.accept(Gt) {
			if e.Dir == "<-" {
				p.fail("a graph edge cannot point both ways")
			}
			e.Dir = "->"
		}
		e.Span = Span{start, p.prevEnd()}
		g.Edges = append(g.Edges, e)
		g.Nodes = append(g.Nodes, p.parseGraphNode())
	}
	g.Span = Span{first.Pos(), p.prevEnd()}
	return g
}

func (p *parser) parseGraphToTable() TabularOp {
	o := &GraphToTableOp{}
	for {
		t := p.tok()
		if !p.isWord("nodes") && !p.isWord("edges") {
			p.fail("expected 'nodes' or 'edges' after graph-to-table, found %s", t.describe())
		}
		p.next()
		part := &GraphToTablePart{What: t.Text}
		for {
			if p.acceptWord("as") {
				part.As = p.parseName("after 'as'")
				continue
			}
			ps := p.parseParams("with_node_id", "with_source_id", "with_target_id")
			if len(ps) == 0 {
				break
			}
			part.Params = append(part.Params, ps...)
		}
		part.Span = Span{t.Pos, p.prevEnd()}
		o.Parts = append(o.Parts, part)
		if !p.accept(Comma) {
			return o
		}
	}
}
