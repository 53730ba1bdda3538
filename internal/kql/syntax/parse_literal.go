package syntax

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// typedLitWords maps the words of typed literals such as long(null) or
// real(nan) to their canonical type.
var typedLitWords = map[string]string{
	"int": "int", "long": "long", "real": "real", "double": "real", "decimal": "decimal",
	"bool": "bool", "boolean": "bool", "string": "string",
}

func (p *parser) numberLiteral(t Token) *Literal {
	lit := &Literal{Span: Span{t.Pos, t.End}, Text: t.Text}
	switch t.Kind {
	case Long:
		lit.Type = "long"
		v, err := parseLong(t.Text)
		if err != nil {
			p.failAt(t, "number %s is out of range for long", t.Text)
		}
		lit.Value = v
	case Real:
		lit.Type = "real"
		v, err := strconv.ParseFloat(t.Text, 64)
		if err != nil {
			p.failAt(t, "invalid real number %s", t.Text)
		}
		lit.Value = v
	case Timespan:
		lit.Type = "timespan"
		v, err := ParseTimespanLiteral(t.Text)
		if err != nil {
			p.failAt(t, "%v", err)
		}
		lit.Value = v
	}
	return lit
}

func parseLong(s string) (int64, error) {
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
		u, err := strconv.ParseUint(s[2:], 16, 64)
		return int64(u), err
	}
	return strconv.ParseInt(s, 10, 64)
}

// parseStringLit reads one string literal, joining adjacent ones
// ('a' 'b' is "ab" in KQL).
func (p *parser) parseStringLit() *Literal {
	first := p.next()
	lit := &Literal{Span: Span{first.Pos, first.End}, Type: "string", Text: first.Text, Value: first.Value,
		Obfuscated: isObfuscated(first.Text)}
	if !p.is(String) {
		return lit
	}
	var b strings.Builder
	b.WriteString(first.Value)
	for p.is(String) {
		t := p.next()
		b.WriteString(t.Value)
		lit.Obfuscated = lit.Obfuscated || isObfuscated(t.Text)
		lit.To = t.End
	}
	lit.Value = b.String()
	lit.Text = p.src[lit.From:lit.To]
	return lit
}

func isObfuscated(text string) bool { return text != "" && (text[0] == 'h' || text[0] == 'H') }

// rawLiteral decodes datetime(...), timespan(...)/time(...) and guid(...).
func (p *parser) rawLiteral(t Token) *Literal {
	word := t.Text[:strings.IndexAny(t.Text, " \t(")]
	lit := &Literal{Span: Span{t.Pos, t.End}, Text: t.Text}
	inner := t.Value
	null := inner == "null"
	switch word {
	case "datetime", "date":
		lit.Type = "datetime"
		if !null {
			v, err := ParseDatetimeLiteral(inner)
			if err != nil {
				p.failAt(t, "%v", err)
			}
			lit.Value = v
		}
	case "timespan", "time":
		lit.Type = "timespan"
		if !null {
			v, err := ParseTimespanLiteral(inner)
			if err != nil {
				p.failAt(t, "%v", err)
			}
			lit.Value = v
		}
	case "guid":
		lit.Type = "guid"
		if !null {
			if !ValidGUID(inner) {
				p.failAt(t, "invalid guid %q", inner)
			}
			lit.Value = strings.TrimSpace(unquote(inner))
		}
	}
	lit.Null = null
	return lit
}

// tryTypedLiteral reads long(5), int(-1), real(nan), decimal(1.5),
// bool(true), long(null). It returns nil (consuming nothing) when the
// parenthesis holds something else, which then parses as a call.
func (p *parser) tryTypedLiteral() *Literal {
	w := p.tok()
	typ := typedLitWords[w.Text]
	i := 2
	sign := ""
	if k := p.peek(i).Kind; k == Minus || k == Plus {
		sign = p.peek(i).Text
		i++
	}
	v := p.peek(i)
	if p.peek(i+1).Kind != RParen {
		return nil
	}
	text := sign + v.Text
	lit := &Literal{Type: typ}
	switch {
	case v.Kind == Name && v.Text == "null" && sign == "":
		lit.Null = true
	case typ == "string" && v.Kind == String && sign == "":
		lit.Value = v.Value
	case (typ == "int" || typ == "long") && v.Kind == Long:
		n, err := parseLong(v.Text)
		if err != nil {
			return nil
		}
		if sign == "-" {
			n = -n
		}
		if typ == "int" && strings.HasPrefix(strings.ToLower(v.Text), "0x") && n <= math.MaxUint32 {
			n = int64(int32(uint32(n))) // int(0xffffffff) is -1
		}
		if typ == "int" && (n > math.MaxInt32 || n < math.MinInt32) {
			p.failAt(v, "number %s is out of range for int", text)
		}
		lit.Value = n
	case typ == "real" && (v.Kind == Long || v.Kind == Real):
		f, err := strconv.ParseFloat(text, 64)
		if err != nil {
			return nil
		}
		lit.Value = f
	case typ == "real" && v.Kind == Name && (strings.EqualFold(v.Text, "nan") || strings.EqualFold(v.Text, "inf")):
		f := math.NaN()
		if strings.EqualFold(v.Text, "inf") {
			f = math.Inf(1)
			if sign == "-" {
				f = math.Inf(-1)
			}
		}
		lit.Value = f
	case typ == "decimal" && (v.Kind == Long || v.Kind == Real):
		lit.Value = strings.TrimPrefix(text, "+")
	case typ == "decimal" && v.Kind == Name && strings.EqualFold(v.Text, "nan"):
		lit.Value = "NaN"
	case typ == "bool" && v.Kind == Name && (strings.EqualFold(v.Text, "true") || strings.EqualFold(v.Text, "false")) && sign == "":
		lit.Value = strings.EqualFold(v.Text, "true")
	case typ == "bool" && v.Kind == Long && (v.Text == "0" || v.Text == "1") && sign == "":
		lit.Value = v.Text == "1"
	default:
		return nil
	}
	end := p.peek(i + 1).End
	for j := 0; j <= i+1; j++ {
		p.next()
	}
	lit.Span = Span{w.Pos, end}
	lit.Text = p.src[w.Pos:end]
	return lit
}

