package lite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/rampart-soc/rampart/internal/kql/syntax"
	"github.com/rampart-soc/rampart/internal/schema"
)

// Sentinel's bounds on a query.
const (
	DefaultMaxRows = 500_000
	DefaultTimeout = 10 * time.Minute
)

// Options bound and place one query.
type Options struct {
	Timespan time.Duration // 0: no time filter; else TimeGenerated >= Now - Timespan
	Window   Window        // explicit [From, To) on TimeGenerated (scheduled rules)
	Now      time.Time
	MaxRows  int
	Timeout  time.Duration
}

// Result is a query's answer with KQL types and JSON-ready values.
type Result struct {
	Columns []Column `json:"columns"`
	Rows    [][]any  `json:"rows"`
	Stats   struct {
		ElapsedMs int64  `json:"elapsedMs"`
		Rows      int    `json:"rows"`
		SQL       string `json:"sql,omitempty"`
	} `json:"stats"`
}

// QueryError is an error the query's author can fix, with its position.
type QueryError struct {
	Line, Column int
	Message      string
	Caret        string // the line with a caret under the column
}

func (e *QueryError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Message)
	}
	return e.Message
}

// Engine runs KQL over the store's tables.
type Engine struct {
	db     *sql.DB
	tables Tables
}

// New returns an engine over db (the DuckDB store) and the table catalogue.
func New(db *sql.DB, tables Tables) *Engine { return &Engine{db: db, tables: tables} }

func caret(src string, line, col int) string {
	lines := strings.Split(src, "\n")
	if line < 1 || line > len(lines) {
		return ""
	}
	return lines[line-1] + "\n" + strings.Repeat(" ", max(col-1, 0)) + "^"
}

// Compile is the SQL a query runs as (its first result for a batch).
func (e *Engine) Compile(text string, opt Options) (string, []Column, error) {
	rels, err := e.compileAll(text, opt)
	if err != nil {
		return "", nil, err
	}
	return rels[0].sql, rels[0].cols, nil
}

func (e *Engine) compileAll(text string, opt Options) ([]rel, error) {
	if opt.Now.IsZero() {
		opt.Now = time.Now().UTC()
	}
	w := opt.Window
	if opt.Timespan > 0 && w.From.IsZero() {
		w.From = opt.Now.Add(-opt.Timespan)
	}
	if err := registerUDFs(e.db); err != nil {
		return nil, err
	}
	probe := func(q string) ([][]any, error) { return e.probe(q, opt) }
	rels, perrs, err := compileBatch(text, e.tables, opt.Now, w, probe)
	if len(perrs) > 0 {
		var msgs []string
		for _, pe := range perrs {
			msgs = append(msgs, pe.Error())
		}
		first := perrs[0]
		return nil, &QueryError{Line: first.Line, Column: first.Column, Message: strings.Join(msgs, "; "), Caret: caret(text, first.Line, first.Column)}
	}
	var ce *Error
	if errors.As(err, &ce) {
		p := syntax.PositionOf(text, ce.Pos)
		return nil, &QueryError{Line: p.Line, Column: p.Column, Message: ce.Message, Caret: caret(text, p.Line, p.Column)}
	}
	return rels, err
}

// Query runs a query with a timeout and a row bound; more rows than the bound is an error,
// never a silently truncated answer. A batch (several queries separated by ';') answers
// with its first table; QueryAll returns them all.
func (e *Engine) Query(ctx context.Context, text string, opt Options) (*Result, error) {
	res, err := e.QueryAll(ctx, text, opt)
	if err != nil {
		return nil, err
	}
	return res[0], nil
}

// QueryAll runs a query or a batch and returns one result per tabular statement.
func (e *Engine) QueryAll(ctx context.Context, text string, opt Options) ([]*Result, error) {
	if opt.MaxRows <= 0 {
		opt.MaxRows = DefaultMaxRows
	}
	if opt.Timeout <= 0 {
		opt.Timeout = DefaultTimeout
	}
	if err := registerUDFs(e.db); err != nil {
		return nil, err
	}
	start := time.Now()
	rels, err := e.compileAll(text, opt)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, opt.Timeout)
	defer cancel()
	var out []*Result
	for _, r := range rels {
		res, err := e.run(ctx, r, opt)
		if err != nil {
			if ctx.Err() != nil {
				return nil, fmt.Errorf("query cancelled after %s (the limit)", opt.Timeout)
			}
			return nil, err
		}
		res.Stats.ElapsedMs = time.Since(start).Milliseconds()
		out = append(out, res)
	}
	return out, nil
}

