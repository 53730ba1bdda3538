package pattern

import (
	"strings"
	"unicode/utf8"
)

// lexer splits a pattern into tokens on demand. It follows the lexical
// rules of the STIX 2.1 grammar: upper-case keywords, single-quoted
// strings with only \' and \\ escapes, typed literals t'...', h'...' and b'...', and
// Unicode whitespace and C-style comments skipped.
type lexer struct {
	src string
	pos int
	v20 bool // STIX 2.0: base64 without padding is tolerated
}

// err reports malformed input at byte offset pos.
func (l *lexer) err(pos int, class ErrorClass, msg string) *Error {
	return newError(l.src, pos, class, "", "", msg)
}

// isSpace reports the whitespace set of the STIX grammar.
func isSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\r', '\n', '\v', '\f', 0x85, 0xa0, 0x1680,
		0x2028, 0x2029, 0x202f, 0x205f, 0x3000:
		return true
	}
	return r >= 0x2000 && r <= 0x200a
}

func isIdentStart(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

func isIdentPart(c byte) bool {
	return isIdentStart(c) || (c >= '0' && c <= '9') || c == '-'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// skip passes over whitespace and comments.
func (l *lexer) skip() *Error {
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		if c == '/' && l.pos+1 < len(l.src) {
			switch l.src[l.pos+1] {
			case '*':
				end := strings.Index(l.src[l.pos+2:], "*/")
				if end < 0 {
					return l.err(l.pos, ClassLexical, "unterminated /* comment")
				}
				l.pos += 2 + end + 2
				continue
			case '/':
				end := strings.IndexAny(l.src[l.pos:], "\r\n")
				if end < 0 {
					l.pos = len(l.src)
				} else {
					l.pos += end
				}
				continue
			}
		}
		r, n := utf8.DecodeRuneInString(l.src[l.pos:])
		if !isSpace(r) {
			return nil
		}
		l.pos += n
	}
	return nil
}

// next returns the next token.
func (l *lexer) next() (token, *Error) {
	if e := l.skip(); e != nil {
		return token{}, e
	}
	start := l.pos
	if start >= len(l.src) {
		return token{kind: tEOF, pos: start}, nil
	}
	c := l.src[start]
	tok := func(k tokKind, n int) (token, *Error) {
		l.pos += n
		return token{kind: k, pos: start, text: l.src[start:l.pos]}, nil
	}
	peek := byte(0)
	if start+1 < len(l.src) {
		peek = l.src[start+1]
	}
	switch c {
	case '(':
		return tok(tLParen, 1)
	case ')':
		return tok(tRParen, 1)
	case '[':
		return tok(tLBrack, 1)
	case ']':
		return tok(tRBrack, 1)
	case ',':
		return tok(tComma, 1)
	case ':':
		return tok(tColon, 1)
	case '*':
		return tok(tStar, 1)
	case '=':
		if peek == '=' {
			return tok(tEq, 2)
		}
		return tok(tEq, 1)
	case '!':
		if peek == '=' {
			return tok(tNeq, 2)
		}
		return token{}, l.err(start, ClassLexical, "unexpected '!' (did you mean '!='?)")
	case '<':
		switch peek {
		case '=':
			return tok(tLe, 2)
		case '>':
			return tok(tNeq, 2)
		}
		return tok(tLt, 1)
	case '>':
		if peek == '=' {
			return tok(tGe, 2)
		}
		return tok(tGt, 1)
	case '\'':
		return l.lexString(start)
	case '"':
		return token{}, l.err(start, ClassLexical, "double quotes are not string delimiters; use single quotes")
	case '.':
		if isDigit(peek) {
			return l.lexNumber(start)
		}
		return tok(tDot, 1)
	case '+', '-':
		if isDigit(peek) || (peek == '.' && start+2 < len(l.src) && isDigit(l.src[start+2])) {
			return l.lexNumber(start)
		}
		return token{}, l.err(start, ClassLexical, "unexpected '"+string(c)+"' (a sign must be followed by a number)")
	}
	if isDigit(c) {
		return l.lexNumber(start)
	}
	if isIdentStart(c) {
		if peek == '\'' && (c == 't' || c == 'h' || c == 'b') {
			return l.lexTyped(start, c)
		}
		end := start + 1
		hyphen := false
		for end < len(l.src) && isIdentPart(l.src[end]) {
			if l.src[end] == '-' {
				hyphen = true
			}
			end++
		}
		l.pos = end
		text := l.src[start:end]
		t := token{kind: tIdent, pos: start, text: text, hyphen: hyphen}
		if k, ok := keywords[text]; ok {
			t.kind = k
		} else if text == "true" || text == "false" {
			t.kind = tBool
		}
		return t, nil
	}
	r, _ := utf8.DecodeRuneInString(l.src[start:])
	return token{}, l.err(start, ClassLexical, "unexpected character "+quoteRune(r))
}

func quoteRune(r rune) string {
	if r == utf8.RuneError {
		return "(invalid UTF-8)"
	}
	return "'" + string(r) + "'"
}

// lexString reads a single-quoted string and decodes its escapes.
func (l *lexer) lexString(start int) (token, *Error) {
	body, end, e := l.scanQuoted(start + 1)
	if e != nil {
		return token{}, e
	}
	l.pos = end
	return token{kind: tString, pos: start, text: l.src[start:end], val: body}, nil
}

// scanQuoted decodes a quoted body starting just after the opening quote.
// It returns the decoded text and the offset after the closing quote.
func (l *lexer) scanQuoted(i int) (string, int, *Error) {
	var b strings.Builder
	from := i
	for i < len(l.src) {
		switch l.src[i] {
		case '\'':
			if b.Len() == 0 {
				return l.src[from:i], i + 1, nil
			}
			b.WriteString(l.src[from:i])
			return b.String(), i + 1, nil
		case '\\':
			if i+1 < len(l.src) && (l.src[i+1] == '\'' || l.src[i+1] == '\\') {
				b.WriteString(l.src[from:i])
				b.WriteByte(l.src[i+1])
				i += 2
				from = i
				continue
			}
			return "", 0, l.err(i, ClassLexical, `invalid escape in string: only \' and \\ are allowed (a regex needs its backslashes doubled)`)
		}
		i++
	}
	return "", 0, l.err(i, ClassLexical, "unterminated string")
}

// lexNumber reads an integer or float with an optional sign.
func (l *lexer) lexNumber(start int) (token, *Error) {
	i := start
	if l.src[i] == '+' || l.src[i] == '-' {
		i++
	}
	digits := i
	for i < len(l.src) && isDigit(l.src[i]) {
		i++
	}
	intPart := l.src[digits:i]
	kind := tInt
	if i < len(l.src) && l.src[i] == '.' && i+1 < len(l.src) && isDigit(l.src[i+1]) {
		kind = tFloat
		i++
		for i < len(l.src) && isDigit(l.src[i]) {
			i++
		}
	} else if len(intPart) > 1 && intPart[0] == '0' {
		return token{}, l.err(start, ClassLiteral, "integer with a leading zero: "+quoteShort(l.src[start:i]))
	}
	l.pos = i
	return token{kind: kind, pos: start, text: l.src[start:i]}, nil
}

// lexTyped reads t'...', h'...' or b'...' and checks the body's form.
func (l *lexer) lexTyped(start int, prefix byte) (token, *Error) {
	body, end, e := l.scanQuoted(start + 2)
	if e != nil {
		return token{}, e
	}
	if strings.ContainsRune(l.src[start+2:end-1], '\\') {
		return token{}, l.err(start, ClassLiteral, "escapes are not allowed in typed literals")
	}
	l.pos = end
	t := token{pos: start, text: l.src[start:end], val: body}
	switch prefix {
	case 't':
		t.kind = tTimestamp
		if msg := checkTimestamp(body); msg != "" {
			return token{}, l.err(start, ClassLiteral, "bad timestamp literal "+quoteShort(t.text)+": "+msg)
		}
	case 'h':
		t.kind = tHex
		if msg := checkHex(body); msg != "" {
			return token{}, l.err(start, ClassLiteral, "bad hex literal "+quoteShort(t.text)+": "+msg)
		}
	case 'b':
		t.kind = tBinary
		if msg := checkBase64(body, l.v20); msg != "" {
			return token{}, l.err(start, ClassLiteral, "bad binary literal "+quoteShort(t.text)+": "+msg)
		}
	}
	return t, nil
}
