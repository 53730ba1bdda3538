package syntax

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Lex splits src into tokens, ending with EOF. Lexical errors are returned
// alongside; the offending text becomes an Illegal token so parsing can go on.
func Lex(src string) ([]Token, []*Error) {
	lx := &lexer{src: src}
	lx.run()
	return lx.toks, lx.errs
}

type lexer struct {
	src   string
	pos   int
	depth int
	toks  []Token
	errs  []*Error
}

// rawLitWords are the literal forms whose text inside the parentheses is
// not made of KQL tokens (datetime(2020-01-01 10:00), guid(8c1f-...)).
var rawLitWords = map[string]bool{"datetime": true, "date": true, "timespan": true, "time": true, "guid": true}

func (lx *lexer) errorf(pos int, format string, args ...any) {
	if len(lx.errs) < maxErrors { // garbage input must not cost quadratic time
		lx.errs = append(lx.errs, newError(lx.src, Pos(pos), format, args...))
	}
}

func (lx *lexer) emit(k Kind, start int, value string) {
	t := Token{Kind: k, Pos: Pos(start), End: Pos(lx.pos), Text: lx.src[start:lx.pos], Value: value, Depth: lx.depth}
	switch k {
	case LParen, LBracket, LBrace:
		lx.depth++
	case RParen, RBracket, RBrace:
		if lx.depth > 0 {
			lx.depth--
		}
		t.Depth = lx.depth
	}
	lx.toks = append(lx.toks, t)
}

func (lx *lexer) peekByte(off int) byte {
	if lx.pos+off < len(lx.src) {
		return lx.src[lx.pos+off]
	}
	return 0
}

func (lx *lexer) run() {
	for {
		lx.skipSpaceAndComments()
		if lx.pos >= len(lx.src) {
			lx.emit(EOF, lx.pos, "")
			return
		}
		lx.next()
	}
}

func (lx *lexer) skipSpaceAndComments() {
	for lx.pos < len(lx.src) {
		c := lx.src[lx.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			lx.pos++
		case c == '/' && lx.peekByte(1) == '/':
			for lx.pos < len(lx.src) && lx.src[lx.pos] != '\n' {
				lx.pos++
			}
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRuneInString(lx.src[lx.pos:])
			if !unicode.IsSpace(r) && r != '\ufeff' {
				return
			}
			lx.pos += n
		default:
			return
		}
	}
}

func (lx *lexer) next() {
	start := lx.pos
	c := lx.src[lx.pos]
	switch {
	case isDigit(c):
		lx.number()
		return
	case c == '\'' || c == '"':
		lx.quoted(start, start)
		return
	case c == '@' && (lx.peekByte(1) == '\'' || lx.peekByte(1) == '"'):
		lx.verbatim(start, start+1)
		return
	case (c == 'h' || c == 'H') && (lx.peekByte(1) == '\'' || lx.peekByte(1) == '"'):
		lx.quoted(start, start+1)
		return
	case (c == 'h' || c == 'H') && lx.peekByte(1) == '@' && (lx.peekByte(2) == '\'' || lx.peekByte(2) == '"'):
		lx.verbatim(start, start+2)
		return
	case (c == 'h' || c == 'H') && (strings.HasPrefix(lx.src[start+1:], "```") || strings.HasPrefix(lx.src[start+1:], "~~~")):
		lx.multiline(start, start+1)
		return
	case strings.HasPrefix(lx.src[start:], "```") || strings.HasPrefix(lx.src[start:], "~~~"):
		lx.multiline(start, start)
		return
	case isIdentStart(c) || c == '$':
		lx.ident()
		return
	case c >= utf8.RuneSelf:
		r, n := utf8.DecodeRuneInString(lx.src[start:])
		if unicode.IsLetter(r) {
			lx.ident()
			return
		}
		lx.pos += n
		lx.errorf(start, "unexpected character %q", r)
		lx.emit(Illegal, start, "")
		return
	}
	lx.punct(start, c)
}

func (lx *lexer) punct(start int, c byte) {
	two := ""
	if lx.pos+1 < len(lx.src) {
		two = lx.src[lx.pos : lx.pos+2]
	}
	k := Illegal
	switch two {
	case "==":
		k = Eq
	case "!=":
		k = NotEq
	case "<>":
		k = LtGt
	case "<=":
		k = Le
	case ">=":
		k = Ge
	case "=~":
		k = EqTilde
	case "!~":
		k = NotTilde
	case "=>":
		k = Arrow
	case "..":
		k = DotDot
	}
	if k != Illegal {
		lx.pos += 2
		lx.emit(k, start, "")
		return
	}
	switch c {
	case '(':
		k = LParen
	case ')':
		k = RParen
	case '[':
		k = LBracket
	case ']':
		k = RBracket
	case '{':
		k = LBrace
	case '}':
		k = RBrace
	case ',':
		k = Comma
	case ';':
		k = Semi
	case ':':
		k = Colon
	case '.':
		k = Dot
	case '|':
		k = Bar
	case '=':
		k = Equal
	case '<':
		k = Lt
	case '>':
		k = Gt
	case '+':
		k = Plus
	case '-':
		k = Minus
	case '*':
		k = Star
	case '/':
		k = Slash
	case '%':
		k = Percent
	case '!':
		k = Bang
	case '~':
		k = Tilde
	case '?':
		k = Question
	}
	lx.pos++
	if k == Illegal {
		lx.errorf(start, "unexpected character %q", c)
	}
	lx.emit(k, start, "")
}

