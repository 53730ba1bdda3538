package app

import (
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rampart-soc/rampart/internal/client"
)

// The CLI's file upload: JSON lines, a JSON array and gzip, in several chunks, with
// progress; a bad record is reported by its number in the file.
func TestClientIngestFile(t *testing.T) {
	ts := startServer(t, Config{})
	dir := t.TempDir()
	var lines, array strings.Builder
	array.WriteString("[\n")
	for i := 0; i < 3000; i++ {
		rec := `{"Computer":"host-` + strings.Repeat("x", 50) + `","EventID":4624}`
		lines.WriteString(rec + "\n")
		if i > 0 {
			array.WriteString(",\n")
		}
		array.WriteString(rec)
	}
	array.WriteString("\n]\n")
	write := func(name, content string, gz bool) string {
		p := filepath.Join(dir, name)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if gz {
			zw := gzip.NewWriter(f)
			zw.Write([]byte(content))
			zw.Close()
		} else {
			f.WriteString(content)
		}
		return p
	}
	c := client.New(ts.base, adminKey)
	progress := 0
	opt := client.IngestOptions{ChunkBytes: 64 << 10, Progress: func(client.IngestProgress) { progress++ }}
	for _, f := range []string{write("a.jsonl", lines.String(), false), write("b.json", array.String(), false), write("c.jsonl.gz", lines.String(), true)} {
		n, err := c.IngestFile(context.Background(), "SecurityEvent", f, opt)
		if err != nil || n != 3000 {
			t.Fatalf("%s: %d rows, %v", f, n, err)
		}
	}
	if progress < 3 {
		t.Errorf("progress reported %d times", progress)
	}
	if n := ts.count(t, `SELECT count(*) FROM "SecurityEvent"`); n != 9000 {
		t.Fatalf("stored %d rows, want 9000", n)
	}
	bad := write("bad.jsonl", lines.String()+`{"EventID":"x"}`+"\n", false)
	_, err := c.IngestFile(context.Background(), "SecurityEvent", bad, opt)
	if err == nil || !strings.Contains(err.Error(), "record 3001") {
		t.Fatalf("bad file error = %v, want it to name record 3001", err)
	}
}
