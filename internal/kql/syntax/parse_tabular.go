package syntax

import "strings"

// operatorWord reads the operator name at the current token, joining
// hyphenated parts written without spaces (mv-expand, project-away).
// It returns the name and the number of tokens it spans.
func (p *parser) operatorWord() (string, int) {
	if !p.is(Name) {
		return "", 0
	}
	name, n := p.tok().Text, 1
	for p.peek(n).Kind == Minus && p.peek(n+1).Kind == Name && p.adjacent(n-1) && p.adjacent(n) {
		name += "-" + p.peek(n+1).Text
		n += 2
	}
	return name, n
}

// operatorNames lists every operator that may follow '|'.
var operatorNames = map[string]bool{
	"as": true, "consume": true, "count": true, "distinct": true, "evaluate": true, "extend": true,
	"facet": true, "find": true, "fork": true, "getschema": true, "invoke": true, "join": true,
	"lookup": true, "make-series": true, "mv-apply": true, "mvapply": true, "mv-expand": true,
	"mvexpand": true, "order": true, "parse": true, "parse-where": true, "parse-kv": true,
	"partition": true, "print": true, "project": true, "project-away": true, "project-keep": true,
	"project-rename": true, "project-reorder": true, "project-by-names": true, "range": true,
	"reduce": true, "render": true, "sample": true, "sample-distinct": true, "scan": true,
	"search": true, "serialize": true, "sort": true, "summarize": true, "take": true, "limit": true,
	"top": true, "top-nested": true, "top-hitters": true, "union": true, "where": true,
	"filter": true, "make-graph": true, "graph-match": true, "graph-shortest-paths": true,
	"graph-to-table": true, "graph-mark-components": true, "datatable": true, "externaldata": true,
}

// startsOperator reports whether the current token begins a tabular operator.
func (p *parser) startsOperator() bool {
	name, _ := p.operatorWord()
	return operatorNames[name]
}

// atOpEnd reports whether the current token ends an operator's optional list.
func (p *parser) atOpEnd() bool {
	switch p.tok().Kind {
	case Bar, Semi, EOF, RParen, RBrace, RBracket:
		return true
	}
	return false
}

