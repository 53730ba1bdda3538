package lite

import (
	"fmt"
	"strings"

	"github.com/rampart-soc/rampart/internal/kql/syntax"
	"github.com/rampart-soc/rampart/internal/schema"
)

// String functions. Arguments of other types are converted with tostring() first, as
// Kusto does; results are never null.
func init() {
	S := schema.String
	def("strlen", 1, 1, sqlT(schema.Long, "length(%s)", S))
	def("string_size", 1, 1, sqlT(schema.Long, "octet_length(encode(%s))", S))
	def("toupper", 1, 1, sqlT(S, "upper(%s)", S))
	def("tolower", 1, 1, sqlT(S, "lower(%s)", S))
	def("reverse", 1, 1, sqlT(S, "reverse(%s)", S))
	def("strcat", 1, 64, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		parts := make([]string, len(a))
		for i, t := range a {
			parts[i] = asString(t)
		}
		return typed{sql: "(" + strings.Join(parts, " || ") + ")", typ: S}, nil
	})
	def("strcat_delim", 2, 65, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		parts := make([]string, len(a)-1)
		for i, t := range a[1:] {
			parts[i] = asString(t)
		}
		return typed{sql: fmt.Sprintf("concat_ws(%s, %s)", asString(a[0]), strings.Join(parts, ", ")), typ: S}, nil
	})
	def("substring", 2, 3, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		s := asString(a[0])
		start := fmt.Sprintf("greatest(CAST(%s AS BIGINT), 0) + 1", a[1].sql)
		if len(a) == 2 {
			return typed{sql: fmt.Sprintf("coalesce(substr(%s, %s), '')", s, start), typ: S}, nil
		}
		return typed{sql: fmt.Sprintf("coalesce(substr(%s, %s, greatest(CAST(%s AS BIGINT), 0)), '')", s, start, a[2].sql), typ: S}, nil
	})
	def("split", 2, 3, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		list := fmt.Sprintf("(CASE WHEN %[2]s = '' THEN [%[1]s] ELSE string_split(%[1]s, %[2]s) END)", asString(a[0]), asString(a[1]))
		if len(a) == 3 {
			return typed{sql: fmt.Sprintf("to_json(list_filter([%s[CAST(%s AS BIGINT) + 1]], lambda __e: __e IS NOT NULL))", list, a[2].sql), typ: schema.Dynamic}, nil
		}
		return typed{sql: "to_json(" + list + ")", typ: schema.Dynamic}, nil
	})
	def("replace_string", 3, 3, sqlT(S, "replace(%s, %s, %s)", S, S, S))
	def("replace_regex replace", 3, 3, udfT(S, "replace_regex", S))
	def("trim", 2, 2, udfT(S, "trim", S))
	def("trim_start", 2, 2, udfT(S, "trim_start", S))
	def("trim_end", 2, 2, udfT(S, "trim_end", S))
	def("indexof", 2, 5, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		args := []string{asString(a[0]), asString(a[1]), "0", "-1", "1"}
		for i := 2; i < len(a); i++ {
			args[i] = convert(a[i], schema.Long).sql
		}
		return typed{sql: "kql_indexof(" + strings.Join(args, ", ") + ")", typ: schema.Long}, nil
	})
	def("indexof_regex", 2, 5, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		args := []string{asString(a[0]), asString(a[1]), "0", "-1", "1"}
		for i := 2; i < len(a); i++ {
			args[i] = convert(a[i], schema.Long).sql
		}
		return typed{sql: "kql_indexof_regex(" + strings.Join(args, ", ") + ")", typ: schema.Long}, nil
	})
	def("extract", 3, 4, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		t := typed{sql: fmt.Sprintf("kql_extract(%s, CAST(%s AS BIGINT), %s)", asString(a[0]), a[1].sql, asString(a[2])), typ: S}
		if len(a) == 4 {
			if typ, ok := typeofArg(a[3]); ok {
				return convert(t, typ), nil
			}
			return typed{}, fmt.Errorf("the fourth argument must be typeof(type)")
		}
		return typed{sql: "coalesce(" + t.sql + ", '')", typ: S}, nil
	})
	def("extract_all extractall", 2, 3, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		if len(a) == 2 {
			return typed{sql: fmt.Sprintf("CAST(kql_extract_all(%s, '[]', %s) AS JSON)", asString(a[0]), asString(a[1])), typ: schema.Dynamic}, nil
		}
		return typed{sql: fmt.Sprintf("CAST(kql_extract_all(%s, %s, %s) AS JSON)", asString(a[0]), jsonArg(a[1]), asString(a[2])), typ: schema.Dynamic}, nil
	})
	def("countof", 2, 3, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		kind := "'normal'"
		if len(a) == 3 {
			kind = asString(a[2])
		}
		return typed{sql: fmt.Sprintf("kql_countof(%s, %s, %s)", asString(a[0]), asString(a[1]), kind), typ: schema.Long}, nil
	})
	def("strcmp", 2, 2, sqlT(schema.Int, "CAST(CASE WHEN %[1]s < %[2]s THEN -1 WHEN %[1]s > %[2]s THEN 1 ELSE 0 END AS INTEGER)", S, S))
	def("strrep", 2, 3, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		delim := "''"
		if len(a) == 3 {
			delim = asString(a[2])
		}
		return typed{sql: fmt.Sprintf("array_to_string(list_transform(range(greatest(CAST(%s AS BIGINT), 0)), lambda __i: %s), %s)", a[1].sql, asString(a[0]), delim), typ: S}, nil
	})
	def("translate", 3, 3, udfT(S, "translate", S))
	def("strcat_array array_strcat", 2, 2, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		return typed{sql: fmt.Sprintf("coalesce(kql_strcat_array(%s, %s), '')", jsonArg(a[0]), asString(a[1])), typ: S}, nil
	})
	def("url_encode", 1, 1, udfT(S, "url_encode", S))
	def("url_encode_component", 1, 1, udfT(S, "url_encode_component", S))
	def("url_decode", 1, 1, udfT(S, "url_decode", S))
	def("base64_encode_tostring base64_encodestring", 1, 1, udfT(S, "base64_encode", S))
	def("base64_decode_tostring base64_decodestring", 1, 1, udfT(S, "base64_decode", S))
	def("base64_decode_toarray", 1, 1, udfT(schema.Dynamic, "base64_decode_toarray", S))
	def("base64_encode_fromarray", 1, 1, udfT(S, "base64_encode_fromarray", schema.Dynamic))
	def("base64_decode_toguid", 1, 1, udfT(schema.GUID, "base64_decode_toguid", S))
	def("base64_encode_fromguid", 1, 1, udfT(S, "base64_encode_fromguid", S))
	def("to_utf8", 1, 1, udfT(schema.Dynamic, "to_utf8", S))
	def("unicode_codepoints_from_string", 1, 1, udfT(schema.Dynamic, "codepoints", S))
	def("unicode_codepoints_to_string make_string", 1, 64, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		var parts []string
		for _, t := range a {
			parts = append(parts, asJSON(t))
		}
		return typed{sql: "kql_from_codepoints(CAST(to_json([" + strings.Join(parts, ", ") + "]) AS VARCHAR))", typ: S}, nil
	})
	def("regex_quote", 1, 1, udfT(S, "regex_quote", S))
	def("isascii", 1, 1, sqlT(schema.Bool, "regexp_matches(%s, '^[\\x00-\\x7F]*$')", S))
	def("isutf8", 1, 1, sqlT(schema.Bool, "TRUE", S))
	def("replace_strings", 3, 3, udfT(S, "replace_strings", S, schema.Dynamic, schema.Dynamic))
	def("parse_url parseurl", 1, 1, udfT(schema.Dynamic, "parse_url", S))
	def("parse_urlquery parseurlquery", 1, 1, udfT(schema.Dynamic, "parse_urlquery", S))
	def("parse_path", 1, 1, udfT(schema.Dynamic, "parse_path", S))
	def("parse_version", 1, 1, udfT(schema.Decimal, "parse_version", S))
	def("parse_csv", 1, 1, udfT(schema.Dynamic, "parse_csv", S))
	def("format_bytes", 1, 3, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		args := []string{convert(a[0], schema.Real).sql, "0", "''"}
		if len(a) > 1 {
			args[1] = convert(a[1], schema.Long).sql
		}
		if len(a) > 2 {
			args[2] = asString(a[2])
		}
		return typed{sql: "kql_format_bytes(" + strings.Join(args, ", ") + ")", typ: S}, nil
	})
}

// typeofArg reads a typeof(T) argument.
func typeofArg(t typed) (schema.Type, bool) {
	s, ok := t.val.(string)
	if !ok || !strings.HasPrefix(s, "typeof:") {
		return "", false
	}
	typ, err := schema.ParseType(strings.TrimPrefix(s, "typeof:"))
	return typ, err == nil
}
