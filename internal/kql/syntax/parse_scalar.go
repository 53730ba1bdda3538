package syntax

import "strings"

// parsePipeExpr parses Source [| Op]... With recoverOps (the outermost pipe
// of a statement), an error inside one operator is reported and parsing
// resumes at the next '|' or ';' of the same level.
func (p *parser) parsePipeExpr(recoverOps bool) Expr {
	p.enter()
	defer p.leave()
	d := p.tok().Depth
	src := p.parseSource()
	if !p.is(Bar) {
		return src
	}
	pipe := &Pipe{Source: src}
	p.parseOps(pipe, recoverOps, d)
	pipe.Span = Span{src.Pos(), p.prevEnd()}
	return pipe
}

// parseOps reads "| Op" repeatedly into pipe.
func (p *parser) parseOps(pipe *Pipe, recoverOps bool, d int) {
	for p.is(Bar) {
		p.next()
		if !recoverOps {
			pipe.Ops = append(pipe.Ops, p.parseOperator())
			continue
		}
		var op TabularOp
		p.guard(d, func() {
			op = p.parseOperator()
			if t := p.tok(); !(t.Kind == Bar || t.Kind == Semi || t.Kind == EOF || t.Depth < d) {
				p.fail("expected '|' or ';' after the %s operator, found %s", op.OpName(), t.describe())
			}
		}, Bar, Semi)
		if op != nil {
			pipe.Ops = append(pipe.Ops, op)
		}
	}
}

// parseSubquery parses the body of ( ... ) in fork, facet, partition,
// mv-apply and make-graph: either operators reading the implicit input
// (where x | take 3) or a full tabular expression.
func (p *parser) parseSubquery() Expr {
	p.enter()
	defer p.leave()
	if !p.startsOperator() {
		return p.parsePipeExpr(false)
	}
	return p.parseImplicitPipe()
}

// parseImplicitPipe reads Op [| Op]... with no source.
func (p *parser) parseImplicitPipe() Expr {
	start := p.tok().Pos
	pipe := &Pipe{}
	pipe.Ops = append(pipe.Ops, p.parseOperator())
	p.parseOps(pipe, false, 0)
	pipe.Span = Span{start, p.prevEnd()}
	return pipe
}

// parseSource parses what may start a pipe: a source operator (print,
// range, union, datatable, externaldata, find, search, evaluate) or any
// expression (a table name, a function call, a parenthesised query).
func (p *parser) parseSource() Expr {
	t := p.tok()
	if t.Kind == Name {
		switch t.Text {
		case "print":
			return p.parsePrint()
		case "range":
			if p.peek(1).Kind == Name || p.peek(1).Kind == LBracket {
				return p.parseRange()
			}
		case "union":
			return p.parseUnion()
		case "datatable":
			return p.parseDatatable()
		case "externaldata", "external_data":
			return p.parseExternalData()
		case "find":
			return p.parseFind()
		case "search":
			return p.parseSearch()
		case "evaluate":
			return p.parseEvaluate()
		case "inline_external_table":
			return p.parseInlineExternalTable()
		case "entity_group":
			if p.peek(1).Kind == LBracket {
				return p.parseEntityGroup()
			}
		case "macro":
			if name, _ := p.operatorWord(); name == "macro-expand" {
				return p.parseMacroExpand()
			}
		}
		// A reserved word that names an operator (where, project, as, ...)
		// starts a pipe without a source; Kusto's parser allows it and sema
		// reports the missing input.
		if reservedWords[t.Text] && operatorNames[t.Text] {
			return p.parseImplicitPipe()
		}
	}
	return p.parseExpr()
}

// parseExpr parses a scalar expression (no pipes at this level).
func (p *parser) parseExpr() Expr {
	p.enter()
	defer p.leave()
	return p.parseOr()
}

func (p *parser) parseOr() Expr {
	x := p.parseAnd()
	for p.isWord("or") {
		op := p.next()
		y := p.parseAnd()
		x = &Binary{Span: Span{x.Pos(), y.End()}, Op: "or", OpPos: op.Pos, X: x, Y: y}
	}
	return x
}