// parseOperator parses one operator after '|'.
func (p *parser) parseOperator() TabularOp {
	p.enter()
	defer p.leave()
	name, n := p.operatorWord()
	if !operatorNames[name] {
		p.fail("expected a query operator after '|', found %s", p.tok().describe())
	}
	kw := p.tok()
	switch name {
	case "print":
		return p.parsePrint().(TabularOp)
	case "range":
		return p.parseRange().(TabularOp)
	case "union":
		return p.parseUnion().(TabularOp)
	case "find":
		return p.parseFind().(TabularOp)
	case "search":
		return p.parseSearch().(TabularOp)
	case "evaluate":
		return p.parseEvaluate().(TabularOp)
	case "datatable":
		return p.parseDatatable().(TabularOp)
	case "externaldata":
		return p.parseExternalData().(TabularOp)
	}
	for i := 0; i < n; i++ {
		p.next()
	}
	start := kw.Pos
	var op TabularOp
	switch name {
	case "where", "filter":
		o := &WhereOp{Keyword: name, Params: p.parseParams()}
		// Kusto's parser accepts "where a = b" (a named expression); sema rejects it.
		o.Pred = p.parseNamedExpr()
		op = o
	case "extend":
		op = &ExtendOp{Columns: p.parseNamedExprList()}
	case "project":
		o := &ProjectOp{}
		if !p.atOpEnd() {
			o.Columns = p.parseNamedExprList()
		}
		op = o
	case "project-away":
		o := &ProjectAwayOp{}
		if !p.atOpEnd() {
			o.Columns = p.parseNamePatterns()
		}
		op = o
	case "project-keep":
		o := &ProjectKeepOp{}
		if !p.atOpEnd() {
			o.Columns = p.parseNamePatterns()
		}
		op = o
	case "project-rename":
		op = &ProjectRenameOp{Columns: p.parseNamedExprList()}
	case "project-reorder":
		op = p.parseProjectReorder()
	case "project-by-names":
		op = &ProjectByNamesOp{Columns: p.parseExprList()}
	case "summarize":
		op = p.parseSummarize()
	case "count":
		op = &CountOp{}
	case "getschema":
		op = &GetSchemaOp{}
	case "consume":
		op = &ConsumeOp{Params: p.parseParams("decodeblocks")}
	case "distinct":
		o := &DistinctOp{Params: p.parseParams()}
		if t := p.tok(); t.Kind == Star && (p.peek(1).Kind == Bar || p.peek(1).Kind == Semi || p.peek(1).Kind == EOF || p.peek(1).Kind == RParen || p.peek(1).Kind == RBrace) {
			p.next()
			o.Columns = []Expr{&Wildcard{Span: Span{t.Pos, t.End}, Pattern: "*"}}
		} else {
			o.Columns = p.parseExprList()
		}
		op = o
	case "serialize":
		o := &SerializeOp{Params: p.parseParams()}
		if !p.atOpEnd() {
			o.Columns = p.parseNamedExprList()
		}
		op = o
	case "take", "limit":
		o := &TakeOp{Keyword: name, Params: p.parseParams()}
		o.Count = p.parseExpr()
		op = o
	case "sample":
		o := &SampleOp{Params: p.parseParams()}
		o.Count = p.parseExpr()
		op = o
	case "sample-distinct":
		o := &SampleDistinctOp{Params: p.parseParams()}
		o.Count = p.parseExpr()
		p.expectWord("of", "after the sample-distinct count")
		o.Of = p.parseExpr()
		op = o
	case "top":
		o := &TopOp{Params: p.parseParams()}
		o.Count = p.parseExpr()
		p.expectWord("by", "after the top count")
		o.By = p.parseSortKeys()
		op = o
	case "sort", "order":
		o := &SortOp{Keyword: name, Params: p.parseParams()}
		p.expectWord("by", "after '"+name+"'")
		o.Keys = p.parseSortKeys()
		op = o
	case "join":
		op = p.parseJoin()
	case "lookup":
		op = p.parseLookup()
	case "as":
		o := &AsOp{Params: p.parseParams()}
		o.Name = p.parseName("after 'as'")
		op = o
	case "invoke":
		op = &InvokeOp{Call: p.parseUnary()}
	case "mv-expand", "mvexpand":
		op = p.parseMvExpand(name)
	case "mv-apply", "mvapply":
		op = p.parseMvApply(name)
	case "parse", "parse-where":
		op = p.parseParse(name == "parse-where")
	case "parse-kv":
		op = p.parseParseKv()
	case "make-series":
		op = p.parseMakeSeries()
	case "render":
		op = p.parseRender()
	case "fork":
		op = p.parseFork()
	case "facet":
		op = p.parseFacet()
	case "partition":
		op = p.parsePartition()
	case "reduce":
		op = p.parseReduce()
	case "scan":
		op = p.parseScan()
	case "top-nested":
		op = p.parseTopNested()
	case "top-hitters":
		o := &TopHittersOp{Count: p.parseExpr()}
		p.expectWord("of", "after the top-hitters count")
		o.Of = p.parseExpr()
		if p.acceptWord("by") {
			o.By = p.parseExpr()
		}
		op = o
	case "make-graph":
		op = p.parseMakeGraph()
	case "graph-match", "graph-shortest-paths":
		op = p.parseGraphMatch(name)
	case "graph-to-table":
		op = p.parseGraphToTable()
	case "graph-mark-components":
		op = &GraphMarkComponentsOp{Params: p.parseParams("kind", "with_component_id")}
	}
	setSpan(op, start, p.prevEnd())
	return op
}

// setSpan fills the Span of a freshly built operator.
func setSpan(n Node, from, to Pos) {
	type spanner interface{ setSpan(Span) }
	if s, ok := n.(spanner); ok {
		s.setSpan(Span{from, to})
	}
}

func (s *Span) setSpan(v Span) { *s = v }

// parseParams reads operator parameters name=value while the name is one
// of names or starts with "hint." (kind=inner, hint.strategy=shuffle).
func (p *parser) parseParams(names ...string) []*NamedArg {
	var params []*NamedArg
	for p.is(Name) {
		name, n := p.tok().Text, 1
		for p.peek(n).Kind == Dot && p.peek(n+1).Kind == Name {
			name += "." + p.peek(n+1).Text
			n += 2
		}
		if p.peek(n).Kind != Equal || !(strings.HasPrefix(name, "hint.") || contains(names, name)) {
			break
		}
		start := p.tok()
		for i := 0; i < n; i++ {
			p.next()
		}
		id := &Ident{Span: Span{start.Pos, p.prevEnd()}, Name: name}
		p.next() // =
		v := p.parseParamValue()
		params = append(params, &NamedArg{Span: Span{start.Pos, v.End()}, Name: id, Value: v})
	}
	return params
}

