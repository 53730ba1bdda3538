package stix

import (
	"os"
	"path/filepath"
	"testing"
)

// corpusDir returns shared/corpus/stix beside the repository root,
// skipping the test when it is absent (failing under CI=true).
func corpusDir(t testing.TB) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "..", "..", "shared", "corpus", "stix"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared corpus missing at %s: %v", dir, err)
		}
		t.Skipf("shared corpus not found at %s; skipping", dir)
	}
	return dir
}

// corpusFiles lists the JSON inputs under the given corpus subfolders.
func corpusFiles(t testing.TB, subdirs ...string) []string {
	t.Helper()
	root := corpusDir(t)
	var out []string
	for _, sub := range subdirs {
		err := filepath.WalkDir(filepath.Join(root, sub), func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && (filepath.Ext(p) == ".json" || filepath.Ext(p) == ".gz") {
				out = append(out, p)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}
