package syntax

import (
	"fmt"
	"sort"
)

// maxDepth bounds recursion (each parenthesis, call or sub-query costs two
// or three levels) so hostile input cannot exhaust the stack; Kusto itself
// rejects very deep nesting.
const maxDepth = 1000

// maxErrors stops reporting after this many errors; the rest are noise.
const maxErrors = 50

// Parse parses a KQL query: statements separated by ';', ending with the
// query expression. It never panics and always returns a tree (possibly
// partial); errors come in source order. After an error the parser resumes
// at the next '|' or ';' of the outer level, so one query can report several.
func Parse(src string) (q *Query, errs []*Error) {
	q = &Query{Src: src, Span: Span{0, Pos(len(src))}}
	var lexErrs []*Error
	p := &parser{src: src}
	defer func() {
		if r := recover(); r != nil {
			// A bailout is already reported (guard normally stops it first);
			// anything else is a parser bug, which must not take the caller
			// down: report it as an error.
			if _, ok := r.(bailout); !ok {
				at := Pos(0)
				if p.p < len(p.toks) {
					at = p.tok().Pos
				}
				p.errs = append(p.errs, newError(src, at, "internal parser error: %v", r))
			}
		}
		errs = mergeErrors(lexErrs, p.errs)
	}()
	p.toks, lexErrs = Lex(src)
	q.Stmts = p.parseStatements(EOF)
	return q, errs
}

// ParseExpr parses a single expression (scalar or tabular), as used by
// callers that hold a fragment such as a rule's filter. The expression may
// be nil when errors are returned.
func ParseExpr(src string) (x Expr, errs []*Error) {
	var lexErrs []*Error
	p := &parser{src: src}
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(bailout); !ok {
				at := Pos(0)
				if p.p < len(p.toks) {
					at = p.tok().Pos
				}
				p.errs = append(p.errs, newError(src, at, "internal parser error: %v", r))
			}
		}
		errs = mergeErrors(lexErrs, p.errs)
	}()
	p.toks, lexErrs = Lex(src)
	x = p.parsePipeExpr(false)
	if !p.is(EOF) {
		p.fail("expected end of expression, found %s", p.tok().describe())
	}
	return x, nil // the deferred function fills errs
}

func mergeErrors(a, b []*Error) []*Error {
	all := append(append([]*Error(nil), a...), b...)
	sort.SliceStable(all, func(i, j int) bool { return all[i].Offset < all[j].Offset })
	// Drop errors at the same offset as an earlier one: the first says it.
	out := all[:0]
	for i, e := range all {
		if i > 0 && e.Offset == all[i-1].Offset {
			continue
		}
		out = append(out, e)
	}
	if len(out) > maxErrors {
		out = out[:maxErrors]
	}
	return out
}

// bailout unwinds the parser to the nearest recovery point after an error.
type bailout struct{}

type parser struct {
	src   string
	toks  []Token
	p     int // index of the current token
	errs  []*Error
	depth int
	// inAggregates is set in summarize's aggregate list, where "by" ends the list.
	inAggregates bool
}

func (p *parser) tok() Token { return p.toks[p.p] }

// peek returns the token n positions ahead (EOF past the end).
func (p *parser) peek(n int) Token {
	if p.p+n < len(p.toks) {
		return p.toks[p.p+n]
	}
	return p.toks[len(p.toks)-1]
}

func (p *parser) next() Token {
	t := p.toks[p.p]
	if t.Kind != EOF {
		p.p++
	}
	return t
}

// prevEnd is the end offset of the last consumed token.
func (p *parser) prevEnd() Pos {
	if p.p == 0 {
		return 0
	}
	return p.toks[p.p-1].End
}

func (p *parser) is(k Kind) bool { return p.toks[p.p].Kind == k }

func (p *parser) isWord(w string) bool {
	t := p.toks[p.p]
	return t.Kind == Name && t.Text == w
}

func (p *parser) peekWord(n int, w string) bool {
	t := p.peek(n)
	return t.Kind == Name && t.Text == w
}

func (p *parser) accept(k Kind) bool {
	if p.is(k) {
		p.next()
		return true
	}
	return false
}

func (p *parser) acceptWord(w string) bool {
	if p.isWord(w) {
		p.next()
		return true
	}
	return false
}

// adjacent reports whether tokens i and i+1 ahead touch (no space between),
// which distinguishes project-away from project - away and in~ from in ~.
func (p *parser) adjacent(n int) bool {
	return p.peek(n).End == p.peek(n+1).Pos && p.peek(n+1).Kind != EOF
}

// fail records an error at the current token and unwinds.
func (p *parser) fail(format string, args ...any) {
	p.failAt(p.tok(), format, args...)
}

