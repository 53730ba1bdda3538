package syntax

import "strings"

// Operators that may start a query as well as follow a '|'.

func (p *parser) parsePrint() Expr {
	start := p.next().Pos
	o := &PrintOp{Columns: p.parseNamedExprList()}
	o.Span = Span{start, p.prevEnd()}
	return o
}

func (p *parser) parseRange() Expr {
	start := p.next().Pos
	o := &RangeOp{Column: p.parseVarName("after 'range'")}
	p.expectWord("from", "after the range column")
	o.From = p.parseExpr()
	p.expectWord("to", "after the range start")
	o.To = p.parseExpr()
	p.expectWord("step", "after the range end")
	o.Step = p.parseExpr()
	o.Span = Span{start, p.prevEnd()}
	return o
}

func (p *parser) parseUnion() Expr {
	start := p.next().Pos
	o := &UnionOp{Params: p.parseParams("kind", "withsource", "isfuzzy")}
	for {
		o.Tables = append(o.Tables, p.parseEntityRef())
		if !p.accept(Comma) {
			break
		}
	}
	o.Span = Span{start, p.prevEnd()}
	return o
}

func (p *parser) parseDatatable() Expr {
	start := p.next().Pos
	o := &DatatableOp{Params: p.parseParams()}
	o.Columns = p.parseSchema("of datatable")
	p.expect(LBracket, "to open the datatable values")
	p.accept(Comma) // Kusto tolerates one leading comma
	for !p.is(RBracket) {
		o.Values = append(o.Values, p.parseConstant("datatable value"))
		if !p.accept(Comma) {
			break
		}
	}
	p.expect(RBracket, "to close the datatable values")
	o.Span = Span{start, p.prevEnd()}
	return o
}

func (p *parser) parseExternalData() Expr {
	kw := p.next()
	o := &ExternalDataOp{Keyword: kw.Text, Params: p.parseParams("kind")}
	o.Columns = p.parseSchema("of externaldata")
	p.expect(LBracket, "to open the externaldata URIs")
	for !p.is(RBracket) {
		o.URIs = append(o.URIs, p.parseExpr())
		if !p.accept(Comma) {
			break
		}
	}
	p.expect(RBracket, "to close the externaldata URIs")
	if p.acceptWord("with") {
		o.With = p.parseWithProps("externaldata")
	}
	o.Span = Span{kw.Pos, p.prevEnd()}
	return o
}

func (p *parser) parseFind() Expr {
	start := p.next().Pos
	o := &FindOp{Params: p.parseParams("withsource", "datascope", "kind")}
	if p.isWord("in") && p.peek(1).Kind == LParen {
		p.next()
		p.next()
		for {
			o.Tables = append(o.Tables, p.parseEntityRef())
			if !p.accept(Comma) {
				break
			}
		}
		p.expect(RParen, "to close the find table list")
		p.expectWord("where", "after the find table list")
	} else {
		p.acceptWord("where")
	}
	o.Pred = p.parseExpr()
	if name, n := p.operatorWord(); name == "project-smart" || name == "project" {
		for i := 0; i < n; i++ {
			p.next()
		}
		if name == "project-smart" {
			o.ProjectSmart = true
		} else {
			for {
				if (p.is(Name) || p.is(LBracket)) && p.isColumnDeclAhead() {
					o.Project = append(o.Project, p.parseColumnDecl(true))
				} else {
					o.Project = append(o.Project, p.parseNamedExpr())
				}
				if !p.accept(Comma) {
					break
				}
			}
		}
	}
	o.Span = Span{start, p.prevEnd()}
	return o
}

// isColumnDeclAhead reports whether Name : follows (find ... project Col:string).
func (p *parser) isColumnDeclAhead() bool {
	if p.is(LBracket) {
		return p.peek(3).Kind == Colon
	}
	return p.peek(1).Kind == Colon
}

func (p *parser) parseSearch() Expr {
	start := p.next().Pos
	o := &SearchOp{Params: p.parseParams("kind", "withsource")}
	if p.isWord("in") && p.peek(1).Kind == LParen {
		p.next()
		p.next()
		for {
			o.Tables = append(o.Tables, p.parseEntityRef())
			if !p.accept(Comma) {
				break
			}
		}
		p.expect(RParen, "to close the search table list")
	}
	o.Pred = p.parseExpr()
	o.Span = Span{start, p.prevEnd()}
	return o
}

