// Package lite compiles a subset of KQL to DuckDB SQL: one table piped through where,
// project, project-away, extend, summarize, take/limit, sort/order, top, count and distinct,
// with the scalar operators and functions Sentinel's rules use most. Everything outside the
// subset is refused with an error that names it. It is the query path until the full
// engine (type checker and compiler) lands.
package lite

import (
	"fmt"
	"strconv"
	"strings"
	"time"

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

// typed is a compiled scalar: SQL text and its KQL type.
type typed struct {
	sql string
	typ schema.Type
}

func quote(id string) string { return `"` + strings.ReplaceAll(id, `"`, `""`) + `"` }

func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// scope is the columns visible to an expression.
type scope map[string]schema.Type

type compiler struct {
	now   time.Time
	lets  map[string]typed    // let name = scalar
	lists map[string][]string // let name = dynamic([...]), for in/has_any
	tabs  map[string]tabular  // let name = tabular expression
	n     int                 // subquery aliases
}

func (c *compiler) expr(e syntax.Expr, sc scope) (typed, error) {
	switch x := e.(type) {
	case *syntax.Paren:
		t, err := c.expr(x.X, sc)
		return typed{"(" + t.sql + ")", t.typ}, err
	case *syntax.Ident:
		typ, ok := sc[x.Name]
		if !ok {
			if t, ok := c.lets[x.Name]; ok {
				return t, nil
			}
			return typed{}, errAt(x, "unknown column %q", x.Name)
		}
		return typed{quote(x.Name), typ}, nil
	case *syntax.Literal:
		return c.literal(x)
	case *syntax.Unary:
		t, err := c.expr(x.X, sc)
		if err != nil {
			return t, err
		}
		return typed{"(" + x.Op + t.sql + ")", t.typ}, nil
	case *syntax.Binary:
		return c.binary(x, sc)
	case *syntax.InExpr:
		return c.in(x, sc)
	case *syntax.BetweenExpr:
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
		not := ""
		if x.Not {
			not = "NOT "
		}
		return typed{fmt.Sprintf("(%s %sBETWEEN %s AND %s)", v.sql, not, lo.sql, hi.sql), schema.Bool}, nil
	case *syntax.Call:
		return c.call(x, sc)
	case *syntax.Member, *syntax.Index:
		return c.dynamicPath(e, sc)
	}
	return typed{}, errAt(e, "this expression is not supported yet by the query engine")
}

func (c *compiler) literal(x *syntax.Literal) (typed, error) {
	if x.Null {
		return typed{"NULL", schema.Type(x.Type)}, nil
	}
	switch v := x.Value.(type) {
	case string:
		return typed{sqlString(v), schema.String}, nil
	case bool:
		if v {
			return typed{"TRUE", schema.Bool}, nil
		}
		return typed{"FALSE", schema.Bool}, nil
	case int64:
		if x.Type == "int" {
			return typed{strconv.FormatInt(v, 10), schema.Int}, nil
		}
		return typed{strconv.FormatInt(v, 10), schema.Long}, nil
	case float64:
		return typed{strconv.FormatFloat(v, 'g', -1, 64) + "::DOUBLE", schema.Real}, nil
	case time.Time:
		return typed{"TIMESTAMP '" + v.UTC().Format("2006-01-02 15:04:05.999999") + "'", schema.DateTime}, nil
	case time.Duration:
		return typed{fmt.Sprintf("to_microseconds(%d)", v.Microseconds()), schema.TimeSpan}, nil
	}
	return typed{}, errAt(x, "%s literals are not supported yet by the query engine", x.Type)
}

// stringOps are KQL's string operators: SQL template over lower-cased or exact operands.
var stringOps = map[string]struct {
	sql      string // %[1]s = left, %[2]s = right
	caseless bool
}{
	"=~":            {"(%[1]s = %[2]s)", true},
	"!~":            {"(%[1]s <> %[2]s)", true},
	"contains":      {"contains(%[1]s, %[2]s)", true},
	"!contains":     {"(NOT contains(%[1]s, %[2]s))", true},
	"contains_cs":   {"contains(%[1]s, %[2]s)", false},
	"!contains_cs":  {"(NOT contains(%[1]s, %[2]s))", false},
	"startswith":    {"starts_with(%[1]s, %[2]s)", true},
	"!startswith":   {"(NOT starts_with(%[1]s, %[2]s))", true},
	"startswith_cs": {"starts_with(%[1]s, %[2]s)", false},
	"endswith":      {"ends_with(%[1]s, %[2]s)", true},
	"!endswith":     {"(NOT ends_with(%[1]s, %[2]s))", true},
	"endswith_cs":   {"ends_with(%[1]s, %[2]s)", false},
	"hasprefix":     {"regexp_matches(%[1]s, '(^|[^[:alnum:]])' || regexp_escape(%[2]s))", true},
	"hassuffix":     {"regexp_matches(%[1]s, regexp_escape(%[2]s) || '($|[^[:alnum:]])')", true},
	// has: the term appears bounded by non-alphanumeric characters (Kusto's term match).
	"has":           {"regexp_matches(%[1]s, '(^|[^[:alnum:]])' || regexp_escape(%[2]s) || '($|[^[:alnum:]])')", true},
	"!has":          {"(NOT regexp_matches(%[1]s, '(^|[^[:alnum:]])' || regexp_escape(%[2]s) || '($|[^[:alnum:]])'))", true},
	"has_cs":        {"regexp_matches(%[1]s, '(^|[^[:alnum:]])' || regexp_escape(%[2]s) || '($|[^[:alnum:]])')", false},
	"matches regex": {"regexp_matches(%[1]s, %[2]s)", false},
}

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
		ls, rs := l.sql, r.sql
		if l.typ != schema.String {
			ls = "CAST(" + ls + " AS VARCHAR)"
		}
		if so.caseless { // lower() both sides, never ILIKE (3–6× slower on DuckDB)
			ls, rs = "lower("+ls+")", "lower("+rs+")"
		}
		return typed{fmt.Sprintf(so.sql, ls, rs), schema.Bool}, nil
	}
	switch op {
	case "and", "or":
		return typed{fmt.Sprintf("(%s %s %s)", l.sql, strings.ToUpper(op), r.sql), schema.Bool}, nil
	case "==", "!=", "<", "<=", ">", ">=":
		sqlOp := map[string]string{"==": "=", "!=": "<>"}[op]
		if sqlOp == "" {
			sqlOp = op
		}
		return typed{fmt.Sprintf("(%s %s %s)", l.sql, sqlOp, r.sql), schema.Bool}, nil
	case "+", "-", "*", "/", "%":
		typ := l.typ
		switch {
		case l.typ == schema.DateTime && r.typ == schema.DateTime && op == "-":
			typ = schema.TimeSpan
		case l.typ == schema.Real || r.typ == schema.Real:
			typ = schema.Real
		case l.typ == schema.TimeSpan && r.typ == schema.DateTime:
			typ = schema.DateTime
		}
		return typed{fmt.Sprintf("(%s %s %s)", l.sql, op, r.sql), typ}, nil
	}
	return typed{}, errAt(x, "operator %q is not supported yet by the query engine", x.Op)
}

