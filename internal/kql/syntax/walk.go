package syntax

import "reflect"

// Inspect walks the tree depth-first in source order, calling f for each
// node; when f returns false the node's children are skipped.
func Inspect(n Node, f func(Node) bool) {
	if n == nil || isNilNode(n) || !f(n) {
		return
	}
	for _, c := range Children(n) {
		Inspect(c, f)
	}
}

// isNilNode catches typed nil pointers stored in a Node interface.
func isNilNode(n Node) bool {
	v := reflect.ValueOf(n)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// Children returns the direct child nodes of n in source order.
func Children(n Node) []Node {
	var c children
	switch n := n.(type) {
	case *Query:
		c.stmts(n.Stmts)
	case *Block:
		c.stmts(n.Stmts)
	case *ExprStmt:
		c.add(n.X)
	case *LetStmt:
		c.add(n.Name, n.Value)
	case *SetStmt:
		c.add(n.Name, n.Value)
	case *DeclareParamsStmt:
		c.paramList(n.Params)
	case *AliasStmt:
		c.add(n.Name, n.Value)
	case *RestrictStmt:
		c.exprs(n.Entities)
	case *PatternStmt:
		c.add(n.Name)
		c.paramList(n.Params)
		c.paramList(n.PathParams)
		for _, r := range n.Rules {
			c.add(r)
		}
	case *PatternRule:
		c.exprs(n.Args)
		c.add(n.Path, n.Body)
	case *DynamicLit:
		c.add(n.Value)
	case *DynArray:
		c.exprs(n.Elems)
	case *DynObject:
		for _, f := range n.Fields {
			c.add(f)
		}
	case *DynField:
		c.add(n.Value)
	case *Binary:
		c.add(n.X, n.Y)
	case *Unary:
		c.add(n.X)
	case *InExpr:
		c.add(n.X)
		c.exprs(n.List)
	case *BetweenExpr:
		c.add(n.X, n.Lo, n.Hi)
	case *Call:
		c.add(n.Fun)
		c.exprs(n.Args)
	case *NamedArg:
		c.add(n.Name, n.Value)
	case *Member:
		c.add(n.X, n.Name)
	case *Index:
		c.add(n.X, n.Index)
	case *Paren:
		c.add(n.X)
	case *Tuple:
		c.exprs(n.Elems)
	case *Assign:
		for _, id := range n.Names {
			c.add(id)
		}
		c.add(n.Value)
	case *Pipe:
		c.add(n.Source)
		for _, op := range n.Ops {
			c.add(op)
		}
	case *TypeOf:
		c.add(n.Type)
	case *TypeRef:
		for _, col := range n.Columns {
			c.add(col)
		}
	case *ColumnDecl:
		c.add(n.Name, n.Type, n.Default)
	case *FuncDecl:
		c.paramList(n.Params)
		c.add(n.Body)
	case *Param:
		c.add(n.Name, n.Type, n.Default)
	case *SortKey:
		c.add(n.X)
	case *EntityGroup:
		c.exprs(n.Entities)
	default:
		opChildren(&c, n)
	}
	return c.list
}

// opChildren lists the children of tabular operators.
func opChildren(c *children, n Node) {
	switch n := n.(type) {
	case *WhereOp:
		c.args(n.Params)
		c.add(n.Pred)
	case *ExtendOp:
		c.exprs(n.Columns)
	case *ProjectOp:
		c.exprs(n.Columns)
	case *ProjectAwayOp:
		c.exprs(n.Columns)
	case *ProjectKeepOp:
		c.exprs(n.Columns)
	case *ProjectRenameOp:
		c.exprs(n.Columns)
	case *ProjectReorderOp:
		c.keys(n.Columns)
	case *ProjectByNamesOp:
		c.exprs(n.Columns)
	case *SummarizeOp:
		c.args(n.Params)
		c.exprs(n.Aggs)
		c.exprs(n.By)
	case *ConsumeOp:
		c.args(n.Params)
	case *DistinctOp:
		c.args(n.Params)
		c.exprs(n.Columns)
	case *SerializeOp:
		c.args(n.Params)
		c.exprs(n.Columns)
	case *TakeOp:
		c.args(n.Params)
		c.add(n.Count)
	case *SampleOp:
		c.args(n.Params)
		c.add(n.Count)
	case *SampleDistinctOp:
		c.args(n.Params)
		c.add(n.Count, n.Of)
	case *TopOp:
		c.args(n.Params)
		c.add(n.Count)
		c.keys(n.By)
	case *SortOp:
		c.args(n.Params)
		c.keys(n.Keys)
	case *JoinOp:
		c.args(n.Params)
		c.add(n.Right)
		c.exprs(n.On)
	case *LookupOp:
		c.args(n.Params)
		c.add(n.Right)
		c.exprs(n.On)
	case *AsOp:
		c.args(n.Params)
		c.add(n.Name)
	case *InvokeOp:
		c.add(n.Call)
	case *MvExpandOp:
		c.args(n.Params)
		c.mvItems(n.Items)
		c.add(n.Limit)
	case *MvApplyOp:
		c.args(n.Params)
		c.mvItems(n.Items)
		c.add(n.Limit, n.Query)
	case *ParseOp:
		c.args(n.Params)
		c.add(n.Source)
		c.exprs(n.Pattern)
	case *ParseKvOp:
		c.add(n.Source)
		for _, col := range n.Columns {
			c.add(col)
		}
		c.args(n.With)
	case *MakeSeriesOp:
		c.args(n.Params)
		for _, a := range n.Aggs {
			c.add(a)
		}
		c.add(n.On, n.From, n.To, n.Step, n.Range)
		c.exprs(n.By)
	case *RenderOp:
		c.add(n.Chart)
		c.args(n.With)
	case *ForkOp:
		for _, b := range n.Branches {
			c.add(b)
		}
	case *FacetOp:
		c.exprs(n.By)
		c.add(n.With)
	case *PartitionOp:
		c.args(n.Params)
		c.add(n.By, n.Query)
	case *ReduceOp:
		c.args(n.Params)
		c.add(n.By)
		c.args(n.With)
	case *ScanOp:
		c.args(n.Params)
		c.keys(n.OrderBy)
		c.exprs(n.PartitionBy)
		for _, d := range n.Declare {
			c.add(d)
		}
		for _, s := range n.Steps {
			c.add(s)
		}
	case *TopNestedOp:
		for _, cl := range n.Clauses {
			c.add(cl)
		}
	case *TopHittersOp:
		c.add(n.Count, n.Of, n.By)
	case *PrintOp:
		c.exprs(n.Columns)
	case *RangeOp:
		c.add(n.Column, n.From, n.To, n.Step)
	case *UnionOp:
		c.args(n.Params)
		c.exprs(n.Tables)
	case *DatatableOp:
		c.args(n.Params)
		for _, col := range n.Columns {
			c.add(col)
		}
		c.exprs(n.Values)
	case *ExternalDataOp:
		c.args(n.Params)
		for _, col := range n.Columns {
			c.add(col)
		}
		c.exprs(n.URIs)
		c.args(n.With)
	case *FindOp:
		c.args(n.Params)
		c.exprs(n.Tables)
		c.add(n.Pred)
		c.exprs(n.Project)
	case *SearchOp:
		c.args(n.Params)
		c.exprs(n.Tables)
		c.add(n.Pred)
	case *EvaluateOp:
		c.args(n.Params)
		c.add(n.Call, n.Schema)
	case *MakeGraphOp:
		c.args(n.Params)
		c.add(n.Source, n.Target)
		for _, t := range n.With {
			c.add(t)
		}
		c.add(n.PartitionedBy, n.Query)
	case *GraphMatchOp:
		c.args(n.Params)
		for _, g := range n.Patterns {
			c.add(g)
		}
		c.add(n.Where)
		c.exprs(n.Project)
	case *GraphToTableOp:
		for _, p := range n.Parts {
			c.add(p)
		}
	case *GraphMarkComponentsOp:
		c.args(n.Params)
	case *MacroExpandOp:
		c.args(n.Params)
		c.add(n.Group, n.Alias, n.Query)
	case *ForkBranch:
		c.add(n.Name, n.Query)
	case *SeriesAgg:
		c.add(n.X, n.Default)
	case *MvItem:
		c.add(n.X, n.ToType)
	case *ScanStep:
		c.add(n.Name, n.Cond)
		c.exprs(n.Assigns)
	case *TopNestedClause:
		c.add(n.Count, n.Of, n.Others, n.By)
	case *GraphNodesTable:
		c.add(n.Table, n.Key)
	case *GraphPattern:
		for i, nd := range n.Nodes {
			if i > 0 {
				c.add(n.Edges[i-1])
			}
			c.add(nd)
		}
	case *GraphNode:
		c.add(n.Name)
	case *GraphEdge:
		c.add(n.Name, n.Min, n.Max)
	case *GraphToTablePart:
		c.add(n.As)
		c.args(n.Params)
	case *InlineExternalTableOp:
		for _, col := range n.Columns {
			c.add(col)
		}
		c.args(n.Params)
		for _, col := range n.Partitions {
			c.add(col)
		}
		c.exprs(n.PathFormat)
		c.exprs(n.URIs)
	}
}

type children struct{ list []Node }

// add appends the non-nil nodes among ns.
func (c *children) add(ns ...Node) {
	for _, n := range ns {
		if n != nil && !isNilNode(n) {
			c.list = append(c.list, n)
		}
	}
}

func (c *children) exprs(xs []Expr) {
	for _, x := range xs {
		c.add(x)
	}
}

func (c *children) stmts(ss []Stmt) {
	for _, s := range ss {
		c.add(s)
	}
}

func (c *children) args(as []*NamedArg) {
	for _, a := range as {
		c.add(a)
	}
}

func (c *children) keys(ks []*SortKey) {
	for _, k := range ks {
		c.add(k)
	}
}

func (c *children) paramList(ps []*Param) {
	for _, p := range ps {
		c.add(p)
	}
}

func (c *children) mvItems(items []*MvItem) {
	for _, it := range items {
		c.add(it)
	}
}
