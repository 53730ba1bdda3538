// Package duckdb is the embedded event store: one DuckDB database file in the data
// directory holds the event tables and the platform's own state.
package duckdb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/rampart-soc/rampart/internal/schema"
	"github.com/rampart-soc/rampart/internal/store"
)

// Store is the DuckDB backend. Appends go through one dedicated connection (DuckDB allows
// one writer per process to avoid transaction conflicts); queries use the pool and see
// committed rows while appends go on.
//
// Layout: each table's rows live in data."T", which has only the columns some row has
// ever filled (plus the system columns); main."T" is a view with every column of the
// schema, the never-filled ones as constants. Sentinel tables are wide (SecurityEvent has
// 223 columns) and sparse, and DuckDB's append and commit cost grows with the columns of
// the table, so this keeps ingestion proportional to what sources actually send.
type Store struct {
	db *sql.DB
	// Appends run concurrently on their own connections (DuckDB appends never conflict) under
	// writeMu's read lock; DDL, deletes and checkpoints take it exclusively on writer.
	writeMu  sync.RWMutex
	writer   *sql.Conn
	appendCh chan *sql.Conn
	inMemory bool

	mu     sync.Mutex
	phys   map[string]map[string]bool // table -> lower-cased physical column names
	tables map[string]*schema.Table   // the latest definition of each table
}

// Options tunes the database.
type Options struct {
	// Threads bounds DuckDB's worker threads (0: DuckDB's default, the core count).
	Threads int
	// MemoryLimit such as "2GB" bounds DuckDB's buffer manager ("" keeps DuckDB's default).
	MemoryLimit string
	// Checkpoint is the WAL size that triggers a checkpoint ("" keeps DuckDB's 16MB).
	Checkpoint string
	// Appenders is how many appends may run at once (default 2).
	Appenders int
}

