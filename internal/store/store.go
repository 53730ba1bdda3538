// Package store defines the event store: typed batches in, SQL produced by a dialect out.
// The embedded backend is DuckDB (store/duckdb); a ClickHouse backend can satisfy the same
// interface and pass the same conformance suite (storetest).
package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/rampart-soc/rampart/internal/schema"
)

// Cell is one value of a row: the index of its column in Batch.Table.Columns and the value,
// already coerced to the column's Go representation (see Value types below).
type Cell struct {
	Col int32
	Val any
}

// Batch is a set of rows for one table, stored all-or-nothing.
//
// Rows are sparse, since most events fill few of a wide table's columns: row i is
// Cells[RowEnds[i-1]:RowEnds[i]]. Present lists, sorted, every column any row sets.
// Value Go types by column type: string → string; int, long, timespan (100 ns ticks) →
// int64; real, decimal → float64; bool → bool; datetime → time.Time (UTC); guid → []byte
// (16 bytes); dynamic → string holding JSON text.
type Batch struct {
	Table   *schema.Table
	Present []int
	Cells   []Cell
	RowEnds []int32
	// Extra holds, per row, a JSON object of input fields without a column ("" for none).
	// Nil when no row has any.
	Extra []string
	// IngestionTime is recorded on every row of the batch.
	IngestionTime time.Time
	// Bytes is the size of the input the batch came from, for metrics.
	Bytes int
}

// Len is the number of rows.
func (b *Batch) Len() int { return len(b.RowEnds) }

// Row returns the cells of row i.
func (b *Batch) Row(i int) []Cell {
	start := int32(0)
	if i > 0 {
		start = b.RowEnds[i-1]
	}
	return b.Cells[start:b.RowEnds[i]]
}

// Store is an event store backend.
type Store interface {
	// EnsureTables creates the tables or adds the columns they lack.
	EnsureTables(ctx context.Context, tables ...*schema.Table) error
	// Append stores the batches in one transaction; when it returns nil the rows are durable.
	Append(ctx context.Context, batches []*Batch) error
	// Query runs SQL of the store's dialect.
	Query(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	// DeleteBefore removes rows whose TimeGenerated is before cutoff (retention).
	DeleteBefore(ctx context.Context, t *schema.Table, cutoff time.Time) (int64, error)
	// Stats reports rows and bytes used by a table (bytes may be an estimate).
	Stats(ctx context.Context, t *schema.Table) (TableStats, error)
	// Dialect names the SQL dialect Query accepts ("duckdb", "clickhouse").
	Dialect() string
	Close() error
}

// TableStats describes the stored size of a table.
type TableStats struct {
	Rows  int64 `json:"rows"`
	Bytes int64 `json:"bytes"`
}
