package terraform

import (
	"errors"
	"regexp"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// Hostile configurations can build huge values (a local doubling another forty times,
// nested for expressions, format widths); these bounds keep one import small. A value past
// them stays unresolved instead.
const (
	maxValueSize = 1 << 22 // bytes of strings plus elements, per evaluated expression
	maxForDepth  = 3       // nested for expressions evaluated
	maxWidth     = 10000   // format widths and indent counts
)

var errTooLarge = errors.New("result too large for static evaluation")

// tooBig walks a value, stopping as soon as its size passes the budget.
func tooBig(v cty.Value) bool {
	budget := maxValueSize
	var walk func(v cty.Value) bool
	walk = func(v cty.Value) bool {
		budget--
		if budget < 0 {
			return true
		}
		if v.IsNull() || !v.IsKnown() {
			return false
		}
		ty := v.Type()
		switch {
		case ty == cty.String:
			budget -= len(v.AsString())
			return budget < 0
		case ty.IsListType() || ty.IsTupleType() || ty.IsSetType() || ty.IsMapType() || ty.IsObjectType():
			for it := v.ElementIterator(); it.Next(); {
				if _, e := it.Element(); walk(e) {
					return true
				}
			}
		}
		return false
	}
	return walk(v)
}

// forDepth is the deepest nesting of for expressions inside e.
func forDepth(e hclsyntax.Expression) int {
	w := &forWalker{}
	hclsyntax.Walk(e, w)
	return w.max
}

type forWalker struct{ cur, max int }

func (w *forWalker) Enter(n hclsyntax.Node) hcl.Diagnostics {
	if _, ok := n.(*hclsyntax.ForExpr); ok {
		w.cur++
		if w.cur > w.max {
			w.max = w.cur
		}
	}
	return nil
}

func (w *forWalker) Exit(n hclsyntax.Node) hcl.Diagnostics {
	if _, ok := n.(*hclsyntax.ForExpr); ok {
		w.cur--
	}
	return nil
}

var bigNumber = regexp.MustCompile(`[0-9]{5,}`)

// boundedFormat rejects format strings with widths or precisions that would build huge strings.
func boundedFormat(f function.Function) function.Function {
	return wrap(f, func(args []cty.Value) error {
		if len(args) > 0 && args[0].Type() == cty.String && args[0].IsKnown() && !args[0].IsNull() &&
			bigNumber.MatchString(args[0].AsString()) {
			return errTooLarge
		}
		return nil
	})
}

// boundedIndent rejects indent counts past maxWidth.
func boundedIndent(f function.Function) function.Function {
	return wrap(f, func(args []cty.Value) error {
		if len(args) > 0 && args[0].Type() == cty.Number && args[0].IsKnown() && !args[0].IsNull() {
			if n, _ := args[0].AsBigFloat().Int64(); n > maxWidth || n < 0 {
				return errTooLarge
			}
		}
		return nil
	})
}

// wrap runs check before f's implementation.
func wrap(f function.Function, check func([]cty.Value) error) function.Function {
	params := f.Params()
	spec := &function.Spec{
		Params:   params,
		VarParam: f.VarParam(),
		Type: func(args []cty.Value) (cty.Type, error) {
			return f.ReturnTypeForValues(args)
		},
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			if err := check(args); err != nil {
				return cty.NilVal, err
			}
			return f.Call(args)
		},
	}
	return function.New(spec)
}
