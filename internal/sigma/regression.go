package sigma

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// regressionInfo is a SigmaHQ regression test description (info.yml).
type regressionInfo struct {
	RuleMetadata []struct {
		ID    string `yaml:"id"`
		Title string `yaml:"title"`
	} `yaml:"rule_metadata"`
	Tests []struct {
		Name       string `yaml:"name"`
		Type       string `yaml:"type"`
		MatchCount *int   `yaml:"match_count"`
		Path       string `yaml:"path"`
	} `yaml:"regression_tests_info"`
}

// RunRegression runs SigmaHQ regression tests: every info.yml under regressionDir
// names a rule (found by id under rulesDir) and event files; a rule passes when
// each of its tests has at least match_count matching events (at least one when
// unset), the upstream criterion. Each failure is printed with its reason, then
// the line "N passed, M failed" (counted per rule).
func RunRegression(rulesDir, regressionDir string, w io.Writer) (passed, failed int, err error) {
	files, err := ParseDir(rulesDir)
	if err != nil {
		return 0, 0, err
	}
	byID := map[string]*File{}
	for _, f := range files {
		for _, d := range f.Docs {
			if id := d.ID(); id != "" {
				byID[id] = f
			}
		}
	}
	comp := NewCompiler(nil)
	var infos []string
	err = filepath.WalkDir(regressionDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && d.Name() == "info.yml" {
			infos = append(infos, p)
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	sort.Strings(infos)
	for _, info := range infos {
		for _, res := range runRegressionInfo(info, regressionDir, byID, comp) {
			if res.err == nil {
				passed++
				continue
			}
			failed++
			fmt.Fprintf(w, "FAIL %s (%s): %v\n", res.name, res.id, res.err)
		}
	}
	fmt.Fprintf(w, "%d passed, %d failed\n", passed, failed)
	return passed, failed, nil
}

type regressionResult struct {
	id, name string
	err      error
}

func runRegressionInfo(infoPath, regressionDir string, byID map[string]*File, comp *Compiler) []regressionResult {
	name := filepath.Base(filepath.Dir(infoPath))
	raw, err := os.ReadFile(infoPath)
	if err != nil {
		return []regressionResult{{name: name, err: err}}
	}
	var info regressionInfo
	if err := yaml.Unmarshal(raw, &info); err != nil {
		return []regressionResult{{name: name, err: fmt.Errorf("%s: %v", infoPath, err)}}
	}
	if len(info.RuleMetadata) == 0 {
		return []regressionResult{{name: name, err: fmt.Errorf("%s names no rule", infoPath)}}
	}
	var out []regressionResult
	for _, meta := range info.RuleMetadata {
		res := regressionResult{id: meta.ID, name: name}
		res.err = runRuleTests(meta.ID, &info, infoPath, regressionDir, byID, comp)
		out = append(out, res)
	}
	return out
}

func runRuleTests(id string, info *regressionInfo, infoPath, regressionDir string, byID map[string]*File, comp *Compiler) error {
	f := byID[id]
	if f == nil {
		return errors.New("rule not found in the rules directory")
	}
	if f.Problems.HasErrors() {
		return fmt.Errorf("rule does not parse: %v", f.Problems.Errors())
	}
	var compiled *Rule
	for _, d := range f.Docs {
		if d.Rule != nil && d.Rule.ID == id {
			r, err := comp.Compile(d.Rule)
			if err != nil {
				return fmt.Errorf("rule does not compile: %v", err)
			}
			compiled = r
		}
	}
	if compiled == nil {
		return errors.New("document with that id is not a detection rule")
	}
	if len(info.Tests) == 0 {
		return errors.New("info.yml lists no tests")
	}
	for _, t := range info.Tests {
		if t.Type != "evtx" {
			return fmt.Errorf("test %q: unsupported type %q", t.Name, t.Type)
		}
		path := regressionEventsPath(t.Path, infoPath, regressionDir)
		hits, total, err := countHits(compiled, path)
		if err != nil {
			return fmt.Errorf("test %q: %v", t.Name, err)
		}
		want := 1
		if t.MatchCount != nil {
			want = *t.MatchCount
		}
		if hits < want {
			return fmt.Errorf("test %q: %d of %d events matched, want at least %d", t.Name, hits, total, want)
		}
	}
	return nil
}

// regressionEventsPath finds the JSON rendering of a test's EVTX file: beside
// info.yml, or under regressionDir with the upstream `regression_data/` prefix.
func regressionEventsPath(p, infoPath, regressionDir string) string {
	jsonName := strings.TrimSuffix(p, filepath.Ext(p)) + ".json"
	local := filepath.Join(filepath.Dir(infoPath), filepath.Base(jsonName))
	if _, err := os.Stat(local); err == nil {
		return local
	}
	rel := strings.TrimPrefix(filepath.ToSlash(jsonName), "regression_data/")
	return filepath.Join(regressionDir, filepath.FromSlash(rel))
}

// countHits reads a stream of concatenated JSON event records and counts those
// the rule matches in the table each converts to.
func countHits(r *Rule, path string) (hits, total int, err error) {
	fh, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer fh.Close()
	dec := json.NewDecoder(fh)
	dec.UseNumber()
	for dec.More() {
		var rec map[string]any
		if err := dec.Decode(&rec); err != nil {
			return hits, total, fmt.Errorf("%s: %v", path, err)
		}
		total++
		table, row, err := WindowsRow(rec)
		if err != nil {
			return hits, total, fmt.Errorf("%s: %v", path, err)
		}
		if r.Match(table, NewMapEvent(row)) {
			hits++
		}
	}
	if total == 0 {
		return 0, 0, fmt.Errorf("%s: no events", path)
	}
	return hits, total, nil
}