func (p *parser) failAt(t Token, format string, args ...any) {
	// The lexer has already reported an Illegal token; say nothing more.
	if t.Kind != Illegal && len(p.errs) < maxErrors {
		p.errs = append(p.errs, newError(p.src, t.Pos, format, args...))
	}
	panic(bailout{})
}

// expect consumes a token of kind k or fails with "expected 'k' <ctx>, found ...".
func (p *parser) expect(k Kind, ctx string) Token {
	if !p.is(k) {
		p.fail("expected '%s' %s, found %s", k, ctx, p.tok().describe())
	}
	return p.next()
}

func (p *parser) expectWord(w, ctx string) Token {
	if !p.isWord(w) {
		p.fail("expected '%s' %s, found %s", w, ctx, p.tok().describe())
	}
	return p.next()
}

// enter guards recursion depth; pair with defer p.leave().
func (p *parser) enter() {
	p.depth++
	if p.depth > maxDepth {
		p.fail("query is nested too deeply (more than %d levels)", maxDepth)
	}
}

func (p *parser) leave() { p.depth-- }

// syncTo skips tokens until one of kinds at bracket depth d, a bracket
// that closes level d, or EOF.
func (p *parser) syncTo(d int, kinds ...Kind) {
	for !p.is(EOF) {
		t := p.tok()
		if t.Depth < d || t.Depth == d && isKind(t.Kind, kinds) {
			return
		}
		p.next()
	}
}

// guard runs f, turning a bailout into a resynchronisation at depth d on
// one of kinds. It reports whether f completed.
func (p *parser) guard(d int, f func(), kinds ...Kind) (ok bool) {
	start := p.p
	defer func() {
		if r := recover(); r != nil {
			if _, isBail := r.(bailout); !isBail {
				panic(r)
			}
			if len(p.errs) >= maxErrors {
				p.p = len(p.toks) - 1
				return
			}
			if p.p == start && !p.is(EOF) && !isKind(p.tok().Kind, kinds) {
				p.next() // always make progress
			}
			p.syncTo(d, kinds...)
		}
	}()
	f()
	return true
}

