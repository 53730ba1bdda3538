package pattern

import (
	"math"
	"strconv"
	"time"
	"unicode/utf8"
)

// Parse parses a STIX 2.1 pattern with the default limits.
func Parse(src string) (*Pattern, error) {
	return ParseOptions(src, Options{})
}

// ParseVersion parses with the grammar of an indicator's spec_version
// ("2.0" or "2.1"; anything else means 2.1).
func ParseVersion(src, specVersion string) (*Pattern, error) {
	return ParseOptions(src, Options{Version: VersionOf(specVersion)})
}

// ParseOptions parses src. A failure is always an *Error.
func ParseOptions(src string, opt Options) (*Pattern, error) {
	opt.Limits = opt.Limits.withDefaults()
	if len(src) > opt.Limits.MaxLength {
		return nil, newError(src, 0, ClassLimit, "", "", "pattern longer than "+strconv.Itoa(opt.Limits.MaxLength)+" bytes")
	}
	if !utf8.ValidString(src) {
		i := 0
		for i < len(src) {
			r, n := utf8.DecodeRuneInString(src[i:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			i += n
		}
		return nil, newError(src, i, ClassLexical, "", "", "invalid UTF-8")
	}
	p := &parser{src: src, opt: opt, lex: lexer{src: src, v20: opt.Version == V20}}
	root, err := p.parse()
	if err != nil {
		return nil, err
	}
	pat := &Pattern{Root: root, Version: opt.Version, Source: src}
	compile(pat, opt.Limits)
	return pat, nil
}

type parser struct {
	src   string
	opt   Options
	lex   lexer
	tok   token
	depth int
	nCmp  int
	nObs  int
}

func (p *parser) parse() (ObsExpr, *Error) {
	if e := p.advance(); e != nil {
		return nil, e
	}
	root, e := p.obsFollowedBy()
	if e != nil {
		return nil, e
	}
	if p.tok.kind != tEOF {
		return nil, p.expected("AND, OR, FOLLOWEDBY, a qualifier or end of pattern")
	}
	return root, nil
}

func (p *parser) advance() *Error {
	t, e := p.lex.next()
	if e != nil {
		return e
	}
	p.tok = t
	return nil
}

func (p *parser) expected(what string) *Error {
	return newError(p.src, p.tok.pos, ClassSyntax, what, p.tok.describe(), "")
}

func (p *parser) fail(pos int, class ErrorClass, msg string) *Error {
	return newError(p.src, pos, class, "", "", msg)
}

// expect consumes a token of kind k or reports what was expected.
func (p *parser) expect(k tokKind, what string) *Error {
	if p.tok.kind != k {
		return p.expected(what)
	}
	return p.advance()
}

func (p *parser) enter() *Error {
	p.depth++
	if p.depth > p.opt.Limits.MaxDepth {
		return p.fail(p.tok.pos, ClassLimit, "nesting deeper than "+strconv.Itoa(p.opt.Limits.MaxDepth))
	}
	return nil
}

// obsFollowedBy := obsOr { FOLLOWEDBY obsOr }
func (p *parser) obsFollowedBy() (ObsExpr, *Error) {
	return p.obsChain(ObsFollowedBy, tFollowedBy, p.obsOr)
}

// obsOr := obsAnd { OR obsAnd }
func (p *parser) obsOr() (ObsExpr, *Error) {
	return p.obsChain(ObsOr, tOr, p.obsAnd)
}

// obsAnd := obsQualified { AND obsQualified }
func (p *parser) obsAnd() (ObsExpr, *Error) {
	return p.obsChain(ObsAnd, tAnd, p.obsQualified)
}

// obsChain parses operands joined by one operator into a flat group.
func (p *parser) obsChain(op ObsOp, k tokKind, operand func() (ObsExpr, *Error)) (ObsExpr, *Error) {
	first, e := operand()
	if e != nil {
		return nil, e
	}
	if p.tok.kind != k {
		return first, nil
	}
	g := &ObsGroup{Op: op}
	g.Operands = appendObs(g.Operands, op, first)
	for p.tok.kind == k {
		if e := p.advance(); e != nil {
			return nil, e
		}
		next, e := operand()
		if e != nil {
			return nil, e
		}
		g.Operands = appendObs(g.Operands, op, next)
	}
	return g, nil
}

// appendObs flattens a parenthesised group of the same operator; all
// three operators are associative under our semantics.
func appendObs(list []ObsExpr, op ObsOp, x ObsExpr) []ObsExpr {
	if g, ok := x.(*ObsGroup); ok && g.Op == op {
		return append(list, g.Operands...)
	}
	return append(list, x)
}

// obsQualified := obsAtom { qualifier }
func (p *parser) obsQualified() (ObsExpr, *Error) {
	atom, e := p.obsAtom()
	if e != nil {
		return nil, e
	}
	var quals []Qualifier
	for p.tok.kind == tWithin || p.tok.kind == tRepeats || p.tok.kind == tStart {
		q, e := p.qualifier()
		if e != nil {
			return nil, e
		}
		if n := len(quals); n > 0 && quals[n-1].Kind == q.Kind {
			return nil, p.fail(q.Offset, ClassRule, "the same qualifier twice in a row")
		}
		quals = append(quals, q)
	}
	if quals == nil {
		return atom, nil
	}
	return &ObsQualified{Expr: atom, Qualifiers: quals}, nil
}

// obsAtom := "[" cmpOr "]" | "(" obsFollowedBy ")"
func (p *parser) obsAtom() (ObsExpr, *Error) {
	switch p.tok.kind {
	case tLBrack:
		pos := p.tok.pos
		if e := p.enter(); e != nil {
			return nil, e
		}
		p.nObs++
		if p.nObs > p.opt.Limits.MaxObservations {
			return nil, p.fail(pos, ClassLimit, "more than "+strconv.Itoa(p.opt.Limits.MaxObservations)+" observation expressions")
		}
		if e := p.advance(); e != nil {
			return nil, e
		}
		if p.tok.kind == tRBrack {
			return nil, p.expected("a comparison expression (empty observation)")
		}
		c, e := p.cmpOr()
		if e != nil {
			return nil, e
		}
		if e := p.expect(tRBrack, "AND, OR or ']'"); e != nil {
			return nil, e
		}
		p.depth--
		return &ObsBracket{Expr: c, Offset: pos}, nil
	case tLParen:
		if e := p.enter(); e != nil {
			return nil, e
		}
		if e := p.advance(); e != nil {
			return nil, e
		}
		x, e := p.obsFollowedBy()
		if e != nil {
			return nil, e
		}
		if e := p.expect(tRParen, "AND, OR, FOLLOWEDBY, a qualifier or ')'"); e != nil {
			return nil, e
		}
		p.depth--
		return x, nil
	}
	return nil, p.expected("'[' or '(' to start an observation expression")
}

// qualifier := WITHIN num SECONDS | REPEATS int TIMES | START ts STOP ts
func (p *parser) qualifier() (Qualifier, *Error) {
	q := Qualifier{Offset: p.tok.pos}
	kw := p.tok.kind
	if e := p.advance(); e != nil {
		return q, e
	}
	switch kw {
	case tWithin:
		q.Kind = QualWithin
		if !isPositiveNumber(p.tok, true) {
			return q, p.expected("a positive number of seconds after WITHIN")
		}
		f, _ := strconv.ParseFloat(p.tok.text, 64) // lexed digits: only range errors, which saturate
		if !(f > 0) {
			return q, p.fail(p.tok.pos, ClassRule, "WITHIN needs a positive number of seconds")
		}
		q.Seconds, q.Raw = f, p.tok.text
		q.Window = secondsToDuration(f)
		if e := p.advance(); e != nil {
			return q, e
		}
		return q, p.expect(tSeconds, "SECONDS after the WITHIN number")
	case tRepeats:
		q.Kind = QualRepeats
		if !isPositiveNumber(p.tok, false) {
			return q, p.expected("a positive integer after REPEATS")
		}
		n, err := strconv.ParseInt(p.tok.text, 10, 64)
		if err == nil && n <= 0 {
			return q, p.fail(p.tok.pos, ClassRule, "REPEATS needs a positive integer")
		}
		if err != nil || n > int64(p.opt.Limits.MaxRepeats) {
			return q, p.fail(p.tok.pos, ClassLimit, "REPEATS count above the limit of "+strconv.Itoa(p.opt.Limits.MaxRepeats))
		}
		q.Times, q.Raw = int(n), p.tok.text
		if e := p.advance(); e != nil {
			return q, e
		}
		return q, p.expect(tTimes, "TIMES after the REPEATS number")
	default: // tStart
		q.Kind = QualStartStop
		start, e := p.qualTimestamp("START")
		if e != nil {
			return q, e
		}
		startRaw := p.tok.text
		if e := p.advance(); e != nil {
			return q, e
		}
		if e := p.expect(tStop, "STOP after the START timestamp"); e != nil {
			return q, e
		}
		stop, e := p.qualTimestamp("STOP")
		if e != nil {
			return q, e
		}
		if !start.Before(stop) {
			return q, p.fail(p.tok.pos, ClassRule, "STOP must be later than START")
		}
		q.Start, q.Stop, q.Raw = start, stop, startRaw+" STOP "+p.tok.text
		return q, p.advance()
	}
}

// isPositiveNumber accepts the grammar's IntPosLiteral (and, with
// float, FloatPosLiteral): a number token without a minus sign.
func isPositiveNumber(t token, float bool) bool {
	ok := t.kind == tInt || (float && t.kind == tFloat)
	return ok && t.text[0] != '-'
}

// qualTimestamp reads the timestamp after START or STOP without consuming
// it. STIX 2.0 wrote these as plain strings; 2.0 mode accepts both forms.
func (p *parser) qualTimestamp(after string) (t time.Time, e *Error) {
	switch {
	case p.tok.kind == tTimestamp:
		ts, _ := parseTimestamp(p.tok.val)
		return ts, nil
	case p.tok.kind == tString && p.opt.Version == V20:
		ts, msg := parseTimestamp(p.tok.val)
		if msg != "" {
			return ts, p.fail(p.tok.pos, ClassLiteral, "bad timestamp after "+after+": "+msg)
		}
		return ts, nil
	case p.tok.kind == tString:
		return t, p.expected("a timestamp literal t'...' after " + after + " (plain strings were STIX 2.0)")
	}
	return t, p.expected("a timestamp literal t'...' after " + after)
}

// secondsToDuration converts WITHIN seconds, saturating instead of
// overflowing.
func secondsToDuration(f float64) time.Duration {
	ns := f * 1e9
	if ns >= math.MaxInt64 || math.IsInf(ns, 1) {
		return math.MaxInt64
	}
	if ns < 1 {
		return 1
	}
	return time.Duration(ns)
}
