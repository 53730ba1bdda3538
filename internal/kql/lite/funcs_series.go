package lite

import (
	"math"
	"strings"

	"github.com/rampart-soc/rampart/internal/kql/syntax"
	"github.com/rampart-soc/rampart/internal/schema"
)

// Series functions: element-wise math over dynamic numeric arrays (the output of
// make-series), fills of missing values, and a few whole-series statistics.
func init() {
	J, R := schema.Dynamic, schema.Real
	unary := map[string]func(float64) float64{
		"abs": math.Abs, "acos": math.Acos, "asin": math.Asin, "atan": math.Atan, "ceiling": math.Ceil,
		"cos": math.Cos, "exp": math.Exp, "floor": math.Floor, "log": math.Log, "sin": math.Sin, "tan": math.Tan,
		"sign": func(x float64) float64 {
			switch {
			case x > 0:
				return 1
			case x < 0:
				return -1
			}
			return 0
		},
	}
	for name, f := range unary {
		f := f
		def("series_"+name, 1, 1, udfT(J, "series_"+name, J))
		jsonUDF("series_"+name, "jj", func(a []any) any {
			return mapSeries(a[0], func(x float64) any { return f(x) })
		})
	}
	binary := map[string]func(x, y float64) any{
		"add": func(x, y float64) any { return x + y }, "subtract": func(x, y float64) any { return x - y },
		"multiply": func(x, y float64) any { return x * y }, "divide": func(x, y float64) any { return x / y },
		"pow":     func(x, y float64) any { return math.Pow(x, y) },
		"greater": func(x, y float64) any { return x > y }, "greater_equals": func(x, y float64) any { return x >= y },
		"less": func(x, y float64) any { return x < y }, "less_equals": func(x, y float64) any { return x <= y },
		"equals": func(x, y float64) any { return x == y }, "not_equals": func(x, y float64) any { return x != y },
	}
	for name, f := range binary {
		f := f
		def("series_"+name, 2, 2, udfT(J, "series_"+name, J))
		jsonUDF("series_"+name, "jjj", func(a []any) any { return zipSeries(a[0], a[1], f) })
	}
	reduce := map[string]func(xs []float64) any{
		"sum": func(xs []float64) any {
			s := 0.0
			for _, x := range xs {
				s += x
			}
			return s
		},
		"product": func(xs []float64) any {
			p := 1.0
			for _, x := range xs {
				p *= x
			}
			return p
		},
		"magnitude": func(xs []float64) any {
			s := 0.0
			for _, x := range xs {
				s += x * x
			}
			return math.Sqrt(s)
		},
	}
	for name, f := range reduce {
		f := f
		def("series_"+name, 1, 1, udfT(R, "series_"+name, J))
		jsonUDF("series_"+name, "jf", func(a []any) any {
			xs, ok := numbers(a[0])
			if !ok {
				return nil
			}
			return f(xs)
		})
	}
	pair := map[string]func(x, y []float64) any{
		"dot_product": func(x, y []float64) any { return dot(x, y) },
		"cosine_similarity": func(x, y []float64) any {
			return dot(x, y) / math.Sqrt(dot(x, x)*dot(y, y))
		},
		"pearson_correlation": func(x, y []float64) any {
			mx, my := mean(x), mean(y)
			var sxy, sxx, syy float64
			for i := range x {
				sxy += (x[i] - mx) * (y[i] - my)
				sxx += (x[i] - mx) * (x[i] - mx)
				syy += (y[i] - my) * (y[i] - my)
			}
			return sxy / math.Sqrt(sxx*syy)
		},
	}
	for name, f := range pair {
		f := f
		def("series_"+name, 2, 2, udfT(R, "series_"+name, J))
		jsonUDF("series_"+name, "jjf", func(a []any) any {
			x, ok1 := numbers(a[0])
			y, ok2 := numbers(a[1])
			if !ok1 || !ok2 || len(x) != len(y) || len(x) == 0 {
				return nil
			}
			return f(x, y)
		})
	}
	fill := func(name string) impl {
		return func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
			args := []string{jsonArg(a[0]), "'null'", "'null'", "TRUE"}
			switch name {
			case "fill_const":
				if len(a) < 2 {
					return typed{}, errAt(x, "series_fill_const() needs a value")
				}
				args[1] = jsonArg(a[1])
				if len(a) > 2 {
					args[2] = jsonArg(a[2])
				}
			default:
				if len(a) > 1 {
					args[2] = jsonArg(a[1])
				}
				if len(a) > 2 {
					args[3] = convert(a[2], schema.Bool).sql
				}
			}
			return typed{sql: "CAST(kql_series_" + name + "(" + strings.Join(args, ", ") + ") AS JSON)", typ: J}, nil
		}
	}
	def("series_fill_backward", 1, 2, fill("fill_backward"))
	def("series_fill_forward", 1, 2, fill("fill_forward"))
	def("series_fill_const", 2, 3, fill("fill_const"))
	def("series_fill_linear", 1, 3, fill("fill_linear"))
	for _, name := range []string{"fill_backward", "fill_forward", "fill_const", "fill_linear"} {
		name := name
		jsonUDF("series_"+name, "jjjbj", func(a []any) any {
			xs, ok := a[0].([]any)
			if !ok {
				return nil
			}
			missing := func(v any) bool {
				if a[2] == nil {
					return v == nil
				}
				return jsonKeyOf(v) == jsonKeyOf(a[2])
			}
			return fillSeries(name, xs, missing, a[1], a[3].(bool))
		})
	}
	def("series_stats_dynamic", 1, 2, udfT(J, "series_stats_dynamic", J))
	jsonUDF("series_stats_dynamic", "jj", func(a []any) any {
		xs, ok := a[0].([]any)
		if !ok {
			return nil
		}
		out := newBag()
		var vals []float64
		minI, maxI := -1, -1
		for i, v := range xs {
			f, ok := jsonNum(v)
			if !ok || v == nil {
				continue
			}
			vals = append(vals, f)
			if minI < 0 || f < toF(xs[minI]) {
				minI = i
			}
			if maxI < 0 || f > toF(xs[maxI]) {
				maxI = i
			}
		}
		if len(vals) == 0 {
			return nil
		}
		m := mean(vals)
		variance := 0.0
		for _, v := range vals {
			variance += (v - m) * (v - m)
		}
		if len(vals) > 1 {
			variance /= float64(len(vals) - 1)
		}
		out.set("min", toF(xs[minI]))
		out.set("min_idx", int64(minI))
		out.set("max", toF(xs[maxI]))
		out.set("max_idx", int64(maxI))
		out.set("avg", m)
		out.set("stdev", math.Sqrt(variance))
		out.set("variance", variance)
		out.set("sum", m*float64(len(vals)))
		out.set("len", int64(len(vals)))
		return out
	})
	def("series_iir", 3, 3, udfT(J, "series_iir", J))
	jsonUDF("series_iir", "jjjj", func(a []any) any {
		x, ok1 := numbers(a[0])
		b, ok2 := numbers(a[1])
		den, ok3 := numbers(a[2])
		if !ok1 || !ok2 || !ok3 || len(den) == 0 || den[0] == 0 {
			return nil
		}
		y := make([]float64, len(x))
		out := make([]any, len(x))
		for n := range x {
			v := 0.0
			for k := range b {
				if n-k >= 0 {
					v += b[k] * x[n-k]
				}
			}
			for k := 1; k < len(den); k++ {
				if n-k >= 0 {
					v -= den[k] * y[n-k]
				}
			}
			y[n] = v / den[0]
			out[n] = y[n]
		}
		return out
	})
}

