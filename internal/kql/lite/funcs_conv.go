package lite

import (
	"database/sql/driver"
	"fmt"
	"strings"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/rampart-soc/rampart/internal/kql/syntax"
	"github.com/rampart-soc/rampart/internal/schema"
)

// Conversions, conditionals, null tests and type inspection.
func init() {
	conv := func(t schema.Type) impl {
		return func(c *compiler, x *syntax.Call, a []typed) (typed, error) { return convert(a[0], t), nil }
	}
	def("tostring", 1, 1, conv(schema.String))
	def("toint", 1, 1, conv(schema.Int))
	def("tolong", 1, 1, conv(schema.Long))
	def("toreal todouble", 1, 1, conv(schema.Real))
	def("todecimal", 1, 1, conv(schema.Decimal))
	def("tobool toboolean", 1, 1, conv(schema.Bool))
	def("todatetime", 1, 1, conv(schema.DateTime))
	def("totimespan totime", 1, 1, conv(schema.TimeSpan))
	def("toguid", 1, 1, conv(schema.GUID))
	def("todynamic toobject parse_json parsejson", 1, 1, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		if a[0].typ != schema.String {
			return convert(a[0], schema.Dynamic), nil
		}
		return typed{sql: "CAST(kql_parse_json(" + a[0].sql + ") AS JSON)", typ: schema.Dynamic}, nil
	})
	addUDF(udf{name: "parse_json", in: []duckdb.Type{duckdb.TYPE_VARCHAR}, out: duckdb.TYPE_VARCHAR, fn: func(a []driver.Value) (any, error) {
		s := a[0].(string)
		if v, err := parseJSON(s); err == nil {
			return toJSON(v), nil
		}
		return toJSON(s), nil // text that is not JSON stays a string
	}})
	def("tohex", 1, 2, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		v := convert(a[0], schema.Long).sql
		s := fmt.Sprintf("lower(printf('%%x', %s))", v)
		if len(a) > 1 {
			s = fmt.Sprintf("lpad(%s, CAST(%s AS INTEGER), '0')", s, a[1].sql)
		}
		return typed{sql: s, typ: schema.String}, nil
	})

	def("iff iif", 3, 3, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		vals, typ := unifyAll(a[1:])
		return typed{sql: fmt.Sprintf("(CASE WHEN %s THEN %s ELSE %s END)", convert(a[0], schema.Bool).sql, vals[0], vals[1]), typ: typ}, nil
	})
	def("case", 3, -1, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		if len(a)%2 == 0 {
			return typed{}, fmt.Errorf("needs pairs of predicate and value, then an else value")
		}
		var branches []typed
		for i := 1; i < len(a); i += 2 {
			branches = append(branches, a[i])
		}
		branches = append(branches, a[len(a)-1])
		vals, typ := unifyAll(branches)
		var b strings.Builder
		b.WriteString("(CASE")
		for i := 0; i+1 < len(a); i += 2 {
			fmt.Fprintf(&b, " WHEN %s THEN %s", convert(a[i], schema.Bool).sql, vals[i/2])
		}
		fmt.Fprintf(&b, " ELSE %s END)", vals[len(vals)-1])
		return typed{sql: b.String(), typ: typ}, nil
	})
	def("coalesce", 1, -1, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		vals, typ := unifyAll(a)
		if typ == schema.String { // an empty string counts as null
			for i := range vals {
				vals[i] = "nullif(" + vals[i] + ", '')"
			}
			return typed{sql: "coalesce(" + strings.Join(vals, ", ") + ", '')", typ: typ}, nil
		}
		if typ == schema.Dynamic {
			for i := range vals {
				vals[i] = "(CASE WHEN json_type(" + vals[i] + ") = 'NULL' THEN NULL ELSE " + vals[i] + " END)"
			}
		}
		return typed{sql: "coalesce(" + strings.Join(vals, ", ") + ")", typ: typ}, nil
	})
	def("max_of", 1, -1, extremum("greatest"))
	def("min_of", 1, -1, extremum("least"))
	def("not", 1, 1, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		return typed{sql: "(NOT " + convert(a[0], schema.Bool).sql + ")", typ: schema.Bool}, nil
	})

	def("isnull", 1, 1, func(c *compiler, x *syntax.Call, a []typed) (typed, error) { return isNull(a[0], false), nil })
	def("isnotnull notnull", 1, 1, func(c *compiler, x *syntax.Call, a []typed) (typed, error) { return isNull(a[0], true), nil })
	def("isempty", 1, 1, func(c *compiler, x *syntax.Call, a []typed) (typed, error) { return isEmpty(a[0], false), nil })
	def("isnotempty notempty", 1, 1, func(c *compiler, x *syntax.Call, a []typed) (typed, error) { return isEmpty(a[0], true), nil })
	def("gettype", 1, 1, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		if a[0].typ != schema.Dynamic {
			name := string(a[0].typ)
			if name == "real" {
				name = "real"
			}
			return constant(name), nil
		}
		return typed{sql: fmt.Sprintf(`(CASE json_type(%[1]s) WHEN 'VARCHAR' THEN 'string' WHEN 'BIGINT' THEN 'long' WHEN 'UBIGINT' THEN 'long' WHEN 'DOUBLE' THEN 'real' WHEN 'BOOLEAN' THEN 'bool' WHEN 'ARRAY' THEN 'array' WHEN 'OBJECT' THEN 'dictionary' ELSE 'null' END)`, a[0].sql), typ: schema.String}, nil
	})
	def("new_guid", 0, 0, sqlT(schema.GUID, "uuid()"))
	def("assert", 2, 2, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		return typed{sql: fmt.Sprintf("(CASE WHEN %s THEN TRUE ELSE error('assert: ' || %s) END)", convert(a[0], schema.Bool).sql, asString(a[1])), typ: schema.Bool}, nil
	})
	def("rand", 0, 1, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		if len(a) == 1 {
			return typed{sql: fmt.Sprintf("CAST(floor(random() * %s) AS BIGINT)", a[0].sql), typ: schema.Long}, nil
		}
		return typed{sql: "random()", typ: schema.Real}, nil
	})
	def("hash_sha256", 1, 1, sqlT(schema.String, "sha256(%s)", schema.String))
	def("hash_sha1", 1, 1, sqlT(schema.String, "sha1(%s)", schema.String))
	def("hash_md5", 1, 1, sqlT(schema.String, "md5(%s)", schema.String))

	rawScalars["toscalar"] = func(c *compiler, x *syntax.Call, sc scope) (typed, error) {
		if len(x.Args) != 1 {
			return typed{}, errAt(x, "toscalar() takes one tabular expression")
		}
		saved := c.agg
		c.agg = nil
		defer func() { c.agg = saved }()
		if !c.isTabularExpr(x.Args[0]) {
			return c.expr(x.Args[0], sc)
		}
		r, err := c.tabular(x.Args[0])
		if err != nil {
			return typed{}, err
		}
		if len(r.cols) == 0 {
			return typed{}, errAt(x, "toscalar() needs a table with a column")
		}
		return typed{sql: fmt.Sprintf("(SELECT %s FROM (%s) AS %s LIMIT 1)", quote(r.cols[0].Name), r.sql, c.alias()), typ: r.cols[0].Type}, nil
	}
	rawScalars["ingestion_time"] = func(c *compiler, x *syntax.Call, sc scope) (typed, error) {
		if _, ok := sc[hiddenIngestion]; ok {
			return typed{sql: c.colRef(hiddenIngestion), typ: schema.DateTime}, nil
		}
		return nullOf(schema.DateTime), nil
	}
	rawScalars["column_ifexists"] = columnIfExists
	rawScalars["columnifexists"] = columnIfExists
}