func (p *parser) parseAnd() Expr {
	x := p.parseEquality()
	for p.isWord("and") {
		op := p.next()
		y := p.parseEquality()
		x = &Binary{Span: Span{x.Pos(), y.End()}, Op: "and", OpPos: op.Pos, X: x, Y: y}
	}
	return x
}

// Precedence, loosest first, as Kusto's own parser groups it:
//
//	or, and                      left-associative chains
//	==, !=, <>, in, !in, in~, !in~, has_any, has_all, between, !between
//	<, <=, >, >=
//	+, -
//	*, /, %
//	has, contains, startswith, ..., =~, !~, like, matches regex, ':'
//	unary -, +
//	postfix: a.b, a[i], f(x)
//
// The comparison levels are not associative: a == b == c is an error.
// String operators bind tighter than arithmetic: 1 + x has "a" is 1 + (x has "a").

// equalityOps are the word operators of the equality level.
var equalityOps = map[string]bool{"in": true, "has_any": true, "has_all": true, "between": true}

// stringOps are the word operators of the string level, with the canonical
// spelling of deprecated synonyms.
var stringOps = map[string]string{
	"has": "has", "has_cs": "has_cs", "hasprefix": "hasprefix", "hasprefix_cs": "hasprefix_cs",
	"hassuffix": "hassuffix", "hassuffix_cs": "hassuffix_cs",
	"contains": "contains", "contains_cs": "contains_cs", "containscs": "contains_cs",
	"notcontains": "!contains", "notcontainscs": "!contains_cs",
	"startswith": "startswith", "startswith_cs": "startswith_cs",
	"endswith": "endswith", "endswith_cs": "endswith_cs",
	"like": "like", "likecs": "likecs", "notlike": "notlike", "notlikecs": "notlikecs",
}

// negatable are the operators that take a '!' prefix (!has, !in, !between).
var negatable = map[string]bool{
	"has": true, "has_cs": true, "hasprefix": true, "hasprefix_cs": true, "hassuffix": true,
	"hassuffix_cs": true, "contains": true, "contains_cs": true, "startswith": true,
	"startswith_cs": true, "endswith": true, "endswith_cs": true, "in": true, "between": true,
}

// wordOp recognises a word operator (has, !contains, in~, matches regex)
// at the current token: canonical spelling and token count, or "".
func (p *parser) wordOp() (string, int) {
	t := p.tok()
	switch t.Kind {
	case Name:
		if t.Text == "matches" && p.peekWord(1, "regex") {
			return "matches regex", 2
		}
		if t.Text == "in" && p.peek(1).Kind == Tilde && p.adjacent(0) {
			return "in~", 2
		}
		if op, ok := stringOps[t.Text]; ok {
			return op, 1
		}
		if equalityOps[t.Text] && p.peek(1).Kind == LParen {
			return t.Text, 1 // without '(' it is not an operator: ... on x in range(...)
		}
	case Bang:
		w := p.peek(1)
		if w.Kind == Name && p.adjacent(0) && negatable[w.Text] && !(equalityOps[w.Text] && p.peek(2).Kind != LParen && p.peek(2).Kind != Tilde) {
			if w.Text == "in" && p.peek(2).Kind == Tilde && p.adjacent(1) {
				return "!in~", 3
			}
			return "!" + w.Text, 2
		}
	}
	return "", 0
}

// equalityOp returns the equality-level operator at the current token.
func (p *parser) equalityOp() (string, int) {
	t := p.tok()
	switch t.Kind {
	case Eq, NotEq, LtGt:
		return t.Text, 1
	}
	op, n := p.wordOp()
	switch op {
	case "in", "!in", "in~", "!in~", "has_any", "has_all", "between", "!between":
		return op, n
	}
	return "", 0
}

// stringOp returns the string-level operator at the current token.
func (p *parser) stringOp() (string, int) {
	t := p.tok()
	switch t.Kind {
	case EqTilde, NotTilde:
		return t.Text, 1
	case Colon:
		// a : b is Kusto's search form of has; its parser accepts it anywhere.
		return ":", 1
	}
	op, n := p.wordOp()
	switch op {
	case "", "in", "!in", "in~", "!in~", "has_any", "has_all", "between", "!between":
		return "", 0
	}
	return op, n
}

