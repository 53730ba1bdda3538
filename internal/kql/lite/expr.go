// Package lite compiles a subset of KQL to DuckDB SQL: tables, print, datatable, range and
// union as sources, piped through the common tabular operators (where, project*, extend,
// summarize, join, lookup, mv-expand, parse, make-series, top-nested, ...), with the scalar
// and aggregation functions KQL users reach for most. Everything outside the subset is
// refused with an error that names it and points at it. docs/kql.md lists what works.
package lite

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/rampart-soc/rampart/internal/kql/syntax"
	"github.com/rampart-soc/rampart/internal/schema"
)

// Error is a compile error at a position of the query.
type Error struct {
	Pos     syntax.Pos
	Message string
}

func (e *Error) Error() string { return e.Message }

func errAt(n syntax.Node, format string, args ...any) *Error {
	return &Error{Pos: n.Pos(), Message: fmt.Sprintf(format, args...)}
}

// quote is a column name as a SQL identifier. DuckDB matches identifiers without regard
// to case while KQL names are case-sensitive, so upper-case letters are spelled ^x (and ^
// as ^^): Name and name stay two columns.
func quote(id string) string { return quoteRaw(caseSafe(id)) }

// quoteRaw quotes a SQL identifier as it is (tables, the store's columns).
func quoteRaw(id string) string { return `"` + strings.ReplaceAll(id, `"`, `""`) + `"` }

func caseSafe(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return r == '^' || unicode.IsUpper(r) }) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '^':
			b.WriteString("^^")
		case unicode.IsUpper(r):
			b.WriteByte('^')
			b.WriteRune(unicode.ToLower(r))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// scope is the columns visible to an expression.
type scope map[string]schema.Type

func (c *compiler) expr(e syntax.Expr, sc scope) (typed, error) {
	switch x := e.(type) {
	case *syntax.Paren:
		t, err := c.expr(x.X, sc)
		t.sql = "(" + t.sql + ")"
		return t, err
	case *syntax.Ident:
		return c.ident(x, sc)
	case *syntax.Literal:
		return c.literal(x)
	case *syntax.DynamicLit:
		return c.dynamicLit(x)
	case *syntax.Unary:
		t, err := c.expr(x.X, sc)
		if err != nil {
			return t, err
		}
		if t.typ == schema.Dynamic {
			t = convert(t, schema.Real)
		}
		if x.Op == "-" {
			return typed{sql: "(-" + t.sql + ")", typ: t.typ}, nil
		}
		return t, nil
	case *syntax.Binary:
		return c.binary(x, sc)
	case *syntax.InExpr:
		return c.in(x, sc)
	case *syntax.BetweenExpr:
		return c.between(x, sc)
	case *syntax.Call:
		return c.call(x, sc)
	case *syntax.Member, *syntax.Index:
		return c.dynamicPath(e, sc)
	case *syntax.Pipe:
		return typed{}, errAt(e, "a tabular expression is not expected here; use toscalar() for a single value")
	}
	return typed{}, errAt(e, "this expression is not supported yet by the query engine")
}

func (c *compiler) ident(x *syntax.Ident, sc scope) (typed, error) {
	for _, col := range c.elem { // a node's or edge's property inside all(), any(), map()
		if col.Name == x.Name {
			v := typed{sql: "json_extract(__g, " + sqlString("$."+jsonKey(col.Name)) + ")", typ: schema.Dynamic}
			return convert(v, col.Type), nil
		}
	}
	if typ, ok := sc[x.Name]; ok {
		return typed{sql: c.colRef(x.Name), typ: typ}, nil
	}
	if t, ok := c.lets[x.Name]; ok {
		return t, nil
	}
	if f, ok := c.funcs[x.Name]; ok && len(f.Params) == 0 {
		return c.callUser(x, f, nil, sc)
	}
	switch strings.ToLower(x.Name) {
	case "true":
		return typed{sql: "TRUE", typ: schema.Bool, val: true, konst: true}, nil
	case "false":
		return typed{sql: "FALSE", typ: schema.Bool, val: false, konst: true}, nil
	}
	return typed{}, errAt(x, "unknown column %q", x.Name)
}

// colRef is a column reference, qualified inside join conditions.
func (c *compiler) colRef(name string) string {
	if c.qualifier != "" {
		return c.qualifier + "." + quote(name)
	}
	return quote(name)
}