func (p *parser) parseEvaluate() Expr {
	start := p.next().Pos
	o := &EvaluateOp{Params: p.parseParams()}
	if !p.is(Name) || p.peek(1).Kind != LParen {
		p.fail("expected a plugin call after 'evaluate', found %s", p.tok().describe())
	}
	t := p.next()
	o.Call = p.parseCall(&Ident{Span: Span{t.Pos, t.End}, Name: t.Text}).(*Call)
	if p.is(Colon) && p.peek(1).Kind == LParen {
		p.next()
		o.Schema = p.parseTypeRef(true)
	}
	o.Span = Span{start, p.prevEnd()}
	return o
}

func (p *parser) parseMacroExpand() Expr {
	start := p.tok().Pos
	_, n := p.operatorWord()
	for i := 0; i < n; i++ {
		p.next()
	}
	o := &MacroExpandOp{Params: p.parseParams("kind", "isfuzzy")}
	if p.isWord("entity_group") && p.peek(1).Kind == LBracket {
		o.Group = p.parseEntityGroup()
	} else {
		o.Group = p.parseName("after 'macro-expand'")
	}
	p.expectWord("as", "after the macro-expand entity group")
	o.Alias = p.parseName("after 'as'")
	p.expect(LParen, "to open the macro-expand query")
	o.Query = p.parsePipeExpr(false)
	p.expect(RParen, "to close the macro-expand query")
	o.Span = Span{start, p.prevEnd()}
	return o
}

func (p *parser) parseEntityGroup() Expr {
	start := p.next().Pos
	p.expect(LBracket, "after 'entity_group'")
	g := &EntityGroup{}
	for !p.is(RBracket) {
		g.Entities = append(g.Entities, p.parseEntityRef())
		if !p.accept(Comma) {
			break
		}
	}
	rb := p.expect(RBracket, "to close the entity group")
	g.Span = Span{start, rb.End}
	return g
}

func (p *parser) parseInlineExternalTable() Expr {
	start := p.next().Pos
	o := &InlineExternalTableOp{}
	if p.is(LParen) {
		o.Columns = p.parseSchema("of inline_external_table")
	}
	for {
		if ps := p.parseParams("kind", "dataformat"); len(ps) > 0 {
			o.Params = append(o.Params, ps...)
			continue
		}
		if p.isWord("partition") && p.peekWord(1, "by") {
			p.next()
			p.next()
			p.expect(LParen, "after 'partition by'")
			for !p.is(RParen) {
				c := p.parseColumnDecl(true)
				if p.accept(Equal) {
					c.Default = p.parseExpr()
					c.To = p.prevEnd()
				}
				o.Partitions = append(o.Partitions, c)
				if !p.accept(Comma) {
					break
				}
			}
			p.expect(RParen, "to close the partition columns")
			continue
		}
		if p.isWord("pathformat") && p.peek(1).Kind == Equal {
			p.next()
			p.next()
			p.expect(LParen, "after 'pathformat='")
			for !p.is(RParen) && !p.is(EOF) {
				o.PathFormat = append(o.PathFormat, p.parsePostfix(p.parsePrimary()))
			}
			p.expect(RParen, "to close the path format")
			continue
		}
		break
	}
	p.expect(LParen, "to open the inline_external_table URIs")
	for !p.is(RParen) {
		o.URIs = append(o.URIs, p.parseExpr())
		if !p.accept(Comma) {
			break
		}
	}
	p.expect(RParen, "to close the inline_external_table URIs")
	o.Span = Span{start, p.prevEnd()}
	return o
}

// parseConstant reads a literal, optionally signed: datatable values.
func (p *parser) parseConstant(what string) Expr {
	t := p.tok()
	switch t.Kind {
	case Minus, Plus:
		if k := p.peek(1).Kind; k == Long || k == Real || k == Timespan {
			return p.parseUnary()
		}
		if p.peek(1).Kind == Name && typedLitWords[p.peek(1).Text] != "" {
			return p.parseUnary()
		}
	case Long, Real, Timespan, String, RawLit:
		return p.parsePrimary()
	case Name:
		if strings.EqualFold(t.Text, "true") || strings.EqualFold(t.Text, "false") ||
			p.peek(1).Kind == LParen && (t.Text == "dynamic" || typedLitWords[t.Text] != "") {
			return p.parsePrimary()
		}
	}
	p.fail("expected a literal %s, found %s", what, t.describe())
	return nil
}