// Open opens (creating if needed) the database in dir; dir "" opens an in-memory database.
func Open(dir string, opt Options) (*Store, error) {
	path := ""
	if dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("data directory: %w", err)
		}
		path = filepath.Join(dir, "rampart.duckdb")
	}
	connector, err := duckdb.NewConnector(path, func(execer driver.ExecerContext) error {
		stmts := []string{"SET TimeZone='UTC'"}
		if opt.Threads > 0 {
			stmts = append(stmts, fmt.Sprintf("SET threads=%d", opt.Threads))
		}
		if opt.Checkpoint != "" {
			stmts = append(stmts, fmt.Sprintf("SET checkpoint_threshold='%s'", strings.ReplaceAll(opt.Checkpoint, "'", "")))
		}
		if opt.MemoryLimit != "" {
			stmts = append(stmts, fmt.Sprintf("SET memory_limit='%s'", strings.ReplaceAll(opt.MemoryLimit, "'", "")))
		}
		for _, s := range stmts {
			if _, err := execer.ExecContext(context.Background(), s, nil); err != nil {
				return fmt.Errorf("%s: %w", s, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db := sql.OpenDB(connector)
	w, err := db.Conn(context.Background())
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if opt.Appenders <= 0 {
		opt.Appenders = 2
	}
	s := &Store{db: db, writer: w, inMemory: dir == "", phys: map[string]map[string]bool{}, tables: map[string]*schema.Table{},
		appendCh: make(chan *sql.Conn, opt.Appenders)}
	for i := 0; i < opt.Appenders; i++ {
		c, err := db.Conn(context.Background())
		if err != nil {
			s.Close()
			return nil, err
		}
		s.appendCh <- c
	}
	if _, err := db.Exec(`CREATE SCHEMA IF NOT EXISTS data`); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// DB is the database handle for the platform's own state tables.
func (s *Store) DB() *sql.DB { return s.db }

// Dialect implements store.Store.
func (s *Store) Dialect() string { return "duckdb" }

// Close implements store.Store.
func (s *Store) Close() error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.writer.Close()
	for len(s.appendCh) > 0 {
		(<-s.appendCh).Close()
	}
	return s.db.Close()
}

// Query implements store.Store.
func (s *Store) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return s.db.QueryContext(ctx, query, args...)
}

// Quote quotes an identifier for DuckDB.
func Quote(id string) string { return `"` + strings.ReplaceAll(id, `"`, `""`) + `"` }

// sqlType maps a KQL column type to its DuckDB storage type.
func sqlType(t schema.Type) string {
	switch t {
	case schema.String:
		return "VARCHAR" // the view turns NULL into '': KQL strings are never null
	case schema.Int:
		return "INTEGER"
	case schema.Long, schema.TimeSpan:
		return "BIGINT" // timespan as 100 ns ticks
	case schema.Real, schema.Decimal:
		return "DOUBLE"
	case schema.Bool:
		return "BOOLEAN"
	case schema.DateTime:
		return "TIMESTAMP"
	case schema.GUID:
		return "UUID"
	case schema.Dynamic:
		// JSON text in VARCHAR: DuckDB's json functions read it, and the appender takes it as is.
		return "VARCHAR"
	}
	return "VARCHAR"
}

// EnsureTables implements store.Store: it creates the data tables that are missing and
// (re)defines every view, in one transaction.
func (s *Store) EnsureTables(ctx context.Context, tables ...*schema.Table) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	existing, err := s.allColumns(ctx)
	if err != nil {
		return err
	}
	var stmts []string
	for _, t := range tables {
		cols, ok := existing[t.Name]
		if !ok {
			cols = map[string]bool{}
			var b strings.Builder
			fmt.Fprintf(&b, "CREATE TABLE data.%s (", Quote(t.Name))
			if tg, ok := t.Column("TimeGenerated"); ok {
				fmt.Fprintf(&b, "%s %s, ", Quote(tg.Physical), sqlType(tg.Type))
				cols[strings.ToLower(tg.Physical)] = true
			}
			fmt.Fprintf(&b, "%s TIMESTAMP NOT NULL, %s VARCHAR)", Quote(schema.IngestionTimeColumn), Quote(schema.AdditionalFieldsColumn))
			stmts = append(stmts, b.String())
		}
		s.phys[t.Name] = cols
		s.tables[t.Name] = t
		stmts = append(stmts, s.viewDDL(t))
	}
	return s.execDDL(ctx, stmts)
}

func (s *Store) execDDL(ctx context.Context, stmts []string) error {
	if len(stmts) == 0 {
		return nil
	}
	if _, err := s.writer.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return err
	}
	for _, st := range stmts {
		if _, err := s.writer.ExecContext(ctx, st); err != nil {
			s.writer.ExecContext(context.Background(), "ROLLBACK")
			return fmt.Errorf("%.200s: %w", st, err)
		}
	}
	_, err := s.writer.ExecContext(ctx, "COMMIT")
	return err
}

// viewDDL defines main."T" over data."T" with every schema column. Columns are named by
// their physical names (unique regardless of case, which DuckDB identifiers need).
func (s *Store) viewDDL(t *schema.Table) string {
	cols := s.phys[t.Name]
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE OR REPLACE VIEW main.%s AS SELECT ", Quote(t.Name))
	for _, c := range t.Columns {
		switch {
		case cols[strings.ToLower(c.Physical)] && c.Type == schema.String:
			fmt.Fprintf(&b, "coalesce(%s, '') AS %s, ", Quote(c.Physical), Quote(c.Physical))
		case cols[strings.ToLower(c.Physical)]:
			fmt.Fprintf(&b, "%s, ", Quote(c.Physical))
		case c.Type == schema.String:
			fmt.Fprintf(&b, "''::VARCHAR AS %s, ", Quote(c.Physical))
		default:
			fmt.Fprintf(&b, "NULL::%s AS %s, ", sqlType(c.Type), Quote(c.Physical))
		}
	}
	fmt.Fprintf(&b, "%s, %s FROM data.%s", Quote(schema.IngestionTimeColumn), Quote(schema.AdditionalFieldsColumn), Quote(t.Name))
	return b.String()
}

// materialize adds to data."T" the columns the batches fill that it does not have yet.
// Called with writeMu held exclusively.
func (s *Store) materialize(ctx context.Context, batches []*store.Batch) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var stmts []string
	changed := map[string]*schema.Table{}
	for _, b := range batches {
		cols := s.phys[b.Table.Name]
		if cols == nil {
			return fmt.Errorf("table %s does not exist", b.Table.Name)
		}
		for _, ci := range b.Present {
			c := b.Table.Columns[ci]
			if cols[strings.ToLower(c.Physical)] {
				continue
			}
			stmts = append(stmts, fmt.Sprintf("ALTER TABLE data.%s ADD COLUMN %s %s", Quote(b.Table.Name), Quote(c.Physical), sqlType(c.Type)))
			cols[strings.ToLower(c.Physical)] = true
			changed[b.Table.Name] = b.Table
		}
	}
	for name, t := range changed {
		if latest := s.tables[name]; latest != nil && len(latest.Columns) >= len(t.Columns) {
			t = latest
		}
		stmts = append(stmts, s.viewDDL(t))
	}
	if err := s.execDDL(ctx, stmts); err != nil {
		// Forget what was not created, so the next append retries it.
		for name := range changed {
			delete(s.phys, name)
		}
		existing, lerr := s.allColumns(ctx)
		if lerr == nil {
			for name, cols := range existing {
				if s.phys[name] == nil {
					s.phys[name] = cols
				}
			}
		}
		return err
	}
	return nil
}

// allColumns maps each data table to its lower-cased physical column names.
func (s *Store) allColumns(ctx context.Context) (map[string]map[string]bool, error) {
	rows, err := s.writer.QueryContext(ctx, `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'data'`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]map[string]bool{}
	for rows.Next() {
		var t, c string
		if err := rows.Scan(&t, &c); err != nil {
			return nil, err
		}
		if out[t] == nil {
			out[t] = map[string]bool{}
		}
		out[t][strings.ToLower(c)] = true
	}
	return out, rows.Err()
}

