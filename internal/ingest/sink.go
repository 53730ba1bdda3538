package ingest

import (
	"context"
	"fmt"
	"time"

	"github.com/rampart-soc/rampart/internal/schema"
)

// RowSink writes rows given as column → text into tables through the pipeline, so that
// the platform's own records (alerts, incidents, findings) are stored like any event.
type RowSink struct {
	P      *Pipeline
	Tables interface {
		Get(name string) (*schema.Table, bool)
	}
}

// Emit stores rows in table, durably. A value that does not fit its column is kept in the
// row's additional fields.
func (s RowSink) Emit(ctx context.Context, table string, rows []map[string]string) error {
	t, ok := s.Tables.Get(table)
	if !ok {
		return fmt.Errorf("no table %s", table)
	}
	b := NewBuilder(t, time.Now())
	for _, r := range rows {
		for col, val := range r {
			if val == "" {
				continue
			}
			if err := b.SetString(col, val); err != nil {
				b.SetExtraString(col, val)
			}
		}
		b.EndRow()
	}
	return s.P.Submit(ctx, b.Batch(0))
}