func (lx *lexer) ident() {
	start := lx.pos
	if lx.src[lx.pos] == '$' {
		lx.pos++
	}
	for lx.pos < len(lx.src) {
		c := lx.src[lx.pos]
		if isIdentByte(c) {
			lx.pos++
			continue
		}
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(lx.src[lx.pos:])
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				lx.pos += n
				continue
			}
		}
		break
	}
	word := lx.src[start:lx.pos]
	if rawLitWords[word] {
		// datetime ( ... ): the parenthesised text is one literal.
		p := lx.pos
		for p < len(lx.src) && (lx.src[p] == ' ' || lx.src[p] == '\t') {
			p++
		}
		if p < len(lx.src) && lx.src[p] == '(' {
			end := strings.IndexAny(lx.src[p+1:], ")\n")
			if end < 0 || lx.src[p+1+end] != ')' {
				// Skip the rest of the line: rescanning it for every
				// "datetime(" would make hostile input quadratic.
				lx.pos = len(lx.src)
				if end >= 0 {
					lx.pos = p + 1 + end
				}
				lx.errorf(start, "%s literal is missing its closing ')'", word)
				lx.emit(Illegal, start, "")
				return
			}
			lx.pos = p + 1 + end + 1
			lx.emit(RawLit, start, strings.TrimSpace(lx.src[p+1:p+1+end]))
			return
		}
	}
	lx.emit(Name, start, "")
}

// number reads 12, 0x1F, 1.5, 1e-3, .5 and timespans 5m, 1.5h, 10microseconds.
func (lx *lexer) number() {
	start := lx.pos
	kind := Long
	if lx.src[lx.pos] == '0' && (lx.peekByte(1) == 'x' || lx.peekByte(1) == 'X') && isHex(lx.peekByte(2)) {
		lx.pos += 2
		for lx.pos < len(lx.src) && isHex(lx.src[lx.pos]) {
			lx.pos++
		}
		lx.emit(Long, start, "")
		return
	}
	lx.digits()
	// A '.' not followed by another '.' belongs to the number ("1..5" is a range).
	if lx.peekByte(0) == '.' && lx.peekByte(1) != '.' && !isIdentStart(lx.peekByte(1)) {
		kind = Real
		lx.pos++
		lx.digits()
	} else if lx.peekByte(0) == '.' && (lx.peekByte(1) == 'e' || lx.peekByte(1) == 'E') && (isDigit(lx.peekByte(2)) || ((lx.peekByte(2) == '+' || lx.peekByte(2) == '-') && isDigit(lx.peekByte(3)))) {
		kind = Real
		lx.pos++
	}
	hasExp := false
	if c := lx.peekByte(0); c == 'e' || c == 'E' {
		if isDigit(lx.peekByte(1)) || ((lx.peekByte(1) == '+' || lx.peekByte(1) == '-') && isDigit(lx.peekByte(2))) {
			kind, hasExp = Real, true
			lx.pos += 2
			lx.digits()
		}
	}
	if isIdentStart(lx.peekByte(0)) {
		sfx := lx.pos
		for lx.pos < len(lx.src) && isIdentByte(lx.src[lx.pos]) {
			lx.pos++
		}
		unit := lx.src[sfx:lx.pos]
		if _, ok := timespanUnits[unit]; ok && !hasExp {
			lx.emit(Timespan, start, "")
			return
		}
		if kind == Long {
			// Kusto names may start with digits: 5h_MovingAvg, 2mins.
			lx.emit(Name, start, "")
			return
		}
		lx.errorf(start, "invalid number %q: unknown suffix %q", lx.src[start:lx.pos], unit)
		lx.emit(Illegal, start, "")
		return
	}
	lx.emit(kind, start, "")
}

func (lx *lexer) digits() {
	for lx.pos < len(lx.src) && isDigit(lx.src[lx.pos]) {
		lx.pos++
	}
}