func toF(v any) float64 { f, _ := jsonNum(v); return f }

func dot(x, y []float64) float64 {
	s := 0.0
	for i := range x {
		s += x[i] * y[i]
	}
	return s
}

func mean(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// numbers reads an array of numbers; any other element makes it unreadable.
func numbers(v any) ([]float64, bool) {
	xs, ok := v.([]any)
	if !ok {
		return nil, false
	}
	out := make([]float64, len(xs))
	for i, x := range xs {
		f, ok := jsonNum(x)
		if !ok {
			return nil, false
		}
		out[i] = f
	}
	return out, true
}

// mapSeries applies f to each number; other elements become null.
func mapSeries(v any, f func(float64) any) any {
	xs, ok := v.([]any)
	if !ok {
		return nil
	}
	out := make([]any, len(xs))
	for i, x := range xs {
		if n, ok := jsonNum(x); ok && x != nil {
			out[i] = f(n)
		}
	}
	return out
}

// zipSeries combines two arrays (or an array and a number) element by element.
func zipSeries(a, b any, f func(x, y float64) any) any {
	xa, aArr := a.([]any)
	xb, bArr := b.([]any)
	switch {
	case aArr && bArr:
	case aArr:
		xb = make([]any, len(xa))
		for i := range xb {
			xb[i] = b
		}
	case bArr:
		xa = make([]any, len(xb))
		for i := range xa {
			xa[i] = a
		}
	default:
		return nil
	}
	n := max(len(xa), len(xb))
	out := make([]any, n)
	for i := 0; i < n; i++ {
		if i >= len(xa) || i >= len(xb) {
			continue
		}
		x, ok1 := jsonNum(xa[i])
		y, ok2 := jsonNum(xb[i])
		if ok1 && ok2 && xa[i] != nil && xb[i] != nil {
			out[i] = f(x, y)
		}
	}
	return out
}

func fillSeries(kind string, xs []any, missing func(any) bool, constant any, edges bool) []any {
	out := append([]any{}, xs...)
	switch kind {
	case "fill_forward":
		var last any
		seen := false
		for i, v := range out {
			if missing(v) {
				if seen {
					out[i] = last
				}
				continue
			}
			last, seen = v, true
		}
	case "fill_backward":
		var next any
		seen := false
		for i := len(out) - 1; i >= 0; i-- {
			if missing(out[i]) {
				if seen {
					out[i] = next
				}
				continue
			}
			next, seen = out[i], true
		}
	case "fill_const":
		for i, v := range out {
			if missing(v) {
				out[i] = constant
			}
		}
	case "fill_linear":
		prev := -1
		for i := 0; i <= len(out); i++ {
			if i < len(out) && missing(out[i]) {
				continue
			}
			if prev >= 0 && i < len(out) && i-prev > 1 {
				a, b := toF(out[prev]), toF(out[i])
				for k := prev + 1; k < i; k++ {
					out[k] = a + (b-a)*float64(k-prev)/float64(i-prev)
				}
			}
			if i < len(out) {
				prev = i
			}
		}
		if edges { // leading and trailing gaps take the nearest value
			out = fillSeries("fill_backward", out, missing, nil, false)
			out = fillSeries("fill_forward", out, missing, nil, false)
		}
	}
	return out
}
