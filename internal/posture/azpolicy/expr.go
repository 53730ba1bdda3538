package azpolicy

import (
	"fmt"
	"strconv"
	"strings"
)

// The template expression language: a JSON string "[...]" holds one
// expression made of literals ('text', 12, -2.5), function calls, property
// access (.name) and indexing ([expr]). "[[" at the start escapes a literal
// bracket.

type expr interface{ String() string }

type litExpr struct{ v any }

type callExpr struct {
	name string // lower-case function name
	raw  string // name as written, for messages
	args []expr
}

type propExpr struct {
	x    expr
	name string
}

type indexExpr struct{ x, index expr }

func (e litExpr) String() string {
	if s, ok := e.v.(string); ok {
		return "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	return toJSON(e.v)
}

func (e callExpr) String() string {
	parts := make([]string, len(e.args))
	for i, a := range e.args {
		parts[i] = a.String()
	}
	return e.raw + "(" + strings.Join(parts, ", ") + ")"
}

func (e propExpr) String() string  { return e.x.String() + "." + e.name }
func (e indexExpr) String() string { return e.x.String() + "[" + e.index.String() + "]" }

// maxExprDepth bounds nesting so hostile input cannot exhaust the stack.
const maxExprDepth = 256

// template is a JSON string that is either a literal or an expression.
type template struct {
	raw  string
	lit  string // literal value when e is nil
	expr expr
}

func (t template) isExpr() bool { return t.expr != nil }

// parseTemplate classifies s and parses its expression, if any.
func parseTemplate(s string) (template, error) {
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' {
		return template{raw: s, lit: s}, nil
	}
	if s[1] == '[' {
		return template{raw: s, lit: s[1:]}, nil
	}
	e, err := parseExpr(s[1 : len(s)-1])
	if err != nil {
		return template{}, fmt.Errorf("expression %q: %w", s, err)
	}
	return template{raw: s, expr: e}, nil
}

// isExprString reports whether s would be evaluated as an expression.
func isExprString(s string) bool {
	return len(s) >= 2 && s[0] == '[' && s[len(s)-1] == ']' && s[1] != '['
}

type exprParser struct {
	src   string
	pos   int
	depth int
}

func parseExpr(src string) (expr, error) {
	p := &exprParser{src: src}
	e, err := p.parseValue()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos != len(p.src) {
		return nil, p.errorf("unexpected %q", p.src[p.pos:])
	}
	return e, nil
}

func (p *exprParser) errorf(format string, args ...any) error {
	return fmt.Errorf("at offset %d: %s", p.pos, fmt.Sprintf(format, args...))
}

func (p *exprParser) skipSpace() {
	for p.pos < len(p.src) && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t' || p.src[p.pos] == '\n' || p.src[p.pos] == '\r') {
		p.pos++
	}
}

func (p *exprParser) peek() byte {
	p.skipSpace()
	if p.pos < len(p.src) {
		return p.src[p.pos]
	}
	return 0
}

// parseValue parses a primary expression followed by .prop and [index].
func (p *exprParser) parseValue() (expr, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxExprDepth {
		return nil, p.errorf("expression nested too deeply")
	}
	e, err := p.parsePrimary()
	if err != nil {
		return nil, err
	}
	for {
		switch p.peek() {
		case '.':
			p.pos++
			p.skipSpace()
			name := p.ident()
			if name == "" {
				return nil, p.errorf("expected a property name after '.'")
			}
			e = propExpr{x: e, name: name}
		case '[':
			p.pos++
			idx, err := p.parseValue()
			if err != nil {
				return nil, err
			}
			if p.peek() != ']' {
				return nil, p.errorf("expected ']'")
			}
			p.pos++
			e = indexExpr{x: e, index: idx}
		default:
			return e, nil
		}
	}
}

func (p *exprParser) parsePrimary() (expr, error) {
	c := p.peek()
	switch {
	case c == 0:
		return nil, p.errorf("unexpected end of expression")
	case c == '\'':
		return p.stringLit()
	case c == '-' || (c >= '0' && c <= '9'):
		return p.numberLit()
	case isIdentStart(c):
		name := p.ident()
		if p.peek() != '(' {
			return nil, p.errorf("expected '(' after %q", name)
		}
		p.pos++
		call := callExpr{name: strings.ToLower(name), raw: name}
		if p.peek() == ')' {
			p.pos++
			return call, nil
		}
		for {
			arg, err := p.parseValue()
			if err != nil {
				return nil, err
			}
			call.args = append(call.args, arg)
			switch p.peek() {
			case ',':
				p.pos++
			case ')':
				p.pos++
				return call, nil
			default:
				return nil, p.errorf("expected ',' or ')' in call to %s", name)
			}
		}
	}
	return nil, p.errorf("unexpected %q", string(c))
}

func isIdentStart(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

func (p *exprParser) ident() string {
	start := p.pos
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if !isIdentStart(c) && !(c >= '0' && c <= '9') && !(c == '$' && p.pos > start) {
			break
		}
		p.pos++
	}
	return p.src[start:p.pos]
}

func (p *exprParser) stringLit() (expr, error) {
	p.pos++ // opening quote
	var b strings.Builder
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if c == '\'' {
			if p.pos+1 < len(p.src) && p.src[p.pos+1] == '\'' {
				b.WriteByte('\'')
				p.pos += 2
				continue
			}
			p.pos++
			return litExpr{v: b.String()}, nil
		}
		b.WriteByte(c)
		p.pos++
	}
	return nil, p.errorf("unterminated string literal")
}

func (p *exprParser) numberLit() (expr, error) {
	start := p.pos
	if p.src[p.pos] == '-' {
		p.pos++
	}
	digits := p.pos
	for p.pos < len(p.src) && p.src[p.pos] >= '0' && p.src[p.pos] <= '9' {
		p.pos++
	}
	if p.pos == digits {
		return nil, p.errorf("expected a number")
	}
	isFloat := false
	if p.pos < len(p.src) && p.src[p.pos] == '.' {
		isFloat = true
		p.pos++
		frac := p.pos
		for p.pos < len(p.src) && p.src[p.pos] >= '0' && p.src[p.pos] <= '9' {
			p.pos++
		}
		if p.pos == frac {
			return nil, p.errorf("expected digits after '.'")
		}
	}
	text := p.src[start:p.pos]
	if !isFloat {
		if i, err := strconv.ParseInt(text, 10, 64); err == nil {
			return litExpr{v: i}, nil
		}
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return nil, p.errorf("bad number %q", text)
	}
	return litExpr{v: f}, nil
}

// walkExpr calls fn for e and every sub-expression.
func walkExpr(e expr, fn func(expr)) {
	if e == nil {
		return
	}
	fn(e)
	switch x := e.(type) {
	case callExpr:
		for _, a := range x.args {
			walkExpr(a, fn)
		}
	case propExpr:
		walkExpr(x.x, fn)
	case indexExpr:
		walkExpr(x.x, fn)
		walkExpr(x.index, fn)
	}
}
