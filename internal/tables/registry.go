// Package tables keeps the table catalogue in step with the store and the state database:
// built-in tables, custom `_CL` tables and per-table retention.
package tables

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/rampart-soc/rampart/internal/schema"
	"github.com/rampart-soc/rampart/internal/store"
)

// ErrNotFound means there is no such table.
var ErrNotFound = errors.New("no such table")

// Registry is the live catalogue, persisted.
type Registry struct {
	*schema.Catalogue
	st store.Store
	db *sql.DB
	mu sync.Mutex // serialises changes
}

// definition is what the state database keeps per changed table.
type definition struct {
	Columns       []schema.Column `json:"columns,omitempty"` // custom tables only
	Custom        bool            `json:"custom"`
	RetentionDays int             `json:"retentionDays"`
}

// Open loads the built-in tables and the saved definitions and creates missing storage.
func Open(ctx context.Context, st store.Store, db *sql.DB) (*Registry, error) {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS rampart_tables (
		name VARCHAR PRIMARY KEY, definition VARCHAR NOT NULL, updated_at TIMESTAMP NOT NULL)`); err != nil {
		return nil, fmt.Errorf("tables: %w", err)
	}
	builtin, err := schema.Builtin()
	if err != nil {
		return nil, err
	}
	r := &Registry{Catalogue: schema.NewCatalogue(builtin), st: st, db: db}
	rows, err := db.QueryContext(ctx, `SELECT name, definition FROM rampart_tables`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			return nil, err
		}
		var d definition
		if err := json.Unmarshal([]byte(def), &d); err != nil {
			return nil, fmt.Errorf("table %s: saved definition: %w", name, err)
		}
		t, ok := r.Get(name)
		if d.Custom {
			if t, err = schema.NewTable(name, d.Columns); err != nil {
				return nil, err
			}
			t.Custom = true
		} else if !ok {
			continue // a built-in table that no longer exists
		} else {
			t = copyTable(t)
		}
		t.RetentionDays = d.RetentionDays
		r.Put(t)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := st.EnsureTables(ctx, r.List()...); err != nil {
		return nil, err
	}
	return r, nil
}

func copyTable(t *schema.Table) *schema.Table {
	nt, err := schema.Extend(t, nil)
	if err != nil {
		panic(err) // an existing table always rebuilds
	}
	return nt
}

// Change is a request to create or alter a table.
type Change struct {
	Columns       []schema.Column `json:"columns"`
	RetentionDays *int            `json:"retentionDays"`
}

// ValidationError is a change the caller got wrong.
type ValidationError struct{ Msg string }

func (e *ValidationError) Error() string { return e.Msg }

func invalid(format string, args ...any) error {
	return &ValidationError{Msg: fmt.Sprintf(format, args...)}
}

// Apply creates a custom table, adds columns to one, or sets a table's retention.
// It returns the table and whether it was created.
func (r *Registry) Apply(ctx context.Context, name string, c Change) (*schema.Table, bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if c.RetentionDays != nil && (*c.RetentionDays < 1 || *c.RetentionDays > 3650) {
		return nil, false, invalid("retentionDays must be between 1 and 3650")
	}
	if len(c.Columns) > 500 {
		return nil, false, invalid("a table has at most 500 columns")
	}
	for _, col := range c.Columns {
		if !schema.ValidColumnName(col.Name) {
			return nil, false, invalid("invalid column name %q: letters, digits and '_', not starting with a digit", col.Name)
		}
		if _, err := schema.ParseType(string(col.Type)); err != nil {
			return nil, false, invalid("column %s: %v", col.Name, err)
		}
	}
	old, exists := r.Get(name)
	var t *schema.Table
	var err error
	switch {
	case exists && !old.Custom:
		if len(c.Columns) > 0 {
			return nil, false, invalid("%s is a built-in table: its columns are fixed (custom tables end in _CL)", name)
		}
		t = copyTable(old)
	case exists:
		if t, err = schema.Extend(old, c.Columns); err != nil {
			return nil, false, invalid("%v", err)
		}
	default:
		if !schema.IsCustomName(name) || !schema.ValidTableName(name) {
			return nil, false, invalid("custom table names end in _CL and are letters, digits and '_' (got %q)", name)
		}
		cols := c.Columns
		if _, ok := findColumn(cols, "TimeGenerated"); !ok {
			cols = append([]schema.Column{{Name: "TimeGenerated", Type: schema.DateTime}}, cols...)
		} else if col, _ := findColumn(cols, "TimeGenerated"); col.Type != schema.DateTime {
			return nil, false, invalid("TimeGenerated must be a datetime")
		}
		if t, err = schema.NewTable(name, cols); err != nil {
			return nil, false, invalid("%v", err)
		}
		t.Custom = true
	}
	if c.RetentionDays != nil {
		t.RetentionDays = *c.RetentionDays
	}
	if err := r.st.EnsureTables(ctx, t); err != nil {
		return nil, false, err
	}
	d := definition{Custom: t.Custom, RetentionDays: t.RetentionDays}
	if t.Custom {
		d.Columns = t.Columns
	}
	def, _ := json.Marshal(d)
	if _, err := r.db.ExecContext(ctx, `DELETE FROM rampart_tables WHERE name = ?`, name); err != nil {
		return nil, false, err
	}
	if _, err := r.db.ExecContext(ctx, `INSERT INTO rampart_tables (name, definition, updated_at) VALUES (?, ?, ?)`, name, string(def), time.Now().UTC()); err != nil {
		return nil, false, err
	}
	r.Put(t)
	return t, !exists, nil
}

func findColumn(cols []schema.Column, name string) (schema.Column, bool) {
	for _, c := range cols {
		if c.Name == name {
			return c, true
		}
	}
	return schema.Column{}, false
}

// EnforceRetention deletes rows older than each table's retention and returns how many.
func (r *Registry) EnforceRetention(ctx context.Context, now time.Time) (int64, error) {
	var total int64
	for _, t := range r.List() {
		n, err := r.st.DeleteBefore(ctx, t, now.AddDate(0, 0, -t.RetentionDays))
		if err != nil {
			return total, fmt.Errorf("retention of %s: %w", t.Name, err)
		}
		total += n
	}
	return total, nil
}
