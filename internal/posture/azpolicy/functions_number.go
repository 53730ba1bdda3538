package azpolicy

import (
	"fmt"
	"math"
)

// Numeric template functions: integers stay integers, any float makes the
// result a float.

func init() {
	register("add", 2, 2, arith(func(a, b int64) (int64, error) { return a + b, nil }, func(a, b float64) float64 { return a + b }))
	register("sub", 2, 2, arith(func(a, b int64) (int64, error) { return a - b, nil }, func(a, b float64) float64 { return a - b }))
	register("mul", 2, 2, arith(func(a, b int64) (int64, error) { return a * b, nil }, func(a, b float64) float64 { return a * b }))
	register("div", 2, 2, intOnly(func(a, b int64) (int64, error) {
		if b == 0 {
			return 0, fmt.Errorf("division by zero")
		}
		return a / b, nil
	}))
	register("mod", 2, 2, intOnly(func(a, b int64) (int64, error) {
		if b == 0 {
			return 0, fmt.Errorf("division by zero")
		}
		return a % b, nil
	}))
	register("int", 1, 1, fnInt)
	register("float", 1, 1, fnFloat)
}

// arith applies integer arithmetic to integers and float arithmetic otherwise.
func arith(ints func(a, b int64) (int64, error), floats func(a, b float64) float64) fnImpl {
	return func(_ *evalCtx, a []any) (any, error) {
		fa, ia, ok1 := number(a[0])
		fb, ib, ok2 := number(a[1])
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("needs numbers, got %s and %s", typeName(a[0]), typeName(a[1]))
		}
		if ia && ib {
			x, _ := asInt(a[0])
			y, _ := asInt(a[1])
			return ints(x, y)
		}
		return floats(fa, fb), nil
	}
}

func intOnly(f func(a, b int64) (int64, error)) fnImpl {
	return func(_ *evalCtx, a []any) (any, error) {
		x, ok1 := asInt(a[0])
		y, ok2 := asInt(a[1])
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("needs integers, got %s and %s", typeName(a[0]), typeName(a[1]))
		}
		return f(x, y)
	}
}

func fnInt(_ *evalCtx, a []any) (any, error) {
	switch x := a[0].(type) {
	case string:
		i, err := parseIntString(x)
		if err != nil {
			return nil, fmt.Errorf("%q is not an integer", x)
		}
		return i, nil
	case bool:
		return nil, fmt.Errorf("cannot convert a boolean to an integer")
	}
	if f, _, ok := number(a[0]); ok && math.Abs(f) < 1<<63 {
		return int64(math.Trunc(f)), nil
	}
	return nil, fmt.Errorf("cannot convert %s to an integer", typeName(a[0]))
}

func fnFloat(_ *evalCtx, a []any) (any, error) {
	if s, ok := a[0].(string); ok {
		f, ok := numFromString(s)
		if !ok {
			return nil, fmt.Errorf("%q is not a number", s)
		}
		return f, nil
	}
	if f, _, ok := number(a[0]); ok {
		return f, nil
	}
	return nil, fmt.Errorf("cannot convert %s to a number", typeName(a[0]))
}
