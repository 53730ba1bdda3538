package lite

import (
	"fmt"
	"strings"

	"github.com/rampart-soc/rampart/internal/kql/syntax"
	"github.com/rampart-soc/rampart/internal/schema"
)

// aggFn is an aggregation function: its arity, Kusto's result name, and its SQL.
type aggFn struct {
	min, max int
	prefix   string // result name: prefix_FirstArgument (sum_x, count_); "" names it by the argument
	build    func(c *compiler, a []typed) (typed, error)
}

type aggState struct{}

func (a aggFn) resultName(c *compiler, x *syntax.Call, sc scope) string {
	saved := c.agg
	c.agg = nil
	defer func() { c.agg = saved }()
	first := ""
	if len(x.Args) > 0 {
		first = c.exprName(x.Args[0], sc)
	}
	if a.prefix == "" {
		return first
	}
	return a.prefix + "_" + first
}

// agg builds a template aggregate over its compiled arguments.
func agg(min, max int, prefix string, typ schema.Type, format string) aggFn {
	return aggFn{min, max, prefix, func(c *compiler, a []typed) (typed, error) {
		args := make([]any, len(a))
		for i, t := range a {
			args[i] = t.sql
		}
		t := typ
		if t == "" {
			t = a[0].typ
		}
		return typed{sql: fmt.Sprintf(format, args...), typ: t}, nil
	}}
}

// sumType is the type of a sum: longs stay long (DuckDB would widen to HUGEINT).
func sumAgg(prefix, cond string) aggFn {
	return aggFn{1, 2, prefix, func(c *compiler, a []typed) (typed, error) {
		filter := ""
		if cond != "" && len(a) > 1 {
			filter = " FILTER (WHERE " + a[1].sql + ")"
		}
		t := a[0].typ
		switch {
		case isInt(t):
			return typed{sql: "CAST(sum(" + a[0].sql + ")" + filter + " AS BIGINT)", typ: schema.Long}, nil
		case t == schema.TimeSpan:
			return typed{sql: "CAST(sum(" + a[0].sql + ")" + filter + " AS BIGINT)", typ: t}, nil
		case t == schema.Dynamic:
			return typed{sql: "sum(" + convert(a[0], schema.Real).sql + ")" + filter, typ: schema.Real}, nil
		}
		return typed{sql: "sum(" + a[0].sql + ")" + filter, typ: t}, nil
	}}
}

// listAgg collects values into a JSON array: make_list, make_set and their _if forms.
func listAgg(prefix string, set, withIf, withNulls bool) aggFn {
	max := 2
	if withIf {
		max = 3
	}
	return aggFn{1, max, prefix, func(c *compiler, a []typed) (typed, error) {
		var conds []string
		if !withNulls {
			conds = append(conds, a[0].sql+" IS NOT NULL")
		}
		rest := a[1:]
		if withIf {
			if len(rest) == 0 {
				return typed{}, fmt.Errorf("needs a condition")
			}
			conds = append(conds, convert(rest[0], schema.Bool).sql)
			rest = rest[1:]
		}
		filter := ""
		if len(conds) > 0 {
			filter = " FILTER (WHERE " + strings.Join(conds, " AND ") + ")"
		}
		list := "list(" + asJSON(a[0]) + ")" + filter
		if set {
			flatten := a[0].typ == schema.Dynamic // make_set adds an array's elements
			list = fmt.Sprintf("kql_array_distinct(CAST(to_json(%s) AS VARCHAR), %v)::JSON", list, flatten)
		} else {
			list = "to_json(" + list + ")"
		}
		if len(rest) > 0 {
			list = "kql_array_slice(CAST(" + list + " AS VARCHAR), 0, CAST(" + rest[0].sql + " AS BIGINT) - 1)::JSON"
		}
		return typed{sql: "coalesce(" + list + ", '[]'::JSON)", typ: schema.Dynamic}, nil
	}}
}

func bagAgg(withIf bool) aggFn {
	max := 2
	if withIf {
		max = 3
	}
	return aggFn{1, max, "bag", func(c *compiler, a []typed) (typed, error) {
		cond := "json_type(" + a[0].sql + ") = 'OBJECT'"
		if withIf && len(a) > 1 {
			cond += " AND " + convert(a[1], schema.Bool).sql
		}
		return typed{sql: fmt.Sprintf("coalesce(kql_bag_merge_all(CAST(to_json(list(%s) FILTER (WHERE %s)) AS VARCHAR))::JSON, '{}'::JSON)", a[0].sql, cond), typ: schema.Dynamic}, nil
	}}
}

