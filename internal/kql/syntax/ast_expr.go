package syntax

// Ident is a name: a column, table, variable, function or option.
// Name is the name itself (unquoted for ['my col']).
type Ident struct {
	Span
	Name   string
	Quoted bool // written as ['...'] or ["..."]
}

// Wildcard is '*' or a name pattern such as Sec* or *Events (union,
// project-away, find/search in, restrict).
type Wildcard struct {
	Span
	Pattern string
}

// Literal is a scalar literal. Value holds the decoded value by Type:
//
//	long, int    int64          datetime   time.Time (UTC), or RelativeTime
//	real         float64                   for datetime(now) and datetime(8:00)
//	bool         bool           timespan   time.Duration
//	decimal      string         string     string (escapes decoded, pieces joined)
//	guid         string (as written)
//
// Value is nil when Null is set (long(null), datetime(null), ...); inside
// dynamic(...), a bare null has Type "dynamic" and Null set.
type Literal struct {
	Span
	Type       string
	Null       bool
	Text       string // source text
	Value      any
	Obfuscated bool // h'...' string: hidden from logs
}

// DynamicLit is dynamic(...): Value is a *Literal (scalar or dynamic(null)),
// *DynArray or *DynObject.
type DynamicLit struct {
	Span
	Value Expr
}

// DynArray is a JSON-like array inside dynamic(...).
type DynArray struct {
	Span
	Elems []Expr
}

// DynObject is a JSON-like property bag inside dynamic(...); field order is kept.
type DynObject struct {
	Span
	Fields []*DynField
}

// DynField is one "key": value pair of a DynObject.
type DynField struct {
	Span
	Key   string
	Value Expr
}

// Binary is X Op Y. Op is the canonical spelling: "or", "and", "==", "!=",
// "<>", "<", "<=", ">", ">=", "=~", "!~", "+", "-", "*", "/", "%",
// string operators ("has", "!contains_cs", "matches regex", ...), and ":"
// inside search predicates.
type Binary struct {
	Span
	Op    string
	OpPos Pos
	X, Y  Expr
}

// Unary is -X or +X (KQL's "not" is a function).
type Unary struct {
	Span
	Op string
	X  Expr
}

// InExpr is X in (a, b, ...), with Op one of in, !in, in~, !in~, has_any,
// has_all. A list element may be a tabular expression or a dynamic array.
type InExpr struct {
	Span
	Op    string
	OpPos Pos
	X     Expr
	List  []Expr
}

// BetweenExpr is X between (Lo .. Hi) or X !between (Lo .. Hi).
type BetweenExpr struct {
	Span
	Not    bool
	X      Expr
	Lo, Hi Expr
}

// Call is Fun(Args). Fun is usually an *Ident; it is a *Member for
// cluster("c").database("d"). Args may hold *NamedArg and *Wildcard.
type Call struct {
	Span
	Fun  Expr
	Args []Expr
}

// Name returns the called name when Fun is a plain identifier, else "".
func (c *Call) Name() string {
	if id, ok := c.Fun.(*Ident); ok {
		return id.Name
	}
	return ""
}

// NamedArg is Name = Value: a named function argument or an operator
// parameter (kind=inner, hint.strategy=shuffle).
type NamedArg struct {
	Span
	Name  *Ident // may be dotted: hint.strategy
	Value Expr
}

// Member is X.Name: dynamic property, $left.Col, database("x").Table.
type Member struct {
	Span
	X    Expr
	Name *Ident
}

// Index is X[Index]: a['b'], a[0], a[-1].
type Index struct {
	Span
	X     Expr
	Index Expr
}

// Paren is (X), kept so the printer reproduces the grouping.
type Paren struct {
	Span
	X Expr
}

// Tuple is a comma-separated value list of a property:
// render linechart with (ycolumns=a, b).
type Tuple struct {
	Span
	Elems []Expr
}

// Assign is Names = Value in an extend/project/summarize/print list.
// More than one name for a tuple assignment: (a, b) = f(x).
type Assign struct {
	Span
	Names []*Ident
	Value Expr
}

// Pipe is a tabular expression: Source | Ops[0] | Ops[1] ... Source is nil
// for a sub-query that reads its input implicitly (fork, partition, mv-apply).
type Pipe struct {
	Span
	Source Expr
	Ops    []TabularOp
}

// TypeOf is typeof(long) or typeof(*, x:string), a type used as a value.
type TypeOf struct {
	Span
	Type *TypeRef
}

// TypeRef names a type: a scalar type (Name), or a tabular schema
// (Tabular) with Columns and, for (*) or (a:long, *), Star.
type TypeRef struct {
	Span
	Name    string // canonical scalar type: long, string, ...; empty when Tabular
	Tabular bool
	Columns []*ColumnDecl
	Star    bool
	StarAt  int // with Star: '*' stands before Columns[StarAt] (order matters for bag_unpack)
}

// ColumnDecl is Name:Type (datatable schemas, parse patterns, find project).
// Type is nil where only a name is given (parse ... with "x" Col).
type ColumnDecl struct {
	Span
	Name    *Ident
	Type    *TypeRef
	Default Expr // scan declare (x:long = 0)
}

// FuncDecl is a user-defined function or view: (a:long, T:(*)) { body }.
type FuncDecl struct {
	Span
	View   bool
	Params []*Param
	Body   *Block
}

// Param is a function parameter: Name:Type [= Default]. Type.Tabular is
// set for tabular parameters such as T:(*) or T:(a:long).
type Param struct {
	Span
	Name    *Ident
	Type    *TypeRef
	Default Expr
}

// Block is a braced body: lets followed by an expression: { let a = 1; T }.
type Block struct {
	Span
	Stmts []Stmt
}

func (*Ident) exprNode()       {}
func (*Wildcard) exprNode()    {}
func (*Literal) exprNode()     {}
func (*DynamicLit) exprNode()  {}
func (*DynArray) exprNode()    {}
func (*DynObject) exprNode()   {}
func (*Binary) exprNode()      {}
func (*Unary) exprNode()       {}
func (*InExpr) exprNode()      {}
func (*BetweenExpr) exprNode() {}
func (*Call) exprNode()        {}
func (*NamedArg) exprNode()    {}
func (*Member) exprNode()      {}
func (*Index) exprNode()       {}
func (*Paren) exprNode()       {}
func (*Tuple) exprNode()       {}
func (*Assign) exprNode()      {}
func (*Pipe) exprNode()        {}
func (*TypeOf) exprNode()      {}
func (*ColumnDecl) exprNode()  {}
func (*FuncDecl) exprNode()    {}
func (*Block) exprNode()       {}
