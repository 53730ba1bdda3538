package gcp

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

// ImportFile reads one export or recording file.
func ImportFile(path string) inventory.Result {
	var res inventory.Result
	b := newBuilder(&res)
	importFile(b, path)
	b.finish()
	return res
}

// ImportDir reads every .json, .jsonl and .ndjson file below dir, in name order, as one
// inventory: an asset exported twice is kept once, and references resolve across files.
func ImportDir(dir string) inventory.Result {
	var res inventory.Result
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			res.Errorf(path, "%v", err)
			return nil
		}
		if d.IsDir() {
			if path != dir && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		switch strings.ToLower(filepath.Ext(d.Name())) {
		case ".json", ".jsonl", ".ndjson":
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		res.Errorf(dir, "%v", err)
	}
	sort.Strings(files)
	b := newBuilder(&res)
	for _, f := range files {
		importFile(b, f)
	}
	b.finish()
	return res
}

func importFile(b *builder, path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		b.res.Errorf(path, "%v", err)
		return
	}
	b.parse(data, path)
}