// probe runs a query the compiler needs the answer of (bag_unpack's property names).
func (e *Engine) probe(q string, opt Options) ([][]any, error) {
	timeout := opt.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	rows, err := e.db.QueryContext(ctx, q+" LIMIT 10000")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out [][]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out = append(out, vals)
	}
	return out, rows.Err()
}

// run executes one compiled table. Dynamic columns come back as JSON text, so that bags
// keep their key order.
func (e *Engine) run(ctx context.Context, r rel, opt Options) (*Result, error) {
	var visible []Column
	for _, col := range r.cols {
		if col.Name != hiddenIngestion {
			visible = append(visible, col)
		}
	}
	r.cols = visible
	sel := make([]string, len(r.cols))
	for i, col := range r.cols {
		switch col.Type {
		case schema.Dynamic:
			sel[i] = "CAST(" + quote(col.Name) + " AS VARCHAR)"
		default:
			sel[i] = quote(col.Name)
		}
	}
	q := fmt.Sprintf("SELECT %s FROM (%s) AS q LIMIT %d", strings.Join(sel, ", "), r.sql, opt.MaxRows+1)
	if len(sel) == 0 {
		q = fmt.Sprintf("SELECT 1 FROM (%s) AS q LIMIT %d", r.sql, opt.MaxRows+1)
	}
	rows, err := e.db.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("query failed: %v", err)
	}
	defer rows.Close()
	cols := r.cols
	res := &Result{Columns: cols, Rows: [][]any{}}
	n := max(len(cols), 1)
	for rows.Next() {
		if len(res.Rows) == opt.MaxRows {
			return nil, fmt.Errorf("the query returns more than %d rows; narrow it (where, summarize, take)", opt.MaxRows)
		}
		vals := make([]any, n)
		ptrs := make([]any, n)
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		vals = vals[:len(cols)]
		for i, v := range vals {
			vals[i] = jsonValue(cols[i].Type, v)
		}
		res.Rows = append(res.Rows, vals)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query failed: %v", err)
	}
	res.Stats.SQL = r.sql
	res.Stats.Rows = len(res.Rows)
	return res, nil
}

// jsonValue renders a value as the API shows it: datetimes as ISO 8601 UTC with Kusto's
// seven fraction digits, timespans as [-][d.]hh:mm:ss.fffffff, dynamic as JSON, and reals
// that JSON cannot hold (NaN, infinities) as Kusto's strings for them.
func jsonValue(t schema.Type, v any) any {
	switch x := v.(type) {
	case nil:
		if t == schema.String {
			return ""
		}
		return nil
	case time.Time:
		return x.UTC().Format("2006-01-02T15:04:05.0000000Z")
	case duckdb.Interval:
		d := time.Duration(x.Days)*24*time.Hour + time.Duration(x.Micros)*time.Microsecond
		return formatTicks(int64(d / 100))
	case int64:
		if t == schema.TimeSpan {
			return formatTicks(x)
		}
	case int32:
		if t == schema.TimeSpan {
			return formatTicks(int64(x))
		}
	case *big.Int:
		if x.IsInt64() {
			return jsonValue(t, x.Int64())
		}
		f, _ := new(big.Float).SetInt(x).Float64()
		return f
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return formatReal(x)
		}
	case []byte:
		if len(x) == 16 {
			return fmt.Sprintf("%x-%x-%x-%x-%x", x[0:4], x[4:6], x[6:8], x[8:10], x[10:16])
		}
		return string(x)
	case string:
		if t == schema.Dynamic && json.Valid([]byte(x)) {
			return json.RawMessage(x)
		}
		return x
	case duckdb.UUID:
		return x.String()
	}
	return v
}
