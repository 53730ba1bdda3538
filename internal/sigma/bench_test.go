package sigma

import (
	"testing"

	"github.com/rampart-soc/rampart/internal/sigma/internal/testdata"
)

// BenchmarkRuleset runs every compilable Windows rule of the corpus over the
// regression events (as table rows) and reports events/s:
//   - json: each event arrives as JSON bytes and is parsed, then matched;
//   - row: the event is already a decoded row (map);
//   - bruteforce: baseline without the index and prefilter (every rule of the
//     table evaluated on every event), for the ratio.
func BenchmarkRuleset(b *testing.B) {
	loaded, err := NewCompiler(nil).LoadDir(testdata.Shared(b, "corpus/sigma/rules"))
	if err != nil {
		b.Fatal(err)
	}
	var windows []*Rule
	for _, r := range loaded.Rules {
		if r.LogSource.Product == "windows" {
			windows = append(windows, r)
		}
	}
	rs := NewRuleset(windows)
	rows := regressionRows(b, testdata.Shared(b, "corpus/sigma/regression"))
	b.Logf("%d Windows rules, %d events", len(windows), len(rows))

	run := func(b *testing.B, match func(r tableRow) int) {
		hits := 0
		b.ReportAllocs()
		b.ResetTimer()
		cpu0 := cpuTime()
		for i := 0; i < b.N; i++ {
			hits += match(rows[i%len(rows)])
		}
		cpu := cpuTime() - cpu0
		b.StopTimer()
		if hits == 0 {
			b.Fatal("no rule matched")
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
		// The machine is shared: CPU time is steadier than wall time under load.
		b.ReportMetric(float64(b.N)/cpu.Seconds(), "events/cpu-s")
	}
	var dst []*Rule
	b.Run("json", func(b *testing.B) {
		run(b, func(r tableRow) int {
			e, err := ParseJSONEvent(r.json)
			if err != nil {
				b.Fatal(err)
			}
			dst = rs.Match(dst[:0], r.table, e)
			return len(dst)
		})
	})
	b.Run("row", func(b *testing.B) {
		run(b, func(r tableRow) int {
			dst = rs.Match(dst[:0], r.table, NewMapEvent(r.row))
			return len(dst)
		})
	})
	b.Run("bruteforce", func(b *testing.B) {
		byTable := map[string][]*Rule{"WindowsEvent": rs.RulesFor("WindowsEvent"), "SecurityEvent": rs.RulesFor("SecurityEvent")}
		run(b, func(r tableRow) int {
			e := NewMapEvent(r.row)
			n := 0
			for _, rule := range byTable[r.table] {
				if rule.Match(r.table, e) {
					n++
				}
			}
			return n
		})
	})
}