// stringOps are KQL's string operators: SQL template over lower-cased or exact operands.
var stringOps = map[string]struct {
	sql      string // %[1]s = left, %[2]s = right
	caseless bool
	not      bool
}{
	"=~":             {"(%[1]s = %[2]s)", true, false},
	"!~":             {"(%[1]s = %[2]s)", true, true},
	"contains":       {"contains(%[1]s, %[2]s)", true, false},
	"!contains":      {"contains(%[1]s, %[2]s)", true, true},
	"contains_cs":    {"contains(%[1]s, %[2]s)", false, false},
	"!contains_cs":   {"contains(%[1]s, %[2]s)", false, true},
	"startswith":     {"starts_with(%[1]s, %[2]s)", true, false},
	"!startswith":    {"starts_with(%[1]s, %[2]s)", true, true},
	"startswith_cs":  {"starts_with(%[1]s, %[2]s)", false, false},
	"!startswith_cs": {"starts_with(%[1]s, %[2]s)", false, true},
	"endswith":       {"ends_with(%[1]s, %[2]s)", true, false},
	"!endswith":      {"ends_with(%[1]s, %[2]s)", true, true},
	"endswith_cs":    {"ends_with(%[1]s, %[2]s)", false, false},
	"!endswith_cs":   {"ends_with(%[1]s, %[2]s)", false, true},
	"hasprefix":      {hasPrefixSQL, true, false},
	"!hasprefix":     {hasPrefixSQL, true, true},
	"hasprefix_cs":   {hasPrefixSQL, false, false},
	"!hasprefix_cs":  {hasPrefixSQL, false, true},
	"hassuffix":      {hasSuffixSQL, true, false},
	"!hassuffix":     {hasSuffixSQL, true, true},
	"hassuffix_cs":   {hasSuffixSQL, false, false},
	"!hassuffix_cs":  {hasSuffixSQL, false, true},
	"has":            {hasSQL, true, false},
	"!has":           {hasSQL, true, true},
	"has_cs":         {hasSQL, false, false},
	"!has_cs":        {hasSQL, false, true},
	"matches regex":  {"regexp_matches(%[1]s, %[2]s)", false, false},
	"like":           {"(%[1]s LIKE %[2]s)", false, false},
}

// has: the term appears bounded by non-alphanumeric characters (Kusto's term match).
const (
	hasSQL       = "regexp_matches(%[1]s, '(^|[^[:alnum:]])' || regexp_escape(%[2]s) || '($|[^[:alnum:]])')"
	hasPrefixSQL = "regexp_matches(%[1]s, '(^|[^[:alnum:]])' || regexp_escape(%[2]s))"
	hasSuffixSQL = "regexp_matches(%[1]s, regexp_escape(%[2]s) || '($|[^[:alnum:]])')"
)

func (c *compiler) binary(x *syntax.Binary, sc scope) (typed, error) {
	l, err := c.expr(x.X, sc)
	if err != nil {
		return l, err
	}
	r, err := c.expr(x.Y, sc)
	if err != nil {
		return r, err
	}
	op := strings.ToLower(x.Op)
	if so, ok := stringOps[op]; ok {
		ls, rs := asString(l), asString(r)
		if so.caseless { // lower() both sides, never ILIKE (3–6× slower on DuckDB)
			ls, rs = "lower("+ls+")", "lower("+rs+")"
		}
		s := fmt.Sprintf(so.sql, ls, rs)
		if so.not {
			s = "(NOT " + s + ")"
		}
		return typed{sql: s, typ: schema.Bool}, nil
	}
	switch op {
	case "and", "or":
		return typed{sql: fmt.Sprintf("(%s %s %s)", convert(l, schema.Bool).sql, strings.ToUpper(op), convert(r, schema.Bool).sql), typ: schema.Bool}, nil
	case "==", "!=", "<>", "<", "<=", ">", ">=":
		return compare(op, l, r), nil
	case "+", "-", "*", "/", "%":
		return arith(x, op, l, r)
	}
	return typed{}, errAt(x, "operator %q is not supported yet by the query engine", x.Op)
}

