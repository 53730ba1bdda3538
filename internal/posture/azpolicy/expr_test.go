package azpolicy

import (
	"strings"
	"testing"
)

func TestParseTemplate(t *testing.T) {
	for _, tt := range []struct {
		in      string
		literal string // want a literal with this value
		expr    string // want an expression printing as this
		bad     bool
	}{
		{in: "plain", literal: "plain"},
		{in: "[[not-an-expression]", literal: "[not-an-expression]"},
		{in: "[x", literal: "[x"},
		{in: "[parameters('a')]", expr: "parameters('a')"},
		{in: "[concat('it''s', -1, 2.5)]", expr: "concat('it''s', -1, 2.5)"},
		{in: "[resourceGroup().location]", expr: "resourceGroup().location"},
		{in: "[parameters('list')[0].name]", expr: "parameters('list')[0].name"},
		{in: "[  toLower( field('name') )  ]", expr: "toLower(field('name'))"},
		{in: "[parameters('x']", bad: true},
		{in: "[concat('a',)]", bad: true},
		{in: "['unterminated]", bad: true},
		{in: "[foo]", bad: true},
		{in: "[1 2]", bad: true},
		{in: "[" + strings.Repeat("not(", 300) + "true()" + strings.Repeat(")", 300) + "]", bad: true},
	} {
		got, err := parseTemplate(tt.in)
		switch {
		case tt.bad:
			if err == nil {
				t.Errorf("%q: expected a parse error", tt.in)
			}
		case err != nil:
			t.Errorf("%q: %v", tt.in, err)
		case tt.expr != "":
			if !got.isExpr() || got.expr.String() != tt.expr {
				t.Errorf("%q: got %+v, want expression %s", tt.in, got, tt.expr)
			}
		case got.isExpr() || got.lit != tt.literal:
			t.Errorf("%q: got %+v, want literal %q", tt.in, got, tt.literal)
		}
	}
}

func TestValidateExpr(t *testing.T) {
	for _, tt := range []struct {
		in  string
		bad string
	}{
		{"[concat()]", ""},
		{"[if(true(), 1)]", "takes 3"},
		{"[noSuchFunction(1)]", "unknown function"},
		{"[guid('x')]", "not supported"},
		{"[reference('x').id]", "not supported"},
		{"[parameters('a', 'b')]", "takes 1"},
	} {
		tmpl, err := parseTemplate(tt.in)
		if err != nil {
			t.Fatalf("%q: %v", tt.in, err)
		}
		err = validateExpr(tmpl.expr, false)
		if (err != nil) != (tt.bad != "") || (err != nil && !strings.Contains(err.Error(), tt.bad)) {
			t.Errorf("%q: error %v, want %q", tt.in, err, tt.bad)
		}
	}
}

