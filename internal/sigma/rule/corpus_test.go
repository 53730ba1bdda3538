package rule

import (
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rampart-soc/rampart/internal/sigma/internal/testdata"
)

// Every SigmaHQ rule in the corpus must parse without errors.
func TestParseCorpus(t *testing.T) {
	dir := testdata.Shared(t, "corpus/sigma/rules")
	var files, bad int
	warnings := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yml") {
			return err
		}
		files++
		docs, probs := ParseFile(path)
		if probs.HasErrors() || len(docs) != 1 {
			bad++
			if bad <= 20 {
				t.Errorf("%v", probs.Errors())
			}
		}
		warnings += len(probs) - len(probs.Errors())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d files, %d with errors, %d warnings", files, bad, warnings)
	if files < 3000 {
		t.Errorf("only %d rule files found", files)
	}
}