func (p *parser) skip(n int) Token {
	t := p.tok()
	for i := 0; i < n; i++ {
		p.next()
	}
	return t
}

func (p *parser) parseEquality() Expr {
	x := p.parseRelational()
	op, n := p.equalityOp()
	if op == "" {
		return x
	}
	opTok := p.skip(n)
	switch op {
	case "in", "!in", "in~", "!in~", "has_any", "has_all":
		list, end := p.parseParenList("after '" + op + "'")
		x = &InExpr{Span: Span{x.Pos(), end}, Op: op, OpPos: opTok.Pos, X: x, List: list}
	case "between", "!between":
		p.expect(LParen, "after '"+op+"'")
		lo := p.parseExpr()
		p.expect(DotDot, "between the bounds of '"+op+"'")
		hi := p.parseExpr()
		rp := p.expect(RParen, "after the bounds of '"+op+"'")
		x = &BetweenExpr{Span: Span{x.Pos(), rp.End}, Not: op == "!between", X: x, Lo: lo, Hi: hi}
	default:
		y := p.parseRelational()
		x = &Binary{Span: Span{x.Pos(), y.End()}, Op: op, OpPos: opTok.Pos, X: x, Y: y}
	}
	if op2, _ := p.equalityOp(); op2 != "" {
		p.fail("operator '%s' cannot follow '%s' without parentheses", op2, op)
	}
	return x
}

// parseParenList reads ( expr, ... ) with at least one element; elements
// may be tabular expressions.
func (p *parser) parseParenList(ctx string) ([]Expr, Pos) {
	p.expect(LParen, ctx)
	var list []Expr
	for {
		list = append(list, p.parsePipeExpr(false))
		if !p.accept(Comma) {
			break
		}
	}
	rp := p.expect(RParen, "to close the list "+ctx)
	return list, rp.End
}

// starOpAhead reports whether the current token is an operator that may
// follow '*' (any column): a string operator, == or !=.
func (p *parser) starOpAhead() bool {
	if k := p.tok().Kind; k == Eq || k == NotEq {
		return true
	}
	op, _ := p.stringOp()
	return op != ""
}

func isRelational(k Kind) bool { return k == Lt || k == Le || k == Gt || k == Ge }

func (p *parser) parseRelational() Expr {
	x := p.parseAdditive()
	t := p.tok()
	if !isRelational(t.Kind) {
		return x
	}
	p.next()
	y := p.parseAdditive()
	if t2 := p.tok(); isRelational(t2.Kind) {
		p.fail("operator '%s' cannot follow '%s' without parentheses", t2.Text, t.Text)
	}
	return &Binary{Span: Span{x.Pos(), y.End()}, Op: t.Text, OpPos: t.Pos, X: x, Y: y}
}

func (p *parser) parseAdditive() Expr {
	x := p.parseMultiplicative()
	for {
		t := p.tok()
		if t.Kind != Plus && t.Kind != Minus {
			return x
		}
		p.next()
		y := p.parseMultiplicative()
		x = &Binary{Span: Span{x.Pos(), y.End()}, Op: t.Text, OpPos: t.Pos, X: x, Y: y}
	}
}

func (p *parser) parseMultiplicative() Expr {
	x := p.parseStringOp()
	for {
		t := p.tok()
		if t.Kind != Star && t.Kind != Slash && t.Kind != Percent {
			return x
		}
		p.next()
		y := p.parseStringOp()
		x = &Binary{Span: Span{x.Pos(), y.End()}, Op: t.Text, OpPos: t.Pos, X: x, Y: y}
	}
}

func (p *parser) parseStringOp() Expr {
	x := p.parseUnary()
	op, n := p.stringOp()
	if op == "" {
		return x
	}
	opTok := p.skip(n)
	y := p.parseUnary()
	if op2, _ := p.stringOp(); op2 != "" {
		p.fail("operator '%s' cannot follow '%s' without parentheses", op2, op)
	}
	return &Binary{Span: Span{x.Pos(), y.End()}, Op: op, OpPos: opTok.Pos, X: x, Y: y}
}