// parseParamValue reads an operator parameter's value: a plain word
// (kind=inner, not a call even when '(' follows), a literal, or a name.
func (p *parser) parseParamValue() Expr {
	t := p.tok()
	switch t.Kind {
	case Name:
		if strings.EqualFold(t.Text, "true") || strings.EqualFold(t.Text, "false") {
			return p.parsePrimary()
		}
		if reservedWords[t.Text] {
			break
		}
		p.next()
		return &Ident{Span: Span{t.Pos, t.End}, Name: t.Text}
	case LBracket, String, Long, Real, Timespan, RawLit, Minus, Plus:
		return p.parseUnary()
	}
	p.fail("expected a value for the parameter, found %s", t.describe())
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// parseSortKeys reads Expr [asc|desc] [nulls first|last], ...
func (p *parser) parseSortKeys() []*SortKey {
	var keys []*SortKey
	for {
		x := p.parseExpr()
		k := &SortKey{X: x}
		if p.isWord("asc") || p.isWord("desc") {
			k.Order = p.next().Text
		}
		if p.acceptWord("nulls") {
			if !p.isWord("first") && !p.isWord("last") {
				p.fail("expected 'first' or 'last' after 'nulls', found %s", p.tok().describe())
			}
			k.Nulls = p.next().Text
		}
		k.Span = Span{x.Pos(), p.prevEnd()}
		keys = append(keys, k)
		if !p.accept(Comma) {
			return keys
		}
	}
}

// parseNamePattern reads a name that may contain '*' wildcards (Sec*,
// *Id, *) or a bracketed name.
func (p *parser) parseNamePattern() Expr {
	t := p.tok()
	if t.Kind == LBracket {
		return p.parseBracketName()
	}
	if t.Kind != Name && t.Kind != Star {
		p.fail("expected a column or table name, found %s", t.describe())
	}
	p.next()
	text, end := t.Text, t.End
	for (p.is(Name) || p.is(Star) || p.is(Long)) && p.tok().Pos == end {
		x := p.next()
		text += x.Text
		end = x.End
	}
	if strings.Contains(text, "*") {
		return &Wildcard{Span: Span{t.Pos, end}, Pattern: text}
	}
	if reservedWords[text] {
		p.failAt(t, "expected a name, found keyword '%s' (write ['%s'] to use it as a name)", text, text)
	}
	return &Ident{Span: Span{t.Pos, end}, Name: text}
}

// parseNamePatterns reads a comma-separated list of name patterns.
func (p *parser) parseNamePatterns() []Expr {
	var list []Expr
	for {
		list = append(list, p.parseNamePattern())
		if !p.accept(Comma) {
			return list
		}
	}
}

// parseEntityRef reads a table reference where names may be wildcards:
// T, Sec*, (query), table("x"), database("d").T*, cluster("c").database("d").*.
func (p *parser) parseEntityRef() Expr {
	switch {
	case p.isWord("datatable") || p.isWord("externaldata") || p.isWord("external_data"):
		return p.parseSource()
	case p.is(LParen):
		return p.parseParen()
	case p.is(Star), p.is(Name) && p.peek(1).Kind != LParen:
		x := p.parseNamePattern()
		if _, ok := x.(*Wildcard); ok {
			return x
		}
		return p.parseEntityPostfix(x)
	}
	return p.parseEntityPostfix(p.parsePrimary())
}

// parseEntityPostfix applies .name (possibly a wildcard) and (args).
func (p *parser) parseEntityPostfix(x Expr) Expr {
	for {
		switch {
		case p.is(Dot) && (p.peek(1).Kind == Name || p.peek(1).Kind == Star):
			p.next()
			n := p.parseNamePattern()
			id, ok := n.(*Ident)
			if !ok {
				w := n.(*Wildcard)
				id = &Ident{Span: w.Span, Name: w.Pattern}
			}
			x = &Member{Span: Span{x.Pos(), id.End()}, X: x, Name: id}
		case p.is(Dot) && p.peek(1).Kind == LBracket:
			p.next()
			id := p.parseBracketName()
			x = &Member{Span: Span{x.Pos(), id.End()}, X: x, Name: id}
		case p.is(LParen):
			x = p.parseCall(x)
		case p.is(LBracket):
			p.next()
			idx := p.parseExpr()
			rb := p.expect(RBracket, "after the index")
			x = &Index{Span: Span{x.Pos(), rb.End}, X: x, Index: idx}
		default:
			return x
		}
	}
}

func (p *parser) parseProjectReorder() TabularOp {
	o := &ProjectReorderOp{}
	for {
		x := p.parseNamePattern()
		k := &SortKey{X: x}
		switch w, n := p.operatorWord(); w {
		case "asc", "desc", "granny-asc", "granny-desc":
			for i := 0; i < n; i++ {
				p.next()
			}
			k.Order = w
		}
		k.Span = Span{x.Pos(), p.prevEnd()}
		o.Columns = append(o.Columns, k)
		if !p.accept(Comma) {
			return o
		}
	}
}

func (p *parser) parseSummarize() TabularOp {
	o := &SummarizeOp{Params: p.parseParams()}
	if !p.isWord("by") && !p.atOpEnd() {
		saved := p.inAggregates
		p.inAggregates = true // here "by =" starts the group list, not an assignment
		o.Aggs = p.parseNamedExprList()
		p.inAggregates = saved
	}
	if p.acceptWord("by") {
		o.By = p.parseNamedExprList()
	}
	return o
}

// parseRightTable reads the right side of join/lookup: (query) or a name/call.
func (p *parser) parseRightTable(op string) Expr {
	if p.is(LParen) {
		return p.parseParen()
	}
	if p.isWord("on") || p.atOpEnd() {
		p.fail("expected the right table of '%s', found %s", op, p.tok().describe())
	}
	return p.parseUnary()
}

func (p *parser) parseJoin() TabularOp {
	o := &JoinOp{Params: p.parseParams("kind", "withsource")}
	o.Right = p.parseRightTable("join")
	if p.acceptWord("on") {
		o.On = p.parseExprList()
	}
	return o
}

func (p *parser) parseLookup() TabularOp {
	o := &LookupOp{Params: p.parseParams("kind")}
	o.Right = p.parseRightTable("lookup")
	p.expectWord("on", "after the lookup table")
	o.On = p.parseExprList()
	return o
}

// parseMvItems reads [Name =] Expr [to typeof(T)], ...
func (p *parser) parseMvItems() []*MvItem {
	var items []*MvItem
	for {
		x := p.parseNamedExpr()
		it := &MvItem{X: x}
		if p.acceptWord("to") {
			p.expectWord("typeof", "after 'to'")
			p.expect(LParen, "after 'typeof'")
			it.ToType = p.parseTypeRef(false)
			p.expect(RParen, "to close typeof(...)")
		}
		it.Span = Span{x.Pos(), p.prevEnd()}
		items = append(items, it)
		if !p.accept(Comma) {
			return items
		}
	}
}

var mvParams = []string{"kind", "bagexpansion", "with_itemindex"}

func (p *parser) parseMvExpand(kw string) TabularOp {
	o := &MvExpandOp{Keyword: kw, Params: p.parseParams(mvParams...)}
	o.Items = p.parseMvItems()
	if p.acceptWord("limit") {
		o.Limit = p.parseExpr()
	}
	return o
}

func (p *parser) parseMvApply(kw string) TabularOp {
	o := &MvApplyOp{Keyword: kw, Params: p.parseParams(mvParams...)}
	o.Items = p.parseMvItems()
	if p.acceptWord("limit") {
		o.Limit = p.parseExpr()
	}
	o.Params = append(o.Params, p.parseParams("id")...)
	p.expectWord("on", "before the mv-apply sub-query")
	p.expect(LParen, "to open the mv-apply sub-query")
	o.Query = p.parseSubquery()
	p.expect(RParen, "to close the mv-apply sub-query")
	return o
}

func (p *parser) parseParse(where bool) TabularOp {
	o := &ParseOp{Where: where, Params: p.parseParams("kind", "flags")}
	o.Source = p.parseExpr()
	p.expectWord("with", "after the parse source")
	for {
		t := p.tok()
		switch {
		case t.Kind == String:
			o.Pattern = append(o.Pattern, p.parseStringLit())
		case t.Kind == Star:
			p.next()
			o.Pattern = append(o.Pattern, &Wildcard{Span: Span{t.Pos, t.End}, Pattern: "*"})
		case t.Kind == Name && !reservedWords[t.Text] || t.Kind == LBracket:
			o.Pattern = append(o.Pattern, p.parseColumnDecl(false))
		default:
			if len(o.Pattern) == 0 {
				p.fail("expected a parse pattern (strings, columns, *), found %s", t.describe())
			}
			return o
		}
		p.accept(Comma) // tolerated between pattern parts
	}
}

func (p *parser) parseParseKv() TabularOp {
	o := &ParseKvOp{Source: p.parseExpr()}
	p.expectWord("as", "after the parse-kv source")
	o.Columns = p.parseSchema("of parse-kv")
	if p.acceptWord("with") {
		o.With = p.parseWithProps("parse-kv")
	}
	return o
}

// parseWithProps reads ( name = value, ... ) after 'with'.
func (p *parser) parseWithProps(op string) []*NamedArg {
	p.expect(LParen, "after 'with' in "+op)
	var props []*NamedArg
	for !p.is(RParen) {
		props = append(props, p.parseProp())
		if !p.accept(Comma) {
			break
		}
	}
	p.expect(RParen, "to close the "+op+" properties")
	return props
}

// parseProp reads name = value; a value followed by ", name" without '='
// continues as a list (render ... with (ycolumns=a, b)).
func (p *parser) parseProp() *NamedArg {
	name := p.parseDottedName("for a property")
	p.expect(Equal, "after property '"+name.Name+"'")
	v := p.parseExpr()
	if p.is(Comma) && p.peek(1).Kind == Name && p.peek(2).Kind != Equal && p.peek(2).Kind != Dot {
		elems := []Expr{v}
		for p.is(Comma) && p.peek(1).Kind == Name && p.peek(2).Kind != Equal && p.peek(2).Kind != Dot {
			p.next()
			elems = append(elems, p.parseExpr())
		}
		v = &Tuple{Span: Span{elems[0].Pos(), elems[len(elems)-1].End()}, Elems: elems}
	}
	return &NamedArg{Span: Span{name.Pos(), v.End()}, Name: name, Value: v}
}

func (p *parser) parseMakeSeries() TabularOp {
	o := &MakeSeriesOp{Params: p.parseParams("kind")}
	for {
		x := p.parseNamedExpr()
		agg := &SeriesAgg{X: x}
		if p.isWord("default") && p.peek(1).Kind == Equal {
			p.next()
			p.next()
			agg.Default = p.parseExpr()
		}
		agg.Span = Span{x.Pos(), p.prevEnd()}
		o.Aggs = append(o.Aggs, agg)
		if !p.accept(Comma) {
			break
		}
	}
	p.expectWord("on", "after the make-series aggregates")
	o.On = p.parseExpr()
	if p.acceptWord("in") {
		p.expectWord("range", "after 'in'")
		c := p.parseCall(&Ident{Span: Span{p.prevEnd() - 5, p.prevEnd()}, Name: "range"})
		o.Range = c.(*Call)
	} else {
		if p.acceptWord("from") {
			o.From = p.parseExpr()
		}
		if p.acceptWord("to") {
			o.To = p.parseExpr()
		}
		p.expectWord("step", "in make-series")
		o.Step = p.parseExpr()
	}
	if p.acceptWord("by") {
		o.By = p.parseNamedExprList()
	}
	return o
}

func (p *parser) parseRender() TabularOp {
	o := &RenderOp{Chart: p.parseName("after 'render'")}
	if p.acceptWord("with") {
		o.With = p.parseWithProps("render")
		return o
	}
	// Older form: render chart prop=value ...
	for p.is(Name) && p.peek(1).Kind == Equal {
		o.With = append(o.With, p.parseProp())
	}
	return o
}

func (p *parser) parseFork() TabularOp {
	o := &ForkOp{}
	for p.is(LParen) || p.is(Name) && p.peek(1).Kind == Equal && p.peek(2).Kind == LParen ||
		p.is(LBracket) && p.peek(3).Kind == Equal && p.peek(4).Kind == LParen {
		b := &ForkBranch{}
		start := p.tok().Pos
		if !p.is(LParen) {
			b.Name = p.parseName("for the fork branch")
			p.next() // =
		}
		p.expect(LParen, "to open a fork branch")
		b.Query = p.parseSubquery()
		p.expect(RParen, "to close the fork branch")
		b.Span = Span{start, p.prevEnd()}
		o.Branches = append(o.Branches, b)
	}
	if len(o.Branches) == 0 {
		p.fail("expected '(' to open a fork branch, found %s", p.tok().describe())
	}
	return o
}

func (p *parser) parseFacet() TabularOp {
	p.expectWord("by", "after 'facet'")
	o := &FacetOp{By: p.parseExprList()}
	if p.acceptWord("with") {
		if p.accept(LParen) {
			o.With = p.parseSubquery()
			p.expect(RParen, "to close the facet sub-query")
		} else {
			start := p.tok().Pos
			pipe := &Pipe{Ops: []TabularOp{p.parseOperator()}}
			pipe.Span = Span{start, p.prevEnd()}
			o.With = pipe
		}
	}
	return o
}

func (p *parser) parsePartition() TabularOp {
	o := &PartitionOp{Params: p.parseParams()}
	p.expectWord("by", "after 'partition'")
	o.By = p.parseName("after 'partition by'")
	o.Params = append(o.Params, p.parseParams()...)
	switch {
	case p.is(LParen):
		p.next()
		o.Query = p.parseSubquery()
		p.expect(RParen, "to close the partition sub-query")
	case p.is(LBrace):
		o.Braced = true
		o.Query = p.parseBlock("partition sub-query")
	default:
		p.fail("expected '(' or '{' to open the partition sub-query, found %s", p.tok().describe())
	}
	return o
}

func (p *parser) parseReduce() TabularOp {
	o := &ReduceOp{Params: p.parseParams("kind")}
	p.expectWord("by", "after 'reduce'")
	o.By = p.parseExpr()
	if p.acceptWord("with") {
		for {
			o.With = append(o.With, p.parseProp())
			if !p.accept(Comma) {
				break
			}
		}
	}
	return o
}

func (p *parser) parseScan() TabularOp {
	o := &ScanOp{Params: p.parseParams("with_match_id")}
	if p.acceptWord("order") {
		p.expectWord("by", "after 'order' in scan")
		o.OrderBy = p.parseSortKeys()
	}
	if p.acceptWord("partition") {
		p.expectWord("by", "after 'partition' in scan")
		o.PartitionBy = p.parseExprList()
	}
	if p.acceptWord("declare") {
		p.expect(LParen, "after 'declare' in scan")
		for !p.is(RParen) {
			c := p.parseColumnDecl(true)
			if p.accept(Equal) {
				c.Default = p.parseExpr()
				c.To = p.prevEnd()
			}
			o.Declare = append(o.Declare, c)
			if !p.accept(Comma) {
				break
			}
		}
		p.expect(RParen, "to close the scan declarations")
	}
	p.expectWord("with", "before the scan steps")
	p.expect(LParen, "to open the scan steps")
	for p.isWord("step") {
		st := &ScanStep{}
		start := p.next().Pos
		st.Name = p.parseName("for the scan step")
		if p.acceptWord("output") {
			p.expect(Equal, "after 'output'")
			st.Output = p.parseName("for the step output").Name
		}
		p.expect(Colon, "after the scan step name")
		st.Cond = p.parseExpr()
		if p.accept(Arrow) {
			st.Assigns = p.parseNamedExprList()
		}
		st.Span = Span{start, p.prevEnd()}
		o.Steps = append(o.Steps, st)
		if !p.accept(Semi) {
			break
		}
	}
	if len(o.Steps) == 0 {
		p.fail("expected 'step' in scan, found %s", p.tok().describe())
	}
	p.expect(RParen, "to close the scan steps")
	return o
}

func (p *parser) parseTopNested() TabularOp {
	o := &TopNestedOp{}
	for {
		c := &TopNestedClause{}
		start := p.tok().Pos
		if len(o.Clauses) > 0 {
			name, n := p.operatorWord()
			if name != "top-nested" {
				p.fail("expected 'top-nested' after ',', found %s", p.tok().describe())
			}
			p.skip(n)
		}
		if !p.isWord("of") {
			c.Count = p.parseExpr()
		}
		p.expectWord("of", "in top-nested")
		c.Of = p.parseNamedExpr()
		if p.acceptWord("with") {
			p.expectWord("others", "after 'with' in top-nested")
			p.expect(Equal, "after 'with others'")
			c.Others = p.parseExpr()
		}
		p.expectWord("by", "in top-nested")
		c.By = p.parseNamedExpr()
		if p.isWord("asc") || p.isWord("desc") {
			c.Order = p.next().Text
		}
		c.Span = Span{start, p.prevEnd()}
		o.Clauses = append(o.Clauses, c)
		if !p.accept(Comma) {
			return o
		}
	}
}
