package lite

import (
	"fmt"
	"strings"

	"github.com/rampart-soc/rampart/internal/kql/syntax"
	"github.com/rampart-soc/rampart/internal/schema"
)

// scalar functions: name → (SQL template over the compiled arguments, result type).
// %[1]s … are the arguments in order.
var scalars = map[string]struct {
	args int
	sql  string
	typ  schema.Type // "" = the first argument's type
}{
	"isempty":         {1, "(%[1]s IS NULL OR CAST(%[1]s AS VARCHAR) = '')", schema.Bool},
	"isnotempty":      {1, "(%[1]s IS NOT NULL AND CAST(%[1]s AS VARCHAR) <> '')", schema.Bool},
	"isnull":          {1, "(%[1]s IS NULL)", schema.Bool},
	"isnotnull":       {1, "(%[1]s IS NOT NULL)", schema.Bool},
	"tolower":         {1, "lower(%[1]s)", schema.String},
	"toupper":         {1, "upper(%[1]s)", schema.String},
	"strlen":          {1, "length(%[1]s)", schema.Long},
	"tolong":          {1, "TRY_CAST(%[1]s AS BIGINT)", schema.Long},
	"toint":           {1, "TRY_CAST(%[1]s AS INTEGER)", schema.Int},
	"toreal":          {1, "TRY_CAST(%[1]s AS DOUBLE)", schema.Real},
	"todouble":        {1, "TRY_CAST(%[1]s AS DOUBLE)", schema.Real},
	"todatetime":      {1, "TRY_CAST(%[1]s AS TIMESTAMP)", schema.DateTime},
	"tobool":          {1, "TRY_CAST(%[1]s AS BOOLEAN)", schema.Bool},
	"parse_json":      {1, "TRY_CAST(%[1]s AS JSON)", schema.Dynamic},
	"todynamic":       {1, "TRY_CAST(%[1]s AS JSON)", schema.Dynamic},
	"now":             {0, "", schema.DateTime},
	"ago":             {1, "", schema.DateTime},
	"bin":             {2, "", ""},
	"floor":           {2, "", ""},
	"startofday":      {1, "date_trunc('day', %[1]s)", schema.DateTime},
	"startofhour":     {1, "date_trunc('hour', %[1]s)", schema.DateTime},
	"substring":       {3, "substr(%[1]s, (%[2]s) + 1, %[3]s)", schema.String},
	"strcat":          {-1, "", schema.String},
	"iff":             {3, "(CASE WHEN %[1]s THEN %[2]s ELSE %[3]s END)", ""},
	"iif":             {3, "(CASE WHEN %[1]s THEN %[2]s ELSE %[3]s END)", ""},
	"coalesce":        {-1, "", ""},
	"extract":         {3, "regexp_extract(%[3]s, %[1]s, CAST(%[2]s AS INTEGER))", schema.String},
	"replace_string":  {3, "replace(%[1]s, %[2]s, %[3]s)", schema.String},
	"trim":            {2, "regexp_replace(regexp_replace(%[2]s, '^(' || %[1]s || ')+', ''), '(' || %[1]s || ')+$', '')", schema.String},
	"abs":             {1, "abs(%[1]s)", ""},
	"round":           {1, "round(%[1]s)", ""},
	"not":             {1, "(NOT %[1]s)", schema.Bool},
	"dayofweek":       {1, "(INTERVAL 1 DAY * dayofweek(%[1]s))", schema.TimeSpan},
	"hourofday":       {1, "hour(%[1]s)", schema.Int},
	"array_length":    {1, "json_array_length(%[1]s)", schema.Long},
	"ipv4_is_private": {1, "(regexp_matches(%[1]s, '^(10\\.|192\\.168\\.|172\\.(1[6-9]|2[0-9]|3[01])\\.)'))", schema.Bool},
}