// unify brings two operands to a common type for comparison.
func unify(l, r typed) (typed, typed) {
	switch {
	case l.typ == r.typ:
	case l.typ == schema.Dynamic:
		l = convert(l, r.typ)
	case r.typ == schema.Dynamic:
		r = convert(r, l.typ)
	case isNum(l.typ) && isNum(r.typ):
	case l.typ == schema.String:
		l = convert(l, r.typ)
	case r.typ == schema.String:
		r = convert(r, l.typ)
	case l.typ == schema.Bool && isNum(r.typ):
		l = convert(l, r.typ)
	case r.typ == schema.Bool && isNum(l.typ):
		r = convert(r, l.typ)
	}
	return l, r
}

func compare(op string, l, r typed) typed {
	l, r = unify(l, r)
	if l.typ == schema.Dynamic && r.typ == schema.Dynamic {
		l.sql, r.sql = "CAST("+l.sql+" AS VARCHAR)", "CAST("+r.sql+" AS VARCHAR)"
	}
	if (op == "!=" || op == "<>") && l.typ == schema.String { // strings are never null
		return typed{sql: fmt.Sprintf("(coalesce(%s, '') <> coalesce(%s, ''))", l.sql, r.sql), typ: schema.Bool}
	}
	// Kusto: null != 5 is true (the null-values page), so != is IS DISTINCT FROM
	sqlOp := map[string]string{"==": "=", "!=": "IS DISTINCT FROM", "<>": "IS DISTINCT FROM"}[op]
	if sqlOp == "" {
		sqlOp = op
	}
	return typed{sql: fmt.Sprintf("(%s %s %s)", l.sql, sqlOp, r.sql), typ: schema.Bool}
}

func arith(x syntax.Node, op string, l, r typed) (typed, error) {
	if l.typ == schema.Dynamic && r.typ != schema.Dynamic {
		l = convert(l, dynArithType(r.typ))
	} else if r.typ == schema.Dynamic && l.typ != schema.Dynamic {
		r = convert(r, dynArithType(l.typ))
	} else if l.typ == schema.Dynamic {
		l, r = convert(l, schema.Real), convert(r, schema.Real)
	}
	lt, rt := l.typ, r.typ
	dt, ts := schema.DateTime, schema.TimeSpan
	out := func(sql string, t schema.Type) (typed, error) { return typed{sql: sql, typ: t}, nil }
	switch {
	case lt == dt && rt == ts && (op == "+" || op == "-"):
		return out(fmt.Sprintf("(%s %s %s)", l.sql, op, ticksToInterval(r.sql)), dt)
	case lt == ts && rt == dt && op == "+":
		return out(fmt.Sprintf("(%s + %s)", r.sql, ticksToInterval(l.sql)), dt)
	case lt == dt && rt == dt && op == "-":
		return out(fmt.Sprintf("((epoch_us(%s) - epoch_us(%s)) * 10)", l.sql, r.sql), ts)
	case lt == ts && rt == ts:
		switch op {
		case "/":
			return out(fmt.Sprintf("(CAST(%s AS DOUBLE) / %s)", l.sql, r.sql), schema.Real)
		default:
			return out(fmt.Sprintf("(%s %s %s)", l.sql, op, r.sql), ts)
		}
	case lt == ts && isNum(rt) && (op == "*" || op == "/"):
		return out(fmt.Sprintf("CAST(round(CAST(%s AS DOUBLE) %s %s) AS BIGINT)", l.sql, op, r.sql), ts)
	case isNum(lt) && rt == ts && op == "*":
		return out(fmt.Sprintf("CAST(round(CAST(%s AS DOUBLE) * %s) AS BIGINT)", r.sql, l.sql), ts)
	case isNum(lt) && isNum(rt) && op == "%":
		// Kusto's remainder is never negative: -14 % 12 == 10
		t := numType(lt, rt)
		return out(fmt.Sprintf("(((%[1]s %% %[2]s) + abs(%[2]s)) %% abs(%[2]s))", l.sql, r.sql), t)
	case isNum(lt) && isNum(rt):
		t := numType(lt, rt)
		if op == "/" && isInt(lt) && isInt(rt) {
			return out(fmt.Sprintf("(%s // %s)", l.sql, r.sql), t)
		}
		if t == schema.Long && op != "/" { // long arithmetic in BIGINT, never INTEGER overflow
			return out(fmt.Sprintf("(CAST(%s AS BIGINT) %s %s)", l.sql, op, r.sql), t)
		}
		return out(fmt.Sprintf("(%s %s %s)", l.sql, op, r.sql), t)
	case (lt == dt || lt == ts) && isNum(rt) && (op == "+" || op == "-"):
		// Kusto reads a number beside a datetime as ticks
		return arith(x, op, l, typed{sql: r.sql, typ: ts})
	}
	return typed{}, errAt(x, "operator %q cannot combine %s and %s", op, lt, rt)
}

