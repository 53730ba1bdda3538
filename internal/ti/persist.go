package ti

import (
	"context"
	"fmt"
	"time"

	"github.com/rampart-soc/rampart/internal/ti/stix"
)

// persistChunk is how many objects one statement writes. The values travel as four
// lists (DuckDB binds Go slices as LIST parameters) and are unnested server-side: one
// statement per object made a 50,000-indicator import take a minute, and multi-row
// VALUES were still bound cell by cell.
const persistChunk = 10_000

// persist writes the current version of the changed objects in one transaction; existed
// tells which ids may already have a row (updates), which are deleted first.
func (s *Service) persist(ctx context.Context, changed []*stix.Object, existed func(*stix.Object) bool) error {
	if len(changed) == 0 {
		return nil
	}
	// One row per id, the newest.
	pos := make(map[string]int, len(changed))
	objs := make([]*stix.Object, 0, len(changed))
	var stale []string
	for _, o := range changed {
		if i, ok := pos[o.ID]; ok {
			objs[i] = o
			continue
		}
		pos[o.ID] = len(objs)
		objs = append(objs, o)
		if existed(o) {
			stale = append(stale, o.ID)
		}
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("threat intelligence: persist: %w", err)
	}
	defer tx.Rollback()
	for start := 0; start < len(stale); start += persistChunk {
		part := stale[start:min(start+persistChunk, len(stale))]
		if _, err := tx.ExecContext(ctx, `DELETE FROM rampart_ti_objects WHERE id IN (SELECT unnest(?::VARCHAR[]))`, part); err != nil {
			return fmt.Errorf("threat intelligence: persist: %w", err)
		}
	}
	ids, types, mods, docs := make([]string, 0, persistChunk), make([]string, 0, persistChunk), make([]string, 0, persistChunk), make([]string, 0, persistChunk)
	for start := 0; start < len(objs); start += persistChunk {
		ids, types, mods, docs = ids[:0], types[:0], mods[:0], docs[:0]
		for _, o := range objs[start:min(start+persistChunk, len(objs))] {
			ids, types = append(ids, o.ID), append(types, o.Type)
			mods, docs = append(mods, o.Version().Format(time.RFC3339Nano)), append(docs, string(o.Original))
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO rampart_ti_objects (id, type, modified, doc)
			SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[])`, ids, types, mods, docs); err != nil {
			return fmt.Errorf("threat intelligence: persist: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("threat intelligence: persist: %w", err)
	}
	return nil
}
