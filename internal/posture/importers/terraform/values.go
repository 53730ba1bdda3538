package terraform

import (
	"sort"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// resolveMemo evaluates a named expression once, in its module's scope, guarding cycles.
func (m *module) resolveMemo(cache map[string]*memo, name string, eval func(s *scope) (cty.Value, bool)) *memo {
	if mm, ok := cache[name]; ok {
		if mm.busy {
			return nil // a cycle: leave the reference unresolved
		}
		return mm
	}
	mm := &memo{busy: true}
	cache[name] = mm
	s := &scope{mod: m, links: map[string]string{}}
	v, ok := eval(s)
	mm.busy = false
	if !ok {
		return mm // known to be unresolvable: done stays false
	}
	mm.val, mm.done = v, true
	for l := range s.links {
		mm.links = append(mm.links, l)
	}
	sort.Strings(mm.links)
	return mm
}

// variable is var.name: the module call's argument, then tfvars (root module), then the
// declared default.
func (m *module) variable(name string) *memo {
	return m.resolveMemo(m.varMemo, name, func(s *scope) (cty.Value, bool) {
		if m.call != nil && m.parent != nil {
			if a, ok := m.call.block.Body.Attributes[name]; ok {
				ps := &scope{mod: m.parent, links: s.links}
				return ps.eval(a.Expr, m.call.file), true
			}
		}
		if v, ok := m.tfvars[name]; ok {
			return v, true
		}
		if b, ok := m.vars[name]; ok {
			if a, ok := b.Body.Attributes["default"]; ok {
				return s.eval(a.Expr, fileOf(m, b)), true
			}
		}
		return cty.NilVal, false
	})
}

func (m *module) local(name string) *memo {
	return m.resolveMemo(m.localMemo, name, func(s *scope) (cty.Value, bool) {
		d, ok := m.locals[name]
		if !ok {
			return cty.NilVal, false
		}
		return s.eval(d.attr.Expr, d.file), true
	})
}

func (m *module) output(name string) *memo {
	return m.resolveMemo(m.outMemo, name, func(s *scope) (cty.Value, bool) {
		d, ok := m.outputs[name]
		if !ok {
			return cty.NilVal, false
		}
		return s.eval(d.attr.Expr, d.file), true
	})
}

// fileOf finds the file a top-level block was declared in.
func fileOf(m *module, b *hclsyntax.Block) *srcFile {
	for _, f := range m.files {
		if b.Range().Filename == f.name {
			return f
		}
	}
	return nil
}

// meta lists resource meta-arguments that are not attributes of the resource.
var meta = map[string]bool{
	"count": true, "for_each": true, "provider": true, "depends_on": true,
	"lifecycle": true, "provisioner": true, "connection": true,
}

// evalResource expands a resource's count/for_each and evaluates every instance's body.
func (m *module) evalResource(r *resDef) {
	if r.state != 0 {
		return
	}
	r.state = 1
	defer func() { r.state = 2 }()
	base := m.prefix + r.typ + "." + r.name
	s := &scope{mod: m, self: base, links: map[string]string{}}
	attrs := r.block.Body.Attributes
	type inst struct{ key, count, each cty.Value }
	var plan []inst
	switch {
	case attrs["count"] != nil:
		v := s.eval(attrs["count"].Expr, r.file)
		if n, ok := countOf(v); ok {
			r.keyed = true
			for i := 0; i < n; i++ {
				k := cty.NumberIntVal(int64(i))
				plan = append(plan, inst{key: k, count: cty.ObjectVal(map[string]cty.Value{"index": k})})
			}
		} else {
			plan = []inst{{}}
		}
	case attrs["for_each"] != nil:
		v := s.eval(attrs["for_each"].Expr, r.file)
		if pairs, ok := elements(v); ok && allStringKeys(pairs) {
			r.keyed = true
			for _, p := range pairs {
				plan = append(plan, inst{key: p[0], each: cty.ObjectVal(map[string]cty.Value{"key": p[0], "value": p[1]})})
			}
		} else {
			plan = []inst{{}}
		}
	default:
		plan = []inst{{}}
	}
	for _, p := range plan {
		in := &instance{key: p.key, id: base + instanceSuffix(p.key), links: map[string]string{}}
		r.instances = append(r.instances, in)
	}
	for i, p := range plan {
		in := r.instances[i]
		is := &scope{mod: m, self: in.id, count: p.count, each: p.each, links: in.links}
		in.value = is.body(r.block.Body, r.file, meta)
		// Links the count/for_each expressions produced apply to every instance.
		for t := range s.links {
			is.link(t, "references")
		}
		if a, ok := attrs["depends_on"]; ok {
			if tup, ok := a.Expr.(*hclsyntax.TupleConsExpr); ok {
				for _, e := range tup.Exprs {
					is.dependsOn(e)
				}
			}
		}
	}
}

// dependsOn links to the resources named in depends_on (traversals or, in old configs, strings).
func (s *scope) dependsOn(e hclsyntax.Expression) {
	sink := &scope{mod: s.mod, self: s.self, links: map[string]string{}}
	for _, t := range e.Variables() {
		sink.resolve(t)
	}
	if tmpl, ok := e.(*hclsyntax.TemplateExpr); ok && tmpl.IsStringLiteral() {
		v, _ := tmpl.Value(nil)
		if v.Type() == cty.String {
			if t, ok := parseRef(v.AsString()); ok {
				sink.resolve(t)
			}
		}
	}
	for t := range sink.links {
		s.link(t, "dependsOn")
	}
}

func countOf(v cty.Value) (int, bool) {
	if v.Type() != cty.Number || !v.IsKnown() || v.IsNull() {
		return 0, false
	}
	i, acc := v.AsBigFloat().Int64()
	if acc != 0 || i < 0 || i > maxExpand {
		return 0, false
	}
	return int(i), true
}

func allStringKeys(pairs [][2]cty.Value) bool {
	for _, p := range pairs {
		if p[0].Type() != cty.String {
			return false
		}
	}
	return true
}

// instanceSuffix is the address suffix of an expanded instance: [0] or ["key"].
func instanceSuffix(k cty.Value) string {
	if k == cty.NilVal {
		return ""
	}
	if k.Type() == cty.String {
		return "[" + quote(k.AsString()) + "]"
	}
	i, _ := k.AsBigFloat().Int64()
	return "[" + itoa(int(i)) + "]"
}
