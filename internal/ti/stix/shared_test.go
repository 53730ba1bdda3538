package stix

import (
	"github.com/rampart-soc/rampart/internal/testutil"
	"os"
	"path/filepath"
	"testing"
)

// corpusDir returns shared/corpus/stix beside the repository root,
// skipping the test when it is absent (failing under CI=true).
func corpusDir(t testing.TB) string {
	t.Helper()
	return testutil.Shared(t, "corpus", "stix")
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