// parseUnary reads [-|+] postfix-expression; KQL allows one sign only.
func (p *parser) parseUnary() Expr {
	t := p.tok()
	if t.Kind == Minus || t.Kind == Plus {
		p.next()
		if k := p.tok().Kind; k == Minus || k == Plus {
			p.fail("expected an expression after '%s', found %s", t.Text, p.tok().describe())
		}
		x := p.parsePostfix(p.parsePrimary())
		return &Unary{Span: Span{t.Pos, x.End()}, Op: t.Text, X: x}
	}
	return p.parsePostfix(p.parsePrimary())
}

// parsePostfix applies .name, [index] and (args) after a primary.
func (p *parser) parsePostfix(x Expr) Expr {
	for {
		switch p.tok().Kind {
		case Dot:
			p.next()
			var name *Ident
			switch p.tok().Kind {
			case LBracket:
				if p.peek(1).Kind != String || p.peek(2).Kind != RBracket {
					// a.[0], a.[expr]: same as a[0]
					p.next()
					idx := p.parseExpr()
					rb := p.expect(RBracket, "after the index")
					x = &Index{Span: Span{x.Pos(), rb.End}, X: x, Index: idx}
					continue
				}
				name = p.parseBracketName()
			case Name:
				t := p.next()
				if reservedWords[t.Text] {
					p.failAt(t, "expected a name after '.', found keyword '%s' (write ['%s'])", t.Text, t.Text)
				}
				name = &Ident{Span: Span{t.Pos, t.End}, Name: t.Text}
			default:
				p.fail("expected a name after '.', found %s", p.tok().describe())
			}
			x = &Member{Span: Span{x.Pos(), name.End()}, X: x, Name: name}
		case LBracket:
			p.next()
			idx := p.parseExpr()
			rb := p.expect(RBracket, "after the index")
			x = &Index{Span: Span{x.Pos(), rb.End}, X: x, Index: idx}
		case LParen:
			if _, ok := x.(*Member); !ok {
				return x
			}
			x = p.parseCall(x)
		default:
			return x
		}
	}
}

// reservedWords cannot be used as plain names (columns, variables,
// members, function names): Kusto requires ['by']. The set is what Kusto's
// own parser rejects.
var reservedWords = map[string]bool{
	"and": true, "or": true, "by": true, "of": true, "in": true, "where": true, "to": true,
	"asc": true, "desc": true, "first": true, "last": true, "set": true, "as": true,
	"between": true, "like": true, "likecs": true, "notlike": true, "notlikecs": true,
	"has": true, "has_cs": true, "has_any": true, "has_all": true, "hasprefix": true,
	"hasprefix_cs": true, "hassuffix": true, "hassuffix_cs": true, "contains": true,
	"contains_cs": true, "containscs": true, "notcontains": true, "notcontainscs": true,
	"startswith": true, "startswith_cs": true, "endswith": true, "endswith_cs": true,
	"print": true, "project": true, "union": true, "find": true, "search": true, "sample": true,
	"invoke": true, "datatable": true, "externaldata": true, "external_data": true,
	"materialize": true, "toscalar": true, "others": true, "cycles": true, "flags": true,
	"with_itemindex": true, "with_match_id": true, "bagexpansion": true, "decodeblocks": true,
	"datetime": true, "date": true, "timespan": true, "time": true, "dynamic": true,
	"int": true, "int64": true, "long": true, "real": true, "double": true, "decimal": true,
	"string": true, "boolean": true, "uniqueid": true,
}

// assignableReserved are reserved words Kusto still accepts before '=' in
// extend/project lists (extend to = 1); "by" only outside summarize's
// aggregates, where it starts the group list.
var assignableReserved = map[string]bool{
	"as": true, "by": true, "contains": true, "datatable": true, "externaldata": true, "find": true,
	"has": true, "in": true, "invoke": true, "of": true, "print": true, "sample": true,
	"search": true, "set": true, "to": true, "where": true,
}

// reservedCallable are reserved words that may still be called: toscalar(T).
var reservedCallable = map[string]bool{"toscalar": true, "materialize": true}