func TestTemplateFunctions(t *testing.T) {
	params := map[string]any{
		"list":   []any{"eastus", "westus"},
		"prefix": "prod",
		"tags":   map[string]any{"env": "prod", "team": "sec"},
		"n":      int64(10),
	}
	for _, tt := range []struct {
		in   string
		want string // JSON
	}{
		{"[concat('a', 'b', 1, true())]", `"ab1True"`},
		{"[concat(parameters('list'), createArray('x'))]", `["eastus","westus","x"]`},
		{"[if(equals(parameters('prefix'), 'prod'), 'deny', 'audit')]", `"deny"`},
		{"[if(true(), 'ok', parameters('missing'))]", `"ok"`},
		{"[and(true(), false())]", `false`},
		{"[or(false(), true())]", `true`},
		{"[not(empty(parameters('list')))]", `true`},
		{"[equals('a', 'A')]", `false`},
		{"[toLower('MiXed')]", `"mixed"`},
		{"[toUpper(parameters('prefix'))]", `"PROD"`},
		{"[substring('prod-vm-01', 0, 4)]", `"prod"`},
		{"[replace('my-prod-vm', '-', '_')]", `"my_prod_vm"`},
		{"[split('a/b//c', '/')]", `["a","b","","c"]`},
		{"[first(split('vnet/subnet', '/'))]", `"vnet"`},
		{"[last(parameters('list'))]", `"westus"`},
		{"[length(parameters('tags'))]", `2`},
		{"[length('café')]", `4`},
		{"[contains(parameters('list'), 'eastus')]", `true`},
		{"[contains('Hello', 'hello')]", `false`},
		{"[contains(parameters('tags'), 'ENV')]", `true`},
		{"[startsWith('Hello World', 'hello')]", `true`},
		{"[indexOf('Hello World', 'WORLD')]", `6`},
		{"[padLeft(7, 3, '0')]", `"007"`},
		{"[string(parameters('tags'))]", `"{\"env\":\"prod\",\"team\":\"sec\"}"`},
		{"[add(parameters('n'), 1)]", `11`},
		{"[sub(10, -3)]", `13`},
		{"[add(-2.5, 3.5)]", `1`},
		{"[mul(int('30'), -1)]", `-30`},
		{"[div(-10, 3)]", `-3`},
		{"[mod(-10, 3)]", `-1`},
		{"[max(parameters('n'), 3, 42)]", `42`},
		{"[min(createArray(3, 1, 2))]", `1`},
		{"[range(3, 2)]", `[3,4]`},
		{"[union(createArray(1, 2), createArray(2, 3))]", `[1,2,3]`},
		{"[intersection(createArray(1, 2, 3), createArray(2, 3, 4))]", `[2,3]`},
		{"[length(intersection(parameters('tags'), createObject('env', 'prod')))]", `1`},
		{"[tryGet(parameters('tags'), 'missing')]", `null`},
		{"[coalesce(null(), '', 'x')]", `""`},
		{"[items(createObject('b', 1, 'a', 2))[0].key]", `"a"`},
		{"[json('{\"a\":[1,2]}').a[1]]", `2`},
		{"[base64ToString(base64('hello'))]", `"hello"`},
		{"[dataUriToString(dataUri('hi'))]", `"hi"`},
		{"[uriComponentToString(uriComponent('a b&c'))]", `"a b&c"`},
		{"[uri('https://example.com/a/b', 'c')]", `"https://example.com/a/c"`},
		{"[format('{0}-{1,3}-{2:D3}', 'a', 'b', 7)]", `"a-  b-007"`},
		{"[format('{0:N2}', 1234.5678)]", `"1,234.57"`},
		{"[addDays('2024-01-31T00:00:00Z', 1)]", `"2024-02-01T00:00:00Z"`},
		{"[dateTimeAdd('2024-01-15T10:00:00Z', 'P1DT2H30M')]", `"2024-01-16T12:30:00Z"`},
		{"[dateTimeAdd('2024-01-15T12:00:00Z', '-P1D')]", `"2024-01-14T12:00:00Z"`},
		{"[dateTimeToEpoch('2024-01-15T13:00:00+01:00')]", `1705320000`},
		{"[dateTimeFromEpoch(0)]", `"1970-01-01T00:00:00Z"`},
		{"[ipRangeContains('10.0.0.0/16', '10.0.1.0/24')]", `true`},
		{"[ipRangeContains('10.0.0.0/24', '10.0.0.0/16')]", `false`},
		{"[ipRangeContains('2001:db8::/32', '2001:db8::1')]", `true`},
		{"[parameters('list')[1]]", `"westus"`},
		{"[resourceGroup().name]", `null`},
	} {
		got, err := evalTemplateString(tt.in, params)
		if err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		if want := mustJSON(t, tt.want); !deepEqual(normalize(got), want) && !(want == nil && isNull(got)) {
			t.Errorf("%s = %s, want %s", tt.in, toJSON(got), tt.want)
		}
	}
}

func TestTemplateFunctionErrors(t *testing.T) {
	for _, in := range []string{
		"[parameters('missing')]",
		"[substring('abc', 2, 5)]",
		"[substring('abc', 1, 9223372036854775807)]",
		"[div(1, 0)]",
		"[int('x')]",
		"[json('{bad')]",
		"[range(0, 10001)]",
		"[format('{1}', 'a')]",
		"[ipRangeContains('10.0.0.0/8', '2001:db8::1')]",
		"[createArray(1)[5]]",
		"[if('yes', 1, 2)]",
		"[current()]",
	} {
		if got, err := evalTemplateString(in, nil); err == nil {
			t.Errorf("%s = %s, want an error", in, toJSON(got))
		}
	}
}