// quoted reads '...' or "..." with backslash escapes; q is the quote's offset
// (after an h/H obfuscation prefix).
func (lx *lexer) quoted(start, q int) {
	quote := lx.src[q]
	lx.pos = q + 1
	var b strings.Builder
	for {
		if lx.pos >= len(lx.src) || lx.src[lx.pos] == '\n' || lx.src[lx.pos] == '\r' {
			lx.errorf(start, "string literal is missing its closing %c", quote)
			lx.emit(Illegal, start, "")
			return
		}
		c := lx.src[lx.pos]
		if c == quote {
			lx.pos++
			break
		}
		if c != '\\' {
			b.WriteByte(c)
			lx.pos++
			continue
		}
		if !lx.escape(&b) {
			// Skip to the closing quote so one bad escape is one error.
			for lx.pos < len(lx.src) && lx.src[lx.pos] != quote && lx.src[lx.pos] != '\n' {
				if lx.src[lx.pos] == '\\' && lx.pos+1 < len(lx.src) {
					lx.pos++
				}
				lx.pos++
			}
			if lx.pos < len(lx.src) && lx.src[lx.pos] == quote {
				lx.pos++
			}
			lx.emit(Illegal, start, "")
			return
		}
	}
	lx.emit(String, start, b.String())
}

// escape decodes one backslash escape at lx.pos into b.
func (lx *lexer) escape(b *strings.Builder) bool {
	at := lx.pos
	lx.pos++ // backslash
	if lx.pos >= len(lx.src) {
		lx.errorf(at, "string literal ends inside an escape sequence")
		return false
	}
	c := lx.src[lx.pos]
	lx.pos++
	switch c {
	case 'a':
		b.WriteByte('\a')
	case 'b':
		b.WriteByte('\b')
	case 'f':
		b.WriteByte('\f')
	case 'n':
		b.WriteByte('\n')
	case 'r':
		b.WriteByte('\r')
	case 't':
		b.WriteByte('\t')
	case 'v':
		b.WriteByte('\v')
	case '\\', '\'', '"':
		b.WriteByte(c)
	case '0', '1', '2', '3', '4', '5', '6', '7':
		v := int(c - '0')
		for i := 0; i < 2 && lx.pos < len(lx.src) && lx.src[lx.pos] >= '0' && lx.src[lx.pos] <= '7'; i++ {
			v = v*8 + int(lx.src[lx.pos]-'0')
			lx.pos++
		}
		b.WriteRune(rune(v))
	case 'x', 'u', 'U':
		n := map[byte]int{'x': 2, 'u': 4, 'U': 8}[c]
		if lx.pos+n > len(lx.src) {
			lx.errorf(at, "invalid escape sequence \\%c in string literal", c)
			return false
		}
		v, err := strconv.ParseUint(lx.src[lx.pos:lx.pos+n], 16, 32)
		if err != nil || v > unicode.MaxRune {
			lx.errorf(at, "invalid escape sequence %q in string literal", lx.src[at:lx.pos+n])
			return false
		}
		lx.pos += n
		b.WriteRune(rune(v))
	default:
		lx.errorf(at, "invalid escape sequence \\%c in string literal (use @'...' for verbatim text)", c)
		return false
	}
	return true
}

// verbatim reads @'...' where a doubled quote stands for one quote.
func (lx *lexer) verbatim(start, q int) {
	quote := lx.src[q]
	lx.pos = q + 1
	var b strings.Builder
	for {
		if lx.pos >= len(lx.src) || lx.src[lx.pos] == '\n' || lx.src[lx.pos] == '\r' {
			lx.errorf(start, "string literal is missing its closing %c", quote)
			lx.emit(Illegal, start, "")
			return
		}
		c := lx.src[lx.pos]
		lx.pos++
		if c == quote {
			if lx.peekByte(0) == quote {
				b.WriteByte(quote)
				lx.pos++
				continue
			}
			break
		}
		b.WriteByte(c)
	}
	lx.emit(String, start, b.String())
}

// multiline reads ```...``` or ~~~...~~~, which may span lines and has no escapes.
func (lx *lexer) multiline(start, q int) {
	fence := lx.src[q : q+3]
	end := strings.Index(lx.src[q+3:], fence)
	if end < 0 {
		lx.pos = len(lx.src)
		lx.errorf(start, "multi-line string literal is missing its closing %s", fence)
		lx.emit(Illegal, start, "")
		return
	}
	lx.pos = q + 3 + end + 3
	lx.emit(String, start, lx.src[q+3:q+3+end])
}

func isDigit(c byte) bool      { return c >= '0' && c <= '9' }
func isHex(c byte) bool        { return isDigit(c) || (c|0x20) >= 'a' && (c|0x20) <= 'f' }
func isIdentStart(c byte) bool { return c == '_' || (c|0x20) >= 'a' && (c|0x20) <= 'z' }
func isIdentByte(c byte) bool  { return isIdentStart(c) || isDigit(c) }