func dynArithType(t schema.Type) schema.Type {
	if t == schema.DateTime || t == schema.TimeSpan {
		return schema.TimeSpan
	}
	return t
}

func (c *compiler) between(x *syntax.BetweenExpr, sc scope) (typed, error) {
	v, err := c.expr(x.X, sc)
	if err != nil {
		return v, err
	}
	lo, err := c.expr(x.Lo, sc)
	if err != nil {
		return lo, err
	}
	hi, err := c.expr(x.Hi, sc)
	if err != nil {
		return hi, err
	}
	a, b := compare(">=", v, lo), compare("<=", v, hi)
	s := "(" + a.sql + " AND " + b.sql + ")"
	if x.Not {
		s = "(NOT " + s + ")"
	}
	return typed{sql: s, typ: schema.Bool}, nil
}

// in compiles in, !in, in~, !in~, has_any and has_all over constants, dynamic arrays and
// single-column tabular expressions.
func (c *compiler) in(x *syntax.InExpr, sc scope) (typed, error) {
	v, err := c.expr(x.X, sc)
	if err != nil {
		return v, err
	}
	op := strings.ToLower(x.Op)
	caseless := strings.HasSuffix(op, "~") || op == "has_any" || op == "has_all"
	var items []typed   // scalar items
	var arrays []string // JSON arrays whose elements are items too
	var subs []string   // one-column subqueries
	for _, e := range x.List {
		if isTabular(e, c) {
			r, err := c.tabular(e)
			if err != nil {
				return typed{}, err
			}
			if len(r.cols) == 0 {
				return typed{}, errAt(e, "the tabular expression has no columns")
			}
			col := typed{sql: quote(r.cols[0].Name), typ: r.cols[0].Type}
			subs = append(subs, fmt.Sprintf("SELECT %s FROM (%s) AS s", asString(col), r.sql))
			continue
		}
		t, err := c.expr(e, sc)
		if err != nil {
			return t, err
		}
		if t.typ == schema.Dynamic {
			arrays = append(arrays, t.sql)
			continue
		}
		items = append(items, t)
	}
	norm := func(s string) string {
		if caseless {
			return "lower(" + s + ")"
		}
		return s
	}
	// Values compare as text when the types differ (Kusto's dynamic lists hold any type).
	left := v
	asText := v.typ == schema.String || len(arrays) > 0 || len(subs) > 0
	for _, it := range items {
		if it.typ != v.typ && !(isNum(it.typ) && isNum(v.typ)) {
			asText = true
		}
	}
	var conds []string
	lsql := left.sql
	if asText {
		lsql = asString(left)
	}
	lsql = norm(lsql)
	switch op {
	case "has_any", "has_all":
		var terms []string
		for _, it := range items {
			terms = append(terms, fmt.Sprintf(hasSQL, lsql, norm(asString(it))))
		}
		for _, a := range arrays {
			terms = append(terms, fmt.Sprintf("len(list_filter(from_json(%s, '[\"JSON\"]'), lambda __e: %s)) %s", a, fmt.Sprintf(hasSQL, lsql, norm(dynText("__e"))), map[bool]string{true: "> 0", false: "= json_array_length(" + a + ")"}[op == "has_any"]))
		}
		for _, s := range subs {
			conds = append(conds, fmt.Sprintf("EXISTS (SELECT 1 FROM (%s) AS h(v) WHERE %s)", s, fmt.Sprintf(hasSQL, lsql, norm("h.v"))))
		}
		joiner := " OR "
		if op == "has_all" {
			joiner = " AND "
		}
		conds = append(conds, terms...)
		if len(conds) == 0 {
			return typed{sql: map[bool]string{true: "FALSE", false: "TRUE"}[op == "has_any"], typ: schema.Bool}, nil
		}
		return typed{sql: "(" + strings.Join(conds, joiner) + ")", typ: schema.Bool}, nil
	}
	if len(items) > 0 {
		var list []string
		for _, it := range items {
			s := it.sql
			if asText {
				s = asString(it)
			}
			list = append(list, norm(s))
		}
		conds = append(conds, fmt.Sprintf("%s IN (%s)", lsql, strings.Join(list, ", ")))
	}
	for _, a := range arrays {
		conds = append(conds, fmt.Sprintf("list_contains(list_transform(from_json(%s, '[\"JSON\"]'), lambda __e: %s), %s)", a, norm(dynText("__e")), lsql))
	}
	for _, s := range subs {
		conds = append(conds, fmt.Sprintf("%s IN (SELECT %s FROM (%s) AS i(v))", lsql, norm("i.v"), s))
	}
	if len(conds) == 0 {
		conds = []string{"FALSE"}
	}
	s := "(" + strings.Join(conds, " OR ") + ")"
	if strings.HasPrefix(op, "!") {
		s = "(NOT coalesce(" + s + ", FALSE))"
	}
	return typed{sql: s, typ: schema.Bool}, nil
}

