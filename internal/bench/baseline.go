package bench

import (
	"context"
	"time"

	"github.com/rampart-soc/rampart/internal/ingest"
	"github.com/rampart-soc/rampart/internal/schema"
	"github.com/rampart-soc/rampart/internal/store"
	"github.com/rampart-soc/rampart/internal/store/duckdb"
)

// Baseline measures, in this process and on this machine, how fast the storage layer alone
// takes the same SecurityEvent rows: decoded once, then appended and committed in 2,000-row
// transactions into a fresh database, with no HTTP, no JSON and no concurrency. The
// server's throughput is reported as a ratio to it, since absolute figures on a shared
// machine are noisy.
func Baseline(ctx context.Context, dir string, d time.Duration) (rowsPerSec float64, err error) {
	tables, err := schema.Builtin()
	if err != nil {
		return 0, err
	}
	var se *schema.Table
	for _, t := range tables {
		if t.Name == "SecurityEvent" {
			se = t
		}
	}
	st, err := duckdb.Open(dir, duckdb.Options{Checkpoint: "128MB"})
	if err != nil {
		return 0, err
	}
	defer st.Close()
	if err := st.EnsureTables(ctx, se); err != nil {
		return 0, err
	}
	g := NewGen(3)
	var body []byte
	for i := 0; i < 2000; i++ {
		body = g.SecurityEvent(body, time.Now())
	}
	b, err := ingest.DecodeJSON(se, body, time.Now())
	if err != nil {
		return 0, err
	}
	start := time.Now()
	rows := 0
	for time.Since(start) < d {
		if err := st.Append(ctx, []*store.Batch{b}); err != nil {
			return 0, err
		}
		rows += b.Len()
	}
	return float64(rows) / time.Since(start).Seconds(), nil
}
