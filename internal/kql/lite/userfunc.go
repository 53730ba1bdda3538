package lite

import (
	"strconv"

	"github.com/rampart-soc/rampart/internal/kql/syntax"
	"github.com/rampart-soc/rampart/internal/schema"
)

func itoa(n int) string { return strconv.Itoa(n) }

// maxDepth bounds user function nesting (and recursion, which KQL forbids).
const maxDepth = 16

// bindArgs compiles a call's arguments in the caller's scope and binds them to the
// function's parameters: scalars as lets, tables as tabular lets. input, when set, is
// the table piped into invoke and fills the first parameter.
func (c *compiler) bindArgs(at syntax.Node, f *syntax.FuncDecl, args []syntax.Expr, sc scope, input *rel) (func(), error) {
	if c.depth >= maxDepth {
		return nil, errAt(at, "user functions nest too deeply (recursion is not allowed)")
	}
	params := f.Params
	binds := map[string]any{}
	if input != nil {
		if len(params) == 0 || params[0].Type == nil || !params[0].Type.Tabular {
			return nil, errAt(at, "invoke needs a function whose first parameter is a table")
		}
		binds[params[0].Name.Name] = *input
		params = params[1:]
	}
	named := map[string]bool{}
	for _, a := range args {
		if na, ok := a.(*syntax.NamedArg); ok {
			named[na.Name.Name] = true
		}
	}
	pos := 0
	for _, a := range args {
		var p *syntax.Param
		val := a
		if na, ok := a.(*syntax.NamedArg); ok {
			for _, q := range params {
				if q.Name.Name == na.Name.Name {
					p = q
				}
			}
			val = na.Value
			if p == nil {
				return nil, errAt(a, "the function has no parameter %q", na.Name.Name)
			}
		} else {
			for pos < len(params) && named[params[pos].Name.Name] {
				pos++
			}
			if pos >= len(params) {
				return nil, errAt(a, "too many arguments")
			}
			p = params[pos]
			pos++
		}
		if p.Type != nil && p.Type.Tabular {
			r, err := c.tabular(val)
			if err != nil {
				return nil, err
			}
			binds[p.Name.Name] = r
			continue
		}
		t, err := c.expr(val, sc)
		if err != nil {
			return nil, err
		}
		if p.Type != nil && p.Type.Name != "" {
			if typ, err := schema.ParseType(p.Type.Name); err == nil && typ != t.typ {
				t = convert(t, typ)
			}
		}
		binds[p.Name.Name] = t
	}
	for _, p := range params {
		if _, ok := binds[p.Name.Name]; ok {
			continue
		}
		if p.Default == nil {
			return nil, errAt(at, "missing argument %q", p.Name.Name)
		}
		t, err := c.expr(p.Default, scope{})
		if err != nil {
			return nil, err
		}
		binds[p.Name.Name] = t
	}
	saved := c.saveScope()
	for k, v := range binds {
		delete(c.lets, k)
		delete(c.tabs, k)
		delete(c.funcs, k)
		switch x := v.(type) {
		case typed:
			c.lets[k] = x
		case rel:
			c.tabs[k] = x
		}
	}
	c.depth++
	return func() { c.depth--; c.restoreScope(saved) }, nil
}

// body runs a function body's lets and returns its final expression.
func (c *compiler) body(at syntax.Node, f *syntax.FuncDecl) (syntax.Expr, error) {
	if f.Body == nil {
		return nil, errAt(at, "the function has no body")
	}
	var last syntax.Expr
	for _, st := range f.Body.Stmts {
		switch x := st.(type) {
		case *syntax.LetStmt:
			if err := c.let(x); err != nil {
				return nil, err
			}
		case *syntax.ExprStmt:
			last = x.X
		}
	}
	if last == nil {
		return nil, errAt(at, "the function body has no expression")
	}
	return last, nil
}

// callUser inlines a scalar user function.
func (c *compiler) callUser(at syntax.Node, f *syntax.FuncDecl, args []syntax.Expr, sc scope) (typed, error) {
	restore, err := c.bindArgs(at, f, args, sc, nil)
	if err != nil {
		return typed{}, err
	}
	defer restore()
	e, err := c.body(at, f)
	if err != nil {
		return typed{}, err
	}
	if c.isTabularExpr(e) {
		return typed{}, errAt(at, "this function returns a table; use it as a table or through toscalar()")
	}
	// The body sees its parameters, not the caller's columns.
	return c.expr(e, scope{})
}

// tabularUser inlines a tabular user function; input is the piped table for invoke.
func (c *compiler) tabularUser(at syntax.Node, f *syntax.FuncDecl, args []syntax.Expr, input *rel) (rel, error) {
	restore, err := c.bindArgs(at, f, args, scope{}, input)
	if err != nil {
		return rel{}, err
	}
	defer restore()
	e, err := c.body(at, f)
	if err != nil {
		return rel{}, err
	}
	return c.tabular(e)
}
