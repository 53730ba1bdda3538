package azpolicy

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Conformance cases in the YAML layout of the Azure Policy language suite
// (microsoft/regorus tests): evaluation files hold a policy rule or
// definition, an optional alias catalogue and cases with a resource and
// the expected effect; builtin files call one template function.

// RunCases runs the case files at paths (files or directories searched for
// *.yaml), writes one line per failing case with the reason, and ends with
// "N passed, M failed". Files that test a tool's internal resource
// normalisation rather than policy behaviour are reported as skipped.
func RunCases(paths []string, w io.Writer) (passed, failed int, err error) {
	files, err := caseFiles(paths)
	if err != nil {
		return 0, 0, err
	}
	r := &caseRunner{w: w, aliases: map[string]*Aliases{}}
	for _, f := range files {
		if err := r.runFile(f); err != nil {
			return r.passed, r.failed, err
		}
	}
	if r.skipped > 0 {
		fmt.Fprintf(w, "%d skipped (marked skip, or resource-normalisation cases outside policy semantics)\n", r.skipped)
	}
	fmt.Fprintf(w, "%d passed, %d failed\n", r.passed, r.failed)
	return r.passed, r.failed, nil
}

func caseFiles(paths []string) ([]string, error) {
	var files []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			files = append(files, p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && (strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
				files = append(files, path)
			}
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Strings(files)
	return files, nil
}

type caseRunner struct {
	w                       io.Writer
	passed, failed, skipped int
	aliases                 map[string]*Aliases // by catalogue path
}

func (r *caseRunner) fail(file, note, format string, args ...any) {
	r.failed++
	fmt.Fprintf(r.w, "FAIL %s: %s: %s\n", file, note, fmt.Sprintf(format, args...))
}

// runFile runs one case file. Only I/O errors stop the run; a file that
// cannot be used counts as one failure.
func (r *caseRunner) runFile(file string) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var node yaml.Node
	if err := yaml.Unmarshal(data, &node); err != nil {
		r.fail(file, "file", "%v", err)
		return nil
	}
	doc, err := yamlValue(&node)
	if err != nil {
		r.fail(file, "file", "%v", err)
		return nil
	}
	top, ok := doc.(map[string]any)
	if !ok {
		r.fail(file, "file", "not a case file (want a mapping with cases)")
		return nil
	}
	cases, _ := top["cases"].([]any)
	switch {
	case top["builtin"] != nil:
		r.runBuiltinFile(file, top, cases)
	case isNormalizationFile(top, cases):
		r.skipped += len(cases)
	default:
		r.runEvalFile(file, top, cases)
	}
	return nil
}

func isNormalizationFile(top map[string]any, cases []any) bool {
	if top["policy_rule"] != nil || top["policy_definition"] != nil {
		return false
	}
	for _, c := range cases {
		if m, ok := c.(map[string]any); ok && m["input"] != nil {
			return true
		}
	}
	return false
}

func (r *caseRunner) loadAliases(file, name string) (*Aliases, error) {
	candidates := []string{
		filepath.Join(filepath.Dir(file), name),
		filepath.Join(filepath.Dir(file), "..", "reference", name),
		filepath.Join(filepath.Dir(file), "..", "aliases", name),
	}
	for _, p := range candidates {
		if a, ok := r.aliases[p]; ok {
			return a, nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		a, err := LoadAliases(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		r.aliases[p] = a
		return a, nil
	}
	return nil, fmt.Errorf("%s: alias catalogue %s not found", file, name)
}
