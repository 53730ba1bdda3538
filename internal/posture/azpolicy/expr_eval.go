package azpolicy

import (
	"fmt"
)

// Template functions: a registry of name → implementation, filled by the
// functions_*.go files.

type fnImpl func(c *evalCtx, args []any) (any, error)

// fnLazy receives unevaluated arguments (if, and, or, coalesce evaluate
// only what they need).
type fnLazy func(c *evalCtx, args []expr) (any, error)

type fnSpec struct {
	min, max int // max < 0: no limit
	impl     fnImpl
	lazy     fnLazy
	// unsupported explains why a known ARM function cannot run here.
	unsupported string
}

var functions = map[string]fnSpec{}

func register(name string, min, max int, impl fnImpl) {
	functions[name] = fnSpec{min: min, max: max, impl: impl}
}

func registerLazy(name string, min, max int, lazy fnLazy) {
	functions[name] = fnSpec{min: min, max: max, lazy: lazy}
}

func registerUnsupported(reason string, names ...string) {
	for _, n := range names {
		functions[n] = fnSpec{max: -1, unsupported: reason}
	}
}

// validateExpr checks function names and argument counts. Functions Azure
// knows but this package cannot run are errors unless allowUnsupported,
// which defers the error to evaluation (for effect details that may never
// be evaluated).
func validateExpr(e expr, allowUnsupported bool) error {
	var err error
	walkExpr(e, func(x expr) {
		call, ok := x.(callExpr)
		if !ok || err != nil {
			return
		}
		spec, ok := functions[call.name]
		switch {
		case !ok:
			err = fmt.Errorf("unknown function %s()", call.raw)
		case spec.unsupported != "":
			if !allowUnsupported {
				err = fmt.Errorf("function %s() is not supported: %s", call.raw, spec.unsupported)
			}
		case len(call.args) < spec.min || (spec.max >= 0 && len(call.args) > spec.max):
			err = fmt.Errorf("%s() takes %s, got %d", call.raw, arity(spec), len(call.args))
		}
	})
	return err
}

func arity(s fnSpec) string {
	switch {
	case s.max < 0:
		return fmt.Sprintf("at least %d argument(s)", s.min)
	case s.min == s.max:
		return fmt.Sprintf("%d argument(s)", s.min)
	}
	return fmt.Sprintf("%d to %d arguments", s.min, s.max)
}

func (c *evalCtx) evalExpr(e expr) (any, error) {
	switch x := e.(type) {
	case litExpr:
		return x.v, nil
	case callExpr:
		return c.call(x)
	case propExpr:
		v, err := c.evalExpr(x.x)
		if err != nil {
			return nil, err
		}
		m, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("cannot read property %q of %s", x.name, typeName(v))
		}
		if r, ok := lookupKey(m, x.name); ok {
			return r, nil
		}
		return undefined, nil
	case indexExpr:
		v, err := c.evalExpr(x.x)
		if err != nil {
			return nil, err
		}
		idx, err := c.evalExpr(x.index)
		if err != nil {
			return nil, err
		}
		return index(v, idx)
	}
	return nil, fmt.Errorf("bad expression %T", e)
}

func index(v, idx any) (any, error) {
	switch x := v.(type) {
	case []any:
		i, ok := asInt(idx)
		if !ok {
			return nil, fmt.Errorf("array index must be an integer, not %s", typeName(idx))
		}
		if i < 0 || i >= int64(len(x)) {
			return nil, fmt.Errorf("index %d is out of bounds for an array of %d", i, len(x))
		}
		return x[i], nil
	case map[string]any:
		k, ok := idx.(string)
		if !ok {
			return nil, fmt.Errorf("object key must be a string, not %s", typeName(idx))
		}
		if r, ok := lookupKey(x, k); ok {
			return r, nil
		}
		return undefined, nil
	}
	return nil, fmt.Errorf("cannot index %s", typeName(v))
}

func (c *evalCtx) call(x callExpr) (any, error) {
	spec, ok := functions[x.name]
	if !ok {
		return nil, fmt.Errorf("unknown function %s()", x.raw)
	}
	if spec.unsupported != "" {
		return nil, fmt.Errorf("function %s() is not supported: %s", x.raw, spec.unsupported)
	}
	if len(x.args) < spec.min || (spec.max >= 0 && len(x.args) > spec.max) {
		return nil, fmt.Errorf("%s() takes %s, got %d", x.raw, arity(spec), len(x.args))
	}
	if spec.lazy != nil {
		return spec.lazy(c, x.args)
	}
	args := make([]any, len(x.args))
	for i, a := range x.args {
		v, err := c.evalExpr(a)
		if err != nil {
			return nil, err
		}
		if isUndef(v) {
			v = nil // functions see an absent value as null
		}
		args[i] = v
	}
	r, err := spec.impl(c, args)
	if err != nil {
		return nil, fmt.Errorf("%s(): %w", x.raw, err)
	}
	return r, c.charge(1 + sizeOf(r))
}

// sizeOf is the shallow size of a value, the work building it took.
func sizeOf(v any) int {
	switch x := v.(type) {
	case string:
		return len(x)
	case []any:
		return len(x)
	case map[string]any:
		return len(x)
	}
	return 0
}
