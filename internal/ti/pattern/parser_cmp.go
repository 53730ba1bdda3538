package pattern

import (
	"errors"
	"strconv"
)

// This file parses what sits inside [ ... ]: comparison expressions,
// literals and object paths.

// cmpOr := cmpAnd { OR cmpAnd }
func (p *parser) cmpOr() (CmpExpr, *Error) {
	return p.cmpChain(BoolOr, tOr, p.cmpAnd)
}

// cmpAnd := cmpTest { AND cmpTest }
func (p *parser) cmpAnd() (CmpExpr, *Error) {
	return p.cmpChain(BoolAnd, tAnd, p.cmpTest)
}

func (p *parser) cmpChain(op BoolOp, k tokKind, operand func() (CmpExpr, *Error)) (CmpExpr, *Error) {
	first, e := operand()
	if e != nil {
		return nil, e
	}
	if p.tok.kind != k {
		return first, nil
	}
	g := &CmpGroup{Op: op}
	g.Operands = appendCmp(g.Operands, op, first)
	for p.tok.kind == k {
		if e := p.advance(); e != nil {
			return nil, e
		}
		next, e := operand()
		if e != nil {
			return nil, e
		}
		g.Operands = appendCmp(g.Operands, op, next)
	}
	return g, nil
}

func appendCmp(list []CmpExpr, op BoolOp, x CmpExpr) []CmpExpr {
	if g, ok := x.(*CmpGroup); ok && g.Op == op {
		return append(list, g.Operands...)
	}
	return append(list, x)
}

// cmpTest := "(" cmpOr ")" | [NOT] EXISTS path | path [NOT] op literal
func (p *parser) cmpTest() (CmpExpr, *Error) {
	pos := p.tok.pos
	switch p.tok.kind {
	case tLParen:
		if e := p.enter(); e != nil {
			return nil, e
		}
		if e := p.advance(); e != nil {
			return nil, e
		}
		x, e := p.cmpOr()
		if e != nil {
			return nil, e
		}
		if e := p.expect(tRParen, "AND, OR or ')'"); e != nil {
			return nil, e
		}
		p.depth--
		return x, nil
	case tNot, tExists:
		neg := p.tok.kind == tNot
		if neg {
			if e := p.advance(); e != nil {
				return nil, e
			}
			if p.tok.kind != tExists {
				return nil, p.expected("EXISTS after a leading NOT (other operators take NOT after the path)")
			}
		}
		if p.opt.Version == V20 {
			return nil, p.fail(p.tok.pos, ClassVersion, "EXISTS is STIX 2.1 only")
		}
		if e := p.advance(); e != nil {
			return nil, e
		}
		path, e := p.objectPath()
		if e != nil {
			return nil, e
		}
		return p.count(&Comparison{Path: path, Op: OpExists, Negated: neg, Offset: pos})
	case tIdent:
		path, e := p.objectPath()
		if e != nil {
			return nil, e
		}
		c := &Comparison{Path: path, Offset: pos}
		if p.tok.kind == tNot {
			c.Negated = true
			if e := p.advance(); e != nil {
				return nil, e
			}
		}
		if e := p.operatorAndValue(c); e != nil {
			return nil, e
		}
		return p.count(c)
	}
	return nil, p.expected("an object path, EXISTS or '('")
}

func (p *parser) count(c *Comparison) (CmpExpr, *Error) {
	p.nCmp++
	if p.nCmp > p.opt.Limits.MaxComparisons {
		return nil, p.fail(c.Offset, ClassLimit, "more than "+strconv.Itoa(p.opt.Limits.MaxComparisons)+" comparisons")
	}
	return c, nil
}

var cmpOps = map[tokKind]CmpOp{
	tEq: OpEq, tNeq: OpNeq, tLt: OpLt, tLe: OpLe, tGt: OpGt, tGe: OpGe,
	tIn: OpIn, tLike: OpLike, tMatches: OpMatches,
	tIsSubset: OpIsSubset, tIsSuperset: OpIsSuperset,
}

// operatorAndValue reads the operator and its right-hand side.
func (p *parser) operatorAndValue(c *Comparison) *Error {
	op, ok := cmpOps[p.tok.kind]
	if !ok {
		if c.Negated {
			return p.expected("a comparison operator after NOT")
		}
		return p.expected("comparison operator")
	}
	c.Op = op
	if e := p.advance(); e != nil {
		return e
	}
	switch op {
	case OpEq, OpNeq:
		v, e := p.literal(true, "a literal")
		c.Value = v
		return e
	case OpLt, OpLe, OpGt, OpGe:
		v, e := p.literal(false, "an orderable literal (number, string, timestamp, hex or binary)")
		c.Value = v
		return e
	case OpIn:
		return p.set(c)
	default: // LIKE, MATCHES, ISSUBSET, ISSUPERSET take a string
		if p.tok.kind != tString {
			return p.expected("a string after " + op.String())
		}
		c.Value = Literal{Kind: LitString, Raw: p.tok.text, Str: p.tok.val, Offset: p.tok.pos}
		return p.advance()
	}
}

