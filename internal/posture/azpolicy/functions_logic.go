package azpolicy

import (
	"fmt"
	"strings"
)

// Logical and comparison template functions. Unlike condition operators,
// ARM's equals() and ordering functions compare strings case-sensitively.

func init() {
	registerLazy("if", 3, 3, func(c *evalCtx, a []expr) (any, error) {
		cond, err := c.evalBoolArg(a[0])
		if err != nil {
			return nil, fmt.Errorf("if(): %w", err)
		}
		if cond {
			return c.evalExpr(a[1])
		}
		return c.evalExpr(a[2])
	})
	registerLazy("and", 0, -1, func(c *evalCtx, a []expr) (any, error) { return c.shortCircuit(a, false) })
	registerLazy("or", 0, -1, func(c *evalCtx, a []expr) (any, error) { return c.shortCircuit(a, true) })
	register("not", 1, 1, func(_ *evalCtx, a []any) (any, error) {
		b, ok := a[0].(bool)
		if !ok {
			return nil, fmt.Errorf("needs a boolean, not %s", typeName(a[0]))
		}
		return !b, nil
	})
	register("bool", 1, 1, func(_ *evalCtx, a []any) (any, error) { return toBool(a[0]) })
	register("true", 0, 0, func(*evalCtx, []any) (any, error) { return true, nil })
	register("false", 0, 0, func(*evalCtx, []any) (any, error) { return false, nil })
	register("null", 0, 0, func(*evalCtx, []any) (any, error) { return nil, nil })
	register("equals", 2, 2, fnEquals)
	register("less", 2, 2, ordering(func(c int) bool { return c < 0 }))
	register("lessorequals", 2, 2, ordering(func(c int) bool { return c <= 0 }))
	register("greater", 2, 2, ordering(func(c int) bool { return c > 0 }))
	register("greaterorequals", 2, 2, ordering(func(c int) bool { return c >= 0 }))
	register("coalesce", 1, -1, func(_ *evalCtx, a []any) (any, error) {
		for _, v := range a {
			if v != nil {
				return v, nil
			}
		}
		return nil, nil
	})
}

// fnEquals compares exactly, except that null (an absent field) equals the
// empty string: built-in policies test a missing field by comparing
// field() with an empty string before converting it with int().
func fnEquals(_ *evalCtx, a []any) (any, error) {
	if a[0] == nil || a[1] == nil {
		return isEmptyString(a[0]) && isEmptyString(a[1]), nil
	}
	return deepEqual(a[0], a[1]), nil
}

func isEmptyString(v any) bool { return v == nil || v == "" }

func (c *evalCtx) evalBoolArg(e expr) (bool, error) {
	v, err := c.evalExpr(e)
	if err != nil {
		return false, err
	}
	b, ok := v.(bool)
	if !ok {
		return false, fmt.Errorf("needs a boolean, not %s", typeName(v))
	}
	return b, nil
}

// shortCircuit implements and (stopOn false) and or (stopOn true).
func (c *evalCtx) shortCircuit(args []expr, stopOn bool) (any, error) {
	for _, e := range args {
		b, err := c.evalBoolArg(e)
		if err != nil {
			return nil, err
		}
		if b == stopOn {
			return stopOn, nil
		}
	}
	return !stopOn, nil
}

func ordering(test func(int) bool) fnImpl {
	return func(_ *evalCtx, a []any) (any, error) {
		if fa, _, ok := number(a[0]); ok {
			fb, _, ok := number(a[1])
			if !ok {
				return nil, fmt.Errorf("cannot compare a number with %s", typeName(a[1]))
			}
			c := 0
			if fa < fb {
				c = -1
			} else if fa > fb {
				c = 1
			}
			return test(c), nil
		}
		sa, ok1 := a[0].(string)
		sb, ok2 := a[1].(string)
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("needs two numbers or two strings, got %s and %s", typeName(a[0]), typeName(a[1]))
		}
		return test(strings.Compare(sa, sb)), nil
	}
}

// toBool converts like ARM's bool(): booleans, "true"/"false" in any case,
// "1"/"0", and numbers (non-zero is true).
func toBool(v any) (any, error) {
	switch x := v.(type) {
	case bool:
		return x, nil
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "true", "1":
			return true, nil
		case "false", "0":
			return false, nil
		}
		return nil, fmt.Errorf("%q is not a boolean", x)
	}
	if f, _, ok := number(v); ok {
		return f != 0, nil
	}
	return nil, fmt.Errorf("cannot convert %s to a boolean", typeName(v))
}
