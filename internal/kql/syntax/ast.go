package syntax

// Node is any syntax tree node. Pos is the offset of its first byte and End
// the offset just past its last byte.
type Node interface {
	Pos() Pos
	End() Pos
}

// Expr is a scalar or tabular expression. KQL does not separate the two in
// its syntax (a name may be a column or a table), so neither does the tree.
type Expr interface {
	Node
	exprNode()
}

// TabularOp is an operator that follows a '|' (where, summarize, ...).
// Operators that can also start a query (print, range, union, datatable,
// externaldata, find, search, evaluate) implement Expr too.
type TabularOp interface {
	Node
	tabularOp()
	// OpName is the canonical operator name: "where", "mv-expand", ...
	OpName() string
}

// Stmt is a statement of a query: let, set, declare, alias, restrict,
// pattern, or the tabular expression statement.
type Stmt interface {
	Node
	stmtNode()
}

// Span holds a node's source range; nodes embed it.
type Span struct {
	From Pos // first byte
	To   Pos // just past the last byte
}

func (s Span) Pos() Pos { return s.From }
func (s Span) End() Pos { return s.To }

// Query is a parsed query: statements separated by ';'.
type Query struct {
	Span
	Stmts []Stmt
	Src   string // the text the positions refer to
}

// Position resolves an offset of this query's text to line and column.
func (q *Query) Position(p Pos) Position { return PositionOf(q.Src, p) }

// Result returns the last expression statement (the query's result), or nil.
func (q *Query) Result() *ExprStmt {
	for i := len(q.Stmts) - 1; i >= 0; i-- {
		if s, ok := q.Stmts[i].(*ExprStmt); ok {
			return s
		}
	}
	return nil
}

// LetStmt binds a name: let x = 5; let T = Events | where ...; let f = (a:long) { a + 1 }.
type LetStmt struct {
	Span
	Name  *Ident
	Value Expr // scalar, tabular, *FuncDecl, or a materialize() call
}

// SetStmt is a request option: set notruncation; set truncationmaxsize=10.
type SetStmt struct {
	Span
	Name  *Ident // may be dotted (query_results_cache_max_age)
	Value Expr   // nil when the option is set without a value
}

// DeclareParamsStmt is declare query_parameters(name:type [= default], ...).
type DeclareParamsStmt struct {
	Span
	Params []*Param
}

// AliasStmt is alias database Name = cluster("...").database("...").
type AliasStmt struct {
	Span
	Kind  string // "database"
	Name  *Ident
	Value Expr
}

// RestrictStmt is restrict access to (T1, database("x").*, ...).
type RestrictStmt struct {
	Span
	Entities []Expr
}

// PatternStmt is declare pattern Name [= (params)[[path params]] { rules }].
type PatternStmt struct {
	Span
	Name       *Ident
	Params     []*Param
	PathParams []*Param
	Rules      []*PatternRule
	Declared   bool // has '=' and a definition; false for a bare declaration
}

// PatternRule is one line of a pattern definition: ("a").["b"] = { body }.
type PatternRule struct {
	Span
	Args []Expr // the parenthesised argument values
	Path Expr   // the bracketed path value, nil when absent
	Body *Block
}

// ExprStmt is a tabular (or scalar) expression statement: the query proper.
type ExprStmt struct {
	Span
	X Expr
}

func (*LetStmt) stmtNode()           {}
func (*SetStmt) stmtNode()           {}
func (*DeclareParamsStmt) stmtNode() {}
func (*AliasStmt) stmtNode()         {}
func (*RestrictStmt) stmtNode()      {}
func (*PatternStmt) stmtNode()       {}
func (*ExprStmt) stmtNode()          {}
