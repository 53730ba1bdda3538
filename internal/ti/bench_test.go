package ti

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/rampart-soc/rampart/internal/incident"
	"github.com/rampart-soc/rampart/internal/ingest"
	"github.com/rampart-soc/rampart/internal/schema"
	"github.com/rampart-soc/rampart/internal/store"
	"github.com/rampart-soc/rampart/internal/store/duckdb"
)

// Benchmarks of the threat-intelligence service (docs/benchmarks.md, "Threat-intelligence
// index"). Sizes come from the environment so that the million-indicator run is a flag
// away and `go test ./...` never pays for it:
//
//	go test -run '^$' -bench BenchmarkIndex -benchtime 2000000x ./internal/ti/
//	BENCH_TI_N=1000000 go test -run '^$' -bench BenchmarkIndex -benchtime 2000000x -timeout 30m ./internal/ti/
//	go test -run '^$' -bench BenchmarkImport -benchtime 3x ./internal/ti/

type nullSink struct{ rows int }

func (s *nullSink) Emit(_ context.Context, _ string, rows []map[string]string) error {
	s.rows += len(rows)
	return nil
}

type nullRaiser struct{ n int }

func (r *nullRaiser) RaiseAlert(_ context.Context, a incident.Alert) (incident.Alert, error) {
	r.n++
	return a, nil
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// jsonBaseline decodes every line of data into a map with encoding/json: the least any
// STIX reader built on it does, measured in the same run as a yardstick for the import
// figures (the machine is shared, so absolute rates move by a factor of two).
func jsonBaseline(b *testing.B, data []byte) float64 {
	start := time.Now()
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	n := 0
	for sc.Scan() {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			b.Fatal(err)
		}
		n++
	}
	return float64(n) / time.Since(start).Seconds()
}

// BenchmarkIndex loads BENCH_TI_N synthetic indicators (default 200,000; a quarter each
// IPs, domains, URLs and SHA-256 hashes) the way an import does without its storage
// (read, validate, parse once, version, index) and reports the import rate, its ratio to
// the encoding/json baseline and the heap per indicator. Then, on one goroutine, it
// measures lookups of each kind (one value in ten a hit) and the whole per-event work of
// the stream matcher over batches of firewall-like events carrying an IP, a domain, a URL
// and a hash each: events/s per core.
func BenchmarkIndex(b *testing.B) {
	n := envInt("BENCH_TI_N", 200_000)
	data := indicators(n)
	base := jsonBaseline(b, data)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	s := newService(nil, &nullSink{}, &nullRaiser{}, quietLog())
	start := time.Now()
	batch, err := s.read(bytes.NewReader(data))
	if err != nil || batch.out.Indicators != n {
		b.Fatal(err)
	}
	s.apply(batch)
	rate := float64(n) / time.Since(start).Seconds()
	batch = nil
	runtime.GC()
	runtime.ReadMemStats(&after)
	heap := float64(after.HeapAlloc-before.HeapAlloc) / float64(n)

	now := time.Now()
	kinds := []struct {
		name string
		k    kind
		val  func(i int) string // i%10 == 0 hits
	}{
		{"ip", kindIP, func(i int) string {
			if i%10 == 0 {
				return fmt.Sprintf("10.%d.%d.%d", (4*i)>>16&255, (4*i)>>8&255, (4*i)&255)
			}
			return fmt.Sprintf("192.168.%d.%d", i>>8&255, i&255)
		}},
		{"domain", kindDomain, func(i int) string {
			if i%10 == 0 {
				return fmt.Sprintf("HOST%d.bad.example", 4*i+1)
			}
			return fmt.Sprintf("www%d.good.example", i)
		}},
		{"url", kindURL, func(i int) string {
			if i%10 == 0 {
				return fmt.Sprintf("http://bad.example/%d", 4*i+2)
			}
			return fmt.Sprintf("https://good.example/page/%d", i)
		}},
		{"hash", kindHash, func(i int) string {
			if i%10 == 0 {
				return fmt.Sprintf("%064X", 4*i+3)
			}
			return fmt.Sprintf("%064x", 1<<40+i)
		}},
	}
	per := 1000
	b.ResetTimer()
	var perEvent float64 // seconds per event: one lookup of each kind
	for _, kd := range kinds {
		vals := make([]string, per)
		for i := range vals {
			vals[i] = kd.val(i % (n / 4))
		}
		hits := 0
		start := time.Now()
		for i := 0; i < b.N; i++ {
			hits += len(s.idx.lookup(kd.k, vals[i%per], now))
		}
		secs := time.Since(start).Seconds()
		if hits == 0 {
			b.Fatalf("%s: no hits", kd.name)
		}
		b.ReportMetric(float64(b.N)/secs, kd.name+"-lookups/s")
		perEvent += secs / float64(b.N)
	}
	b.ReportMetric(1/perEvent, "lookup-events/s")
	b.ReportMetric(rate, "indicators/s") // reported last: ResetTimer drops earlier metrics
	b.ReportMetric(rate/base, "x-json-baseline")
	b.ReportMetric(heap, "heapB/indicator")
	b.ReportMetric(matchEvents(b, s, kinds[0].val, kinds[1].val, kinds[2].val, kinds[3].val, n/4), "events/s")
}

