// Package syntax is the KQL lexer, parser and syntax tree: query text in, a
// tree of plain Go structs with byte positions out. It knows the grammar
// only; names, types and semantics belong to the later phases (sema, plan,
// sqlgen).
//
// Parse reads a whole query (let/set/declare/alias/restrict/pattern
// statements and the final expression) and returns the tree with every
// syntax error, each with line, column and a caret rendering (Error.Format).
// It never panics and recovers at '|' and ';' so one query reports several
// errors.
//
// The tree: Query holds Stmts (LetStmt, SetStmt, ..., ExprStmt). Scalar and
// tabular expressions share the Expr interface, because KQL's syntax does not
// tell a column from a table; a Pipe is a source followed by TabularOps
// (WhereOp, SummarizeOp, JoinOp, ...). Operators that can start a query
// (print, range, union, datatable, externaldata, find, search, evaluate) are
// both. Literal holds decoded values (time.Time, time.Duration, int64, ...).
// Format (and String on every node) prints canonical KQL that parses back to
// the same tree; Inspect and Children walk it.
//
// What is accepted follows Microsoft's own parser (Kusto.Language), checked
// against the documentation examples and Sentinel rules in the shared corpus:
// the same reserved words, the same operator precedence (string operators
// bind tighter than arithmetic; comparisons do not chain), and the same
// leniencies (a = b in where, a : b anywhere). Unlike Kusto.Language, literal
// contents are checked: datetime(2021-02-30) is an error here.
package syntax
