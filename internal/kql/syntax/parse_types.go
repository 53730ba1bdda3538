package syntax

// typeAliases maps KQL type names and their synonyms to the canonical name.
var typeAliases = map[string]string{
	"bool": "bool", "boolean": "bool",
	"int": "int", "int32": "int",
	"long": "long", "int64": "long",
	"real": "real", "double": "real", "float": "real",
	"decimal":  "decimal",
	"string":   "string",
	"datetime": "datetime", "date": "datetime",
	"timespan": "timespan", "time": "timespan",
	"guid": "guid", "uniqueid": "guid",
	"dynamic": "dynamic",
}

// canonicalType returns the canonical spelling of a scalar type name, or
// the name unchanged when it is not a known type (sema reports it).
func canonicalType(name string) string {
	if c, ok := typeAliases[name]; ok {
		return c
	}
	return name
}

// parseParamList reads (p1:T1, p2:T2 = default, T:(*)).
func (p *parser) parseParamList(ctx string) []*Param {
	p.expect(LParen, "to open the parameter list")
	var params []*Param
	for !p.is(RParen) {
		params = append(params, p.parseParam())
		if !p.accept(Comma) {
			break
		}
	}
	p.expect(RParen, "to close the parameter list "+ctx)
	return params
}

// parseParam reads Name:Type [= Default], where Type may be tabular: (*), (a:long, *).
func (p *parser) parseParam() *Param {
	name := p.parseName("for the parameter")
	p.expect(Colon, "after parameter name '"+name.Name+"'")
	pr := &Param{Name: name, Type: p.parseTypeRef(true)}
	if p.accept(Equal) {
		pr.Default = p.parseExpr()
	}
	pr.Span = Span{name.Pos(), p.prevEnd()}
	return pr
}

// parseTypeRef reads a scalar type name or a parenthesised tabular schema.
// With strict, an unknown scalar type is a syntax error (declarations);
// typeof(...) leaves that to sema, as Kusto does.
func (p *parser) parseTypeRef(strict bool) *TypeRef {
	p.enter()
	defer p.leave()
	t := p.tok()
	if t.Kind == LParen {
		p.next()
		ref := &TypeRef{Tabular: true}
		p.parseSchemaItems(ref, RParen)
		rp := p.expect(RParen, "to close the table schema")
		ref.Span = Span{t.Pos, rp.End}
		return ref
	}
	if t.Kind != Name {
		p.fail("expected a type name, found %s", t.describe())
	}
	if _, ok := typeAliases[t.Text]; !ok && strict {
		p.fail("unknown type '%s' (expected bool, int, long, real, decimal, string, datetime, timespan, guid or dynamic)", t.Text)
	}
	p.next()
	return &TypeRef{Span: Span{t.Pos, t.End}, Name: canonicalType(t.Text)}
}

// parseSchemaItems reads the columns of a schema up to closing: a:long, *, ...
func (p *parser) parseSchemaItems(ref *TypeRef, closing Kind) {
	for !p.is(closing) {
		if p.is(Star) && !ref.Star {
			p.next()
			ref.Star, ref.StarAt = true, len(ref.Columns)
		} else {
			ref.Columns = append(ref.Columns, p.parseColumnDecl(true))
		}
		if !p.accept(Comma) {
			break
		}
	}
}

// parseColumnDecl reads Name:Type (the type is optional unless required).
func (p *parser) parseColumnDecl(typeRequired bool) *ColumnDecl {
	name := p.parseName("for the column")
	c := &ColumnDecl{Name: name}
	if typeRequired || p.is(Colon) {
		p.expect(Colon, "after column name '"+name.Name+"'")
		c.Type = p.parseTypeRef(true)
	}
	c.Span = Span{name.Pos(), p.prevEnd()}
	return c
}

// parseSchema reads ( a:long, b:string ) as a column list.
func (p *parser) parseSchema(ctx string) []*ColumnDecl {
	p.expect(LParen, "to open the schema "+ctx)
	cols := []*ColumnDecl{} // non-nil: "()" was written
	for !p.is(RParen) {
		cols = append(cols, p.parseColumnDecl(true))
		if !p.accept(Comma) {
			break
		}
	}
	p.expect(RParen, "to close the schema "+ctx)
	return cols
}
