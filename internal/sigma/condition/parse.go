package condition

import (
	"fmt"
	"strconv"
)

// Error is a condition syntax error at a byte offset.
type Error struct {
	Offset int
	Msg    string
}

func (e *Error) Error() string { return fmt.Sprintf("offset %d: %s", e.Offset, e.Msg) }

const maxDepth = 100

type tokKind uint8

const (
	tEOF tokKind = iota
	tLParen
	tRParen
	tAnd
	tOr
	tNot
	tOf
	tThem
	tAll
	tAny
	tNumber
	tIdent
)

type token struct {
	kind tokKind
	text string
	off  int
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '-' || c == '.' || c == '*' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func lex(s string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(':
			toks = append(toks, token{tLParen, "(", i})
			i++
		case c == ')':
			toks = append(toks, token{tRParen, ")", i})
			i++
		case c == '|':
			return nil, &Error{i, "the '|' aggregation syntax was removed from Sigma; use a correlation rule"}
		case isIdentByte(c):
			j := i
			for j < len(s) && isIdentByte(s[j]) {
				j++
			}
			w := s[i:j]
			k := tIdent
			switch w {
			case "and":
				k = tAnd
			case "or":
				k = tOr
			case "not":
				k = tNot
			case "of":
				k = tOf
			case "them":
				k = tThem
			case "all":
				k = tAll
			case "any":
				k = tAny
			case "near":
				return nil, &Error{i, "'near' is not supported by Sigma conditions"}
			default:
				if isDigits(w) {
					k = tNumber
				}
			}
			toks = append(toks, token{k, w, i})
			i = j
		default:
			return nil, &Error{i, fmt.Sprintf("unexpected character %q", c)}
		}
	}
	toks = append(toks, token{tEOF, "", len(s)})
	return toks, nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// Parse parses a condition. Precedence from loosest: or, and, not, `x of`, parentheses.
func Parse(s string) (Node, error) {
	toks, err := lex(s)
	if err != nil {
		return nil, err
	}
	p := &cparser{toks: toks}
	n, err := p.or(0)
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, &Error{t.off, fmt.Sprintf("unexpected %q after the end of the condition", t.text)}
	}
	return n, nil
}

type cparser struct {
	toks []token
	pos  int
}

func (p *cparser) peek() token { return p.toks[p.pos] }
func (p *cparser) next() token { t := p.toks[p.pos]; p.pos++; return t }

func (p *cparser) or(depth int) (Node, error) {
	first, err := p.and(depth)
	if err != nil {
		return nil, err
	}
	terms := []Node{first}
	for p.peek().kind == tOr {
		p.next()
		t, err := p.and(depth)
		if err != nil {
			return nil, err
		}
		terms = append(terms, t)
	}
	if len(terms) == 1 {
		return first, nil
	}
	return &Or{Terms: terms}, nil
}

func (p *cparser) and(depth int) (Node, error) {
	first, err := p.not(depth)
	if err != nil {
		return nil, err
	}
	terms := []Node{first}
	for p.peek().kind == tAnd {
		p.next()
		t, err := p.not(depth)
		if err != nil {
			return nil, err
		}
		terms = append(terms, t)
	}
	if len(terms) == 1 {
		return first, nil
	}
	return &And{Terms: terms}, nil
}

func (p *cparser) not(depth int) (Node, error) {
	if depth > maxDepth {
		return nil, &Error{p.peek().off, "condition nested too deeply"}
	}
	if p.peek().kind == tNot {
		p.next()
		x, err := p.not(depth + 1)
		if err != nil {
			return nil, err
		}
		return &Not{X: x}, nil
	}
	return p.primary(depth)
}

func (p *cparser) primary(depth int) (Node, error) {
	t := p.next()
	switch t.kind {
	case tLParen:
		n, err := p.or(depth + 1)
		if err != nil {
			return nil, err
		}
		if c := p.next(); c.kind != tRParen {
			return nil, &Error{c.off, fmt.Sprintf("expected ')' to close the '(' at offset %d, found %s", t.off, describe(c))}
		}
		return n, nil
	case tAll, tAny, tNumber:
		if p.peek().kind != tOf {
			if t.kind == tNumber {
				return &Ident{Name: t.text, Offset: t.off}, nil
			}
			return nil, &Error{p.peek().off, fmt.Sprintf("expected 'of' after %q", t.text)}
		}
		p.next()
		o := &Of{Offset: t.off, Count: 1}
		switch t.kind {
		case tAll:
			o.All = true
		case tNumber:
			n, err := strconv.Atoi(t.text)
			if err != nil || n < 1 || n > 1_000_000 {
				return nil, &Error{t.off, fmt.Sprintf("quantifier %q must be a positive number", t.text)}
			}
			o.Count = n
		}
		target := p.next()
		switch target.kind {
		case tThem:
			o.Them = true
		case tIdent, tNumber:
			o.Pattern = target.text
		default:
			return nil, &Error{target.off, fmt.Sprintf("expected 'them' or a search pattern after 'of', found %s", describe(target))}
		}
		return o, nil
	case tIdent:
		for i := 0; i < len(t.text); i++ {
			if t.text[i] == '*' {
				return nil, &Error{t.off, fmt.Sprintf("wildcard %q needs a quantifier: '1 of %s' or 'all of %s'", t.text, t.text, t.text)}
			}
		}
		return &Ident{Name: t.text, Offset: t.off}, nil
	}
	return nil, &Error{t.off, fmt.Sprintf("expected a search identifier, 'not', '(' or a quantifier, found %s", describe(t))}
}

func describe(t token) string {
	if t.kind == tEOF {
		return "the end of the condition"
	}
	return strconv.Quote(t.text)
}
