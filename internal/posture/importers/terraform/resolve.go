package terraform

import (
	"strconv"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// resolve finds the value a whole traversal refers to. ok is false when it cannot be known
// statically (resource ids, data sources, missing variables); references to managed
// resources are recorded as links either way.
func (s *scope) resolve(t hcl.Traversal) (cty.Value, bool) {
	root := t.RootName()
	rest := t[1:]
	switch root {
	case "var", "local":
		name, ok := attrName(rest)
		if !ok {
			return cty.NilVal, false
		}
		var m *memo
		if root == "var" {
			m = s.mod.variable(name)
		} else {
			m = s.mod.local(name)
		}
		return s.fromMemo(m, rest[1:])
	case "module":
		return s.moduleRef(rest)
	case "path":
		name, _ := attrName(rest)
		switch name {
		case "module":
			return cty.StringVal(s.mod.rel), true
		case "root", "cwd":
			return cty.StringVal("."), true
		}
		return cty.NilVal, false
	case "terraform":
		if name, _ := attrName(rest); name == "workspace" {
			return cty.StringVal("default"), true
		}
		return cty.NilVal, false
	case "count":
		return apply(s.count, rest)
	case "each":
		return apply(s.each, rest)
	case "data":
		return s.dataRef(rest)
	case "self":
		return cty.NilVal, false
	}
	if v, ok := s.iters[root]; ok {
		return apply(v, rest)
	}
	if s.mod.types[root] {
		return s.resourceRef(root, rest)
	}
	return cty.NilVal, false
}

func (s *scope) fromMemo(m *memo, rest hcl.Traversal) (cty.Value, bool) {
	if m == nil || !m.done {
		return cty.NilVal, false
	}
	for _, l := range m.links {
		s.link(l, "references")
	}
	return apply(m.val, rest)
}

// resourceRef resolves aws_x.name[.index].attr...: the instance's evaluated value when the
// attribute is set in configuration.
func (s *scope) resourceRef(typ string, rest hcl.Traversal) (cty.Value, bool) {
	name, ok := attrName(rest)
	if !ok {
		return cty.NilVal, false
	}
	r := s.mod.resources[typ+"."+name]
	if r == nil {
		return cty.NilVal, false
	}
	r.mod.evalResource(r)
	rest = rest[1:]
	if !r.keyed {
		for _, in := range r.instances {
			s.link(in.id, "references")
			if in.value == cty.NilVal {
				return cty.NilVal, false
			}
			return apply(in.value, rest)
		}
		return cty.NilVal, false
	}
	// Keyed: an index step picks one instance; without one the reference covers them all.
	if len(rest) > 0 {
		if ix, ok := rest[0].(hcl.TraverseIndex); ok && ix.Key.IsKnown() && !ix.Key.IsNull() {
			for _, in := range r.instances {
				if in.key.Type().Equals(ix.Key.Type()) && in.key.Equals(ix.Key).True() {
					s.link(in.id, "references")
					if in.value == cty.NilVal {
						return cty.NilVal, false
					}
					return apply(in.value, rest[1:])
				}
			}
			return cty.NilVal, false
		}
	}
	// The whole collection: a tuple for count, an object for for_each (as in Terraform).
	var list []cty.Value
	obj := map[string]cty.Value{}
	for _, in := range r.instances {
		s.link(in.id, "references")
		if in.value == cty.NilVal {
			return cty.NilVal, false
		}
		if in.key.Type() == cty.String {
			obj[in.key.AsString()] = in.value
		} else {
			list = append(list, in.value)
		}
	}
	if len(obj) > 0 {
		return apply(cty.ObjectVal(obj), rest)
	}
	if len(list) == 0 {
		return apply(cty.EmptyTupleVal, rest)
	}
	return apply(cty.TupleVal(list), rest)
}

// moduleRef resolves module.name.output... through the child module's outputs.
func (s *scope) moduleRef(rest hcl.Traversal) (cty.Value, bool) {
	name, ok := attrName(rest)
	if !ok {
		return cty.NilVal, false
	}
	child := s.mod.child(name)
	if child == nil {
		return cty.NilVal, false
	}
	out, ok := attrName(rest[1:])
	if !ok {
		return cty.NilVal, false
	}
	return s.fromMemo(child.output(out), rest[2:])
}

// apply walks the remaining steps of a traversal through a known value.
func apply(v cty.Value, rest hcl.Traversal) (cty.Value, bool) {
	if v == cty.NilVal {
		return cty.NilVal, false
	}
	if len(rest) == 0 {
		return v, v.IsWhollyKnown()
	}
	rel := make(hcl.Traversal, len(rest))
	copy(rel, rest)
	out, diags := rel.TraverseRel(v)
	if diags.HasErrors() || !out.IsWhollyKnown() {
		return cty.NilVal, false
	}
	return out, true
}

func attrName(t hcl.Traversal) (string, bool) {
	if len(t) == 0 {
		return "", false
	}
	switch st := t[0].(type) {
	case hcl.TraverseAttr:
		return st.Name, true
	case hcl.TraverseIndex:
		if st.Key.Type() == cty.String && st.Key.IsKnown() && !st.Key.IsNull() {
			return st.Key.AsString(), true
		}
	}
	return "", false
}

func itoa(i int) string { return strconv.Itoa(i) }

func quote(s string) string { return strconv.Quote(s) }
