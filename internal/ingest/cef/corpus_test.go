package cef

import (
	"github.com/rampart-soc/rampart/internal/testutil"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rampart-soc/rampart/internal/ingest/syslog"
)

// sharedDir finds the shared corpora beside the repository root, skipping
// the test when they are absent (failing under CI=true).
func sharedDir(t testing.TB) string {
	t.Helper()
	return testutil.Shared(t)
}

// TestCorpusSentinelCEF reads raw CEF logs the way the listener will: a
// syslog header when there is one, then the CEF record inside its MSG.
func TestCorpusSentinelCEF(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(sharedDir(t), "corpus", "sentinel", "sample-data", "CommonSecurityLog", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no sample files (%v)", err)
	}
	received := time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC)
	var lines, withSyslog, parsed, failed, notCEF, extra int
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := syslog.NewScanner(fh, syslog.DefaultMaxMessageSize)
		for sc.Scan() {
			lines++
			line := string(sc.Bytes())
			text, host := line, ""
			if m, err := syslog.Parse(sc.Bytes(), received); err == nil {
				withSyslog++
				text, host = m.Msg, m.Hostname
			}
			i := Find(text)
			if i < 0 {
				notCEF++
				t.Logf("%s: no CEF record: %.80q", filepath.Base(f), line)
				continue
			}
			e, err := Parse(text[i:])
			if err != nil {
				failed++
				t.Errorf("%s: %v", filepath.Base(f), err)
				continue
			}
			parsed++
			e.Host, e.Received = host, received
			e.Columns(func(col, _ string) {
				if col == "AdditionalExtensions" {
					extra++
				}
			})
		}
		if err := sc.Err(); err != nil {
			t.Errorf("%s: %v", f, err)
		}
		fh.Close()
	}
	t.Logf("CEF corpus: %d files, %d lines, %d with a syslog header, %d parsed as CEF, %d failed, %d without CEF, %d with AdditionalExtensions",
		len(files), lines, withSyslog, parsed, failed, notCEF, extra)
	if parsed == 0 {
		t.Fatal("nothing parsed")
	}
}
