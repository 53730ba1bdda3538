package lite

import (
	"fmt"
	"strings"

	"github.com/rampart-soc/rampart/internal/kql/syntax"
	"github.com/rampart-soc/rampart/internal/schema"
)

// impl compiles a scalar function call from its compiled arguments.
type impl func(c *compiler, x *syntax.Call, a []typed) (typed, error)

type scalarFn struct {
	min, max int // max < 0: any number
	impl     impl
}

var (
	scalars = map[string]scalarFn{}
	// rawScalars get the call's syntax: their arguments are not all plain values.
	rawScalars = map[string]func(c *compiler, x *syntax.Call, sc scope) (typed, error){}
)

// def registers a scalar function under its names (aliases separated by spaces).
func def(names string, min, max int, f impl) {
	for _, n := range strings.Fields(names) {
		scalars[n] = scalarFn{min, max, f}
	}
}

// sameType as a result type means "the first argument's type".
const sameType schema.Type = "="

// sqlT is a template over the arguments, each converted to conv[i] when given.
func sqlT(typ schema.Type, format string, conv ...schema.Type) impl {
	return func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		args := make([]any, len(a))
		for i, t := range a {
			if i < len(conv) && conv[i] != "" && t.typ != conv[i] {
				t = convert(t, conv[i])
			}
			args[i] = t.sql
		}
		t := typ
		if t == sameType {
			t = a[0].typ
		}
		return typed{sql: fmt.Sprintf(format, args...), typ: t}, nil
	}
}

// jsonArg is a dynamic argument as JSON text for a UDF.
func jsonArg(t typed) string { return "CAST(" + asJSON(t) + " AS VARCHAR)" }

// udfT calls kql_<name> over the arguments converted to conv[i]; dynamic arguments and
// results travel as JSON text.
func udfT(typ schema.Type, name string, conv ...schema.Type) impl {
	return func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		var args []string
		for i, t := range a {
			want := schema.Type("")
			if i < len(conv) {
				want = conv[i]
			} else if len(conv) > 0 {
				want = conv[len(conv)-1]
			}
			switch {
			case want == schema.Dynamic:
				args = append(args, jsonArg(t))
			case want != "" && want != t.typ:
				args = append(args, convert(t, want).sql)
			default:
				args = append(args, t.sql)
			}
		}
		s := "kql_" + name + "(" + strings.Join(args, ", ") + ")"
		if typ == schema.Dynamic {
			s = "CAST(" + s + " AS JSON)"
		}
		return typed{sql: s, typ: typ}, nil
	}
}

func (c *compiler) call(x *syntax.Call, sc scope) (typed, error) {
	name := x.Name()
	if name == "" {
		return typed{}, errAt(x, "this call is not supported yet by the query engine")
	}
	if f, ok := c.funcs[name]; ok {
		if c.funcIsTabular(f) {
			return typed{}, errAt(x, "%s() returns a table; use toscalar() for a single value", name)
		}
		return c.callUser(x, f, x.Args, sc)
	}
	if a, ok := aggregates[name]; ok && c.agg != nil {
		return c.aggregate(x, a, sc)
	}
	if r, ok := rawScalars[name]; ok {
		return r(c, x, sc)
	}
	f, ok := scalars[name]
	if !ok {
		if _, isAgg := aggregates[name]; isAgg {
			return typed{}, errAt(x, "aggregation %s() is only allowed in summarize", name)
		}
		return typed{}, errAt(x, "function %s() is not supported yet by the query engine", name)
	}
	if len(x.Args) < f.min || (f.max >= 0 && len(x.Args) > f.max) {
		return typed{}, errAt(x, "%s() takes %s, got %d", name, arity(f.min, f.max), len(x.Args))
	}
	args := make([]typed, len(x.Args))
	for i, e := range x.Args {
		if na, ok := e.(*syntax.NamedArg); ok {
			e = na.Value
		}
		if tt, ok := e.(*syntax.TypeOf); ok { // typeof(long) as an argument: its type name
			args[i] = typed{sql: sqlString(tt.Type.Name), typ: schema.String, val: "typeof:" + tt.Type.Name, konst: true}
			continue
		}
		t, err := c.expr(e, sc)
		if err != nil {
			return t, err
		}
		args[i] = t
	}
	t, err := f.impl(c, x, args)
	if err != nil {
		if _, ok := err.(*Error); ok {
			return t, err
		}
		return t, errAt(x, "%s(): %v", name, err)
	}
	return t, nil
}

// constString is an argument that must be a constant string (formats, units, parts).
func constString(x syntax.Node, t typed, what string) (string, error) {
	s, ok := t.val.(string)
	if !t.konst || !ok {
		return "", errAt(x, "%s must be a constant string", what)
	}
	return s, nil
}

// commonType is the type that values of several branches (iff, case, coalesce) share.
func commonType(ts []typed) schema.Type {
	var out schema.Type
	for _, t := range ts {
		if t.typ == "" {
			continue
		}
		switch {
		case out == "" || out == t.typ:
			out = t.typ
		case isNum(out) && isNum(t.typ):
			out = numType(out, t.typ)
		case t.typ == schema.Dynamic || out == schema.Dynamic:
			out = schema.Dynamic
		}
	}
	if out == "" {
		out = schema.String
	}
	return out
}

func unifyAll(ts []typed) ([]string, schema.Type) {
	typ := commonType(ts)
	out := make([]string, len(ts))
	for i, t := range ts {
		if t.typ != typ {
			t = convert(t, typ)
		}
		out[i] = t.sql
	}
	return out, typ
}