func (p *parser) parsePrimary() Expr {
	t := p.tok()
	switch t.Kind {
	case Long, Real, Timespan:
		p.next()
		return p.numberLiteral(t)
	case String:
		return p.parseStringLit()
	case RawLit:
		p.next()
		return p.rawLiteral(t)
	case LParen:
		return p.parseParen()
	case LBracket:
		return p.parseBracketName()
	case Star:
		// '*' stands for "any column" only before an operator: * has "x".
		if p.next(); p.starOpAhead() {
			return &Wildcard{Span: Span{t.Pos, t.End}, Pattern: "*"}
		}
		p.failAt(t, "expected an expression, found '*'")
	case Name:
		return p.parseIdentExpr()
	}
	p.fail("expected an expression, found %s", t.describe())
	return nil
}

func (p *parser) parseIdentExpr() Expr {
	t := p.tok()
	next := p.peek(1)
	switch strings.ToLower(t.Text) {
	case "true", "false":
		p.next()
		return &Literal{Span: Span{t.Pos, t.End}, Type: "bool", Text: t.Text, Value: strings.EqualFold(t.Text, "true")}
	}
	if next.Kind == LParen {
		switch t.Text {
		case "datatable", "externaldata", "external_data":
			return p.parseSource() // f(datatable(x:long)[1])
		case "dynamic":
			return p.parseDynamicLit()
		case "typeof":
			return p.parseTypeOf()
		}
		if typedLitWords[t.Text] != "" && p.adjacent(0) { // long (1) is an error in Kusto
			if lit := p.tryTypedLiteral(); lit != nil {
				return lit
			}
			if t.Text != "string" && t.Text != "boolean" {
				// long(x): Kusto's parser takes it as a conversion call.
				p.next()
				return p.parseCall(&Ident{Span: Span{t.Pos, t.End}, Name: t.Text})
			}
		}
		if !reservedWords[t.Text] || reservedCallable[t.Text] {
			p.next()
			return p.parseCall(&Ident{Span: Span{t.Pos, t.End}, Name: t.Text})
		}
	}
	if reservedWords[t.Text] {
		p.fail("expected an expression, found keyword '%s' (write ['%s'] to use it as a name)", t.Text, t.Text)
	}
	p.next()
	return &Ident{Span: Span{t.Pos, t.End}, Name: t.Text}
}

// parseCall reads (args) after the callee fun.
func (p *parser) parseCall(fun Expr) Expr {
	p.enter()
	defer p.leave()
	p.expect(LParen, "to start function arguments")
	// Only toscalar() and materialize() take a bare pipe as argument;
	// elsewhere a tabular argument needs parentheses: f((T | count)).
	pipes := false
	if id, ok := fun.(*Ident); ok && !id.Quoted && (id.Name == "toscalar" || id.Name == "materialize") {
		pipes = true
	}
	var args []Expr
	if !p.is(RParen) {
		for {
			args = append(args, p.parseArg(pipes))
			if !p.accept(Comma) {
				break
			}
		}
	}
	rp := p.expect(RParen, "after function arguments")
	return &Call{Span: Span{fun.Pos(), rp.End}, Fun: fun, Args: args}
}

// parseArg reads a function argument: name = value, *, or an expression
// (a pipe only where pipes is set: toscalar(T | count)).
func (p *parser) parseArg(pipes bool) Expr {
	if p.is(Name) && p.peek(1).Kind == Equal {
		name := p.next()
		p.next()
		v := p.parseExpr()
		return &NamedArg{Span: Span{name.Pos, v.End()}, Name: &Ident{Span: Span{name.Pos, name.End}, Name: name.Text}, Value: v}
	}
	if p.is(Star) && (p.peek(1).Kind == Comma || p.peek(1).Kind == RParen) {
		t := p.next()
		return &Wildcard{Span: Span{t.Pos, t.End}, Pattern: "*"}
	}
	if pipes {
		return p.parsePipeExpr(false)
	}
	return p.parseExpr()
}

// parseParen reads (expr), where expr may be tabular. Kusto has no tuple
// values: (a, b) is only valid where a list is expected (in, assignments).
func (p *parser) parseParen() Expr {
	p.enter()
	defer p.leave()
	lp := p.next()
	first := p.parsePipeExpr(false)
	rp := p.expect(RParen, "to close the parenthesis")
	return &Paren{Span: Span{lp.Pos, rp.End}, X: first}
}

