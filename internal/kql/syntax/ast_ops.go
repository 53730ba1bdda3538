package syntax

// Params common to many operators: kind=..., hint.*=..., withsource=...
// Each operator keeps them in order as written.

// SortKey is Expr [asc|desc] [nulls first|last].
type SortKey struct {
	Span
	X     Expr
	Order string // "asc", "desc" or "" (default)
	Nulls string // "first", "last" or ""
}

// AsOp is as [hint.materialized=true] Name.
type AsOp struct {
	Span
	Params []*NamedArg
	Name   *Ident
}

// ConsumeOp is consume [decodeblocks=true].
type ConsumeOp struct {
	Span
	Params []*NamedArg
}

// CountOp is count.
type CountOp struct{ Span }

// DatatableOp is datatable(a:long, b:string) [1, "x", ...].
type DatatableOp struct {
	Span
	Params  []*NamedArg
	Columns []*ColumnDecl
	Values  []Expr
}

// DistinctOp is distinct a, b (or distinct *).
type DistinctOp struct {
	Span
	Params  []*NamedArg
	Columns []Expr
}

// EvaluateOp is evaluate [hint.*] plugin(args) [: (schema)].
type EvaluateOp struct {
	Span
	Params []*NamedArg
	Call   *Call
	Schema *TypeRef // optional output schema after ':'
}

// ExtendOp is extend [Name =] Expr, ...
type ExtendOp struct {
	Span
	Columns []Expr
}

// ExternalDataOp is externaldata (schema) [uris] [with (props)].
type ExternalDataOp struct {
	Span
	Keyword string // "externaldata" or "external_data"
	Params  []*NamedArg
	Columns []*ColumnDecl
	URIs    []Expr
	With    []*NamedArg
}

// FacetOp is facet by a, b [with (sub-query)].
type FacetOp struct {
	Span
	By   []Expr
	With Expr // *Pipe with implicit source, or nil
}

// FindOp is find [params] [in (tables)] where Pred [project-smart | project cols].
type FindOp struct {
	Span
	Params       []*NamedArg
	Tables       []Expr // nil: all tables
	Pred         Expr
	Project      []Expr // may hold *ColumnDecl (Col:type)
	ProjectSmart bool
}

// ForkOp is fork [name=](sub-query) ...
type ForkOp struct {
	Span
	Branches []*ForkBranch
}

// ForkBranch is one fork leg.
type ForkBranch struct {
	Span
	Name  *Ident // nil when unnamed
	Query Expr   // usually a *Pipe with implicit source
}

// GetSchemaOp is getschema.
type GetSchemaOp struct{ Span }

// InvokeOp is invoke f(args).
type InvokeOp struct {
	Span
	Call Expr
}

// JoinOp is join [kind=...] [hints] Right [on keys]. Each key is a column
// name, $left.a == $right.b, or another condition over $left/$right
// (time-window joins: $left.t between ($right.t .. $right.t + 1h)).
type JoinOp struct {
	Span
	Params []*NamedArg
	Right  Expr
	On     []Expr
}

// LookupOp is lookup [kind=...] Right on keys.
type LookupOp struct {
	Span
	Params []*NamedArg
	Right  Expr
	On     []Expr
}

// MakeSeriesOp is make-series [params] aggs on Axis [from A] [to B] step S [by ...]
// (or the older "in range(A, B, S)").
type MakeSeriesOp struct {
	Span
	Params []*NamedArg
	Aggs   []*SeriesAgg
	On     Expr
	From   Expr
	To     Expr
	Step   Expr
	Range  *Call // in range(start, stop, step)
	By     []Expr
}

// SeriesAgg is [Name =] Agg [default = Value].
type SeriesAgg struct {
	Span
	X       Expr
	Default Expr
}

// MvItem is one mv-expand / mv-apply column: [Name =] Expr [to typeof(T)].
type MvItem struct {
	Span
	X      Expr
	ToType *TypeRef
}

// MvExpandOp is mv-expand [params] items [limit N] (also spelled mvexpand).
type MvExpandOp struct {
	Span
	Keyword string // "mv-expand" or "mvexpand"
	Params  []*NamedArg
	Items   []*MvItem
	Limit   Expr
}

// MvApplyOp is mv-apply [params] items [limit N] [id=...] on (sub-query).
type MvApplyOp struct {
	Span
	Keyword string // "mv-apply" or "mvapply"
	Params  []*NamedArg
	Items   []*MvItem
	Limit   Expr
	Query   Expr
}

// ParseOp is parse / parse-where [kind=...] [flags=...] Source with Pattern.
type ParseOp struct {
	Span
	Where   bool // parse-where
	Params  []*NamedArg
	Source  Expr
	Pattern []Expr // *Literal strings, *ColumnDecl, *Wildcard("*")
}