// Append implements store.Store: every batch in one transaction, committed (and so made
// durable by DuckDB's write-ahead log) before it returns.
func (s *Store) Append(ctx context.Context, batches []*store.Batch) error {
	if s.needsColumns(batches) {
		s.writeMu.Lock()
		err := s.materialize(ctx, batches)
		s.writeMu.Unlock()
		if err != nil {
			return err
		}
	}
	s.writeMu.RLock()
	defer s.writeMu.RUnlock()
	conn := <-s.appendCh
	defer func() { s.appendCh <- conn }()
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	err := conn.Raw(func(dc any) error {
		dconn, ok := dc.(driver.Conn)
		if !ok {
			return fmt.Errorf("unexpected driver connection %T", dc)
		}
		for _, b := range batches {
			if err := appendBatch(dconn, b); err != nil {
				return fmt.Errorf("append to %s: %w", b.Table.Name, err)
			}
		}
		return nil
	})
	if err != nil {
		if _, rbErr := conn.ExecContext(context.Background(), "ROLLBACK"); rbErr != nil {
			return fmt.Errorf("%w (and rollback failed: %v)", err, rbErr)
		}
		return err
	}
	if _, err := conn.ExecContext(context.Background(), "COMMIT"); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// needsColumns reports whether some batch fills a column its data table lacks.
func (s *Store) needsColumns(batches []*store.Batch) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, b := range batches {
		cols := s.phys[b.Table.Name]
		for _, ci := range b.Present {
			if !cols[strings.ToLower(b.Table.Columns[ci].Physical)] {
				return true
			}
		}
	}
	return false
}

// appendBatch appends one batch through an appender over just the columns the batch uses,
// so that wide, sparse tables cost what their filled columns cost.
func appendBatch(conn driver.Conn, b *store.Batch) error {
	if b.Len() == 0 {
		return nil
	}
	names := make([]string, 0, len(b.Present)+2)
	pos := make(map[int32]int, len(b.Present))
	defaults := make([]driver.Value, 0, len(b.Present)+2)
	for i, ci := range b.Present {
		c := b.Table.Columns[ci]
		names = append(names, c.Physical)
		pos[int32(ci)] = i
		defaults = append(defaults, nil)
	}
	names = append(names, schema.IngestionTimeColumn)
	defaults = append(defaults, b.IngestionTime)
	extraAt := -1
	if b.Extra != nil {
		extraAt = len(names)
		names = append(names, schema.AdditionalFieldsColumn)
		defaults = append(defaults, nil)
	}
	ap, err := duckdb.NewAppenderWithColumns(conn, "", "data", b.Table.Name, names)
	if err != nil {
		return err
	}
	// posIdx avoids a map lookup per cell.
	posIdx := make([]int, len(b.Table.Columns))
	for k, v := range pos {
		posIdx[k] = v
	}
	row := make([]driver.Value, len(names))
	for r := 0; r < b.Len(); r++ {
		copy(row, defaults)
		for _, c := range b.Row(r) {
			row[posIdx[c.Col]] = c.Val
		}
		if extraAt >= 0 && b.Extra[r] != "" {
			row[extraAt] = b.Extra[r]
		}
		if err := ap.AppendRow(row...); err != nil {
			ap.Close()
			return fmt.Errorf("row %d: %w", r+1, err)
		}
	}
	return ap.Close()
}

// DeleteBefore implements store.Store.
func (s *Store) DeleteBefore(ctx context.Context, t *schema.Table, cutoff time.Time) (int64, error) {
	col, ok := t.Column("TimeGenerated")
	if !ok || col.Type != schema.DateTime {
		return 0, nil
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	res, err := s.writer.ExecContext(ctx, fmt.Sprintf("DELETE FROM data.%s WHERE %s < ?", Quote(t.Name), Quote(col.Physical)), cutoff.UTC())
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// Stats implements store.Store. Bytes is DuckDB's estimate from the table's storage blocks.
func (s *Store) Stats(ctx context.Context, t *schema.Table) (store.TableStats, error) {
	var st store.TableStats
	err := s.db.QueryRowContext(ctx, fmt.Sprintf("SELECT count(*) FROM %s", Quote(t.Name))).Scan(&st.Rows)
	if err != nil {
		return st, err
	}
	// Compressed size of the persisted segments; rows still only in the WAL are not counted.
	err = s.db.QueryRowContext(ctx, `SELECT coalesce(sum(block_size), 0) FROM (
		SELECT DISTINCT block_id, 262144 AS block_size FROM pragma_storage_info(?) WHERE block_id IS NOT NULL AND block_id >= 0)`, "data."+t.Name).Scan(&st.Bytes)
	return st, err
}

// Checkpoint writes the WAL into the database file.
func (s *Store) Checkpoint(ctx context.Context) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	_, err := s.writer.ExecContext(ctx, "CHECKPOINT")
	return err
}
