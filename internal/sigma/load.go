package sigma

import (
	"io/fs"
	"path/filepath"
	"sort"
	"strings"

	"github.com/rampart-soc/rampart/internal/sigma/rule"
)

// File is one parsed Sigma file.
type File struct {
	Path     string
	Docs     []*rule.Document
	Problems rule.Problems
}

// ParseDir parses every .yml/.yaml file under dir, in path order.
func ParseDir(dir string) ([]*File, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (strings.HasSuffix(p, ".yml") || strings.HasSuffix(p, ".yaml")) {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	files := make([]*File, 0, len(paths))
	for _, p := range paths {
		docs, probs := rule.ParseFile(p)
		files = append(files, &File{Path: p, Docs: docs, Problems: probs})
	}
	return files, nil
}

// Failure is a rule that could not be loaded, with why.
type Failure struct {
	Path   string
	ID     string
	Title  string
	Reason string
}

// Loaded is the result of loading a rule directory.
type Loaded struct {
	Rules        []*Rule
	Correlations []*rule.Correlation
	Filters      []*rule.Filter
	Failures     []Failure
}

// LoadDir parses and compiles every rule under dir. Filters found in the
// directory are applied to the rules they target, in addition to c.Filters.
// Every rule that cannot be used is reported in Failures, never skipped silently.
func (c *Compiler) LoadDir(dir string) (*Loaded, error) {
	files, err := ParseDir(dir)
	if err != nil {
		return nil, err
	}
	return c.LoadFiles(files), nil
}

// LoadFiles compiles parsed files (see LoadDir).
func (c *Compiler) LoadFiles(files []*File) *Loaded {
	out := &Loaded{}
	cc := *c
	for _, f := range files {
		if f.Problems.HasErrors() {
			continue
		}
		for _, d := range f.Docs {
			if d.Kind == rule.KindFilter {
				cc.Filters = append(cc.Filters, d.Filter)
				out.Filters = append(out.Filters, d.Filter)
			}
		}
	}
	for _, f := range files {
		if f.Problems.HasErrors() {
			id, title := "", ""
			if len(f.Docs) == 1 {
				id = f.Docs[0].ID()
				if f.Docs[0].Rule != nil {
					title = f.Docs[0].Rule.Title
				}
			}
			out.Failures = append(out.Failures, Failure{Path: f.Path, ID: id, Title: title, Reason: f.Problems.Errors().Error()})
			continue
		}
		for _, d := range f.Docs {
			switch d.Kind {
			case rule.KindRule:
				r, err := cc.Compile(d.Rule)
				if err != nil {
					out.Failures = append(out.Failures, Failure{Path: f.Path, ID: d.Rule.ID, Title: d.Rule.Title, Reason: err.Error()})
					continue
				}
				out.Rules = append(out.Rules, r)
			case rule.KindCorrelation:
				out.Correlations = append(out.Correlations, d.Correlation)
			}
		}
	}
	return out
}