// ParseKvOp is parse-kv Source as (cols) [with (props)].
type ParseKvOp struct {
	Span
	Source  Expr
	Columns []*ColumnDecl
	With    []*NamedArg
}

// PartitionOp is partition [params] by Col (sub-query) or { sub-query }.
type PartitionOp struct {
	Span
	Params []*NamedArg
	By     Expr
	Query  Expr
	Braced bool
}

// PrintOp is print [Name =] Expr, ...
type PrintOp struct {
	Span
	Columns []Expr
}

// ProjectOp is project [Name =] Expr, ...
type ProjectOp struct {
	Span
	Columns []Expr
}

// ProjectAwayOp is project-away names or wildcards.
type ProjectAwayOp struct {
	Span
	Columns []Expr
}

// ProjectKeepOp is project-keep names or wildcards.
type ProjectKeepOp struct {
	Span
	Columns []Expr
}

// ProjectRenameOp is project-rename New = Old, ...
type ProjectRenameOp struct {
	Span
	Columns []Expr
}

// ProjectReorderOp is project-reorder col [asc|desc|granny-asc|granny-desc], ...
type ProjectReorderOp struct {
	Span
	Columns []*SortKey
}

// ProjectByNamesOp is project-by-names exprs.
type ProjectByNamesOp struct {
	Span
	Columns []Expr
}

// RangeOp is range Col from A to B step S.
type RangeOp struct {
	Span
	Column   *Ident
	From, To Expr
	Step     Expr
}

// ReduceOp is reduce [kind=...] by Expr [with props].
type ReduceOp struct {
	Span
	Params []*NamedArg
	By     Expr
	With   []*NamedArg
}

// RenderOp is render Chart [with (props)] (or the older render Chart prop=value).
type RenderOp struct {
	Span
	Chart *Ident
	With  []*NamedArg
}

// SampleOp is sample N.
type SampleOp struct {
	Span
	Params []*NamedArg
	Count  Expr
}

// SampleDistinctOp is sample-distinct N of Col.
type SampleDistinctOp struct {
	Span
	Params []*NamedArg
	Count  Expr
	Of     Expr
}

// ScanOp is scan [params] [order by ...] [partition by ...] [declare (...)] with (steps).
type ScanOp struct {
	Span
	Params      []*NamedArg
	OrderBy     []*SortKey
	PartitionBy []Expr
	Declare     []*ColumnDecl
	Steps       []*ScanStep
}

// ScanStep is step Name [output=all|last|none]: Cond [=> assignments];
type ScanStep struct {
	Span
	Name    *Ident
	Output  string
	Cond    Expr
	Assigns []Expr
}

// SearchOp is search [params] [in (tables)] Predicate.
type SearchOp struct {
	Span
	Params []*NamedArg
	Tables []Expr
	Pred   Expr
}

// SerializeOp is serialize [Name = Expr, ...].
type SerializeOp struct {
	Span
	Params  []*NamedArg
	Columns []Expr
}

// SortOp is sort/order by keys.
type SortOp struct {
	Span
	Keyword string // "sort" or "order"
	Params  []*NamedArg
	Keys    []*SortKey
}

// SummarizeOp is summarize [hints] aggs [by groups].
type SummarizeOp struct {
	Span
	Params []*NamedArg
	Aggs   []Expr
	By     []Expr
}

// TakeOp is take N or limit N.
type TakeOp struct {
	Span
	Keyword string // "take" or "limit"
	Params  []*NamedArg
	Count   Expr
}

// TopOp is top N by Expr [asc|desc] [nulls first|last].
type TopOp struct {
	Span
	Params []*NamedArg
	Count  Expr
	By     []*SortKey
}

// TopNestedOp is top-nested clauses separated by commas.
type TopNestedOp struct {
	Span
	Clauses []*TopNestedClause
}

// TopNestedClause is top-nested [N] of Expr [with others = V] by Agg [asc|desc].
type TopNestedClause struct {
	Span
	Count  Expr // nil: all values
	Of     Expr
	Others Expr
	By     Expr
	Order  string
}

// TopHittersOp is top-hitters N of Col [by Expr].
type TopHittersOp struct {
	Span
	Count Expr
	Of    Expr
	By    Expr
}

// UnionOp is union [params] tables (leading a query, or after '|').
type UnionOp struct {
	Span
	Params []*NamedArg
	Tables []Expr // names, wildcards (*Wildcard), calls, parenthesised queries
}

// WhereOp is where Pred (also spelled filter).
type WhereOp struct {
	Span
	Keyword string // "where" or "filter"
	Params  []*NamedArg
	Pred    Expr
}

