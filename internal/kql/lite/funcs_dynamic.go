package lite

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/rampart-soc/rampart/internal/kql/syntax"
	"github.com/rampart-soc/rampart/internal/schema"
)

// Dynamic (JSON) functions: arrays, property bags and sets.
func init() {
	J, L := schema.Dynamic, schema.Long
	def("array_length arraylength", 1, 1, sqlT(L, "(CASE WHEN json_type(%[1]s) = 'ARRAY' THEN CAST(json_array_length(%[1]s) AS BIGINT) END)", J))
	def("pack_array", 0, -1, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		items := make([]string, len(a))
		for i, t := range a {
			items[i] = asJSON(t)
		}
		if len(items) == 0 {
			return typed{sql: "'[]'::JSON", typ: J}, nil
		}
		return typed{sql: "to_json([" + strings.Join(items, ", ") + "])", typ: J}, nil
	})
	def("bag_pack pack pack_dictionary", 0, -1, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		if len(a)%2 != 0 {
			return typed{}, fmt.Errorf("needs key and value pairs")
		}
		return packSQL(a), nil
	})
	def("bag_keys", 1, 1, udfT(J, "bag_keys", J))
	def("bag_has_key", 2, 2, udfT(schema.Bool, "bag_has_key", J, schema.String))
	def("bag_merge", 1, -1, udfT(J, "bag_merge", J))
	def("bag_remove_keys", 2, 2, udfT(J, "bag_remove_keys", J, J))
	def("bag_set_key", 3, 3, udfT(J, "bag_set_key", J, schema.String, J))
	def("bag_zip", 2, 2, udfT(J, "bag_zip", J, J))
	def("array_concat", 1, -1, udfT(J, "array_concat", J))
	def("array_slice", 3, 3, udfT(J, "array_slice", J, L, L))
	def("array_reverse", 1, 1, udfT(J, "array_reverse", J))
	def("array_rotate_left", 2, 2, udfT(J, "array_rotate_left", J, L))
	def("array_rotate_right", 2, 2, udfT(J, "array_rotate_right", J, L))
	shift := func(name string) impl {
		return func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
			fill := "'null'"
			if len(a) > 2 {
				fill = jsonArg(a[2])
			}
			return typed{sql: fmt.Sprintf("CAST(kql_%s(%s, %s, %s) AS JSON)", name, jsonArg(a[0]), convert(a[1], L).sql, fill), typ: J}, nil
		}
	}
	def("array_shift_left", 2, 3, shift("array_shift_left"))
	def("array_shift_right", 2, 3, shift("array_shift_right"))
	sorter := func(desc bool) impl {
		return func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
			nullsLast := "TRUE"
			arrays := a
			if last := a[len(a)-1]; last.typ == schema.Bool {
				nullsLast, arrays = last.sql, a[:len(a)-1]
			}
			if len(arrays) != 1 {
				return typed{}, fmt.Errorf("sorting several arrays together is not supported yet")
			}
			return typed{sql: fmt.Sprintf("CAST(kql_array_sort(%s, %v, %s) AS JSON)", jsonArg(arrays[0]), strings.ToUpper(fmt.Sprint(desc)), nullsLast), typ: J}, nil
		}
	}
	def("array_sort_asc", 1, -1, sorter(false))
	def("array_sort_desc", 1, -1, sorter(true))
	def("array_sum", 1, 1, udfT(schema.Real, "array_sum", J))
	def("array_iff array_iif", 3, 3, udfT(J, "array_iff", J, J, J))
	def("array_split", 2, 2, udfT(J, "array_split", J, J))
	def("array_index_of", 2, 5, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		args := []string{jsonArg(a[0]), jsonArg(a[1]), "0", "-1", "1"}
		for i := 2; i < len(a); i++ {
			args[i] = convert(a[i], L).sql
		}
		return typed{sql: "kql_array_index_of(" + strings.Join(args, ", ") + ")", typ: L}, nil
	})
	def("set_has_element", 2, 2, udfT(schema.Bool, "set_has_element", J, J))
	def("set_union", 1, -1, udfT(J, "set_union", J))
	def("set_intersect", 1, -1, udfT(J, "set_intersect", J))
	def("set_difference", 1, -1, udfT(J, "set_difference", J))
	def("set_equals", 2, 2, udfT(schema.Bool, "set_equals", J, J))
	def("jaccard_index", 2, 2, udfT(schema.Real, "jaccard_index", J, J))
	def("zip", 2, -1, udfT(J, "zip", J))
	def("treepath", 1, 1, udfT(J, "treepath", J))
	def("dynamic_to_json", 1, 1, udfT(schema.String, "dynamic_to_json", J))
	def("extract_json extractjson", 2, 3, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		doc := jsonArg(a[1])
		if a[1].typ == schema.String {
			doc = a[1].sql
		}
		v := typed{sql: fmt.Sprintf("CAST(kql_extract_json(%s, %s) AS JSON)", asString(a[0]), doc), typ: J}
		if len(a) == 3 {
			if typ, ok := typeofArg(a[2]); ok {
				return convert(v, typ), nil
			}
		}
		return convert(v, schema.String), nil
	})
	def("repeat", 2, 2, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		return typed{sql: fmt.Sprintf("to_json(list_transform(range(greatest(CAST(%s AS BIGINT), 0)), lambda __i: %s))", a[1].sql, asJSON(a[0])), typ: J}, nil
	})
	def("range", 2, 3, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		step := constant(int64(1))
		if len(a) == 3 {
			step = a[2]
		}
		from, to := a[0], a[1]
		// Kusto caps the array at 1,048,576 elements
		switch {
		case from.typ == schema.DateTime:
			s := convert(step, schema.TimeSpan).sql
			n := fmt.Sprintf("((epoch_us(%s) - epoch_us(%s)) * 10) // (%s)", convert(to, schema.DateTime).sql, from.sql, s)
			return typed{sql: fmt.Sprintf("to_json(list_transform(generate_series(0, least(%s, 1048575)), lambda __i: kql_datetime_str(%s + to_microseconds(__i * (%s) // 10))))", n, from.sql, s), typ: J}, nil
		case from.typ == schema.TimeSpan:
			n := fmt.Sprintf("((%s) - (%s)) // (%s)", to.sql, from.sql, step.sql)
			return typed{sql: fmt.Sprintf("to_json(list_transform(generate_series(0, least(%s, 1048575)), lambda __i: kql_timespan_str(%s + __i * (%s))))", n, from.sql, step.sql), typ: J}, nil
		case isInt(from.typ) && isInt(to.typ) && isInt(step.typ):
			n := fmt.Sprintf("((%s) - (%s)) // (%s)", to.sql, from.sql, step.sql)
			return typed{sql: fmt.Sprintf("to_json(list_transform(generate_series(0, least(%s, %d)), lambda __i: CAST(%s + __i * (%s) AS BIGINT)))", n, maxArray-1, from.sql, step.sql), typ: J}, nil
		}
		n := fmt.Sprintf("CAST(floor((CAST(%s AS DOUBLE) - %s) / (%s) + 1e-9) AS BIGINT)", to.sql, from.sql, step.sql)
		return typed{sql: fmt.Sprintf("to_json(list_transform(generate_series(0, least(%s, 1048575)), lambda __i: CAST(%s + __i * (%s) AS DOUBLE)))", n, from.sql, step.sql), typ: J}, nil
	})
	rawScalars["pack_all"] = func(c *compiler, x *syntax.Call, sc scope) (typed, error) {
		skipEmpty := false
		if len(x.Args) == 1 {
			t, err := c.expr(x.Args[0], sc)
			if err != nil {
				return t, err
			}
			skipEmpty, _ = t.val.(bool)
		}
		var a []typed
		for _, col := range c.inCols {
			a = append(a, constant(col.Name), typed{sql: c.colRef(col.Name), typ: col.Type})
		}
		t := packSQL(a)
		if skipEmpty {
			t.sql = "kql_drop_empty(CAST(" + t.sql + " AS VARCHAR))::JSON"
		}
		return t, nil
	}
	rawScalars["column_names_of"] = func(c *compiler, x *syntax.Call, sc scope) (typed, error) {
		if len(x.Args) != 1 {
			return typed{}, errAt(x, "column_names_of() takes a table")
		}
		r, err := c.tabular(x.Args[0])
		if err != nil {
			return typed{}, err
		}
		var names []any
		for _, col := range r.cols {
			names = append(names, col.Name)
		}
		text := toJSON(append([]any{}, names...))
		return typed{sql: sqlString(text) + "::JSON", typ: J, val: json.RawMessage(text), konst: true}, nil
	}
	rawScalars["bag_pack_columns"] = func(c *compiler, x *syntax.Call, sc scope) (typed, error) {
		var a []typed
		for _, e := range x.Args {
			id, ok := e.(*syntax.Ident)
			if !ok {
				return typed{}, errAt(e, "bag_pack_columns() takes column names")
			}
			t, err := c.expr(id, sc)
			if err != nil {
				return t, err
			}
			a = append(a, constant(id.Name), t)
		}
		return packSQL(a), nil
	}
	jsonUDF("drop_empty", "jj", func(a []any) any {
		b, ok := a[0].(*bag)
		if !ok {
			return a[0]
		}
		out := newBag()
		for _, k := range b.keys {
			if v := b.vals[k]; v != nil && v != "" {
				out.set(k, v)
			}
		}
		return out
	})
}

// maxArray is Kusto's bound on the arrays range() and make_list() build.
const maxArray = 1048576

// packSQL builds a property bag from key, value pairs (keys in order).
func packSQL(a []typed) typed {
	if len(a) == 0 {
		return typed{sql: "'{}'::JSON", typ: schema.Dynamic}
	}
	items := make([]string, len(a))
	for i := 0; i < len(a); i += 2 {
		items[i] = asString(a[i])
		items[i+1] = asJSON(a[i+1])
	}
	return typed{sql: "json_object(" + strings.Join(items, ", ") + ")", typ: schema.Dynamic}
}
