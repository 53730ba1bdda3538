package lite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
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

// Compile is the SQL a query runs as.
func (e *Engine) Compile(text string, opt Options) (string, []Column, error) {
	if opt.Now.IsZero() {
		opt.Now = time.Now().UTC()
	}
	w := opt.Window
	if opt.Timespan > 0 && w.From.IsZero() {
		w.From = opt.Now.Add(-opt.Timespan)
	}
	q, cols, perrs, err := Compile(text, e.tables, opt.Now, w)
	if len(perrs) > 0 {
		var msgs []string
		for _, pe := range perrs {
			msgs = append(msgs, pe.Error())
		}
		first := perrs[0]
		return "", nil, &QueryError{Line: first.Line, Column: first.Column, Message: strings.Join(msgs, "; "), Caret: caret(text, first.Line, first.Column)}
	}
	var ce *Error
	if errors.As(err, &ce) {
		p := syntax.PositionOf(text, ce.Pos)
		return "", nil, &QueryError{Line: p.Line, Column: p.Column, Message: ce.Message, Caret: caret(text, p.Line, p.Column)}
	}
	return q, cols, err
}

// Query runs a query with a timeout and a row bound; more rows than the bound is an error,
// never a silently truncated answer.
func (e *Engine) Query(ctx context.Context, text string, opt Options) (*Result, error) {
	if opt.MaxRows <= 0 {
		opt.MaxRows = DefaultMaxRows
	}
	if opt.Timeout <= 0 {
		opt.Timeout = DefaultTimeout
	}
	start := time.Now()
	q, cols, err := e.Compile(text, opt)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, opt.Timeout)
	defer cancel()
	rows, err := e.db.QueryContext(ctx, fmt.Sprintf("SELECT * FROM (%s) LIMIT %d", q, opt.MaxRows+1))
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("query cancelled after %s (the limit)", opt.Timeout)
		}
		return nil, fmt.Errorf("query failed: %v", err)
	}
	defer rows.Close()
	res := &Result{Columns: cols, Rows: [][]any{}}
	for rows.Next() {
		if len(res.Rows) == opt.MaxRows {
			return nil, fmt.Errorf("the query returns more than %d rows; narrow it (where, summarize, take)", opt.MaxRows)
		}
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		for i, v := range vals {
			vals[i] = jsonValue(cols[i].Type, v)
		}
		res.Rows = append(res.Rows, vals)
	}
	if err := rows.Err(); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("query cancelled after %s (the limit)", opt.Timeout)
		}
		return nil, err
	}
	res.Stats.ElapsedMs = time.Since(start).Milliseconds()
	res.Stats.Rows = len(res.Rows)
	return res, nil
}

// jsonValue renders a value as the API shows it: datetimes as ISO 8601 UTC with Kusto's
// seven fraction digits, timespans as [-][d.]hh:mm:ss.fffffff, dynamic as JSON.
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
		return formatTimespan(d)
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

func formatTimespan(d time.Duration) string {
	sign := ""
	if d < 0 {
		sign, d = "-", -d
	}
	days := d / (24 * time.Hour)
	d -= days * 24 * time.Hour
	h, m := d/time.Hour, (d%time.Hour)/time.Minute
	s := d % time.Minute
	out := fmt.Sprintf("%02d:%02d:%02d", h, m, s/time.Second)
	if frac := s % time.Second; frac > 0 {
		out += fmt.Sprintf(".%07d", frac/100)
	}
	if days > 0 {
		out = fmt.Sprintf("%d.%s", days, out)
	}
	return sign + out
}
