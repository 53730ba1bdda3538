package terraform

import (
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// maxExpand bounds count/for_each/dynamic expansion so hostile input cannot blow up memory.
const maxExpand = 1000

// scope is where an expression is evaluated: the module, the instance being built (for
// count.index / each.* and self-link suppression), dynamic-block iterators, and the sink
// that collects the resources the expression references.
type scope struct {
	mod   *module
	self  string
	count cty.Value
	each  cty.Value
	iters map[string]cty.Value
	links map[string]string
}

func (s *scope) with(name string, v cty.Value) *scope {
	c := *s
	c.iters = map[string]cty.Value{}
	for k, x := range s.iters {
		c.iters[k] = x
	}
	c.iters[name] = v
	return &c
}

func (s *scope) link(target, kind string) {
	if s.links == nil || target == s.self || target == "" {
		return
	}
	if _, ok := s.links[target]; !ok {
		s.links[target] = kind
	}
}

// placeholder is how an unresolvable expression appears in properties.
func placeholder(text string) cty.Value {
	return cty.StringVal("${" + text + "}")
}

// exprText is the source text of an expression.
func exprText(f *srcFile, e hcl.Expression) string {
	r := e.Range()
	if f == nil || r.Start.Byte < 0 || r.End.Byte > len(f.src) || r.Start.Byte > r.End.Byte {
		return "?"
	}
	return strings.TrimSpace(string(f.src[r.Start.Byte:r.End.Byte]))
}

// eval evaluates an expression to a wholly known value; parts that cannot be resolved become
// "${...}" strings, as small as possible (an object keeps its resolvable items).
func (s *scope) eval(e hclsyntax.Expression, f *srcFile) cty.Value {
	if forDepth(e) > maxForDepth {
		return placeholder(exprText(f, e))
	}
	v, diags := e.Value(s.context(e.Variables()))
	if !diags.HasErrors() && v.IsWhollyKnown() {
		v, _ = v.UnmarkDeep()
		if tooBig(v) {
			return placeholder(exprText(f, e))
		}
		return v
	}
	switch x := e.(type) {
	case *hclsyntax.TemplateWrapExpr:
		return s.eval(x.Wrapped, f)
	case *hclsyntax.ParenthesesExpr:
		return s.eval(x.Expression, f)
	case *hclsyntax.TemplateExpr:
		var b strings.Builder
		for _, part := range x.Parts {
			pv := s.eval(part, f)
			if sv, err := convert.Convert(pv, cty.String); err == nil && !sv.IsNull() && sv.IsKnown() {
				b.WriteString(sv.AsString())
			} else {
				b.WriteString("${" + exprText(f, part) + "}")
			}
		}
		return cty.StringVal(b.String())
	case *hclsyntax.TupleConsExpr:
		elems := make([]cty.Value, 0, len(x.Exprs))
		for _, el := range x.Exprs {
			elems = append(elems, s.eval(el, f))
		}
		return cty.TupleVal(elems)
	case *hclsyntax.ObjectConsExpr:
		attrs := map[string]cty.Value{}
		for _, item := range x.Items {
			k := s.eval(item.KeyExpr, f)
			ks, err := convert.Convert(k, cty.String)
			if err != nil || ks.IsNull() || !ks.IsKnown() {
				continue
			}
			attrs[ks.AsString()] = s.eval(item.ValueExpr, f)
		}
		return cty.ObjectVal(attrs)
	case *hclsyntax.ObjectConsKeyExpr:
		if !x.ForceNonLiteral {
			if name := hcl.ExprAsKeyword(x.Wrapped); name != "" {
				return cty.StringVal(name)
			}
		}
		return s.eval(x.Wrapped, f)
	}
	return placeholder(exprText(f, e))
}

// context builds the variables an expression needs: each traversal is resolved on its own,
// then the results are assembled into nested objects so HCL can walk them.
func (s *scope) context(travs []hcl.Traversal) *hcl.EvalContext {
	roots := map[string]*node{}
	for _, t := range travs {
		name := t.RootName()
		n := roots[name]
		if n == nil {
			n = &node{}
			roots[name] = n
		}
		v, ok := s.resolve(t)
		for _, step := range t[1:] {
			key, ok := stepKey(step)
			if !ok {
				break
			}
			n = n.child(key)
		}
		if ok {
			n.val, n.known = v, true
		}
	}
	vars := make(map[string]cty.Value, len(roots))
	for name, n := range roots {
		vars[name] = n.build(name)
	}
	return &hcl.EvalContext{Variables: vars, Functions: functions()}
}

// key identifies one traversal step: an attribute or string index, or a number index.
type key struct {
	name  string
	num   int
	isNum bool
}

func stepKey(step hcl.Traverser) (key, bool) {
	switch st := step.(type) {
	case hcl.TraverseAttr:
		return key{name: st.Name}, true
	case hcl.TraverseIndex:
		k := st.Key
		if !k.IsKnown() || k.IsNull() {
			return key{}, false
		}
		switch k.Type() {
		case cty.String:
			return key{name: k.AsString()}, true
		case cty.Number:
			bf := k.AsBigFloat()
			if i, acc := bf.Int64(); acc == 0 && i >= 0 && i < maxExpand {
				return key{num: int(i), isNum: true}, true
			}
		}
	}
	return key{}, false
}

// node is a trie of the traversals an expression uses.
type node struct {
	val      cty.Value
	known    bool
	children map[key]*node
	order    []key
}

func (n *node) child(k key) *node {
	if n.children == nil {
		n.children = map[key]*node{}
	}
	c := n.children[k]
	if c == nil {
		c = &node{}
		n.children[k] = c
		n.order = append(n.order, k)
	}
	return c
}

func (k key) text(prefix string) string {
	if k.isNum {
		return prefix + "[" + itoa(k.num) + "]"
	}
	if hclsyntax.ValidIdentifier(k.name) {
		return prefix + "." + k.name
	}
	return prefix + "[" + quote(k.name) + "]"
}

// build turns the trie into a value: resolved values as they are, unresolved leaves as
// "${path}" strings, unresolved inner nodes as objects or tuples of their children.
func (n *node) build(path string) cty.Value {
	if n.known && (len(n.children) == 0 || n.val.IsNull()) {
		return n.val
	}
	if len(n.children) == 0 {
		return placeholder(path)
	}
	ty := n.val.Type()
	if n.known && (ty.IsObjectType() || ty.IsMapType()) {
		attrs := n.val.AsValueMap()
		if attrs == nil {
			attrs = map[string]cty.Value{}
		}
		for _, k := range n.order {
			if k.isNum {
				continue
			}
			if _, have := attrs[k.name]; !have || !n.children[k].known {
				attrs[k.name] = n.children[k].build(k.text(path))
			}
		}
		return cty.ObjectVal(attrs)
	}
	if n.known {
		return n.val
	}
	allNum, max := true, -1
	for _, k := range n.order {
		if !k.isNum {
			allNum = false
		} else if k.num > max {
			max = k.num
		}
	}
	if allNum {
		elems := make([]cty.Value, max+1)
		for i := range elems {
			k := key{num: i, isNum: true}
			if c, ok := n.children[k]; ok {
				elems[i] = c.build(k.text(path))
			} else {
				elems[i] = placeholder(k.text(path))
			}
		}
		return cty.TupleVal(elems)
	}
	attrs := map[string]cty.Value{}
	for _, k := range n.order {
		name := k.name
		if k.isNum {
			name = itoa(k.num)
		}
		attrs[name] = n.children[k].build(k.text(path))
	}
	return cty.ObjectVal(attrs)
}

// body evaluates a block body to an object: attributes by name, nested blocks as lists of
// objects (dynamic blocks expanded), like `terraform show -json` values. skip names
// meta-arguments left out at this level.
func (s *scope) body(b *hclsyntax.Body, f *srcFile, skip map[string]bool) cty.Value {
	attrs := map[string]cty.Value{}
	names := make([]string, 0, len(b.Attributes))
	for name := range b.Attributes {
		if !skip[name] {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		attrs[name] = s.eval(b.Attributes[name].Expr, f)
	}
	blocks := map[string][]cty.Value{}
	for _, blk := range b.Blocks {
		if skip[blk.Type] {
			continue
		}
		if blk.Type == "dynamic" && len(blk.Labels) == 1 {
			blocks[blk.Labels[0]] = append(blocks[blk.Labels[0]], s.dynamic(blk, f)...)
			continue
		}
		blocks[blk.Type] = append(blocks[blk.Type], s.body(blk.Body, f, nil))
	}
	for name, list := range blocks {
		if _, clash := attrs[name]; !clash {
			attrs[name] = cty.TupleVal(list)
		}
	}
	return cty.ObjectVal(attrs)
}

// dynamic expands a `dynamic "name" { for_each = ...; content { ... } }` block.
func (s *scope) dynamic(blk *hclsyntax.Block, f *srcFile) []cty.Value {
	var content *hclsyntax.Block
	for _, c := range blk.Body.Blocks {
		if c.Type == "content" {
			content = c
		}
	}
	if content == nil {
		return nil
	}
	iter := blk.Labels[0]
	if a, ok := blk.Body.Attributes["iterator"]; ok {
		if name := hcl.ExprAsKeyword(a.Expr); name != "" {
			iter = name
		}
	}
	a, ok := blk.Body.Attributes["for_each"]
	if !ok {
		return nil
	}
	coll := s.eval(a.Expr, f)
	pairs, ok := elements(coll)
	if !ok {
		return []cty.Value{s.body(content.Body, f, nil)}
	}
	out := make([]cty.Value, 0, len(pairs))
	for _, p := range pairs {
		it := cty.ObjectVal(map[string]cty.Value{"key": p[0], "value": p[1]})
		out = append(out, s.with(iter, it).body(content.Body, f, nil))
	}
	return out
}

// elements lists the key/value pairs of a known collection (lists and sets keyed by index,
// or by value for sets of strings, as for_each does), bounded by maxExpand.
func elements(v cty.Value) ([][2]cty.Value, bool) {
	if !v.IsWhollyKnown() || v.IsNull() {
		return nil, false
	}
	ty := v.Type()
	if !(ty.IsListType() || ty.IsTupleType() || ty.IsSetType() || ty.IsMapType() || ty.IsObjectType()) {
		return nil, false
	}
	if v.LengthInt() > maxExpand {
		return nil, false
	}
	var out [][2]cty.Value
	for it := v.ElementIterator(); it.Next(); {
		k, e := it.Element()
		if ty.IsSetType() {
			k = e
		}
		out = append(out, [2]cty.Value{k, e})
	}
	return out, true
}
