package awsapi

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

// ImportDir reads a directory tree: the placebo response files of each directory form one
// recording; other .json files are read as AWS Config configuration items. A resource
// read twice (the same account recorded in two directories) is kept once, with an error.
func ImportDir(dir string) inventory.Result {
	var res inventory.Result
	recordings := map[string][]string{}
	var configs []string
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
		switch {
		case IsPlaceboFile(d.Name()):
			recordings[filepath.Dir(path)] = append(recordings[filepath.Dir(path)], path)
		case strings.EqualFold(filepath.Ext(d.Name()), ".json"), strings.EqualFold(filepath.Ext(d.Name()), ".jsonl"):
			configs = append(configs, path)
		}
		return nil
	})
	if err != nil {
		res.Errorf(dir, "%v", err)
	}
	dirs := make([]string, 0, len(recordings))
	for d := range recordings {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	var parts []inventory.Result
	for _, d := range dirs {
		var rec Recording
		files := recordings[d]
		sort.Strings(files)
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				res.Errorf(f, "%v", err)
				continue
			}
			rec.Add(filepath.Base(f), data, f)
		}
		parts = append(parts, rec.Result())
	}
	sort.Strings(configs)
	for _, f := range configs {
		data, err := os.ReadFile(f)
		if err != nil {
			res.Errorf(f, "%v", err)
			continue
		}
		parts = append(parts, ParseConfig(data, f))
	}
	seen := map[string]string{}
	for _, p := range parts {
		res.Errors = append(res.Errors, p.Errors...)
		for _, r := range p.Resources {
			if first, dup := seen[r.ID]; dup {
				res.Errorf(r.Source, "duplicate resource %s (first read from %s); keeping the first", r.ID, first)
				continue
			}
			seen[r.ID] = r.Source
			res.Add(r)
		}
	}
	return res
}