func columnIfExists(c *compiler, x *syntax.Call, sc scope) (typed, error) {
	if len(x.Args) != 2 {
		return typed{}, errAt(x, "column_ifexists() takes a column name and a default")
	}
	name, err := c.expr(x.Args[0], scope{})
	if err != nil {
		return name, err
	}
	s, err := constString(x.Args[0], name, "the column name")
	if err != nil {
		return typed{}, err
	}
	if typ, ok := sc[s]; ok {
		return typed{sql: c.colRef(s), typ: typ}, nil
	}
	return c.expr(x.Args[1], sc)
}

func extremum(fn string) impl {
	return func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		vals, typ := unifyAll(a)
		return typed{sql: fn + "(" + strings.Join(vals, ", ") + ")", typ: typ}, nil
	}
}

// isNull: strings are never null in KQL; a dynamic JSON null is null.
func isNull(t typed, not bool) typed {
	var s string
	switch t.typ {
	case schema.String:
		s = "FALSE"
	case schema.Dynamic:
		s = "(" + t.sql + " IS NULL OR json_type(" + t.sql + ") = 'NULL')"
	default:
		s = "(" + t.sql + " IS NULL)"
	}
	if not {
		s = "(NOT " + s + ")"
	}
	return typed{sql: s, typ: schema.Bool}
}

// isEmpty: null or the empty string (a dynamic value counts by its text).
func isEmpty(t typed, not bool) typed {
	var s string
	switch t.typ {
	case schema.String:
		s = "coalesce(" + t.sql + " = '', TRUE)"
	case schema.Dynamic:
		s = "(" + dynText(t.sql) + " = '')"
	default:
		s = "(" + t.sql + " IS NULL)"
	}
	if not {
		s = "(NOT " + s + ")"
	}
	return typed{sql: s, typ: schema.Bool}
}
