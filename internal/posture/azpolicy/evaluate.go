package azpolicy

import (
	"fmt"
	"strings"
)

// Evaluate applies the policy to one resource. A disabled effect skips the
// rule altogether, as Azure does.
func (p *Policy) Evaluate(in Input) (Result, error) {
	c := p.newCtx(&in)
	ev, err := c.evalTemplate(&p.effect)
	if err != nil {
		return Result{}, fmt.Errorf("effect: %w", err)
	}
	effect, ok := ev.(string)
	if !ok {
		return Result{}, fmt.Errorf("effect is %s, not a string", typeName(ev))
	}
	kind, ok := effectKinds[strings.ToLower(effect)]
	if !ok {
		return Result{}, fmt.Errorf("unknown effect %q", effect)
	}
	if kind == effDisabled {
		return Result{}, nil
	}
	if ok, err := p.cond.eval(c); err != nil || !ok {
		return Result{}, err
	}
	res := Result{Match: true, Effect: effect}
	cd := p.compiled
	switch kind {
	case effAuditIfNotExists, effDeployIfNotExists:
		return p.evalIfNotExists(c, res)
	case effModify:
		if cd.raw == nil {
			return res, nil
		}
		ops, err := c.evalEntries(cd.operations)
		if err != nil {
			return Result{}, err
		}
		d := map[string]any{"operations": ops}
		if cd.roleDefinitionIds != nil {
			d["roleDefinitionIds"] = cd.roleDefinitionIds
		}
		res.Details = d
	case effAppend:
		if cd.raw == nil {
			return res, nil
		}
		entries, err := c.evalEntries(cd.entries)
		if err != nil {
			return Result{}, err
		}
		res.Details = entries
	}
	return res, nil
}

// evalEntries evaluates the value of each modify operation or append entry.
func (c *evalCtx) evalEntries(list []compiledEntry) ([]any, error) {
	out := make([]any, 0, len(list))
	for _, e := range list {
		m := make(map[string]any, len(e.raw))
		for k, v := range e.raw {
			m[k] = v
		}
		if _, ok := lookupKey(e.raw, "value"); ok {
			v, err := c.evalDetailJSON(e.value)
			if err != nil {
				return nil, err
			}
			m["value"] = v
		}
		out = append(out, m)
	}
	return out, nil
}

// evalDetailJSON evaluates detail values, where an absent field is null.
func (c *evalCtx) evalDetailJSON(v any) (any, error) {
	r, err := c.evalJSON(v)
	if isUndef(r) {
		r = nil
	}
	return r, err
}

// evalIfNotExists looks up the related resources and applies the effect
// only when none satisfies the existence condition.
func (p *Policy) evalIfNotExists(c *evalCtx, res Result) (Result, error) {
	cd := p.compiled
	if cd.relType == nil {
		return Result{}, fmt.Errorf("%s needs details.type", res.Effect)
	}
	q := RelatedQuery{Resource: c.res}
	fields := []struct {
		t   *template
		dst *string
	}{{cd.relType, &q.Type}, {cd.relName, &q.Name}, {cd.relGroup, &q.ResourceGroupName}, {cd.relScope, &q.ExistenceScope}}
	for _, f := range fields {
		if f.t == nil {
			continue
		}
		v, err := c.evalTemplate(f.t)
		if err != nil {
			return Result{}, fmt.Errorf("details: %w", err)
		}
		s, ok := v.(string)
		if !ok {
			return Result{}, fmt.Errorf("details value %s is %s, not a string", f.t.raw, typeName(v))
		}
		*f.dst = s
	}
	var related []map[string]any
	if c.in.Related != nil {
		var err error
		if related, err = c.in.Related(q); err != nil {
			return Result{}, fmt.Errorf("related resources: %w", err)
		}
	}
	for _, r := range related {
		if r == nil {
			continue
		}
		if cd.existence == nil {
			return Result{}, nil
		}
		typ, ok := lookupString(r, "type")
		if !ok {
			typ = q.Type
		}
		rc := &evalCtx{p: p, in: c.in, params: c.params, res: r, resType: typ, primary: c, budget: c.budget}
		ok, err := cd.existence.eval(rc)
		if err != nil {
			return Result{}, fmt.Errorf("existenceCondition: %w", err)
		}
		if ok {
			return Result{}, nil
		}
	}
	d := map[string]any{"type": q.Type}
	if cd.roleDefinitionIds != nil {
		d["roleDefinitionIds"] = cd.roleDefinitionIds
	}
	res.Details = d
	res.Related = &q
	return res, nil
}
