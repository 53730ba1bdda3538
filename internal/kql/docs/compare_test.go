package docs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/rampart-soc/rampart/internal/kql/lite"
	"github.com/rampart-soc/rampart/internal/schema"
)

// mode is how strictly an example is scored, from its flags.
type mode struct {
	schemaOnly bool // nondeterministic, take without sort, ragged tables: columns and row count
	loose      bool // approximate aggregates
	multiset   bool // arrays built by order-sensitive aggregates compare as multisets
	subset     bool // the docs show part of the result
	elided     bool // cells with ... are skipped
}

func modeOf(e *example) mode {
	return mode{
		schemaOnly: e.flag("nondeterministic") || e.flag("take-without-sort") || e.flag("ragged-table"),
		loose:      e.flag("approximate"),
		multiset:   e.flag("order-sensitive-aggregate"),
		subset:     e.flag("partial-output"),
		elided:     e.flag("elided-cells"),
	}
}

// render is an engine value as text, for diagnostics and string comparison.
func render(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case json.RawMessage:
		var buf bytes.Buffer
		if json.Compact(&buf, x) == nil {
			return buf.String()
		}
		return string(x)
	case string:
		return x
	}
	return fmt.Sprint(v)
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case string:
		return parseReal(x)
	case json.RawMessage:
		return parseReal(string(x))
	}
	rv := reflect.ValueOf(v)
	switch {
	case rv.CanInt():
		return float64(rv.Int()), true
	case rv.CanUint():
		return float64(rv.Uint()), true
	case rv.CanFloat():
		return rv.Float(), true
	}
	return 0, false
}

// cellEqual compares a doc cell with an engine value of a column type.
func cellEqual(exp string, act any, typ schema.Type, m mode) bool {
	exp = cleanCell(exp)
	if m.elided && (strings.Contains(exp, "...") || strings.Contains(exp, "…")) {
		return true
	}
	if isNullCell(exp) {
		s := render(act)
		return act == nil || s == "" || (typ == schema.Dynamic && (s == "null" || s == `""` || s == "{}" || s == "[]")) ||
			(typ == schema.String && s == "")
	}
	if act == nil {
		return false
	}
	switch typ {
	case schema.Bool:
		b, ok := act.(bool)
		switch strings.ToLower(exp) {
		case "true", "1":
			return ok && b
		case "false", "0":
			return ok && !b
		}
		return false
	case schema.Int, schema.Long:
		a, ok := toFloat(act)
		if !ok {
			return false
		}
		if i, err := strconv.ParseInt(exp, 10, 64); err == nil && !m.loose {
			return float64(i) == a
		}
		return realsEqual(exp, a, m.loose)
	case schema.Real, schema.Decimal:
		a, ok := toFloat(act)
		return ok && realsEqual(exp, a, m.loose)
	case schema.DateTime:
		// the engine keeps datetimes to the microsecond (docs/kql.md): compare at most 6 digits
		e, digits, ok1 := parseDatetime(exp)
		a, _, ok2 := parseDatetime(render(act))
		digits = min(digits, 6)
		return ok1 && ok2 && truncTicks(e, digits) == truncTicks(a, digits)
	case schema.TimeSpan:
		e, digits, ok1 := parseTimespan(exp)
		a, _, ok2 := parseTimespan(render(act))
		return ok1 && ok2 && e == truncTicks(a, digits)
	case schema.Dynamic:
		return dynamicEqual(exp, render(act), m)
	case schema.GUID:
		return strings.EqualFold(exp, render(act))
	}
	// the docs' cells are trimmed and their line breaks are <br>: compare whitespace loosely
	a := strings.Join(strings.Fields(render(act)), " ")
	exp = strings.Join(strings.Fields(exp), " ")
	return exp == a || (len(exp) >= 2 && exp[0] == '"' && exp[len(exp)-1] == '"' && exp[1:len(exp)-1] == a)
}

// parseLenientJSON reads JSON as the docs print it, tolerating single quotes.
func parseLenientJSON(s string) (any, bool) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) == nil && !dec.More() {
		return v, true
	}
	if strings.Contains(s, "'") && !strings.Contains(s, `"`) {
		return parseLenientJSON(strings.ReplaceAll(s, "'", `"`))
	}
	return nil, false
}

func dynamicEqual(exp, act string, m mode) bool {
	a, ok := parseLenientJSON(act)
	if !ok {
		return exp == act
	}
	if e, ok := parseLenientJSON(exp); ok && (strings.HasPrefix(exp, "[") || strings.HasPrefix(exp, "{") || !isString(a)) {
		return jsonEqual(e, a, m)
	}
	if s, ok := a.(string); ok { // a JSON string shows unquoted
		return exp == s || exp == act
	}
	if n, ok := a.(json.Number); ok {
		f, _ := n.Float64()
		return realsEqual(exp, f, m.loose)
	}
	return exp == act
}

func isString(v any) bool { _, ok := v.(string); return ok }