// MakeGraphOp is make-graph [params] Src --> Dst [with T on Key, ...] [partitioned-by Col (sub-query)].
type MakeGraphOp struct {
	Span
	Params        []*NamedArg
	Source        Expr
	Directed      bool // --> rather than --
	Target        Expr
	With          []*GraphNodesTable
	PartitionedBy Expr
	Query         Expr
}

// GraphNodesTable is one "T on Key" of make-graph ... with.
type GraphNodesTable struct {
	Span
	Table Expr
	Key   Expr
}

// GraphMatchOp is graph-match / graph-shortest-paths [params] patterns [where Pred] [project cols].
type GraphMatchOp struct {
	Span
	Keyword  string // "graph-match" or "graph-shortest-paths"
	Params   []*NamedArg
	Patterns []*GraphPattern
	Where    Expr
	Project  []Expr
}

// GraphPattern is a chain (a)-[e]->(b)<-[f*1..3]-(c).
type GraphPattern struct {
	Span
	Nodes []*GraphNode
	Edges []*GraphEdge // len(Edges) == len(Nodes)-1
}

// GraphNode is (name) in a pattern; Name is nil for ().
type GraphNode struct {
	Span
	Name *Ident
}

// GraphEdge is -[name*min..max]-> and its variants.
type GraphEdge struct {
	Span
	Name     *Ident // nil for --> or -[]->
	Dir      string // "->", "<-" or "-"
	Min, Max Expr   // variable length range, nil when fixed
}

// GraphToTableOp is graph-to-table nodes|edges [as T] [params], ...
type GraphToTableOp struct {
	Span
	Parts []*GraphToTablePart
}

// GraphToTablePart is nodes [as N] [with_node_id=...] or edges [...].
type GraphToTablePart struct {
	Span
	What   string // "nodes" or "edges"
	As     *Ident
	Params []*NamedArg
}

// GraphMarkComponentsOp is graph-mark-components [params].
type GraphMarkComponentsOp struct {
	Span
	Params []*NamedArg
}

// OpName implementations.
func (*AsOp) OpName() string             { return "as" }
func (*ConsumeOp) OpName() string        { return "consume" }
func (*CountOp) OpName() string          { return "count" }
func (*DatatableOp) OpName() string      { return "datatable" }
func (*DistinctOp) OpName() string       { return "distinct" }
func (*EvaluateOp) OpName() string       { return "evaluate" }
func (*ExtendOp) OpName() string         { return "extend" }
func (o *ExternalDataOp) OpName() string { return "externaldata" }
func (*FacetOp) OpName() string          { return "facet" }
func (*FindOp) OpName() string           { return "find" }
func (*ForkOp) OpName() string           { return "fork" }
func (*GetSchemaOp) OpName() string      { return "getschema" }
func (*InvokeOp) OpName() string         { return "invoke" }
func (*JoinOp) OpName() string           { return "join" }
func (*LookupOp) OpName() string         { return "lookup" }
func (*MakeSeriesOp) OpName() string     { return "make-series" }
func (*MvExpandOp) OpName() string       { return "mv-expand" }
func (*MvApplyOp) OpName() string        { return "mv-apply" }
func (o *ParseOp) OpName() string {
	return map[bool]string{false: "parse", true: "parse-where"}[o.Where]
}
func (*ParseKvOp) OpName() string             { return "parse-kv" }
func (*PartitionOp) OpName() string           { return "partition" }
func (*PrintOp) OpName() string               { return "print" }
func (*ProjectOp) OpName() string             { return "project" }
func (*ProjectAwayOp) OpName() string         { return "project-away" }
func (*ProjectKeepOp) OpName() string         { return "project-keep" }
func (*ProjectRenameOp) OpName() string       { return "project-rename" }
func (*ProjectReorderOp) OpName() string      { return "project-reorder" }
func (*ProjectByNamesOp) OpName() string      { return "project-by-names" }
func (*RangeOp) OpName() string               { return "range" }
func (*ReduceOp) OpName() string              { return "reduce" }
func (*RenderOp) OpName() string              { return "render" }
func (*SampleOp) OpName() string              { return "sample" }
func (*SampleDistinctOp) OpName() string      { return "sample-distinct" }
func (*ScanOp) OpName() string                { return "scan" }
func (*SearchOp) OpName() string              { return "search" }
func (*SerializeOp) OpName() string           { return "serialize" }
func (*SortOp) OpName() string                { return "sort" }
func (*SummarizeOp) OpName() string           { return "summarize" }
func (*TakeOp) OpName() string                { return "take" }
func (*TopOp) OpName() string                 { return "top" }
func (*TopNestedOp) OpName() string           { return "top-nested" }
func (*TopHittersOp) OpName() string          { return "top-hitters" }
func (*UnionOp) OpName() string               { return "union" }
func (*WhereOp) OpName() string               { return "where" }
func (*MakeGraphOp) OpName() string           { return "make-graph" }
func (o *GraphMatchOp) OpName() string        { return o.Keyword }
func (*GraphToTableOp) OpName() string        { return "graph-to-table" }
func (*GraphMarkComponentsOp) OpName() string { return "graph-mark-components" }

