package syntax

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Format renders a node as canonical single-line KQL: one space around
// binary operators, " | " between operators, "; " between statements,
// strings in double quotes. Parsing the output gives the same tree, so the
// form suits golden files and round-trip tests.
func Format(n Node) string {
	var pr printer
	pr.node(n)
	return pr.b.String()
}

type printer struct{ b strings.Builder }

func (pr *printer) w(ss ...string) {
	for _, s := range ss {
		pr.b.WriteString(s)
	}
}

func (pr *printer) list(xs []Expr, sep string) {
	for i, x := range xs {
		if i > 0 {
			pr.w(sep)
		}
		pr.node(x)
	}
}

func (pr *printer) params(ps []*NamedArg) {
	for _, a := range ps {
		pr.w(" ")
		pr.node(a)
	}
}

func (pr *printer) props(ps []*NamedArg) {
	pr.w(" with (")
	for i, a := range ps {
		if i > 0 {
			pr.w(", ")
		}
		pr.node(a)
	}
	pr.w(")")
}

func (pr *printer) cols(cs []*ColumnDecl) {
	pr.w("(")
	for i, c := range cs {
		if i > 0 {
			pr.w(", ")
		}
		pr.node(c)
	}
	pr.w(")")
}

func (pr *printer) sortKeys(ks []*SortKey) {
	for i, k := range ks {
		if i > 0 {
			pr.w(", ")
		}
		pr.node(k)
	}
}

func (pr *printer) stmts(ss []Stmt) {
	for i, s := range ss {
		if i > 0 {
			pr.w("; ")
		}
		pr.node(s)
	}
}

// node prints any node; nil prints nothing.
func (pr *printer) node(n Node) {
	switch n := n.(type) {
	case nil:
	case *Query:
		pr.stmts(n.Stmts)
	case *Block:
		pr.w("{ ")
		pr.stmts(n.Stmts)
		pr.w(" }")
	case *ExprStmt:
		pr.node(n.X)
	case *LetStmt:
		pr.w("let ", identText(n.Name), " = ")
		pr.node(n.Value)
	case *SetStmt:
		pr.w("set ", n.Name.Name)
		if n.Value != nil {
			pr.w(" = ")
			pr.node(n.Value)
		}
	case *DeclareParamsStmt:
		pr.w("declare query_parameters")
		pr.paramList(n.Params)
	case *AliasStmt:
		pr.w("alias ", n.Kind, " ", identText(n.Name), " = ")
		pr.node(n.Value)
	case *RestrictStmt:
		pr.w("restrict access to (")
		pr.list(n.Entities, ", ")
		pr.w(")")
	case *PatternStmt:
		pr.w("declare pattern ", identText(n.Name))
		if n.Declared {
			pr.w(" = ")
			pr.paramList(n.Params)
			if len(n.PathParams) > 0 {
				pr.w("[")
				for i, p := range n.PathParams {
					if i > 0 {
						pr.w(", ")
					}
					pr.node(p)
				}
				pr.w("]")
			}
			pr.w(" { ")
			for _, r := range n.Rules {
				pr.node(r)
				pr.w("; ")
			}
			pr.w("}")
		}
	case *PatternRule:
		pr.w("(")
		pr.list(n.Args, ", ")
		pr.w(")")
		if n.Path != nil {
			pr.w(".[")
			pr.node(n.Path)
			pr.w("]")
		}
		pr.w(" = ")
		pr.node(n.Body)
	default:
		if !pr.expr(n) && !pr.op(n) {
			pr.w(fmt.Sprintf("<%T>", n))
		}
	}
}

func (pr *printer) paramList(ps []*Param) {
	pr.w("(")
	for i, p := range ps {
		if i > 0 {
			pr.w(", ")
		}
		pr.node(p)
	}
	pr.w(")")
}

