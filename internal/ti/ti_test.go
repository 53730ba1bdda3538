package ti

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/rampart-soc/rampart/internal/ti/stix"
)

func TestValidate(t *testing.T) {
	var out bytes.Buffer
	p, f, err := Validate([]byte("{\"pattern\":\"[ipv4-addr:value = '1.2.3.4']\"}\n{\"pattern\":\"[ipv4-addr:value = \"}\n"), &out)
	if err != nil || p != 1 || f != 1 || !strings.HasSuffix(out.String(), "1 passed, 1 failed\n") || !strings.Contains(out.String(), "line 2: FAIL") {
		t.Fatalf("%d %d %v\n%s", p, f, err, out.String())
	}
	out.Reset()
	bundle := `{"type":"bundle","id":"bundle--6c3c3b47-9b5a-4b0c-8a39-8e2a58a3e5a1","objects":[{"type":"identity","spec_version":"2.1","id":"identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","name":"ACME"},{"type":"identity","spec_version":"2.1","id":"identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3e","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z"}]}`
	p, f, err = Validate([]byte(bundle), &out)
	if err != nil || p != 1 || f != 1 || !strings.Contains(out.String(), "object 2: FAIL") {
		t.Fatalf("%d %d %v\n%s", p, f, err, out.String())
	}
}

// indicators makes n indicators over IPs, domains, URLs and SHA-256 hashes.
func indicators(n int) []byte {
	var b bytes.Buffer
	for i := 0; i < n; i++ {
		var pat string
		switch i % 4 {
		case 0:
			pat = fmt.Sprintf("[ipv4-addr:value = '10.%d.%d.%d']", i>>16&255, i>>8&255, i&255)
		case 1:
			pat = fmt.Sprintf("[domain-name:value = 'host%d.bad.example']", i)
		case 2:
			pat = fmt.Sprintf("[url:value = 'http://bad.example/%d']", i)
		default:
			pat = fmt.Sprintf("[file:hashes.'SHA-256' = '%064x']", i)
		}
		fmt.Fprintf(&b, `{"type":"indicator","spec_version":"2.1","id":"indicator--%08x-0000-4000-8000-%012x","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","pattern":%q,"pattern_type":"stix","valid_from":"2026-01-01T00:00:00.000Z"}`+"\n", i, i, pat)
	}
	return b.Bytes()
}

// BenchmarkIndex loads indicators (BENCH_TI_N, default 200,000), reports import speed and
// memory per indicator, then measures lookups of event values (one in ten a hit) and
// reports events/s per core for events carrying four observable values each.
func BenchmarkIndex(b *testing.B) {
	n := 200_000
	data := indicators(n)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	res, err := stix.Read(bytes.NewReader(data), stix.Options{})
	if err != nil {
		b.Fatal(err)
	}
	st := stix.NewStore()
	x := newIndex()
	for _, o := range res.Objects {
		st.Put(o)
		x.add(o)
	}
	importSecs := time.Since(start).Seconds()
	runtime.GC()
	runtime.ReadMemStats(&after)
	values := make([][2]any, 0, 1000)
	for i := 0; i < 1000; i++ {
		if i%10 == 0 {
			values = append(values, [2]any{kindIP, fmt.Sprintf("10.0.%d.%d", i>>8&255, i&255)})
		} else {
			values = append(values, [2]any{kindIP, fmt.Sprintf("192.168.%d.%d", i>>8&255, i&255)})
		}
	}
	now := time.Now()
	b.ResetTimer()
	hits := 0
	for i := 0; i < b.N; i++ {
		v := values[i%len(values)]
		hits += len(x.lookup(v[0].(kind), v[1].(string), now))
	}
	b.StopTimer()
	lookups := float64(b.N) / b.Elapsed().Seconds()
	b.ReportMetric(float64(n)/importSecs, "indicators/s")
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(n), "heapB/indicator")
	b.ReportMetric(lookups, "lookups/s")
	b.ReportMetric(lookups/4, "events/s")
	_ = hits
}