func jsonEqual(e, a any, m mode) bool {
	switch x := e.(type) {
	case json.Number:
		y, ok := a.(json.Number)
		if !ok {
			if s, ok := a.(string); ok { // numbers that Kusto keeps as strings in a bag
				return s == x.String()
			}
			return false
		}
		yf, _ := y.Float64()
		if _, err := x.Int64(); err == nil {
			xf, _ := x.Float64()
			return xf == yf || math.Abs(xf-yf) <= 1e-9*math.Abs(xf)
		}
		return realsEqual(x.String(), yf, m.loose)
	case []any:
		y, ok := a.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		if m.multiset {
			return multisetMatch(len(x), func(i, j int) bool { return jsonEqual(x[i], y[j], m) })
		}
		for i := range x {
			if !jsonEqual(x[i], y[i], m) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := a.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !jsonEqual(v, w, m) {
				return false
			}
		}
		return true
	case string:
		if y, ok := a.(string); ok {
			if x == y {
				return true
			}
			// datetimes inside dynamic values print in several ways
			t1, d, ok1 := parseDatetime(strings.TrimSuffix(x, "Z"))
			t2, _, ok2 := parseDatetime(strings.TrimSuffix(y, "Z"))
			return ok1 && ok2 && t1 == truncTicks(t2, d)
		}
		return false
	}
	return fmt.Sprint(e) == fmt.Sprint(a)
}

// multisetMatch reports whether n expected items pair one-to-one with n actual items.
func multisetMatch(n int, eq func(i, j int) bool) bool {
	used := make([]bool, n)
	for i := 0; i < n; i++ {
		found := false
		for j := 0; j < n; j++ {
			if !used[j] && eq(i, j) {
				used[j], found = true, true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// compareTable returns "" when res matches the expected table, else the first cause.
func compareTable(e *example, exp table, res *lite.Result, m mode) string {
	names := exp.Columns
	if e.flag("column-mismatch") && len(e.AnalyzerColumns) == len(res.Columns) {
		names = nil
		for _, c := range e.AnalyzerColumns {
			names = append(names, c[0])
		}
	}
	var got []string
	for _, c := range res.Columns {
		got = append(got, c.Name)
	}
	if strings.Join(names, ",") != strings.Join(got, ",") {
		return fmt.Sprintf("wrong columns: got %v, want %v", got, names)
	}
	if !m.subset && len(exp.Rows) != len(res.Rows) {
		return fmt.Sprintf("wrong row count: got %d, want %d", len(res.Rows), len(exp.Rows))
	}
	if m.schemaOnly {
		return ""
	}
	rowEq := func(i, j int) bool {
		er, ar := exp.Rows[i], res.Rows[j]
		if len(er) != len(ar) {
			return false
		}
		for k := range er {
			if !cellEqual(er[k], ar[k], res.Columns[k].Type, m) {
				return false
			}
		}
		return true
	}
	if m.subset {
		for i := range exp.Rows {
			ok := false
			for j := range res.Rows {
				ok = ok || rowEq(i, j)
			}
			if !ok {
				return "wrong value: " + firstDiff(exp.Rows[i], res, 0, m, false)
			}
		}
		return ""
	}
	if e.Ordered && orderedMatch(e, exp, res, rowEq) {
		return ""
	}
	if !e.Ordered && multisetMatch(len(exp.Rows), rowEq) {
		return ""
	}
	for i := range exp.Rows {
		if !rowEq(i, i) {
			if e.Ordered && !multisetMatch(len(exp.Rows), rowEq) {
				return "wrong value: " + firstDiff(exp.Rows[i], res, i, m, e.Ordered)
			} else if e.Ordered {
				return "wrong order"
			}
			return "wrong value: " + firstDiff(exp.Rows[i], res, i, m, e.Ordered)
		}
	}
	return "wrong value"
}

// orderedMatch compares in order, letting rows that tie on the sort keys swap places.
func orderedMatch(e *example, exp table, res *lite.Result, rowEq func(i, j int) bool) bool {
	var keyIdx []int
	for _, ob := range e.OrderBy {
		for k, c := range exp.Columns {
			if c == ob[0] {
				keyIdx = append(keyIdx, k)
			}
		}
	}
	key := func(i int) string {
		var parts []string
		for _, k := range keyIdx {
			if k < len(exp.Rows[i]) {
				parts = append(parts, cleanCell(exp.Rows[i][k]))
			}
		}
		return strings.Join(parts, "\x00")
	}
	for start := 0; start < len(exp.Rows); {
		end := start + 1
		for len(keyIdx) > 0 && end < len(exp.Rows) && key(end) == key(start) {
			end++
		}
		used := map[int]bool{}
		for i := start; i < end; i++ {
			ok := false
			for j := start; j < end && !ok; j++ {
				if !used[j] && rowEq(i, j) {
					used[j], ok = true, true
				}
			}
			if !ok {
				return false
			}
		}
		start = end
	}
	return true
}

// firstDiff describes the first cell of an expected row that differs in the actual row
// most like it (row i when the order counts).
func firstDiff(er []string, res *lite.Result, i int, m mode, ordered bool) string {
	if i >= len(res.Rows) {
		return "missing row"
	}
	if !ordered {
		best := -1
		for j, ar := range res.Rows {
			n := 0
			for k := range er {
				if k < len(ar) && cellEqual(er[k], ar[k], res.Columns[k].Type, m) {
					n++
				}
			}
			if n > best {
				best, i = n, j
			}
		}
	}
	ar := res.Rows[i]
	for k := range er {
		if k < len(ar) && !cellEqual(er[k], ar[k], res.Columns[k].Type, m) {
			return fmt.Sprintf("%s %s: got %q, want %q", res.Columns[k].Name, res.Columns[k].Type, truncate(render(ar[k])), truncate(cleanCell(er[k])))
		}
	}
	return "row differs"
}

func truncate(s string) string {
	if len(s) > 120 {
		return s[:120] + "..."
	}
	return s
}