func (c *compiler) call(x *syntax.Call, sc scope) (typed, error) {
	name := strings.ToLower(x.Name())
	if name == "tostring" && len(x.Args) == 1 {
		a, err := c.expr(x.Args[0], sc)
		if err != nil {
			return a, err
		}
		if a.typ == schema.Dynamic {
			return typed{fmt.Sprintf("coalesce(CASE WHEN json_type(%[1]s) = 'VARCHAR' THEN %[1]s->>'$' ELSE CAST(%[1]s AS VARCHAR) END, '')", a.sql), schema.String}, nil
		}
		return typed{fmt.Sprintf("coalesce(CAST(%s AS VARCHAR), '')", a.sql), schema.String}, nil
	}
	f, ok := scalars[name]
	if !ok {
		return typed{}, errAt(x, "function %s() is not supported yet by the query engine", x.Name())
	}
	if f.args >= 0 && len(x.Args) != f.args {
		return typed{}, errAt(x, "%s() takes %d argument(s), got %d", name, f.args, len(x.Args))
	}
	args := make([]any, len(x.Args))
	var first schema.Type
	for i, a := range x.Args {
		t, err := c.expr(a, sc)
		if err != nil {
			return t, err
		}
		args[i] = t.sql
		if i == 0 {
			first = t.typ
		} else if i == 1 && (name == "iff" || name == "iif") {
			first = t.typ
		}
	}
	typ := f.typ
	if typ == "" {
		typ = first
	}
	nowSQL := "TIMESTAMP '" + c.now.UTC().Format("2006-01-02 15:04:05.999999") + "'"
	switch name {
	case "now":
		return typed{nowSQL, schema.DateTime}, nil
	case "ago":
		return typed{fmt.Sprintf("(%s - %s)", nowSQL, args[0]), schema.DateTime}, nil
	case "bin", "floor":
		if first == schema.DateTime {
			return typed{fmt.Sprintf("time_bucket(%s, %s, TIMESTAMP '1970-01-01')", args[1], args[0]), schema.DateTime}, nil
		}
		return typed{fmt.Sprintf("(floor((%s) / (%s)) * (%s))", args[0], args[1], args[1]), first}, nil
	case "strcat":
		parts := make([]string, len(args))
		for i, a := range args {
			parts[i] = fmt.Sprintf("coalesce(CAST(%s AS VARCHAR), '')", a)
		}
		return typed{"(" + strings.Join(parts, " || ") + ")", schema.String}, nil
	case "coalesce":
		parts := make([]string, len(args))
		for i, a := range args {
			parts[i] = a.(string)
		}
		return typed{"coalesce(" + strings.Join(parts, ", ") + ")", first}, nil
	}
	return typed{fmt.Sprintf(f.sql, args...), typ}, nil
}

// aggregates: name → SQL template and result type ("" = argument's type).
var aggregates = map[string]struct {
	sql string
	typ schema.Type
}{
	"count":      {"count(*)", schema.Long},
	"countif":    {"count_if(%[1]s)", schema.Long},
	"dcount":     {"approx_count_distinct(%[1]s)", schema.Long},
	"dcountif":   {"count(DISTINCT CASE WHEN %[2]s THEN %[1]s END)", schema.Long},
	"sum":        {"sum(%[1]s)", ""},
	"avg":        {"avg(%[1]s)", schema.Real},
	"min":        {"min(%[1]s)", ""},
	"max":        {"max(%[1]s)", ""},
	"make_set":   {"to_json(list_distinct(list(%[1]s)))", schema.Dynamic},
	"makeset":    {"to_json(list_distinct(list(%[1]s)))", schema.Dynamic},
	"make_list":  {"to_json(list(%[1]s))", schema.Dynamic},
	"makelist":   {"to_json(list(%[1]s))", schema.Dynamic},
	"any":        {"any_value(%[1]s)", ""},
	"take_any":   {"any_value(%[1]s)", ""},
	"percentile": {"quantile_cont(%[1]s, (%[2]s) / 100.0)", schema.Real},
	"stdev":      {"stddev_samp(%[1]s)", schema.Real},
}

// aggregate compiles one summarize aggregation and names it as Kusto does.
func (c *compiler) aggregate(e syntax.Expr, sc scope) (name string, t typed, err error) {
	if as, ok := e.(*syntax.Assign); ok && len(as.Names) == 1 {
		_, t, err = c.aggregate(as.Value, sc)
		return as.Names[0].Name, t, err
	}
	call, ok := e.(*syntax.Call)
	if !ok {
		return "", typed{}, errAt(e, "summarize expects aggregation functions such as count() or dcount(x)")
	}
	fn := strings.ToLower(call.Name())
	a, ok := aggregates[fn]
	if !ok {
		return "", typed{}, errAt(call, "aggregation %s() is not supported yet by the query engine", call.Name())
	}
	args := make([]any, len(call.Args))
	var first schema.Type
	var firstName string
	for i, arg := range call.Args {
		at, err := c.expr(arg, sc)
		if err != nil {
			return "", at, err
		}
		args[i] = at.sql
		if i == 0 {
			first = at.typ
			if id, ok := arg.(*syntax.Ident); ok {
				firstName = id.Name
			}
		}
	}
	if fn != "count" && len(args) == 0 {
		return "", typed{}, errAt(call, "%s() needs an argument", fn)
	}
	typ := a.typ
	if typ == "" {
		typ = first
	}
	// Kusto's output names: count_, dcount_X, sum_X, make_set_X, ...
	name = fn + "_"
	if firstName != "" && fn != "count" {
		name = fn + "_" + firstName
	}
	if fn == "count" {
		name = "count_"
	}
	if strings.Count(a.sql, "%[") > len(args) {
		return "", typed{}, errAt(call, "%s() needs more arguments", fn)
	}
	return name, typed{fmt.Sprintf(a.sql, args...), typ}, nil
}