// parseDynamicLit reads dynamic(value) where value is JSON-like with KQL
// literals inside: dynamic({"a": [1, datetime(2020-01-01), 1h]}).
func (p *parser) parseDynamicLit() Expr {
	start := p.next().Pos
	p.expect(LParen, "after 'dynamic'")
	v := p.parseDynValue()
	rp := p.expect(RParen, "to close dynamic(...)")
	return &DynamicLit{Span: Span{start, rp.End}, Value: v}
}

func (p *parser) parseDynValue() Expr {
	p.enter()
	defer p.leave()
	t := p.tok()
	switch t.Kind {
	case LBracket:
		p.next()
		arr := &DynArray{}
		for !p.is(RBracket) {
			arr.Elems = append(arr.Elems, p.parseDynValue())
			if !p.accept(Comma) {
				break
			}
			if p.is(RBracket) {
				p.fail("expected a dynamic value after ',', found ']'")
			}
		}
		rb := p.expect(RBracket, "to close the dynamic array")
		arr.Span = Span{t.Pos, rb.End}
		return arr
	case LBrace:
		p.next()
		obj := &DynObject{}
		for !p.is(RBrace) {
			k := p.tok()
			if k.Kind != String {
				p.fail("expected a quoted property name in dynamic object, found %s", k.describe())
			}
			p.next()
			p.expect(Colon, "after the property name in dynamic object")
			v := p.parseDynValue()
			obj.Fields = append(obj.Fields, &DynField{Span: Span{k.Pos, v.End()}, Key: k.Value, Value: v})
			if !p.accept(Comma) {
				break
			}
			if p.is(RBrace) {
				p.fail("expected a property after ',', found '}'")
			}
		}
		rb := p.expect(RBrace, "to close the dynamic object")
		obj.Span = Span{t.Pos, rb.End}
		return obj
	case Minus, Plus:
		p.next()
		n := p.tok()
		if n.Kind != Long && n.Kind != Real && n.Kind != Timespan {
			p.fail("expected a number after '%s' in dynamic value, found %s", t.Text, n.describe())
		}
		p.next()
		lit := p.numberLiteral(n)
		if t.Kind == Minus {
			switch v := lit.Value.(type) {
			case int64:
				lit.Value = -v
			case float64:
				lit.Value = -v
			default:
				lit.Value = negateDuration(v)
			}
		}
		lit.From, lit.Text = t.Pos, p.src[t.Pos:n.End]
		return lit
	case Long, Real, Timespan:
		p.next()
		return p.numberLiteral(t)
	case String:
		return p.parseStringLit()
	case RawLit:
		p.next()
		return p.rawLiteral(t)
	case Name:
		switch {
		case t.Text == "null":
			p.next()
			return &Literal{Span: Span{t.Pos, t.End}, Type: "dynamic", Null: true, Text: t.Text}
		case strings.EqualFold(t.Text, "true") || strings.EqualFold(t.Text, "false"):
			p.next()
			return &Literal{Span: Span{t.Pos, t.End}, Type: "bool", Text: t.Text, Value: strings.EqualFold(t.Text, "true")}
		case t.Text == "dynamic" && p.peek(1).Kind == LParen:
			return p.parseDynamicLit()
		case typedLitWords[t.Text] != "" && p.peek(1).Kind == LParen:
			if lit := p.tryTypedLiteral(); lit != nil {
				return lit
			}
		}
	}
	p.fail("expected a dynamic value (literal, [array] or {object}), found %s", t.describe())
	return nil
}

func negateDuration(v any) any {
	if d, ok := v.(time.Duration); ok {
		return -d
	}
	return v
}

// parseTypeOf reads typeof(long) or typeof(*, a:string, ...).
func (p *parser) parseTypeOf() Expr {
	start := p.next().Pos
	p.expect(LParen, "after 'typeof'")
	ref := &TypeRef{}
	if p.is(Name) && p.peek(1).Kind == RParen {
		t := p.next()
		ref.Name = canonicalType(t.Text)
		ref.Span = Span{t.Pos, t.End}
	} else {
		ref.Tabular = true
		ref.From = p.tok().Pos
		p.parseSchemaItems(ref, RParen)
		ref.To = p.prevEnd()
	}
	rp := p.expect(RParen, "to close typeof(...)")
	return &TypeOf{Span: Span{start, rp.End}, Type: ref}
}