// isTabular reports whether an expression is a tabular one (a pipe, a let-bound table).
func isTabular(e syntax.Expr, c *compiler) bool {
	switch x := e.(type) {
	case *syntax.Pipe, *syntax.DatatableOp, *syntax.RangeOp, *syntax.PrintOp, *syntax.UnionOp:
		return true
	case *syntax.Paren:
		return isTabular(x.X, c)
	case *syntax.Ident:
		_, ok := c.tabs[x.Name]
		return ok
	}
	return false
}

// dynamicPath compiles a.b, a['b'] and a[0] over a dynamic value to JSON.
func (c *compiler) dynamicPath(e syntax.Expr, sc scope) (typed, error) {
	var path []string // JSON path pieces, or SQL for computed indexes
	var computed []bool
	cur := e
loop:
	for {
		switch x := cur.(type) {
		case *syntax.Member:
			if id, ok := x.X.(*syntax.Ident); ok && (id.Name == "$left" || id.Name == "$right") {
				break loop
			}
			path = append([]string{"." + jsonKey(x.Name.Name)}, path...)
			computed = append([]bool{false}, computed...)
			cur = x.X
		case *syntax.Index:
			idx, err := c.expr(x.Index, sc)
			if err != nil {
				return idx, err
			}
			switch {
			case idx.konst && idx.typ == schema.String:
				path = append([]string{"." + jsonKey(idx.val.(string))}, path...)
				computed = append([]bool{false}, computed...)
			case idx.konst && isInt(idx.typ):
				n := idx.val.(int64)
				if n < 0 {
					path = append([]string{fmt.Sprintf("[#%d]", n)}, path...)
				} else {
					path = append([]string{fmt.Sprintf("[%d]", n)}, path...)
				}
				computed = append([]bool{false}, computed...)
			case isInt(idx.typ):
				path = append([]string{fmt.Sprintf("'[' || (CASE WHEN %[1]s < 0 THEN '#' || %[1]s ELSE CAST(%[1]s AS VARCHAR) END) || ']'", idx.sql)}, path...)
				computed = append([]bool{true}, computed...)
			default:
				path = append([]string{fmt.Sprintf("'.' || to_json(%s)", asString(idx))}, path...)
				computed = append([]bool{true}, computed...)
			}
			cur = x.X
		default:
			break loop
		}
	}
	base, err := c.expr(cur, sc)
	if err != nil {
		return base, err
	}
	if len(path) == 0 {
		return base, nil
	}
	if base.typ != schema.Dynamic {
		if base.typ != schema.String {
			return typed{}, errAt(e, "only dynamic values can be indexed (this is %s)", base.typ)
		}
		base = typed{sql: "TRY_CAST(" + base.sql + " AS JSON)", typ: schema.Dynamic}
	}
	parts := []string{"'$'"}
	lit := "$"
	allConst := true
	for i, p := range path {
		if computed[i] {
			allConst = false
			parts = append(parts, p)
		} else {
			lit += p
			parts = append(parts, sqlString(p))
		}
	}
	pathSQL := sqlString(lit)
	if !allConst {
		pathSQL = strings.Join(parts, " || ")
	}
	return typed{sql: fmt.Sprintf("json_extract(%s, %s)", base.sql, pathSQL), typ: schema.Dynamic}, nil
}

// jsonKey quotes a property name for a JSON path when it is not a plain identifier.
func jsonKey(k string) string {
	for _, r := range k {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return `"` + strings.ReplaceAll(k, `"`, `\"`) + `"`
		}
	}
	if k == "" {
		return `""`
	}
	return k
}
