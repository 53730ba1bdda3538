package rules

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Checker validates a parsed rule further (KQL type checking, Sigma compilation) and
// returns its problems as messages.
type Checker func(r *Rule) []string

// Load reads rules from files and directory trees (.yaml, .yml, .jsonl), checking each
// with check (may be nil). Later files win on duplicate ids, which are reported.
func Load(paths []string, check Checker) ([]*Rule, []Problem, error) {
	var files []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, nil, err
		}
		if !st.IsDir() {
			files = append(files, p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			switch strings.ToLower(filepath.Ext(path)) {
			case ".yaml", ".yml", ".jsonl":
				if !d.IsDir() {
					files = append(files, path)
				}
			}
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
	}
	sort.Strings(files)
	var out []*Rule
	var probs []Problem
	seen := map[string]string{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, nil, err
		}
		for _, p := range ParseFile(f, data) {
			probs = append(probs, p.Problems...)
			if p.Rule == nil {
				continue
			}
			if check != nil {
				if msgs := check(p.Rule); len(msgs) > 0 {
					for _, m := range msgs {
						probs = append(probs, Problem{File: f, Line: lineOf(p.Rule.Source), RuleID: p.Rule.ID, Message: m})
					}
					continue
				}
			}
			if prev, dup := seen[p.Rule.ID]; dup {
				probs = append(probs, Problem{File: f, Line: lineOf(p.Rule.Source), RuleID: p.Rule.ID, Message: fmt.Sprintf("duplicate id, also in %s (this one wins)", prev)})
				for i, r := range out {
					if r.ID == p.Rule.ID {
						out = append(out[:i], out[i+1:]...)
						break
					}
				}
			}
			seen[p.Rule.ID] = p.Rule.Source
			out = append(out, p.Rule)
		}
	}
	return out, probs, nil
}

func lineOf(source string) int {
	i := strings.LastIndexByte(source, ':')
	if i < 0 {
		return 0
	}
	n := 0
	fmt.Sscanf(source[i+1:], "%d", &n)
	return n
}