func (pr *printer) expr(n Node) bool {
	switch n := n.(type) {
	case *Ident:
		pr.w(identText(n))
	case *Wildcard:
		pr.w(n.Pattern)
	case *Literal:
		pr.w(literalText(n))
	case *DynamicLit:
		pr.w("dynamic(")
		pr.node(n.Value)
		pr.w(")")
	case *DynArray:
		pr.w("[")
		pr.list(n.Elems, ", ")
		pr.w("]")
	case *DynObject:
		pr.w("{")
		for i, f := range n.Fields {
			if i > 0 {
				pr.w(", ")
			}
			pr.node(f)
		}
		pr.w("}")
	case *Binary:
		pr.node(n.X)
		pr.w(" ", n.Op, " ")
		pr.node(n.Y)
	case *Unary:
		pr.w(n.Op)
		pr.node(n.X)
	case *InExpr:
		pr.node(n.X)
		pr.w(" ", n.Op, " (")
		pr.list(n.List, ", ")
		pr.w(")")
	case *BetweenExpr:
		pr.node(n.X)
		if n.Not {
			pr.w(" !between (")
		} else {
			pr.w(" between (")
		}
		pr.node(n.Lo)
		pr.w(" .. ")
		pr.node(n.Hi)
		pr.w(")")
	case *Call:
		if id, ok := n.Fun.(*Ident); ok && !id.Quoted {
			pr.w(id.Name) // function names may be keywords: materialize(...)
		} else {
			pr.node(n.Fun)
		}
		pr.w("(")
		pr.list(n.Args, ", ")
		pr.w(")")
	case *NamedArg:
		pr.w(n.Name.Name, "=")
		pr.node(n.Value)
	case *Member:
		pr.node(n.X)
		pr.w(".", identText(n.Name))
	case *Index:
		pr.node(n.X)
		pr.w("[")
		pr.node(n.Index)
		pr.w("]")
	case *Paren:
		pr.w("(")
		pr.node(n.X)
		pr.w(")")
	case *Tuple:
		pr.list(n.Elems, ", ")
	case *Assign:
		if len(n.Names) == 1 {
			pr.w(identText(n.Names[0]))
		} else {
			pr.w("(")
			for i, id := range n.Names {
				if i > 0 {
					pr.w(", ")
				}
				pr.w(identText(id))
			}
			pr.w(")")
		}
		pr.w(" = ")
		pr.node(n.Value)
	case *Pipe:
		if n.Source != nil {
			pr.node(n.Source)
			pr.w(" | ")
		}
		for i, op := range n.Ops {
			if i > 0 {
				pr.w(" | ")
			}
			pr.node(op)
		}
	case *TypeOf:
		pr.w("typeof(")
		if n.Type.Tabular {
			pr.schemaItems(n.Type)
		} else {
			pr.w(n.Type.Name)
		}
		pr.w(")")
	case *TypeRef:
		if n.Tabular {
			pr.w("(")
			pr.schemaItems(n)
			pr.w(")")
		} else {
			pr.w(n.Name)
		}
	case *ColumnDecl:
		pr.w(identText(n.Name))
		if n.Type != nil {
			pr.w(":")
			pr.node(n.Type)
		}
		if n.Default != nil {
			pr.w(" = ")
			pr.node(n.Default)
		}
	case *FuncDecl:
		if n.View {
			pr.w("view ")
		}
		pr.paramList(n.Params)
		pr.w(" ")
		pr.node(n.Body)
	case *Param:
		pr.w(identText(n.Name), ":")
		pr.node(n.Type)
		if n.Default != nil {
			pr.w(" = ")
			pr.node(n.Default)
		}
	case *SortKey:
		pr.node(n.X)
		if n.Order != "" {
			pr.w(" ", n.Order)
		}
		if n.Nulls != "" {
			pr.w(" nulls ", n.Nulls)
		}
	default:
		return false
	}
	return true
}

func (pr *printer) schemaItems(t *TypeRef) {
	n := 0
	sep := func() {
		if n > 0 {
			pr.w(", ")
		}
		n++
	}
	for i, c := range t.Columns {
		if t.Star && t.StarAt == i {
			sep()
			pr.w("*")
		}
		sep()
		pr.node(c)
	}
	if t.Star && t.StarAt >= len(t.Columns) {
		sep()
		pr.w("*")
	}
}

// keywordNames must be bracketed to be read back as names.
var keywordNames = map[string]bool{
	"and": true, "or": true, "by": true, "of": true, "in": true, "where": true,
	"true": true, "false": true, "with": true, "on": true, "asc": true, "desc": true,
	"nulls": true, "to": true, "from": true, "step": true, "default": true, "limit": true,
	"let": true, "set": true, "declare": true, "alias": true, "restrict": true,
	"datetime": true, "timespan": true, "time": true, "guid": true, "date": true,
}

