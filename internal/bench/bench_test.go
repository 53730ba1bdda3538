package bench

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/rampart-soc/rampart/internal/ingest"
	"github.com/rampart-soc/rampart/internal/schema"
	"github.com/rampart-soc/rampart/internal/store"
	"github.com/rampart-soc/rampart/internal/store/duckdb"
)

func securityEvent(b *testing.B) (*schema.Table, []byte) {
	tables, err := schema.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	var se *schema.Table
	for _, t := range tables {
		if t.Name == "SecurityEvent" {
			se = t
		}
	}
	g := NewGen(1)
	var body []byte
	for i := 0; i < 2000; i++ {
		body = g.SecurityEvent(body, time.Now())
	}
	return se, body
}

// BenchmarkDecodeSecurityEvent measures JSON → typed rows.
func BenchmarkDecodeSecurityEvent(b *testing.B) {
	se, body := securityEvent(b)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := ingest.DecodeJSON(se, body, time.Now()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(2000*b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkAppendSecurityEvent measures typed rows → durable DuckDB commit.
func BenchmarkAppendSecurityEvent(b *testing.B) {
	se, body := securityEvent(b)
	st, err := duckdb.Open(b.TempDir(), duckdb.Options{Checkpoint: os.Getenv("BENCH_CHECKPOINT")})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	if err := st.EnsureTables(ctx, se); err != nil {
		b.Fatal(err)
	}
	batch, err := ingest.DecodeJSON(se, body, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := st.Append(ctx, []*store.Batch{batch}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(2000*b.N)/b.Elapsed().Seconds(), "events/s")
}