// matchEvents runs the stream matcher (Service.match, as the pipeline calls it) over
// batches of 1,000 events with an IP, domain, URL and hash column each and returns events/s.
func matchEvents(b *testing.B, s *Service, ip, dom, url, hash func(int) string, n int) float64 {
	t, err := schema.NewTable("BenchFirewall_CL", []schema.Column{{Name: "TimeGenerated", Type: schema.DateTime},
		{Name: "SourceIP", Type: schema.String}, {Name: "DestinationIP", Type: schema.String},
		{Name: "DestinationHostName", Type: schema.String}, {Name: "RequestURL", Type: schema.String},
		{Name: "FileHash", Type: schema.String}, {Name: "Computer", Type: schema.String}})
	if err != nil {
		b.Fatal(err)
	}
	var batches []*store.Batch
	for k := 0; k < 10; k++ {
		bl := ingest.NewBuilder(t, time.Now())
		for i := 0; i < 1000; i++ {
			j := (k*1000 + i) % n
			// One event in a hundred carries a listed IP, so alerts stay few.
			v := ip(j*10 + 1)
			if i%100 == 0 {
				v = ip(j * 10)
			}
			for col, val := range map[string]string{"SourceIP": "10.200.0.1", "DestinationIP": v, "DestinationHostName": dom(j*10 + 1),
				"RequestURL": url(j*10 + 1), "FileHash": hash(j*10 + 1), "Computer": "fw1"} {
				bl.SetString(col, val)
			}
			bl.EndRow()
		}
		batches = append(batches, bl.Batch(0))
	}
	ctx := context.Background()
	events := 0
	start := time.Now()
	for events < max(b.N, 100_000) {
		for _, bt := range batches {
			s.match(ctx, bt)
			events += bt.Len()
		}
	}
	return float64(events) / time.Since(start).Seconds()
}

// BenchmarkImport is Service.Import end to end: read, validate, version, store in DuckDB,
// index, and the three tables' rows (to a sink that drops them), for BENCH_TI_IMPORT_N
// indicators (default 50,000) into an empty database each round, beside the
// encoding/json baseline of the same run.
func BenchmarkImport(b *testing.B) {
	n := envInt("BENCH_TI_IMPORT_N", 50_000)
	data := indicators(n)
	ctx := context.Background()
	var secs float64
	for b.Loop() {
		db, err := duckdb.Open("", duckdb.Options{Threads: 1})
		if err != nil {
			b.Fatal(err)
		}
		s, err := Open(ctx, db.DB(), &nullSink{}, &nullRaiser{}, quietLog())
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		res, err := s.Import(ctx, bytes.NewReader(data), "bench")
		if err != nil || res.Indicators != n {
			b.Fatal(res, err)
		}
		secs += time.Since(start).Seconds()
		db.Close()
	}
	rate := float64(n*b.N) / secs
	b.ReportMetric(rate, "indicators/s")
	b.ReportMetric(rate/jsonBaseline(b, data), "x-json-baseline")
}