// parseBracketName reads ['name'] or ["name"].
func (p *parser) parseBracketName() *Ident {
	lb := p.expect(LBracket, "before a quoted name")
	if !p.is(String) {
		p.fail("expected a string inside [ ] to quote a name, found %s", p.tok().describe())
	}
	s := p.next()
	rb := p.expect(RBracket, "after the quoted name")
	return &Ident{Span: Span{lb.Pos, rb.End}, Name: s.Value, Quoted: true}
}

// parseName reads a plain or bracketed name. Declared names (columns in a
// schema, parameters) may be keywords; see parseVarName for let.
func (p *parser) parseName(ctx string) *Ident {
	if p.is(LBracket) {
		return p.parseBracketName()
	}
	t := p.tok()
	if t.Kind != Name {
		p.fail("expected a name %s, found %s", ctx, t.describe())
	}
	p.next()
	return &Ident{Span: Span{t.Pos, t.End}, Name: t.Text}
}

// parseVarName reads a name that later appears in expressions (let), so
// reserved words need brackets.
func (p *parser) parseVarName(ctx string) *Ident {
	if t := p.tok(); t.Kind == Name && reservedWords[t.Text] {
		p.fail("expected a name %s, found keyword '%s' (write ['%s'] to use it as a name)", ctx, t.Text, t.Text)
	}
	return p.parseName(ctx)
}

// parseDottedName reads a.b.c as one name (set options, hint.strategy).
func (p *parser) parseDottedName(ctx string) *Ident {
	id := p.parseName(ctx)
	for p.is(Dot) && p.peek(1).Kind == Name && p.adjacent(0) {
		p.next()
		t := p.next()
		id.Name += "." + t.Text
		id.To = t.End
	}
	return id
}

// tryAssignNames recognises the left side of Name = ..., ['Name'] = ...
// or (a, b) = ... and consumes it including '='; nil when absent.
func (p *parser) tryAssignNames() []*Ident {
	t := p.tok()
	switch {
	case t.Kind == Name && p.peek(1).Kind == Equal && (!reservedWords[t.Text] || assignableReserved[t.Text]) &&
		!(t.Text == "by" && p.inAggregates):
		p.next()
		p.next()
		return []*Ident{{Span: Span{t.Pos, t.End}, Name: t.Text}}
	case t.Kind == LBracket && p.peek(1).Kind == String && p.peek(2).Kind == RBracket && p.peek(3).Kind == Equal:
		id := p.parseBracketName()
		p.next()
		return []*Ident{id}
	case t.Kind == LParen:
		i := 1
		for {
			k := p.peek(i).Kind
			if k == Name {
				i++
			} else if k == LBracket && p.peek(i+1).Kind == String && p.peek(i+2).Kind == RBracket {
				i += 3
			} else {
				return nil
			}
			if p.peek(i).Kind == Comma {
				i++
				continue
			}
			if p.peek(i).Kind == RParen && p.peek(i+1).Kind == Equal {
				break
			}
			return nil
		}
		p.next()
		var names []*Ident
		for !p.is(RParen) {
			names = append(names, p.parseName("in the assignment list"))
			p.accept(Comma)
		}
		p.next()
		p.next()
		return names
	}
	return nil
}

// parseNamedExpr reads [Name =] Expr as used by extend, project, summarize.
func (p *parser) parseNamedExpr() Expr {
	start := p.tok().Pos
	if names := p.tryAssignNames(); names != nil {
		v := p.parseExpr()
		return &Assign{Span: Span{start, v.End()}, Names: names, Value: v}
	}
	return p.parseExpr()
}

// parseNamedExprList reads a comma-separated list of [Name =] Expr.
func (p *parser) parseNamedExprList() []Expr {
	var list []Expr
	for {
		list = append(list, p.parseNamedExpr())
		if !p.accept(Comma) {
			return list
		}
	}
}

// parseExprList reads a comma-separated list of expressions.
func (p *parser) parseExprList() []Expr {
	var list []Expr
	for {
		list = append(list, p.parseExpr())
		if !p.accept(Comma) {
			return list
		}
	}
}
