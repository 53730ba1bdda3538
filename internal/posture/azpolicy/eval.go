package azpolicy

import (
	"fmt"
)

// evalCtx is the state of one evaluation.
type evalCtx struct {
	p          *Policy
	in         *Input
	params     map[string]any
	res        map[string]any // the resource field conditions read
	resType    string         // its type, which selects aliases
	apiVersion string
	scopes     []scope
	// primary is set inside an existenceCondition, where field conditions
	// read the related resource but field() reads the evaluated one.
	primary *evalCtx
	budget  *int   // work units left, shared by nested contexts
	now     string // utcNow() of this evaluation, once asked for
}

// scope is one iteration of an enclosing count.
type scope struct {
	isField bool
	name    string // value count name, or the field count's field as written
	prefix  path   // field count: the array path the element came from
	item    any
}

// maxWork bounds the work of one evaluation (count iterations, function
// calls and the size of what they build), so that a hostile or careless
// policy cannot run away with nested counts or growing expressions.
const maxWork = 1 << 22

var errTooMuchWork = fmt.Errorf("evaluation exceeds its work limit of %d units", maxWork)

// charge spends n units of the evaluation's work budget.
func (c *evalCtx) charge(n int) error {
	if *c.budget -= n; *c.budget < 0 {
		return errTooMuchWork
	}
	return nil
}

func (p *Policy) newCtx(in *Input) *evalCtx {
	res := in.Resource
	if res == nil {
		res = map[string]any{}
	}
	typ, _ := lookupString(res, "type")
	budget := maxWork
	return &evalCtx{
		budget:     &budget,
		p:          p,
		in:         in,
		params:     p.resolveParams(in.Parameters),
		res:        res,
		resType:    typ,
		apiVersion: in.APIVersion,
	}
}

func (c allOfCond) eval(ctx *evalCtx) (bool, error) {
	for _, sub := range c {
		ok, err := sub.eval(ctx)
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

func (c anyOfCond) eval(ctx *evalCtx) (bool, error) {
	for _, sub := range c {
		ok, err := sub.eval(ctx)
		if err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}

func (c notCond) eval(ctx *evalCtx) (bool, error) {
	ok, err := c.c.eval(ctx)
	return !ok && err == nil, err
}

func (c *leafCond) eval(ctx *evalCtx) (bool, error) {
	rhs, err := ctx.evalJSON(c.rhs)
	if err != nil {
		return false, err
	}
	switch {
	case c.count != nil:
		n, err := ctx.evalCount(c.count)
		if err != nil {
			return false, err
		}
		return applyOp(c.op, int64(n), rhs)
	case c.field != nil:
		name, err := ctx.fieldName(c.field)
		if err != nil {
			return false, err
		}
		vals, multi, err := ctx.fieldValues(name, walkCondition)
		if err != nil {
			return false, err
		}
		if !multi {
			return applyOp(c.op, vals[0], rhs)
		}
		// Outside a count, an [*] alias holds only if every member does.
		for _, v := range vals {
			ok, err := applyOp(c.op, v, rhs)
			if err != nil || !ok {
				return false, err
			}
		}
		return true, nil
	}
	lhs, err := ctx.evalJSON(c.value)
	if err != nil {
		return false, err
	}
	return applyOp(c.op, lhs, rhs)
}

// fieldName evaluates a field operand to the path or alias it names.
func (c *evalCtx) fieldName(t *template) (string, error) {
	if !t.isExpr() {
		return t.lit, nil
	}
	v, err := c.evalExpr(t.expr)
	if err != nil {
		return "", err
	}
	s, ok := v.(string)
	if !ok || s == "" {
		return "", fmt.Errorf("field expression %s gave %s, not a field name", t.raw, typeName(v))
	}
	return s, nil
}

func (c *evalCtx) evalCount(cs *countSpec) (int, error) {
	var items []any
	var sc scope
	if cs.field != nil {
		name, err := c.fieldName(cs.field)
		if err != nil {
			return 0, err
		}
		elems, prefix, err := c.countElements(name)
		if err != nil {
			return 0, err
		}
		items = elems
		sc = scope{isField: true, name: name, prefix: prefix}
	} else {
		v, err := c.evalJSON(cs.value)
		if err != nil {
			return 0, err
		}
		switch x := v.(type) {
		case []any:
			items = x
		case nil, undefinedType:
		default:
			return 0, fmt.Errorf("value count needs an array, not %s", typeName(v))
		}
		sc = scope{name: cs.name}
	}
	if cs.where == nil {
		return len(items), nil
	}
	if err := c.charge(len(items)); err != nil {
		return 0, err
	}
	n := 0
	for _, it := range items {
		sc.item = it
		c.scopes = append(c.scopes, sc)
		ok, err := cs.where.eval(c)
		c.scopes = c.scopes[:len(c.scopes)-1]
		if err != nil {
			return 0, err
		}
		if ok {
			n++
		}
	}
	return n, nil
}

// evalJSON evaluates the expressions inside a compiled JSON operand.
func (c *evalCtx) evalJSON(v any) (any, error) {
	switch x := v.(type) {
	case *template:
		return c.evalTemplate(x)
	case []any:
		if !hasTemplate(x) {
			return x, nil
		}
		out := make([]any, len(x))
		for i, e := range x {
			r, err := c.evalJSON(e)
			if err != nil {
				return nil, err
			}
			out[i] = r
		}
		return out, nil
	case map[string]any:
		if !hasTemplate(x) {
			return x, nil
		}
		out := make(map[string]any, len(x))
		for k, e := range x {
			r, err := c.evalJSON(e)
			if err != nil {
				return nil, err
			}
			out[k] = r
		}
		return out, nil
	}
	return v, nil
}

func hasTemplate(v any) bool {
	switch x := v.(type) {
	case *template:
		return true
	case []any:
		for _, e := range x {
			if hasTemplate(e) {
				return true
			}
		}
	case map[string]any:
		for _, e := range x {
			if hasTemplate(e) {
				return true
			}
		}
	}
	return false
}

func (c *evalCtx) evalTemplate(t *template) (any, error) {
	if !t.isExpr() {
		return t.lit, nil
	}
	return c.evalExpr(t.expr)
}
