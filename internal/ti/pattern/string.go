package pattern

import (
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// String renders the pattern in canonical form: single spaces, '=' and
// '!=' spellings, and only the parentheses precedence needs. Parsing the
// result gives the same pattern.
func (p *Pattern) String() string {
	var b strings.Builder
	writeObs(&b, p.Root, -1)
	return b.String()
}

// writeObs writes x; parent is the precedence of the enclosing operator.
func writeObs(b *strings.Builder, x ObsExpr, parent int) {
	switch x := x.(type) {
	case *ObsBracket:
		b.WriteByte('[')
		writeCmp(b, x.Expr, -1)
		b.WriteByte(']')
	case *ObsGroup:
		paren := int(x.Op) <= parent
		if paren {
			b.WriteByte('(')
		}
		for i, o := range x.Operands {
			if i > 0 {
				b.WriteString(" " + x.Op.String() + " ")
			}
			writeObs(b, o, int(x.Op))
		}
		if paren {
			b.WriteByte(')')
		}
	case *ObsQualified:
		// Qualifiers bind tighter than any operator, so only a group or a
		// qualified expression (whose qualifiers would merge) needs parens.
		_, isBracket := x.Expr.(*ObsBracket)
		if !isBracket {
			b.WriteByte('(')
		}
		writeObs(b, x.Expr, -1)
		if !isBracket {
			b.WriteByte(')')
		}
		for _, q := range x.Qualifiers {
			b.WriteByte(' ')
			b.WriteString(q.String())
		}
	}
}

// String renders a qualifier.
func (q Qualifier) String() string {
	switch q.Kind {
	case QualWithin:
		return "WITHIN " + strings.TrimPrefix(q.Raw, "+") + " SECONDS"
	case QualRepeats:
		return "REPEATS " + strconv.Itoa(q.Times) + " TIMES"
	}
	return "START t'" + formatTimestamp(q.Start) + "' STOP t'" + formatTimestamp(q.Stop) + "'"
}

func writeCmp(b *strings.Builder, x CmpExpr, parent int) {
	switch x := x.(type) {
	case *CmpGroup:
		paren := int(x.Op) <= parent
		if paren {
			b.WriteByte('(')
		}
		for i, o := range x.Operands {
			if i > 0 {
				b.WriteString(" " + x.Op.String() + " ")
			}
			writeCmp(b, o, int(x.Op))
		}
		if paren {
			b.WriteByte(')')
		}
	case *Comparison:
		b.WriteString(x.String())
	}
}

// String renders one comparison.
func (c *Comparison) String() string {
	if c.Op == OpExists {
		if c.Negated {
			return "NOT EXISTS " + c.Path.String()
		}
		return "EXISTS " + c.Path.String()
	}
	s := c.Path.String()
	if c.Negated {
		s += " NOT"
	}
	s += " " + c.Op.String() + " "
	if c.Op != OpIn {
		return s + c.Value.String()
	}
	parts := make([]string, len(c.Set))
	for i, l := range c.Set {
		parts[i] = l.String()
	}
	return s + "(" + strings.Join(parts, ", ") + ")"
}

// String renders a literal in STIX syntax.
func (l Literal) String() string {
	switch l.Kind {
	case LitString:
		return quoteString(l.Str)
	case LitInt:
		if l.intOverflow {
			return strings.TrimPrefix(l.Raw, "+")
		}
		return strconv.FormatInt(l.Int, 10)
	case LitFloat:
		s := strconv.FormatFloat(l.Float, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	case LitBool:
		return strconv.FormatBool(l.Bool)
	case LitTimestamp:
		return "t'" + formatTimestamp(l.Time) + "'"
	case LitHex:
		return "h'" + hex.EncodeToString(l.Bytes) + "'"
	case LitBinary:
		return "b'" + base64.StdEncoding.EncodeToString(l.Bytes) + "'"
	}
	return l.Raw
}

// formatTimestamp prints UTC with the fraction trimmed of zeros.
func formatTimestamp(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.999999999Z")
}

// quoteString escapes ' and \ for a STIX string literal.
func quoteString(s string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for i := 0; i < len(s); i++ {
		if s[i] == '\'' || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('\'')
	return b.String()
}

// String renders the path as written (hash names not normalised).
func (p ObjectPath) String() string {
	return p.render(false)
}

// Key renders the path with hash algorithm names normalised to the STIX
// vocabulary. Observation fields are looked up by this key.
func (p ObjectPath) Key() string {
	return p.render(true)
}

func (p ObjectPath) render(normal bool) string {
	var b strings.Builder
	b.WriteString(p.Type)
	b.WriteByte(':')
	for i, s := range p.Steps {
		switch s.Kind {
		case StepKey:
			key := s.Key
			if normal && i > 0 && p.Steps[i-1].Kind == StepKey && p.Steps[i-1].Key == "hashes" {
				key = NormalizeHashName(key)
			}
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(propName(key))
		case StepIndex:
			b.WriteString("[" + strconv.Itoa(s.Index) + "]")
		case StepAny:
			b.WriteString("[*]")
		}
	}
	return b.String()
}

// propName quotes a property name unless it is a plain identifier.
func propName(s string) string {
	if s == "" || s == "true" || s == "false" || keywords[s] != 0 || !isIdentStart(s[0]) {
		return quoteString(s)
	}
	for i := 1; i < len(s); i++ {
		if !isIdentPart(s[i]) || s[i] == '-' {
			return quoteString(s)
		}
	}
	return s
}