// ifAgg is an aggregate with a FILTER on its last argument.
func ifAgg(prefix, fn string, typ schema.Type) aggFn {
	return aggFn{2, 2, prefix, func(c *compiler, a []typed) (typed, error) {
		t := typ
		if t == "" {
			t = a[0].typ
		}
		return typed{sql: fmt.Sprintf("%s(%s) FILTER (WHERE %s)", fn, a[0].sql, convert(a[1], schema.Bool).sql), typ: t}, nil
	}}
}

func numAgg(prefix, fn string) aggFn {
	return aggFn{1, 1, prefix, func(c *compiler, a []typed) (typed, error) {
		return typed{sql: fn + "(" + convert(a[0], schema.Real).sql + ")", typ: schema.Real}, nil
	}}
}

var aggregates = map[string]aggFn{}

func init() {
	for k, v := range map[string]aggFn{
		"count": {0, 1, "count", func(c *compiler, a []typed) (typed, error) {
			return typed{sql: "count(*)", typ: schema.Long}, nil // count(x) counts rows, nulls too
		}},
		"countif": agg(1, 1, "countif", schema.Long, "coalesce(count_if(%[1]s), 0)"),
		"dcount": {1, 2, "dcount", func(c *compiler, a []typed) (typed, error) {
			return typed{sql: "count(DISTINCT " + distinctKey(a[0]) + ")", typ: schema.Long}, nil
		}},
		"dcountif": {2, 3, "dcountif", func(c *compiler, a []typed) (typed, error) {
			return typed{sql: "count(DISTINCT " + distinctKey(a[0]) + ") FILTER (WHERE " + convert(a[1], schema.Bool).sql + ")", typ: schema.Long}, nil
		}},
		"count_distinct": {1, 1, "count_distinct", func(c *compiler, a []typed) (typed, error) {
			return typed{sql: "count(DISTINCT " + distinctKey(a[0]) + ")", typ: schema.Long}, nil
		}},
		"count_distinctif": {2, 2, "count_distinctif", func(c *compiler, a []typed) (typed, error) {
			return typed{sql: "count(DISTINCT " + distinctKey(a[0]) + ") FILTER (WHERE " + convert(a[1], schema.Bool).sql + ")", typ: schema.Long}, nil
		}},
		"sum":   sumAgg("sum", ""),
		"sumif": sumAgg("sumif", "if"),
		"avg": {1, 1, "avg", func(c *compiler, a []typed) (typed, error) {
			if a[0].typ == schema.TimeSpan {
				return typed{sql: "CAST(avg(" + a[0].sql + ") AS BIGINT)", typ: schema.TimeSpan}, nil
			}
			return typed{sql: "avg(" + convert(a[0], schema.Real).sql + ")", typ: schema.Real}, nil
		}},
		"avgif":                ifAgg("avgif", "avg", schema.Real),
		"min":                  minMax("min", "min", false),
		"max":                  minMax("max", "max", false),
		"minif":                minMax("minif", "min", true),
		"maxif":                minMax("maxif", "max", true),
		"make_list":            listAgg("list", false, false, false),
		"makelist":             listAgg("list", false, false, false),
		"make_list_if":         listAgg("list", false, true, false),
		"make_list_with_nulls": listAgg("list", false, false, true),
		"make_set":             listAgg("set", true, false, false),
		"makeset":              listAgg("set", true, false, false),
		"make_set_if":          listAgg("set", true, true, false),
		"make_bag":             bagAgg(false),
		"make_bag_if":          bagAgg(true),
		"make_dictionary":      bagAgg(false),
		"any":                  agg(1, 1, "any", "", "any_value(%[1]s)"),
		"anyif":                ifAgg("anyif", "any_value", ""),
		"take_any":             agg(1, 1, "", "", "any_value(%[1]s)"),
		"take_anyif":           ifAgg("", "any_value", ""),
		"stdev":                numAgg("stdev", "stddev_samp"),
		"stdevp":               numAgg("stdevp", "stddev_pop"),
		"variance":             numAgg("variance", "var_samp"),
		"variancep":            numAgg("variancep", "var_pop"),
		"stdevif":              ifAgg("stdevif", "stddev_samp", schema.Real),
		"varianceif":           ifAgg("varianceif", "var_samp", schema.Real),
		"covariance":           agg(2, 2, "covariance", schema.Real, "covar_samp(%[1]s, %[2]s)"),
		"covariancep":          agg(2, 2, "covariancep", schema.Real, "covar_pop(%[1]s, %[2]s)"),
		"covarianceif":         agg(3, 3, "covarianceif", schema.Real, "covar_samp(%[1]s, %[2]s) FILTER (WHERE %[3]s)"),
		"covariancepif":        agg(3, 3, "covariancepif", schema.Real, "covar_pop(%[1]s, %[2]s) FILTER (WHERE %[3]s)"),
		"binary_all_and":       agg(1, 1, "", schema.Long, "CAST(bit_and(%[1]s) AS BIGINT)"),
		"binary_all_or":        agg(1, 1, "", schema.Long, "CAST(bit_or(%[1]s) AS BIGINT)"),
		"binary_all_xor":       agg(1, 1, "", schema.Long, "CAST(bit_xor(%[1]s) AS BIGINT)"),
		"percentile": {2, 2, "percentile", func(c *compiler, a []typed) (typed, error) {
			return percentileSQL(a[0], a[1].sql), nil
		}},
		"percentiles_array": {2, -1, "percentiles", func(c *compiler, a []typed) (typed, error) {
			ps := a[1:]
			if len(ps) == 1 && ps[0].typ == schema.Dynamic {
				return typed{}, fmt.Errorf("percentiles as a dynamic array are not supported yet")
			}
			var items []string
			for _, p := range ps {
				items = append(items, asJSON(percentileSQL(a[0], p.sql)))
			}
			return typed{sql: "to_json([" + strings.Join(items, ", ") + "])", typ: schema.Dynamic}, nil
		}},
	} {
		aggregates[k] = v
	}
}

