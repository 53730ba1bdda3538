package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rampart-soc/rampart/internal/ingest"
	"github.com/rampart-soc/rampart/internal/schema"
)

// committedDemo is the demo/ folder at the repository root, as committed.
var committedDemo = filepath.Join("..", "..", "demo")

func sharedDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("RAMPART_SHARED")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared")
	}
	if _, err := os.Stat(filepath.Join(dir, "corpus", "sentinel", "schemas.json")); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared corpus not found at %s (set RAMPART_SHARED): %v", dir, err)
		}
		t.Skipf("shared corpus not found at %s: %v", dir, err)
	}
	return dir
}

func gunzip(t *testing.T, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if !z.ModTime.IsZero() || z.Name != "" {
		t.Errorf("%s: gzip header has mtime %v, name %q; want neither", path, z.ModTime, z.Name)
	}
	b, err := io.ReadAll(z)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return b
}

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() { // demo/posture/ is hand-written, not generated
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names
}

// TestGenerate runs the conversion and checks every row, then that the committed demo/
// is exactly what the command produces now.
func TestGenerate(t *testing.T) {
	shared := sharedDir(t)
	res, err := generate(shared)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if err := res.write(out); err != nil {
		t.Fatal(err)
	}
	schemas, err := loadSchemas(filepath.Join(shared, "corpus", "sentinel", "schemas.json"))
	if err != nil {
		t.Fatal(err)
	}

	files := listDir(t, out)
	for _, name := range files {
		if name == "README.md" {
			continue
		}
		table, ok := strings.CutSuffix(name, ".jsonl.gz")
		if !ok {
			t.Errorf("unexpected output file %s", name)
			continue
		}
		ts := schemas[table]
		if ts == nil {
			t.Errorf("%s: no table %s in schemas.json", name, table)
			continue
		}
		data := gunzip(t, filepath.Join(out, name))
		lines := bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n"))
		for i, line := range lines {
			v, err := decodeJSON(line)
			obj, isObj := v.(*Object)
			if err != nil || !isObj {
				t.Fatalf("%s line %d: not a JSON object: %v", name, i+1, err)
			}
			tg := obj.Str("TimeGenerated")
			if pt, err := time.Parse(time.RFC3339Nano, tg); err != nil || !strings.HasSuffix(tg, "Z") || pt.Year() < 2000 {
				t.Fatalf("%s line %d: TimeGenerated %q is not an RFC 3339 UTC time", name, i+1, tg)
			}
			for _, k := range obj.Keys() {
				if _, isCol := ts.col(k); isCol {
					continue
				}
				if _, kept := extraType(table, k); !kept {
					t.Fatalf("%s line %d: key %q is not a column of %s", name, i+1, k, table)
				}
			}
		}

		committed := filepath.Join(committedDemo, name)
		if _, err := os.Stat(committed); err != nil {
			t.Errorf("%s is not in demo/: rerun `%s`", name, command)
			continue
		}
		// Compare content, not compressed bytes: another Go release may compress differently.
		if !bytes.Equal(data, gunzip(t, committed)) {
			t.Errorf("demo/%s differs from the generator's output: rerun `%s`", name, command)
		}
	}

	readme, err := os.ReadFile(filepath.Join(out, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if old, err := os.ReadFile(filepath.Join(committedDemo, "README.md")); err != nil || !bytes.Equal(old, readme) {
		t.Errorf("demo/README.md differs from the generator's output: rerun `%s`", command)
	}
	if got, want := strings.Join(listDir(t, committedDemo), " "), strings.Join(files, " "); got != want {
		t.Errorf("demo/ holds %s; the generator writes %s", got, want)
	}
}

// TestDemoLoads feeds the committed demo files through the server's own JSON decoder and
// table catalogue, as `make run` does: a value the server cannot store fails the file.
func TestDemoLoads(t *testing.T) {
	tables, err := schema.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	cat := schema.NewCatalogue(tables)
	names, _ := filepath.Glob(filepath.Join(committedDemo, "*.jsonl.gz"))
	if len(names) == 0 {
		t.Fatalf("no demo files in %s", committedDemo)
	}
	for _, p := range names {
		table := strings.TrimSuffix(filepath.Base(p), ".jsonl.gz")
		tab, ok := cat.Get(table)
		if !ok {
			t.Errorf("%s: table %s is not in the server's catalogue", p, table)
			continue
		}
		data := gunzip(t, p)
		batch, err := ingest.DecodeJSON(tab, data, time.Now())
		if err != nil {
			t.Errorf("%s: %v", table, err)
			continue
		}
		if got, want := len(batch.RowEnds), bytes.Count(data, []byte("\n")); got != want {
			t.Errorf("%s: server decoded %d rows, file has %d", table, got, want)
		}
	}
}

func TestParseTime(t *testing.T) {
	est, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		in   string
		loc  *time.Location
		want string
	}{
		{"3/31/2022, 10:51:35.857 AM", time.UTC, "2022-03-31T10:51:35.857Z"},
		{"3/31/2022, 2:51:35.857 PM", time.UTC, "2022-03-31T14:51:35.857Z"},
		{"3/31/2022, 14:51:35.857 PM", time.UTC, "2022-03-31T14:51:35.857Z"}, // hand-edited sample
		{"11/20/2020, 10:52:04.808 AM", est, "2020-11-20T15:52:04.808Z"},
		{"2020-11-05T12:59:43.881767+0100", time.UTC, "2020-11-05T11:59:43.881767Z"},
		{"2020-08-05 06:09:26.353", time.UTC, "2020-08-05T06:09:26.353Z"},
		{"Sep 12 2018 15:31:29", time.UTC, "2018-09-12T15:31:29Z"},
		{"2011 Apr 19 17:11:12", time.UTC, "2011-04-19T17:11:12Z"},
	} {
		got, ok := parseTime(c.in, c.loc)
		if !ok || formatTime(got) != c.want {
			t.Errorf("parseTime(%q) = %s, %v; want %s", c.in, formatTime(got), ok, c.want)
		}
	}
	name, loc, err := splitHeader("TimeGenerated [Eastern Time (US and Canada)]")
	if err != nil || name != "TimeGenerated" || loc.String() != "America/New_York" {
		t.Errorf("splitHeader = %q, %v, %v", name, loc, err)
	}
	if _, _, err := splitHeader("TimeGenerated [Mars Time]"); err == nil {
		t.Error("splitHeader accepted an unknown zone")
	}
}