func (*AsOp) tabularOp()                  {}
func (*ConsumeOp) tabularOp()             {}
func (*CountOp) tabularOp()               {}
func (*DatatableOp) tabularOp()           {}
func (*DistinctOp) tabularOp()            {}
func (*EvaluateOp) tabularOp()            {}
func (*ExtendOp) tabularOp()              {}
func (*ExternalDataOp) tabularOp()        {}
func (*FacetOp) tabularOp()               {}
func (*FindOp) tabularOp()                {}
func (*ForkOp) tabularOp()                {}
func (*GetSchemaOp) tabularOp()           {}
func (*InvokeOp) tabularOp()              {}
func (*JoinOp) tabularOp()                {}
func (*LookupOp) tabularOp()              {}
func (*MakeSeriesOp) tabularOp()          {}
func (*MvExpandOp) tabularOp()            {}
func (*MvApplyOp) tabularOp()             {}
func (*ParseOp) tabularOp()               {}
func (*ParseKvOp) tabularOp()             {}
func (*PartitionOp) tabularOp()           {}
func (*PrintOp) tabularOp()               {}
func (*ProjectOp) tabularOp()             {}
func (*ProjectAwayOp) tabularOp()         {}
func (*ProjectKeepOp) tabularOp()         {}
func (*ProjectRenameOp) tabularOp()       {}
func (*ProjectReorderOp) tabularOp()      {}
func (*ProjectByNamesOp) tabularOp()      {}
func (*RangeOp) tabularOp()               {}
func (*ReduceOp) tabularOp()              {}
func (*RenderOp) tabularOp()              {}
func (*SampleOp) tabularOp()              {}
func (*SampleDistinctOp) tabularOp()      {}
func (*ScanOp) tabularOp()                {}
func (*SearchOp) tabularOp()              {}
func (*SerializeOp) tabularOp()           {}
func (*SortOp) tabularOp()                {}
func (*SummarizeOp) tabularOp()           {}
func (*TakeOp) tabularOp()                {}
func (*TopOp) tabularOp()                 {}
func (*TopNestedOp) tabularOp()           {}
func (*TopHittersOp) tabularOp()          {}
func (*UnionOp) tabularOp()               {}
func (*WhereOp) tabularOp()               {}
func (*MakeGraphOp) tabularOp()           {}
func (*GraphMatchOp) tabularOp()          {}
func (*GraphToTableOp) tabularOp()        {}
func (*GraphMarkComponentsOp) tabularOp() {}

// Operators that can start a query are expressions too.
func (*PrintOp) exprNode()        {}
func (*RangeOp) exprNode()        {}
func (*UnionOp) exprNode()        {}
func (*DatatableOp) exprNode()    {}
func (*ExternalDataOp) exprNode() {}
func (*FindOp) exprNode()         {}
func (*SearchOp) exprNode()       {}
func (*EvaluateOp) exprNode()     {}

// MacroExpandOp is macro-expand [params] Group as Alias (query): the query
// runs once per entity of the group with Alias bound to it.
type MacroExpandOp struct {
	Span
	Params []*NamedArg
	Group  Expr // *EntityGroup or a name bound to one
	Alias  *Ident
	Query  Expr
}

// EntityGroup is entity_group [cluster('c').database('d'), ...].
type EntityGroup struct {
	Span
	Entities []Expr
}

// InlineExternalTableOp is inline_external_table [(schema)] kind=...
// [partition by (cols)] [pathformat=(...)] dataformat=... (uris).
type InlineExternalTableOp struct {
	Span
	Columns    []*ColumnDecl
	Params     []*NamedArg
	Partitions []*ColumnDecl // Name:type = expression
	PathFormat []Expr        // strings, datetime_pattern(...) calls and column names, concatenated
	URIs       []Expr
}

func (*MacroExpandOp) OpName() string         { return "macro-expand" }
func (*InlineExternalTableOp) OpName() string { return "inline_external_table" }
func (*MacroExpandOp) tabularOp()             {}
func (*InlineExternalTableOp) tabularOp()     {}
func (*MacroExpandOp) exprNode()              {}
func (*InlineExternalTableOp) exprNode()      {}
func (*EntityGroup) exprNode()                {}