func isKind(k Kind, ks []Kind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

// parseStatements reads statements until the closing kind (EOF or '}').
func (p *parser) parseStatements(closing Kind) []Stmt {
	var stmts []Stmt
	d := p.tok().Depth
	for !p.is(closing) && !p.is(EOF) {
		if p.is(Semi) {
			// Kusto rejects empty statements (;; or a leading ;).
			p.guard(d, func() { p.fail("expected a statement, found ';'") }, Semi)
			p.next()
			continue
		}
		var s Stmt
		top := closing == EOF
		p.guard(d, func() {
			s = p.parseStatement(top)
			if s != nil && !p.is(closing) && !p.is(EOF) && !p.is(Semi) {
				if name, _ := p.operatorWord(); operatorNames[name] {
					p.fail("expected '|' before '%s'", name)
				}
				p.fail("expected ';' or end of query after statement, found %s", p.tok().describe())
			}
		}, Semi)
		if s != nil {
			stmts = append(stmts, s)
		}
		p.accept(Semi)
		if p.tok().Depth < d {
			break // a bracket closed the enclosing level
		}
	}
	return stmts
}

func (p *parser) parseStatement(top bool) Stmt {
	t := p.tok()
	if t.Kind == Name {
		switch t.Text {
		case "let":
			switch p.peek(1).Kind {
			case Name, LBracket:
				return p.parseLet(top)
			case Equal, Semi, EOF:
				p.next()
				p.fail("expected a name after 'let', found %s", p.tok().describe())
			}
		case "set":
			if p.peek(1).Kind == Name {
				return p.parseSet()
			}
		case "declare":
			if p.peekWord(1, "query_parameters") {
				return p.parseDeclareParams()
			}
			if p.peekWord(1, "pattern") {
				return p.parsePattern()
			}
		case "alias":
			if p.peekWord(1, "database") {
				return p.parseAlias()
			}
		case "restrict":
			if p.peekWord(1, "access") {
				return p.parseRestrict()
			}
		}
	}
	if t.Kind == Dot && p.peek(1).Kind == Name {
		p.fail("management commands (.%s) are not KQL queries", p.peek(1).Text)
	}
	x := p.parsePipeExpr(top)
	return &ExprStmt{Span: Span{x.Pos(), x.End()}, X: x}
}

func (p *parser) parseLet(top bool) Stmt {
	start := p.next().Pos
	name := p.parseVarName("after 'let'")
	p.expect(Equal, fmt.Sprintf("after 'let %s'", name.Name))
	var v Expr
	switch {
	case p.isWord("view") && (p.peek(1).Kind == LParen):
		v = p.parseFuncDecl(true)
	case p.isLambdaStart():
		v = p.parseFuncDecl(false)
	default:
		v = p.parsePipeExpr(top)
	}
	return &LetStmt{Span: Span{start, v.End()}, Name: name, Value: v}
}

// isLambdaStart reports whether '(' opens a parameter list: () {, (x:T, (T:(*)...
func (p *parser) isLambdaStart() bool {
	if !p.is(LParen) {
		return false
	}
	if p.peek(1).Kind == RParen {
		return p.peek(2).Kind == LBrace
	}
	i := 1
	if p.peek(i).Kind == LBracket { // (['odd name']:string)
		i += 3
	} else if p.peek(i).Kind == Name {
		i++
	} else {
		return false
	}
	return p.peek(i).Kind == Colon
}

func (p *parser) parseFuncDecl(view bool) *FuncDecl {
	start := p.tok().Pos
	if view {
		p.next()
	}
	params := p.parseParamList("in the function's parameter list")
	body := p.parseBlock("function body")
	return &FuncDecl{Span: Span{start, body.End()}, View: view, Params: params, Body: body}
}

// parseBlock reads { statements } where the last is usually an expression.
func (p *parser) parseBlock(what string) *Block {
	lb := p.expect(LBrace, "to open the "+what)
	p.enter()
	defer p.leave()
	stmts := p.parseStatements(RBrace)
	rb := p.expect(RBrace, "to close the "+what)
	return &Block{Span: Span{lb.Pos, rb.End}, Stmts: stmts}
}

func (p *parser) parseSet() Stmt {
	start := p.next().Pos
	name := p.parseDottedName("after 'set'")
	s := &SetStmt{Name: name}
	if p.accept(Equal) {
		s.Value = p.parseUnary()
	}
	s.Span = Span{start, p.prevEnd()}
	return s
}

func (p *parser) parseDeclareParams() Stmt {
	start := p.next().Pos
	p.next() // query_parameters
	params := p.parseParamList("in query_parameters")
	return &DeclareParamsStmt{Span: Span{start, p.prevEnd()}, Params: params}
}

func (p *parser) parseAlias() Stmt {
	start := p.next().Pos
	kind := p.next().Text
	name := p.parseName("after 'alias database'")
	p.expect(Equal, "after the alias name")
	v := p.parseUnary()
	return &AliasStmt{Span: Span{start, v.End()}, Kind: kind, Name: name, Value: v}
}

func (p *parser) parseRestrict() Stmt {
	start := p.next().Pos
	p.next() // access
	p.expectWord("to", "after 'restrict access'")
	p.expect(LParen, "after 'restrict access to'")
	var ents []Expr
	for !p.is(RParen) {
		ents = append(ents, p.parseEntityRef())
		if !p.accept(Comma) {
			break
		}
	}
	rp := p.expect(RParen, "after the restricted entities")
	return &RestrictStmt{Span: Span{start, rp.End}, Entities: ents}
}

func (p *parser) parsePattern() Stmt {
	start := p.next().Pos
	p.next() // pattern
	s := &PatternStmt{Name: p.parseName("after 'declare pattern'")}
	if p.accept(Equal) {
		s.Declared = true
		s.Params = p.parseParamList("in the pattern's parameters")
		if p.is(LBracket) {
			p.next()
			for !p.is(RBracket) {
				s.PathParams = append(s.PathParams, p.parseParam())
				if !p.accept(Comma) {
					break
				}
			}
			p.expect(RBracket, "after the pattern's path parameter")
		}
		p.expect(LBrace, "to open the pattern definition")
		for !p.is(RBrace) && !p.is(EOF) {
			if p.accept(Semi) {
				continue
			}
			s.Rules = append(s.Rules, p.parsePatternRule())
		}
		p.expect(RBrace, "to close the pattern definition")
	}
	s.Span = Span{start, p.prevEnd()}
	return s
}

func (p *parser) parsePatternRule() *PatternRule {
	lp := p.expect(LParen, "to start a pattern rule")
	r := &PatternRule{}
	for !p.is(RParen) {
		r.Args = append(r.Args, p.parseExpr())
		if !p.accept(Comma) {
			break
		}
	}
	p.expect(RParen, "after the pattern rule's arguments")
	if p.accept(Dot) {
		p.expect(LBracket, "before the pattern rule's path")
		r.Path = p.parseExpr()
		p.expect(RBracket, "after the pattern rule's path")
	}
	p.expect(Equal, "in the pattern rule")
	r.Body = p.parseBlock("pattern rule body")
	r.Span = Span{lp.Pos, r.Body.End()}
	return r
}
