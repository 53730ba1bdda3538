package azure

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

// ImportFile reads one export file.
func ImportFile(path string) inventory.Result {
	var res inventory.Result
	importFile(newBuilder(&res), path)
	return res
}

// ImportDir reads every .json and .jsonl file below dir, in name order. A resource read twice
// (overlapping exports) is kept once, with an error naming both places.
func ImportDir(dir string) inventory.Result {
	var res inventory.Result
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			res.Errorf(path, "%v", err)
			return nil
		}
		name := d.Name()
		if d.IsDir() {
			if path != dir && strings.HasPrefix(name, ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if ext := strings.ToLower(filepath.Ext(name)); ext == ".json" || ext == ".jsonl" {
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
