package lite

import (
	"strings"
	"time"

	"github.com/rampart-soc/rampart/internal/kql/syntax"
	"github.com/rampart-soc/rampart/internal/schema"
)

// Column is a result column with its KQL type.
type Column struct {
	Name string      `json:"name"`
	Type schema.Type `json:"type"`
}

// Tables resolves table names.
type Tables interface {
	Get(name string) (*schema.Table, bool)
}

// Window restricts every table read to TimeGenerated in [From, To) when set, or, with
// Ingested, to rows ingested in (From, To]: near-real-time rules read each row once.
type Window struct {
	From, To time.Time
	Ingested bool
}

// rel is a compiled tabular expression: a SQL query and its columns.
type rel struct {
	sql  string
	cols []Column
}

type compiler struct {
	now       time.Time
	tables    Tables
	window    Window
	lets      map[string]typed                  // let name = scalar
	tabs      map[string]rel                    // let name = tabular expression
	funcs     map[string]*syntax.FuncDecl       // let name = (params) { body }
	n         int                               // subquery aliases
	qualifier string                            // table alias for column references (join conditions)
	agg       *aggState                         // set while compiling summarize aggregations
	depth     int                               // user function nesting, bounded
	input     *rel                              // the implicit input of a sub-query (mv-apply, partition)
	gctx      *graphVal                         // the graph of the graph-match being compiled
	elem      []Column                          // properties of the element a graph function's lambda reads (__g)
	ingestion bool                              // tables carry their ingestion time for ingestion_time()
	options   map[string]typed                  // set statements
	pre       [][]selectItem                    // helper columns by level for window functions (extend)
	inCols    []Column                          // the current operator's input columns, in order
	probe     func(sql string) ([][]any, error) // runs a query at compile time (bag_unpack); nil: none
}

func newCompiler(tables Tables, now time.Time, w Window) *compiler {
	return &compiler{now: now, tables: tables, window: w, lets: map[string]typed{}, tabs: map[string]rel{}, funcs: map[string]*syntax.FuncDecl{}, options: map[string]typed{}}
}

// alias returns a fresh subquery alias.
func (c *compiler) alias() string {
	c.n++
	return "t" + itoa(c.n)
}

// Compile turns KQL text into DuckDB SQL and the result's columns. A batch of several
// queries compiles to its first result; CompileBatch returns them all.
func Compile(text string, tables Tables, now time.Time, w Window) (string, []Column, []*syntax.Error, error) {
	rels, perrs, err := compileBatch(text, tables, now, w, nil)
	if len(perrs) > 0 || err != nil {
		return "", nil, perrs, err
	}
	return rels[0].sql, rels[0].cols, nil, nil
}

func compileBatch(text string, tables Tables, now time.Time, w Window, probe func(string) ([][]any, error)) ([]rel, []*syntax.Error, error) {
	q, perrs := syntax.Parse(text)
	if len(perrs) > 0 {
		return nil, perrs, nil
	}
	c := newCompiler(tables, now, w)
	c.probe = probe
	c.ingestion = strings.Contains(text, "ingestion_time")
	var out []rel
	for _, st := range q.Stmts {
		switch x := st.(type) {
		case *syntax.LetStmt:
			if err := c.let(x); err != nil {
				return nil, nil, err
			}
		case *syntax.ExprStmt:
			r, err := c.tabular(x.X)
			if err != nil {
				return nil, nil, err
			}
			out = append(out, r)
		case *syntax.SetStmt:
			// request options: most (truncation, hints) do not change results; bin_auto's
			// size and origin are kept
			if x.Value != nil {
				if t, err := c.expr(x.Value, scope{}); err == nil {
					c.options[x.Name.Name] = t
				}
			}
		default:
			return nil, nil, errAt(st, "this statement is not supported yet by the query engine")
		}
	}
	if len(out) == 0 {
		return nil, nil, errAt(q, "the query has no tabular expression")
	}
	return out, nil, nil
}

// let binds a scalar, a tabular expression or a function for the statements after it.
func (c *compiler) let(x *syntax.LetStmt) error {
	name := x.Name.Name
	delete(c.lets, name)
	delete(c.tabs, name)
	delete(c.funcs, name)
	v := x.Value
	if call, ok := v.(*syntax.Call); ok && (call.Name() == "materialize" || call.Name() == "view") && len(call.Args) == 1 {
		v = call.Args[0]
	}
	if f, ok := v.(*syntax.FuncDecl); ok {
		c.funcs[name] = f
		return nil
	}
	if c.isTabularExpr(v) {
		r, err := c.tabular(v)
		if err != nil {
			return err
		}
		c.tabs[name] = r
		return nil
	}
	t, err := c.expr(v, scope{})
	if err != nil {
		return err
	}
	c.lets[name] = t
	return nil
}

// isTabularExpr tells a tabular let value from a scalar one.
func (c *compiler) isTabularExpr(e syntax.Expr) bool {
	switch x := e.(type) {
	case *syntax.Pipe, *syntax.DatatableOp, *syntax.RangeOp, *syntax.PrintOp, *syntax.UnionOp,
		*syntax.ExternalDataOp, *syntax.FindOp, *syntax.SearchOp, *syntax.EvaluateOp:
		return true
	case *syntax.Paren:
		return c.isTabularExpr(x.X)
	case *syntax.Ident:
		if _, ok := c.tabs[x.Name]; ok {
			return true
		}
		if _, ok := c.lets[x.Name]; ok {
			return false
		}
		_, ok := c.tables.Get(x.Name)
		return ok
	case *syntax.Call:
		if f, ok := c.funcs[x.Name()]; ok {
			return c.funcIsTabular(f)
		}
		switch x.Name() {
		case "materialize", "view", "table":
			return true
		}
	}
	return false
}

// funcIsTabular reports whether a user function's body ends in a tabular expression.
func (c *compiler) funcIsTabular(f *syntax.FuncDecl) bool {
	if f.Body == nil || len(f.Body.Stmts) == 0 {
		return false
	}
	last, ok := f.Body.Stmts[len(f.Body.Stmts)-1].(*syntax.ExprStmt)
	if !ok {
		return false
	}
	saved := c.saveScope()
	defer c.restoreScope(saved)
	for _, p := range f.Params {
		if p.Type != nil && p.Type.Tabular {
			c.tabs[p.Name.Name] = rel{}
		} else {
			c.lets[p.Name.Name] = typed{}
		}
	}
	for _, st := range f.Body.Stmts {
		if l, ok := st.(*syntax.LetStmt); ok {
			if fd, ok := l.Value.(*syntax.FuncDecl); ok {
				c.funcs[l.Name.Name] = fd
			} else if c.isTabularExpr(l.Value) {
				c.tabs[l.Name.Name] = rel{}
			} else {
				c.lets[l.Name.Name] = typed{}
			}
		}
	}
	return c.isTabularExpr(last.X)
}

type savedScope struct {
	lets  map[string]typed
	tabs  map[string]rel
	funcs map[string]*syntax.FuncDecl
}

func (c *compiler) saveScope() savedScope {
	s := savedScope{map[string]typed{}, map[string]rel{}, map[string]*syntax.FuncDecl{}}
	for k, v := range c.lets {
		s.lets[k] = v
	}
	for k, v := range c.tabs {
		s.tabs[k] = v
	}
	for k, v := range c.funcs {
		s.funcs[k] = v
	}
	return s
}

func (c *compiler) restoreScope(s savedScope) { c.lets, c.tabs, c.funcs = s.lets, s.tabs, s.funcs }
