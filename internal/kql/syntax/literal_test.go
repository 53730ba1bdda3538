package syntax

import (
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

// printedExpr parses "print <expr>" and returns the single column.
func printedExpr(t *testing.T, expr string) Expr {
	t.Helper()
	src := "print " + expr
	q, errs := Parse(src)
	if len(errs) > 0 {
		t.Fatalf("Parse(%q): %s", src, errs[0].Format(src))
	}
	return q.Result().X.(*PrintOp).Columns[0]
}

func day(y int, m time.Month, d, hh, mm, ss, ns int) time.Time {
	return time.Date(y, m, d, hh, mm, ss, ns, time.UTC)
}

func TestScalarLiterals(t *testing.T) {
	tests := []struct {
		src   string
		typ   string
		value any
	}{
		{"42", "long", int64(42)},
		{"0x1F", "long", int64(31)},
		{"int(5)", "int", int64(5)},
		{"int(-7)", "int", int64(-7)},
		{"int(0xffffffff)", "int", int64(-1)},
		{"long(-1)", "long", int64(-1)},
		{"1.5", "real", 1.5},
		{"1e3", "real", 1000.0},
		{"2.5E-2", "real", 0.025},
		{"real(1)", "real", 1.0},
		{"double(-2.5)", "real", -2.5},
		{"real(+inf)", "real", math.Inf(1)},
		{"real(-inf)", "real", math.Inf(-1)},
		{"decimal(1.25)", "decimal", "1.25"},
		{"decimal(1e3)", "decimal", "1e3"},
		{"true", "bool", true},
		{"FALSE", "bool", false},
		{"bool(1)", "bool", true},
		{"boolean(false)", "bool", false},
		{`"a\nb"`, "string", "a\nb"},
		{`'single'`, "string", "single"},
		{`@"c:\dir"`, "string", `c:\dir`},
		{`@'it''s'`, "string", "it's"},
		{"```multi\nline```", "string", "multi\nline"},
		{`"a" 'b' @"c"`, "string", "abc"},
		{"5m", "timespan", 5 * time.Minute},
		{"1d", "timespan", 24 * time.Hour},
		{"10s", "timespan", 10 * time.Second},
		{"100ms", "timespan", 100 * time.Millisecond},
		{"1.5h", "timespan", 90 * time.Minute},
		{"3tick", "timespan", 300 * time.Nanosecond},
		{"2microseconds", "timespan", 2 * time.Microsecond},
		{"time(1.02:03:04.5)", "timespan", 26*time.Hour + 3*time.Minute + 4500*time.Millisecond},
		{"time(00:10:00)", "timespan", 10 * time.Minute},
		{"timespan(2)", "timespan", 48 * time.Hour},
		{"timespan(15 seconds)", "timespan", 15 * time.Second},
		{"time(-1d)", "timespan", -24 * time.Hour},
		{"datetime(2020-01-02)", "datetime", day(2020, 1, 2, 0, 0, 0, 0)},
		{"datetime(2020-01-02 10:20)", "datetime", day(2020, 1, 2, 10, 20, 0, 0)},
		{"datetime(2020-01-02T10:20:30.1234567Z)", "datetime", day(2020, 1, 2, 10, 20, 30, 123456700)},
		{"datetime(2020-01-02 10:20:30.5)", "datetime", day(2020, 1, 2, 10, 20, 30, 500000000)},
		{"datetime(2020-01-02T10:20:30+02:00)", "datetime", day(2020, 1, 2, 8, 20, 30, 0)},
		{"datetime('2020-01-02')", "datetime", day(2020, 1, 2, 0, 0, 0, 0)},
		{`datetime("12/31/2020 10:00:00 PM")`, "datetime", day(2020, 12, 31, 22, 0, 0, 0)},
		{"datetime(Sat, 8 Nov 14 15:05:02 GMT)", "datetime", day(2014, 11, 8, 15, 5, 2, 0)},
		{"datetime(Saturday, 08-Nov-14 15:05:02 GMT)", "datetime", day(2014, 11, 8, 15, 5, 2, 0)},
		{"datetime(2025, 6, 14)", "datetime", day(2025, 6, 14, 0, 0, 0, 0)},
		{"datetime(now)", "datetime", RelativeTime{Now: true}},
		{"datetime(8:05)", "datetime", RelativeTime{TimeOfDay: 8*time.Hour + 5*time.Minute}},
		{"guid(74be27de-1e4e-49d9-b579-fe0b331d3642)", "guid", "74be27de-1e4e-49d9-b579-fe0b331d3642"},
	}
	for _, tt := range tests {
		x := printedExpr(t, tt.src)
		lit, ok := x.(*Literal)
		if !ok {
			t.Errorf("%s: got %T, want *Literal", tt.src, x)
			continue
		}
		if lit.Type != tt.typ || !reflect.DeepEqual(lit.Value, tt.value) {
			t.Errorf("%s: got %s %#v, want %s %#v", tt.src, lit.Type, lit.Value, tt.typ, tt.value)
		}
	}
}

func TestNullAndSpecialLiterals(t *testing.T) {
	for _, src := range []string{"long(null)", "int(null)", "real(null)", "bool(null)", "datetime(null)",
		"timespan(null)", "guid(null)", "decimal(null)", "string(null)"} {
		lit, ok := printedExpr(t, src).(*Literal)
		if !ok || !lit.Null || lit.Value != nil {
			t.Errorf("%s: want a typed null literal, got %#v", src, lit)
		}
	}
	if lit := printedExpr(t, "real(nan)").(*Literal); !math.IsNaN(lit.Value.(float64)) {
		t.Errorf("real(nan) = %v", lit.Value)
	}
	if lit := printedExpr(t, "h'secret' 'more'").(*Literal); !lit.Obfuscated || lit.Value != "secretmore" {
		t.Errorf("obfuscated string: %#v", lit)
	}
	// long(x) is not a literal: Kusto reads it as a conversion call.
	if _, ok := printedExpr(t, "long(x)").(*Call); !ok {
		t.Errorf("long(x) should parse as a call")
	}
}

func TestDynamicLiteral(t *testing.T) {
	x := printedExpr(t, `dynamic({"a": [1, -2.5, "s", null, true, datetime(2020-01-01), 1h, {"b": {}}], "c": []})`)
	d, ok := x.(*DynamicLit)
	if !ok {
		t.Fatalf("got %T", x)
	}
	obj := d.Value.(*DynObject)
	if len(obj.Fields) != 2 || obj.Fields[0].Key != "a" || obj.Fields[1].Key != "c" {
		t.Fatalf("fields: %s", Format(obj))
	}
	arr := obj.Fields[0].Value.(*DynArray)
	want := []any{int64(1), -2.5, "s", nil, true, day(2020, 1, 1, 0, 0, 0, 0), time.Hour}
	for i, w := range want {
		lit := arr.Elems[i].(*Literal)
		if !reflect.DeepEqual(lit.Value, w) {
			t.Errorf("element %d: %#v, want %#v", i, lit.Value, w)
		}
	}
	if _, ok := arr.Elems[7].(*DynObject); !ok {
		t.Errorf("nested object: %T", arr.Elems[7])
	}
	for _, src := range []string{"dynamic(null)", "dynamic(1)", "dynamic('s')", "dynamic([])"} {
		if _, ok := printedExpr(t, src).(*DynamicLit); !ok {
			t.Errorf("%s is not a dynamic literal", src)
		}
	}
}

func TestLiteralErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"print datetime(2021-02-30)", "invalid datetime"},
		{"print datetime(garbage)", "invalid datetime"},
		{"print time(1x)", "invalid timespan"},
		{"print guid(xyz)", "invalid guid"},
		{"print 99999999999999999999", "out of range for long"},
		{"print int(3000000000)", "out of range for int"},
		{"print dynamic([1, 2,])", "expected a dynamic value after ','"},
		{"print dynamic({a: 1})", "expected a quoted property name"},
		{"print dynamic(x)", "expected a dynamic value"},
	}
	for _, tt := range tests {
		_, errs := Parse(tt.src)
		if len(errs) == 0 || !strings.Contains(errs[0].Message, tt.want) {
			t.Errorf("Parse(%q) = %v, want an error containing %q", tt.src, errs, tt.want)
		}
	}
}
