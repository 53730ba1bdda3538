package lite

import (
	"fmt"
	"strings"

	"github.com/rampart-soc/rampart/internal/kql/syntax"
)

// How Kusto names the column of an unnamed expression (Kusto.Language's result name kinds).
type nameKind int

const (
	nameNone        nameKind = iota
	nameFirstArg             // tostring(x) → x
	nameFnFirstArg           // strlen(x) → strlen_x
	nameOnlyArg              // make_datetime(x) → x, with one argument only
	namePrefixFirst          // gettype(x) → type_x; sum(x) → sum_x, count() → count_
	nameColumnValue          // column_ifexists("c", ...) → c
)

var scalarNames = map[string]nameKind{}

func init() {
	for _, f := range strings.Fields(`split tostring tohex todynamic toobject tolong toint toreal todouble
		todatetime totimespan totime tobool toboolean todecimal toguid parse_csv parsejson parse_json
		parse_xml format_datetime format_timespan startofday bin floor bin_at bin_auto binary_and binary_or
		binary_xor binary_not binary_shift_right binary_shift_left bitset_count_ones round ceiling pow
		sqrt log log2 log10 exp exp2 exp10 cos sin tan acos asin atan atan2 abs rand gamma loggamma erf
		erfc format_bytes series_fir series_outliers series_iir series_fill_backward series_fill_forward
		series_fill_const series_fill_linear __hll_normalize`) {
		scalarNames[f] = nameFirstArg
	}
	for _, f := range []string{"strlen", "string_size", "percentile_tdigest", "dcount_hll"} {
		scalarNames[f] = nameFnFirstArg
	}
	scalarNames["make_datetime"] = nameOnlyArg
	scalarNames["make_timespan"] = nameOnlyArg
	scalarNames["column_ifexists"] = nameColumnValue
	scalarNames["columnifexists"] = nameColumnValue
}

// scalarPrefixes are the prefixes of namePrefixFirst scalar functions.
var scalarPrefixes = map[string]string{"gettype": "type", "treepath": "treepath", "repeat": "repeat", "percentiles_array_tdigest": "percentiles_array_tdigest"}

// exprName is the column name Kusto gives an unnamed expression, "" when it gives none
// (the caller then numbers it Column1, print_0, ...).
func (c *compiler) exprName(e syntax.Expr, sc scope) string {
	switch x := e.(type) {
	case *syntax.Ident:
		if _, ok := sc[x.Name]; ok {
			return x.Name
		}
	case *syntax.Paren:
		return c.exprName(x.X, sc)
	case *syntax.Member:
		if id, ok := x.X.(*syntax.Ident); ok && (id.Name == "$left" || id.Name == "$right") {
			return x.Name.Name
		}
		if base := c.exprName(x.X, sc); base != "" {
			return base + "_" + x.Name.Name
		}
	case *syntax.Index:
		base := c.exprName(x.X, sc)
		if lit, ok := x.Index.(*syntax.Literal); ok && base != "" && lit.Value != nil {
			return base + "_" + fmt.Sprint(lit.Value)
		}
	case *syntax.Call:
		name := x.Name()
		first := func() string {
			if len(x.Args) == 0 {
				return ""
			}
			return c.exprName(x.Args[0], sc)
		}
		if a, ok := aggregates[name]; ok && c.agg != nil {
			return a.resultName(c, x, sc)
		}
		if p, ok := scalarPrefixes[name]; ok {
			return p + "_" + first()
		}
		switch scalarNames[name] {
		case nameFirstArg:
			return first()
		case nameFnFirstArg:
			if f := first(); f != "" {
				return name + "_" + f
			}
		case nameOnlyArg:
			if len(x.Args) == 1 {
				return first()
			}
		case nameColumnValue:
			if len(x.Args) > 0 {
				if lit, ok := x.Args[0].(*syntax.Literal); ok {
					if s, ok := lit.Value.(string); ok {
						return s
					}
				}
			}
		}
	}
	return ""
}

// uniqueName returns name, or name1, name2, ... when taken.
func uniqueName(name string, taken map[string]bool) string {
	if !taken[name] {
		return name
	}
	for i := 1; ; i++ {
		n := fmt.Sprintf("%s%d", name, i)
		if !taken[n] {
			return n
		}
	}
}

// columnN returns the next free ColumnN name.
func columnN(n *int, taken map[string]bool) string {
	for {
		*n++
		name := fmt.Sprintf("Column%d", *n)
		if !taken[name] {
			return name
		}
	}
}