// identText renders a name, bracketing it when it is not a plain identifier.
func identText(id *Ident) string {
	if id == nil {
		return ""
	}
	if !id.Quoted && strings.Contains(id.Name, "*") && isPlainName(strings.ReplaceAll(id.Name, "*", "x")) {
		return id.Name // wildcard in an entity reference: database("d").T*
	}
	if id.Quoted || !isPlainName(id.Name) {
		return "[" + quoteString(id.Name) + "]"
	}
	return id.Name
}

func isPlainName(s string) bool {
	if s == "" || keywordNames[s] || reservedWords[s] || stringOps[s] != "" {
		return false
	}
	if isDigit(s[0]) {
		// 5h_avg is a name, 5h is a timespan: ask the lexer.
		toks, errs := Lex(s)
		return len(errs) == 0 && len(toks) == 2 && toks[0].Kind == Name
	}
	for i, r := range s {
		switch {
		case r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
		case r >= '0' && r <= '9' && i > 0:
		case r == '$' && i == 0 && len(s) > 1:
		case r > 127 && i > 0:
		default:
			return false
		}
	}
	return true
}

// quoteString renders s as a double-quoted KQL string.
func quoteString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if r < 0x20 || r == 0x7f {
				fmt.Fprintf(&b, `\u%04x`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

func literalText(l *Literal) string {
	if l.Null {
		if l.Type == "dynamic" {
			return "null"
		}
		return l.Type + "(null)"
	}
	switch v := l.Value.(type) {
	case string:
		switch l.Type {
		case "guid":
			return "guid(" + v + ")"
		case "decimal":
			return "decimal(" + v + ")"
		}
		if l.Obfuscated {
			return "h" + quoteString(v)
		}
		return quoteString(v)
	case int64:
		if l.Type == "int" {
			return "int(" + strconv.FormatInt(v, 10) + ")"
		}
		return strconv.FormatInt(v, 10)
	case float64:
		return realText(v)
	case bool:
		return strconv.FormatBool(v)
	case time.Duration:
		return durationText(v)
	case time.Time:
		return "datetime(" + datetimeText(v) + ")"
	case RelativeTime:
		if v.Now {
			return "datetime(now)"
		}
		return "datetime(" + clockText(v.TimeOfDay) + ")"
	}
	return l.Text
}

func realText(v float64) string {
	switch {
	case math.IsNaN(v):
		return "real(nan)"
	case math.IsInf(v, 1):
		return "real(+inf)"
	case math.IsInf(v, -1):
		return "real(-inf)"
	}
	s := strconv.FormatFloat(v, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eEn") {
		s += ".0"
	}
	if v < 0 {
		return "real(" + s + ")"
	}
	return s
}

// durationText renders a timespan with the largest exact unit (90m -> 90m, 2h -> 2h).
func durationText(d time.Duration) string {
	if d < 0 {
		return "timespan(-" + durationText(-d) + ")"
	}
	units := []struct {
		u    time.Duration
		name string
	}{{24 * time.Hour, "d"}, {time.Hour, "h"}, {time.Minute, "m"}, {time.Second, "s"},
		{time.Millisecond, "ms"}, {time.Microsecond, "microsecond"}, {Tick, "tick"}}
	for _, u := range units {
		if d%u.u == 0 {
			return strconv.FormatInt(int64(d/u.u), 10) + u.name
		}
	}
	return strconv.FormatInt(int64(d), 10) + "nanosecond"
}

func datetimeText(t time.Time) string {
	s := t.UTC().Format("2006-01-02T15:04:05.0000000")
	s = strings.TrimRight(s, "0")
	s = strings.TrimSuffix(s, ".")
	return s + "Z"
}

func clockText(d time.Duration) string {
	h, m, s := d/time.Hour, d%time.Hour/time.Minute, d%time.Minute/time.Second
	out := fmt.Sprintf("%02d:%02d:%02d", h, m, s)
	if f := d % time.Second / Tick; f != 0 {
		out += strings.TrimRight(fmt.Sprintf(".%07d", f), "0")
	}
	return out
}
