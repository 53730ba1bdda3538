package lite

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/rampart-soc/rampart/internal/kql/syntax"
	"github.com/rampart-soc/rampart/internal/schema"
)

func (c *compiler) literal(x *syntax.Literal) (typed, error) {
	typ, err := schema.ParseType(x.Type)
	if err != nil {
		return typed{}, errAt(x, "%s literals are not supported yet by the query engine", x.Type)
	}
	if x.Null {
		return nullOf(typ), nil
	}
	switch v := x.Value.(type) {
	case syntax.RelativeTime:
		t := c.now.UTC()
		if !v.Now {
			t = t.Truncate(24 * time.Hour).Add(v.TimeOfDay)
		}
		return constant(t), nil
	case string:
		switch typ {
		case schema.GUID:
			return typed{sql: "CAST(" + sqlString(v) + " AS UUID)", typ: typ, val: strings.ToLower(v), konst: true}, nil
		case schema.Decimal:
			f, _ := strconv.ParseFloat(v, 64)
			return typed{sql: realSQL(f), typ: typ, val: f, konst: true}, nil
		}
	case int64:
		if typ == schema.Int {
			return typed{sql: "CAST(" + strconv.FormatInt(v, 10) + " AS INTEGER)", typ: typ, val: v, konst: true}, nil
		}
	case float64:
		if typ == schema.Decimal {
			return typed{sql: realSQL(v), typ: typ, val: v, konst: true}, nil
		}
	}
	if x.Value == nil {
		return typed{}, errAt(x, "%s literals are not supported yet by the query engine", x.Type)
	}
	return constant(x.Value), nil
}

// constant compiles a Go value to a SQL constant of its KQL type.
func constant(v any) typed {
	switch x := v.(type) {
	case string:
		return typed{sql: sqlString(x), typ: schema.String, val: x, konst: true}
	case bool:
		return typed{sql: strings.ToUpper(strconv.FormatBool(x)), typ: schema.Bool, val: x, konst: true}
	case int64:
		return typed{sql: "CAST(" + strconv.FormatInt(x, 10) + " AS BIGINT)", typ: schema.Long, val: x, konst: true}
	case float64:
		return typed{sql: realSQL(x), typ: schema.Real, val: x, konst: true}
	case time.Time:
		return typed{sql: "TIMESTAMP '" + x.UTC().Format("2006-01-02 15:04:05.999999") + "'", typ: schema.DateTime, val: x, konst: true}
	case time.Duration:
		return typed{sql: "CAST(" + strconv.FormatInt(int64(x/100), 10) + " AS BIGINT)", typ: schema.TimeSpan, val: x, konst: true}
	}
	return nullOf(schema.Dynamic)
}

func realSQL(f float64) string {
	switch {
	case math.IsNaN(f):
		return "CAST('nan' AS DOUBLE)"
	case math.IsInf(f, 1):
		return "CAST('inf' AS DOUBLE)"
	case math.IsInf(f, -1):
		return "CAST('-inf' AS DOUBLE)"
	}
	return "CAST(" + strconv.FormatFloat(f, 'g', -1, 64) + " AS DOUBLE)"
}

func (c *compiler) dynamicLit(x *syntax.DynamicLit) (typed, error) {
	if lit, ok := x.Value.(*syntax.Literal); ok && lit.Null {
		return nullOf(schema.Dynamic), nil
	}
	var b strings.Builder
	if err := c.writeJSON(&b, x.Value); err != nil {
		return typed{}, err
	}
	return typed{sql: sqlString(b.String()) + "::JSON", typ: schema.Dynamic, val: json.RawMessage(b.String()), konst: true}, nil
}

// writeJSON writes the JSON of a dynamic literal's content, datetimes and timespans as
// the strings Kusto keeps them as.
func (c *compiler) writeJSON(b *strings.Builder, e syntax.Expr) error {
	switch x := e.(type) {
	case *syntax.DynArray:
		b.WriteByte('[')
		for i, el := range x.Elems {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := c.writeJSON(b, el); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case *syntax.DynObject:
		b.WriteByte('{')
		for i, f := range x.Fields {
			if i > 0 {
				b.WriteByte(',')
			}
			k, _ := json.Marshal(f.Key)
			b.Write(k)
			b.WriteByte(':')
			if err := c.writeJSON(b, f.Value); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case *syntax.DynamicLit:
		return c.writeJSON(b, x.Value)
	case *syntax.Unary:
		if lit, ok := x.X.(*syntax.Literal); ok && x.Op == "-" {
			b.WriteByte('-')
			return c.writeJSON(b, lit)
		}
		return errAt(e, "only constants can appear in dynamic literals")
	case *syntax.Literal:
		if x.Null {
			b.WriteString("null")
			return nil
		}
		t, err := c.literal(x)
		if err != nil {
			return err
		}
		b.WriteString(jsonOfConst(t))
	default:
		return errAt(e, "only constants can appear in dynamic literals")
	}
	return nil
}

// jsonOfConst is the JSON text of a compile-time constant.
func jsonOfConst(t typed) string {
	var v any
	switch x := t.val.(type) {
	case time.Time:
		v = formatDatetime(x)
	case time.Duration:
		v = formatTicks(int64(x / 100))
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			v = formatReal(x)
		} else {
			return strconv.FormatFloat(x, 'g', -1, 64)
		}
	default:
		v = x
	}
	out, err := json.Marshal(v)
	if err != nil {
		return "null"
	}
	return string(out)
}

// constJSON is the value of a constant dynamic, parsed.
func constJSON(t typed) (any, bool) {
	raw, ok := t.val.(json.RawMessage)
	if !ok {
		return nil, false
	}
	v, err := parseJSON(string(raw))
	return v, err == nil
}
