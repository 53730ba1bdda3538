package syslog

import (
	"github.com/rampart-soc/rampart/internal/testutil"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// sharedDir finds the shared corpora beside the repository root, skipping
// the test when they are absent (failing under CI=true).
func sharedDir(t testing.TB) string {
	t.Helper()
	return testutil.Shared(t)
}

func TestCorpusSentinelSyslog(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(sharedDir(t), "corpus", "sentinel", "sample-data", "Syslog", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no sample files (%v)", err)
	}
	received := time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC)
	var lines, withHeader, tagged, hosts int
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := NewScanner(fh, DefaultMaxMessageSize)
		for sc.Scan() {
			lines++
			m, err := Parse(sc.Bytes(), received)
			if err != nil {
				t.Logf("%s: no syslog header: %v", filepath.Base(f), err)
				continue
			}
			withHeader++
			if m.AppName != "" {
				tagged++
			}
			if m.Hostname != "" {
				hosts++
			}
			m.Columns("192.0.2.1", func(string, string) {})
		}
		if err := sc.Err(); err != nil {
			t.Errorf("%s: %v", f, err)
		}
		fh.Close()
	}
	t.Logf("syslog corpus: %d files, %d lines, %d parsed with a syslog header (%d with hostname, %d with tag), %d without",
		len(files), lines, withHeader, hosts, tagged, lines-withHeader)
	if withHeader == 0 {
		t.Fatal("nothing parsed")
	}
}