func (c *compiler) in(x *syntax.InExpr, sc scope) (typed, error) {
	v, err := c.expr(x.X, sc)
	if err != nil {
		return v, err
	}
	caseless := strings.HasSuffix(x.Op, "~")
	var items []string
	for _, e := range x.List {
		if id, ok := e.(*syntax.Ident); ok && c.lists[id.Name] != nil {
			for _, it := range c.lists[id.Name] {
				if caseless {
					it = "lower(" + it + ")"
				}
				items = append(items, it)
			}
			continue
		}
		t, err := c.expr(e, sc)
		if err != nil {
			return t, err
		}
		if caseless {
			t.sql = "lower(" + t.sql + ")"
		}
		items = append(items, t.sql)
	}
	left := v.sql
	if caseless {
		left = "lower(" + left + ")"
	}
	switch strings.ToLower(x.Op) {
	case "in", "in~":
		return typed{fmt.Sprintf("(%s IN (%s))", left, strings.Join(items, ", ")), schema.Bool}, nil
	case "!in", "!in~":
		return typed{fmt.Sprintf("(%s NOT IN (%s))", left, strings.Join(items, ", ")), schema.Bool}, nil
	case "has_any":
		var ors []string
		for _, it := range items {
			ors = append(ors, fmt.Sprintf("regexp_matches(lower(%s), '(^|[^[:alnum:]])' || regexp_escape(lower(%s)) || '($|[^[:alnum:]])')", v.sql, it))
		}
		return typed{"(" + strings.Join(ors, " OR ") + ")", schema.Bool}, nil
	}
	return typed{}, errAt(x, "operator %q is not supported yet by the query engine", x.Op)
}

// dynamicPath compiles a.b, a['b'] and a[0] over a dynamic (JSON) column to JSON text.
func (c *compiler) dynamicPath(e syntax.Expr, sc scope) (typed, error) {
	var path []string
	cur := e
	for {
		switch x := cur.(type) {
		case *syntax.Member:
			path = append([]string{"." + x.Name.Name}, path...)
			cur = x.X
			continue
		case *syntax.Index:
			lit, ok := x.Index.(*syntax.Literal)
			if !ok {
				return typed{}, errAt(x, "only constant indexes are supported yet")
			}
			switch v := lit.Value.(type) {
			case string:
				path = append([]string{"." + v}, path...)
			case int64:
				path = append([]string{fmt.Sprintf("[%d]", v)}, path...)
			default:
				return typed{}, errAt(x, "index must be a string or an integer")
			}
			cur = x.X
			continue
		}
		break
	}
	base, err := c.expr(cur, sc)
	if err != nil {
		return base, err
	}
	if base.typ != schema.Dynamic {
		return typed{}, errAt(e, "only dynamic columns can be indexed")
	}
	return typed{fmt.Sprintf("json_extract(%s, %s)", base.sql, sqlString("$"+strings.Join(path, ""))), schema.Dynamic}, nil
}
