package sigma

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/rampart-soc/rampart/internal/sigma/rule"
)

// Check parses and compiles every Sigma document under rulesDir with the built-in
// pipeline. A detection rule passes when it compiles for at least one table; a
// correlation passes when it is valid and every rule it references is in the
// directory; a filter passes when it is valid. Each failure is printed with its
// reason (and each table a passing rule could not be compiled for as a WARN
// line), then "N passed, M failed".
func Check(rulesDir string, w io.Writer) (passed, failed int, err error) {
	files, err := ParseDir(rulesDir)
	if err != nil {
		return 0, 0, err
	}
	comp := NewCompiler(nil)
	names := map[string]bool{}
	for _, f := range files {
		for _, d := range f.Docs {
			if id := d.ID(); id != "" {
				names[id] = true
			}
			switch d.Kind {
			case rule.KindRule:
				if d.Rule.Name != "" {
					names[d.Rule.Name] = true
				}
			case rule.KindCorrelation:
				if d.Correlation.Name != "" {
					names[d.Correlation.Name] = true
				}
			}
		}
	}
	fail := func(path string, id string, reason string) {
		failed++
		rel, rerr := filepath.Rel(rulesDir, path)
		if rerr != nil {
			rel = path
		}
		if id != "" {
			rel += " (" + id + ")"
		}
		fmt.Fprintf(w, "FAIL %s: %s\n", rel, oneLine(reason))
	}
	loaded := comp.LoadFiles(files)
	for _, r := range loaded.Rules {
		// The rule runs, but not on every table its logsource maps to.
		for _, d := range r.Dropped {
			rel, rerr := filepath.Rel(rulesDir, r.Source)
			if rerr != nil {
				rel = r.Source
			}
			fmt.Fprintf(w, "WARN %s (%s): not compiled for %s\n", rel, r.ID, oneLine(d))
		}
	}
	failedDocs := map[string]bool{}
	for _, fl := range loaded.Failures {
		failedDocs[fl.Path+"\x00"+fl.ID] = true
		fail(fl.Path, fl.ID, fl.Reason)
	}
	for _, f := range files {
		if f.Problems.HasErrors() {
			continue
		}
		for _, d := range f.Docs {
			switch d.Kind {
			case rule.KindRule:
				if !failedDocs[f.Path+"\x00"+d.Rule.ID] {
					passed++
				}
			case rule.KindCorrelation:
				var missing []string
				for _, ref := range d.Correlation.Rules {
					if !names[ref] {
						missing = append(missing, ref)
					}
				}
				if len(missing) > 0 {
					fail(f.Path, d.Correlation.ID, "correlation references unknown rules: "+strings.Join(missing, ", "))
				} else {
					passed++
				}
			case rule.KindFilter:
				passed++
			}
		}
	}
	fmt.Fprintf(w, "%d passed, %d failed\n", passed, failed)
	return passed, failed, nil
}

func oneLine(s string) string { return strings.ReplaceAll(s, "\n", " | ") }