// set := "(" [literal {"," literal}] ")"
func (p *parser) set(c *Comparison) *Error {
	if e := p.expect(tLParen, "'(' to open the IN set"); e != nil {
		return e
	}
	c.Set = []Literal{}
	if p.tok.kind == tRParen {
		return p.advance()
	}
	for {
		v, e := p.literal(true, "a literal in the IN set")
		if e != nil {
			return e
		}
		c.Set = append(c.Set, v)
		if len(c.Set) > p.opt.Limits.MaxSetSize {
			return p.fail(v.Offset, ClassLimit, "IN set larger than "+strconv.Itoa(p.opt.Limits.MaxSetSize))
		}
		if p.tok.kind == tRParen {
			return p.advance()
		}
		if e := p.expect(tComma, "',' or ')' in the IN set"); e != nil {
			return e
		}
	}
}

// literal reads one literal and advances; bools only where allowed.
func (p *parser) literal(allowBool bool, what string) (Literal, *Error) {
	t := p.tok
	l := Literal{Raw: t.text, Offset: t.pos}
	switch t.kind {
	case tString:
		l.Kind, l.Str = LitString, t.val
	case tInt:
		l.Kind = LitInt
		n, err := strconv.ParseInt(t.text, 10, 64)
		if errors.Is(err, strconv.ErrRange) {
			l.intOverflow = true
			l.Float, _ = strconv.ParseFloat(t.text, 64)
		} else {
			l.Int, l.Float = n, float64(n)
		}
	case tFloat:
		l.Kind = LitFloat
		l.Float, _ = strconv.ParseFloat(t.text, 64)
	case tBool:
		if !allowBool {
			return l, p.expected(what + "; booleans only work with = and !=")
		}
		l.Kind, l.Bool = LitBool, t.text == "true"
	case tTimestamp:
		l.Kind = LitTimestamp
		l.Time, _ = parseTimestamp(t.val)
	case tHex:
		l.Kind = LitHex
		l.Bytes = hexBytes(t.val)
	case tBinary:
		l.Kind = LitBinary
		l.Bytes, _ = decodeBase64(t.val, true)
	default:
		return l, p.expected(what)
	}
	return l, p.advance()
}

// objectPath := type ":" first { "." key | "[" index "]" }
func (p *parser) objectPath() (ObjectPath, *Error) {
	path := ObjectPath{Offset: p.tok.pos}
	if p.tok.kind != tIdent {
		return path, p.expected("an object type")
	}
	path.Type = p.tok.text
	if e := p.advance(); e != nil {
		return path, e
	}
	if e := p.expect(tColon, "':' between object type and property"); e != nil {
		return path, e
	}
	key, e := p.propertyName()
	if e != nil {
		return path, e
	}
	path.Steps = append(path.Steps, Step{Kind: StepKey, Key: key})
	for {
		switch p.tok.kind {
		case tDot:
			if e := p.advance(); e != nil {
				return path, e
			}
			key, e := p.propertyName()
			if e != nil {
				return path, e
			}
			path.Steps = append(path.Steps, Step{Kind: StepKey, Key: key})
		case tLBrack:
			if e := p.advance(); e != nil {
				return path, e
			}
			switch p.tok.kind {
			case tStar:
				path.Steps = append(path.Steps, Step{Kind: StepAny})
			case tInt:
				n, err := strconv.Atoi(p.tok.text)
				if err != nil {
					return path, p.fail(p.tok.pos, ClassLiteral, "list index out of range")
				}
				path.Steps = append(path.Steps, Step{Kind: StepIndex, Index: n})
			default:
				return path, p.expected("a list index (integer or '*')")
			}
			if e := p.advance(); e != nil {
				return path, e
			}
			if e := p.expect(tRBrack, "']' after the list index"); e != nil {
				return path, e
			}
		default:
			return path, nil
		}
	}
}

// propertyName reads an unhyphenated identifier or a quoted name.
func (p *parser) propertyName() (string, *Error) {
	t := p.tok
	switch {
	case t.kind == tString:
		return t.val, p.advance()
	case t.kind == tIdent && !t.hyphen:
		return t.text, p.advance()
	case t.kind == tIdent:
		return "", p.expected("a property name; names with '-' must be quoted, as in '" + t.text + "'")
	}
	return "", p.expected("a property name (identifier or quoted string)")
}