// distinctKey is what dcount compares: dynamic values by their JSON text.
func distinctKey(t typed) string {
	if t.typ == schema.Dynamic {
		return "CAST(" + t.sql + " AS VARCHAR)"
	}
	return t.sql
}

func minMax(prefix, fn string, withIf bool) aggFn {
	n := 1
	if withIf {
		n = 2
	}
	return aggFn{n, n, prefix, func(c *compiler, a []typed) (typed, error) {
		v := a[0]
		if v.typ == schema.Dynamic {
			v = convert(v, schema.Real)
		}
		s := fn + "(" + v.sql + ")"
		if withIf {
			s += " FILTER (WHERE " + convert(a[1], schema.Bool).sql + ")"
		}
		return typed{sql: s, typ: v.typ}, nil
	}}
}

// percentileSQL is the nearest-rank percentile Kusto computes: a value of the set.
func percentileSQL(x typed, p string) typed {
	v := x
	if v.typ == schema.Dynamic {
		v = convert(v, schema.Real)
	}
	return typed{sql: fmt.Sprintf("list_sort(list(%[1]s) FILTER (WHERE %[1]s IS NOT NULL))[greatest(1, CAST(ceil((%[2]s) / 100.0 * count(%[1]s)) AS BIGINT))]", v.sql, p), typ: v.typ}
}

// aggregate compiles an aggregation call inside summarize.
func (c *compiler) aggregate(x *syntax.Call, a aggFn, sc scope) (typed, error) {
	if len(x.Args) < a.min || (a.max >= 0 && len(x.Args) > a.max) {
		return typed{}, errAt(x, "%s() takes %s, got %d", x.Name(), arity(a.min, a.max), len(x.Args))
	}
	saved := c.agg
	c.agg = nil // no aggregates inside aggregates
	defer func() { c.agg = saved }()
	var args []typed
	for _, e := range x.Args {
		t, err := c.expr(e, sc)
		if err != nil {
			return t, err
		}
		args = append(args, t)
	}
	t, err := a.build(c, args)
	if err != nil {
		return t, errAt(x, "%s(): %v", x.Name(), err)
	}
	return t, nil
}

func arity(min, max int) string {
	switch {
	case max < 0:
		return fmt.Sprintf("at least %d argument(s)", min)
	case min == max:
		return fmt.Sprintf("%d argument(s)", min)
	}
	return fmt.Sprintf("%d to %d arguments", min, max)
}
