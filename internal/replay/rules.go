package replay

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/rampart-soc/rampart/internal/rules"
	"github.com/rampart-soc/rampart/internal/sigma"
	"github.com/rampart-soc/rampart/internal/sigma/rule"
)

// RuleSet is the compiled detection content of a replay: Sigma rules indexed
// once, each with its ATT&CK technique ids.
type RuleSet struct {
	rs         *sigma.Ruleset
	techniques map[*sigma.Rule][]string

	SigmaFiles   int             // Sigma files read
	SigmaRules   int             // Sigma detection rules compiled
	Failures     []sigma.Failure // Sigma rules that cannot run, with why
	Correlations int             // Sigma correlation rules: not evaluated
	KQLRules     int             // Sentinel analytics rules (KQL): not evaluated
	KQLProblems  []rules.Problem // Sentinel files or rules that did not parse
}

// LoadRules reads Sigma and Sentinel analytics-rule YAML from files and trees
// (.yml, .yaml; .jsonl Sentinel rule records) and compiles the Sigma rules with
// the replay pipeline. A missing path is an error; a bad rule is a Failure.
func LoadRules(paths []string) (*RuleSet, error) {
	files, err := ruleFiles(paths)
	if err != nil {
		return nil, err
	}
	type parsed struct {
		sigma    *sigma.File
		sentinel []rules.Parsed
		err      error
	}
	out := make([]parsed, len(files))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				data, err := os.ReadFile(files[i])
				if err != nil {
					out[i].err = err
					continue
				}
				if isSentinel(files[i], data) {
					out[i].sentinel = rules.ParseFile(files[i], data)
					continue
				}
				docs, probs := rule.Parse(data, files[i])
				out[i].sigma = &sigma.File{Path: files[i], Docs: docs, Problems: probs}
			}
		}()
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()

	p, err := Pipeline()
	if err != nil {
		return nil, fmt.Errorf("replay pipeline: %v", err)
	}
	set := &RuleSet{techniques: map[*sigma.Rule][]string{}}
	var sigmaFiles []*sigma.File
	for i, o := range out {
		switch {
		case o.err != nil:
			return nil, o.err
		case o.sigma != nil:
			sigmaFiles = append(sigmaFiles, o.sigma)
		default:
			for _, pr := range o.sentinel {
				set.KQLProblems = append(set.KQLProblems, pr.Problems...)
				if pr.Rule != nil && pr.Rule.Kind != rules.Sigma {
					set.KQLRules++
				}
			}
			if len(o.sentinel) == 0 {
				set.KQLProblems = append(set.KQLProblems, rules.Problem{File: files[i], Message: "no rule in file"})
			}
		}
	}
	set.SigmaFiles = len(sigmaFiles)
	loaded := sigma.NewCompiler(p).LoadFiles(sigmaFiles)
	set.Failures = loaded.Failures
	set.Correlations = len(loaded.Correlations)
	set.SigmaRules = len(loaded.Rules)
	for _, r := range loaded.Rules {
		_, techs := r.Attack()
		set.techniques[r] = techs
	}
	set.rs = sigma.NewRuleset(loaded.Rules)
	return set, nil
}

// Techniques returns the ATT&CK technique ids a compiled rule is tagged with.
func (s *RuleSet) Techniques(r *sigma.Rule) []string { return s.techniques[r] }

// Match appends the rules a row fires.
func (s *RuleSet) Match(dst []*sigma.Rule, r Row) []*sigma.Rule {
	return s.rs.Match(dst, r.Table, sigma.NewMapEvent(r.Fields))
}

func ruleFiles(paths []string) ([]string, error) {
	var files []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("rules: %v", err)
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
			case ".yml", ".yaml", ".jsonl":
				if !d.IsDir() {
					files = append(files, path)
				}
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("rules: %v", err)
		}
	}
	sort.Strings(files)
	return files, nil
}

// isSentinel tells Sentinel analytics rules from Sigma by their top-level keys:
// Sigma has detection (or correlation, filter), Sentinel a query.
func isSentinel(name string, data []byte) bool {
	if strings.EqualFold(filepath.Ext(name), ".jsonl") {
		return true
	}
	query := false
	for _, line := range bytes.Split(data, []byte("\n")) {
		switch {
		case bytes.HasPrefix(line, []byte("detection:")), bytes.HasPrefix(line, []byte("correlation:")),
			bytes.HasPrefix(line, []byte("filter:")):
			return false
		case bytes.HasPrefix(line, []byte("query:")):
			query = true
		}
	}
	return query
}
