package app

import (
	"bufio"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/rampart-soc/rampart/internal/ingest"
	"github.com/rampart-soc/rampart/internal/posture/importers"
	"github.com/rampart-soc/rampart/internal/store"
)

// loadDemo ingests the demo files (<Table>.jsonl.gz, made by tools/gendemo) once per data
// directory, through the same pipeline as any other input. Timestamps are moved forward so
// that each file's newest event is an hour old: queries such as `ago(1d)` find rows.
func (s *Server) loadDemo(ctx context.Context, dir string) error {
	db := s.store.DB()
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS rampart_meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)`); err != nil {
		return err
	}
	var done int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM rampart_meta WHERE key = 'demo_loaded'`).Scan(&done); err != nil {
		return err
	}
	if done > 0 {
		s.log.Info("demo data already loaded")
		return nil
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.jsonl.gz"))
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("no demo files (*.jsonl.gz) in %s", dir)
	}
	sort.Strings(files)
	total := 0
	for _, f := range files {
		n, err := s.loadDemoFile(ctx, f)
		if err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		total += n
	}
	// The demo inventory (IaC, manifests, a Resource Graph export) gives posture a score.
	if inv := filepath.Join(dir, "posture"); dirExists(inv) {
		res := importers.Import(inv)
		sum, err := s.posture.Import(ctx, "demo", res, true)
		if err != nil {
			return fmt.Errorf("demo inventory: %w", err)
		}
		s.log.Info("demo inventory loaded", "resources", sum.Created+sum.Modified+sum.Unchanged, "errors", len(sum.Errors))
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO rampart_meta (key, value) VALUES ('demo_loaded', ?)`, time.Now().UTC().Format(time.RFC3339)); err != nil {
		return err
	}
	s.log.Info("demo data loaded", "files", len(files), "rows", total)
	return nil
}

func (s *Server) loadDemoFile(ctx context.Context, path string) (int, error) {
	table := strings.TrimSuffix(filepath.Base(path), ".jsonl.gz")
	t, ok := s.tables.Get(table)
	if !ok {
		s.log.Warn("demo file for an unknown table skipped", "file", path)
		return 0, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return 0, err
	}
	body, err := io.ReadAll(bufio.NewReader(io.LimitReader(zr, 256<<20)))
	if err != nil {
		return 0, err
	}
	b, err := ingest.DecodeJSON(t, body, time.Now())
	if err != nil {
		return 0, err
	}
	shiftTimes(b, time.Now().Add(-time.Hour))
	for {
		err = s.pipeline.Submit(ctx, b)
		if err != ingest.ErrOverloaded {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	return b.Len(), err
}

// shiftTimes moves every datetime value so that the newest TimeGenerated becomes newest.
func shiftTimes(b *store.Batch, newest time.Time) {
	tg, ok := b.Table.Lookup("TimeGenerated")
	if !ok {
		return
	}
	var maxT time.Time
	for _, c := range b.Cells {
		if int(c.Col) == tg {
			if ts := c.Val.(time.Time); ts.After(maxT) && ts.Before(b.IngestionTime.Add(-time.Minute)) {
				maxT = ts
			}
		}
	}
	if maxT.IsZero() {
		return
	}
	delta := newest.Sub(maxT)
	for i, c := range b.Cells {
		if ts, ok := c.Val.(time.Time); ok {
			b.Cells[i].Val = ts.Add(delta)
		}
	}
}

func dirExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}
