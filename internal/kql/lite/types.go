package lite

import (
	"fmt"

	"github.com/rampart-soc/rampart/internal/schema"
)

// typed is a compiled scalar: SQL text, its KQL type, and its value when it is a constant
// known at compile time (string, int64, float64, bool, time.Time, time.Duration).
type typed struct {
	sql   string
	typ   schema.Type
	val   any
	konst bool
}

func (t typed) String() string { return t.sql }

// sqlType is the DuckDB type a KQL type computes as. Timespans are 100-ns ticks in a
// BIGINT, as the store keeps them; dynamic values are JSON.
func sqlType(t schema.Type) string {
	switch t {
	case schema.String:
		return "VARCHAR"
	case schema.Int:
		return "INTEGER"
	case schema.Long, schema.TimeSpan:
		return "BIGINT"
	case schema.Real, schema.Decimal:
		return "DOUBLE"
	case schema.Bool:
		return "BOOLEAN"
	case schema.DateTime:
		return "TIMESTAMP"
	case schema.GUID:
		return "UUID"
	}
	return "JSON"
}

func isNum(t schema.Type) bool {
	return t == schema.Int || t == schema.Long || t == schema.Real || t == schema.Decimal
}

func isInt(t schema.Type) bool { return t == schema.Int || t == schema.Long }

// numType is the type of arithmetic over a and b: real wins, then decimal, else long
// (Kusto widens int arithmetic to long).
func numType(a, b schema.Type) schema.Type {
	switch {
	case a == schema.Real || b == schema.Real:
		return schema.Real
	case a == schema.Decimal || b == schema.Decimal:
		return schema.Decimal
	case isInt(a) && isInt(b):
		return schema.Long
	}
	return schema.Real
}

func nullOf(t schema.Type) typed {
	if t == schema.String {
		return typed{sql: "''", typ: t, val: "", konst: true} // KQL strings are never null
	}
	return typed{sql: "CAST(NULL AS " + sqlType(t) + ")", typ: t}
}

// ticksToInterval turns a timespan (ticks) into a DuckDB INTERVAL for timestamp arithmetic.
func ticksToInterval(sql string) string { return "to_microseconds((" + sql + ") // 10)" }

// dynText is SQL for the text of a JSON value: a JSON string unquoted, anything else as
// compact JSON, null as ”.
func dynText(sql string) string {
	return fmt.Sprintf("coalesce(CASE WHEN json_type(%[1]s) = 'VARCHAR' THEN json_extract_string(%[1]s, '$') ELSE CAST(%[1]s AS VARCHAR) END, '')", sql)
}

// asString renders a value as KQL's tostring() does.
func asString(x typed) string {
	switch x.typ {
	case schema.String:
		return x.sql
	case schema.Dynamic:
		return dynText(x.sql)
	case schema.DateTime:
		return "coalesce(kql_datetime_str(" + x.sql + "), '')"
	case schema.TimeSpan:
		return "coalesce(kql_timespan_str(" + x.sql + "), '')"
	case schema.Real, schema.Decimal:
		return "coalesce(kql_real_str(" + x.sql + "), '')"
	}
	return "coalesce(CAST(" + x.sql + " AS VARCHAR), '')"
}

// asJSON renders a value as the JSON it becomes inside a dynamic value.
func asJSON(x typed) string {
	switch x.typ {
	case schema.Dynamic:
		return "coalesce(" + x.sql + ", 'null'::JSON)"
	case schema.DateTime:
		return "coalesce(to_json(kql_datetime_str(" + x.sql + ")), 'null'::JSON)"
	case schema.TimeSpan:
		return "coalesce(to_json(kql_timespan_str(" + x.sql + ")), 'null'::JSON)"
	case schema.GUID:
		return "coalesce(to_json(CAST(" + x.sql + " AS VARCHAR)), 'null'::JSON)"
	case schema.Real, schema.Decimal:
		return "kql_real_json(" + x.sql + ")::JSON"
	}
	return "coalesce(to_json(" + x.sql + "), 'null'::JSON)"
}

// fromDynamic converts a JSON value to a scalar type as KQL's implicit conversions do;
// values that do not convert become null.
func fromDynamic(sql string, t schema.Type) string {
	text := "json_extract_string(" + sql + ", '$')"
	switch t {
	case schema.String:
		return dynText(sql)
	case schema.Dynamic:
		return sql
	case schema.Bool:
		return "TRY_CAST(" + text + " AS BOOLEAN)"
	case schema.DateTime:
		return "kql_todatetime(" + text + ")"
	case schema.TimeSpan:
		return "kql_totimespan(" + text + ")"
	case schema.Int, schema.Long:
		return "TRY_CAST(TRY_CAST(" + text + " AS DOUBLE) AS " + sqlType(t) + ")"
	}
	return "TRY_CAST(" + text + " AS " + sqlType(t) + ")"
}

// convert changes a value's type with KQL's conversion rules, null when it does not convert.
func convert(x typed, t schema.Type) typed {
	if x.typ == t || (isNum(x.typ) && isNum(t) && sqlType(x.typ) == sqlType(t)) {
		return typed{sql: x.sql, typ: t, val: x.val, konst: x.konst}
	}
	out := typed{typ: t}
	switch {
	case x.typ == schema.Dynamic:
		out.sql = fromDynamic(x.sql, t)
	case t == schema.String:
		out.sql = asString(x)
	case t == schema.Dynamic:
		out.sql = asJSON(x)
	case t == schema.DateTime && x.typ == schema.String:
		out.sql = "kql_todatetime(" + x.sql + ")"
	case t == schema.TimeSpan && x.typ == schema.String:
		out.sql = "kql_totimespan(" + x.sql + ")"
	case t == schema.TimeSpan && isNum(x.typ):
		out.sql = "TRY_CAST(" + x.sql + " AS BIGINT)"
	case isNum(t) && x.typ == schema.TimeSpan:
		out.sql = "CAST(" + x.sql + " AS " + sqlType(t) + ")"
	case isNum(t) && x.typ == schema.DateTime:
		out.sql = "CAST(epoch_us(" + x.sql + ") * 10 AS " + sqlType(t) + ")"
	case isInt(t) && (x.typ == schema.String || x.typ == schema.Real || x.typ == schema.Decimal):
		// Kusto truncates reals toward zero and reads "1.5" as 1
		out.sql = "TRY_CAST(trunc(TRY_CAST(" + x.sql + " AS DOUBLE)) AS " + sqlType(t) + ")"
	case t == schema.Bool && x.typ == schema.String:
		out.sql = "(CASE lower(trim(" + x.sql + ")) WHEN 'true' THEN TRUE WHEN 'false' THEN FALSE WHEN '1' THEN TRUE WHEN '0' THEN FALSE END)"
	case t == schema.Bool && isNum(x.typ):
		out.sql = "(" + x.sql + " <> 0)"
	case isNum(t) && x.typ == schema.Bool:
		out.sql = "CAST(" + x.sql + " AS " + sqlType(t) + ")"
	default:
		out.sql = "TRY_CAST(" + x.sql + " AS " + sqlType(t) + ")"
	}
	return out
}
