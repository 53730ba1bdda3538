package replay

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/rampart-soc/rampart/internal/sigma"
)

// DatasetResult is the outcome of replaying one dataset folder.
type DatasetResult struct {
	Dir        string
	ID         string
	Labelled   []string
	Alerted    []string // techniques of every rule that fired, sorted
	Detected   []string // labelled techniques an alert met (parent counts both ways)
	Strict     []string // labelled techniques met by the same id or a sub-technique
	Pass       bool
	Err        error // the dataset could not be read; it counts as failed
	Rows       int
	Lines      int
	BadLines   int
	LineErrors []string
	Alerts     int                 // rule matches
	Fired      map[string][]string // labelled technique -> titles of rules that met it
}

// Summary is the result of a replay.
type Summary struct {
	Passed, Failed int
	Datasets       []DatasetResult
	Rules          *RuleSet
	Rows, BadLines int
	LabelledPairs  int // (dataset, technique) pairs
	DetectedPairs  int
	StrictPairs    int
	Elapsed        time.Duration
}

// Options tune a replay.
type Options struct {
	// Verbose prints, under each dataset, the rules that met its labels and the
	// first bad lines.
	Verbose bool
	// Workers replays that many datasets at once (default GOMAXPROCS).
	Workers int
}

// Run replays datasets against rules and writes one line per dataset, then the
// line "N passed, M failed". A dataset path is a dataset folder (with
// labels.json) or a folder of dataset folders. Bad datasets are reported and
// counted as failed; the error is for rules that cannot be read or cancellation.
func Run(ctx context.Context, rulePaths []string, datasets []string, w io.Writer) (Summary, error) {
	return RunWith(ctx, rulePaths, datasets, w, Options{})
}

// RunWith is Run with options.
func RunWith(ctx context.Context, rulePaths []string, datasets []string, w io.Writer, opt Options) (Summary, error) {
	start := time.Now()
	set, err := LoadRules(rulePaths)
	if err != nil {
		return Summary{}, err
	}
	sum := Summary{Rules: set}
	fmt.Fprintf(w, "rules: %d Sigma rules compiled from %d files (%d cannot run); not evaluated: %d Sigma correlation rules, %d Sentinel KQL rules (KQL needs the query engine)\n",
		set.SigmaRules, set.SigmaFiles, len(set.Failures), set.Correlations, set.KQLRules)
	dirs := expandDatasets(datasets)
	results := make([]DatasetResult, len(dirs))
	done := make([]chan struct{}, len(dirs))
	for i := range done {
		done[i] = make(chan struct{})
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	jobs := make(chan int)
	for n := 0; n < workers; n++ {
		go func() {
			for i := range jobs {
				results[i] = replayDataset(ctx, set, dirs[i])
				close(done[i])
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := range dirs {
			select {
			case jobs <- i:
			case <-ctx.Done():
				for ; i < len(dirs); i++ {
					results[i] = DatasetResult{Dir: dirs[i].dir, ID: filepath.Base(dirs[i].dir), Err: ctx.Err()}
					close(done[i])
				}
				return
			}
		}
	}()
	for i := range dirs {
		<-done[i]
		r := &results[i]
		if dirs[i].err != nil && r.Err == nil {
			r.Err = dirs[i].err
		}
		printResult(w, r, opt.Verbose)
		sum.add(r)
	}
	sum.Datasets = results
	sum.Elapsed = time.Since(start)
	if err := ctx.Err(); err != nil {
		return sum, err
	}
	fmt.Fprintf(w, "events: %d rows, %d bad lines, in %s\n", sum.Rows, sum.BadLines, sum.Elapsed.Round(10*time.Millisecond))
	fmt.Fprintf(w, "techniques: %d of %d labelled (dataset, technique) pairs detected; strict (an alert on the parent does not meet a sub-technique label): %d\n",
		sum.DetectedPairs, sum.LabelledPairs, sum.StrictPairs)
	fmt.Fprintf(w, "%d passed, %d failed\n", sum.Passed, sum.Failed)
	return sum, nil
}

func (s *Summary) add(r *DatasetResult) {
	if r.Pass {
		s.Passed++
	} else {
		s.Failed++
	}
	s.Rows += r.Rows
	s.BadLines += r.BadLines
	s.LabelledPairs += len(r.Labelled)
	s.DetectedPairs += len(r.Detected)
	s.StrictPairs += len(r.Strict)
}

type datasetDir struct {
	dir string
	err error
}

// expandDatasets turns arguments into dataset folders: a folder with labels.json
// is one; any other folder contributes its sub-folders.
func expandDatasets(args []string) []datasetDir {
	var out []datasetDir
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			out = append(out, datasetDir{dir: a, err: err})
			continue
		}
		if !st.IsDir() {
			out = append(out, datasetDir{dir: a, err: fmt.Errorf("%s is not a folder", a)})
			continue
		}
		if _, err := os.Stat(filepath.Join(a, "labels.json")); err == nil {
			out = append(out, datasetDir{dir: a})
			continue
		}
		ents, err := os.ReadDir(a)
		if err != nil {
			out = append(out, datasetDir{dir: a, err: err})
			continue
		}
		n := 0
		for _, e := range ents {
			if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
				out = append(out, datasetDir{dir: filepath.Join(a, e.Name())})
				n++
			}
		}
		if n == 0 {
			out = append(out, datasetDir{dir: a, err: fmt.Errorf("%s has no labels.json and no dataset folders", a)})
		}
	}
	return out
}

// replayDataset reads one dataset, matches every row and scores its labels.
func replayDataset(ctx context.Context, set *RuleSet, d datasetDir) DatasetResult {
	res := DatasetResult{Dir: d.dir, ID: filepath.Base(d.dir)}
	if d.err != nil {
		res.Err = d.err
		return res
	}
	labels, files, err := readLabels(d.dir)
	if err != nil {
		res.Err = err
		return res
	}
	res.ID = labels.Dataset
	res.Labelled = labels.Techniques
	fired := map[*sigma.Rule]int{}
	var hits []*sigma.Rule
	var fileErrs []string
	for _, f := range files {
		if ctx.Err() != nil {
			res.Err = ctx.Err()
			return res
		}
		st, err := readFile(f, func(r Row) {
			hits = set.Match(hits[:0], r)
			for _, h := range hits {
				fired[h]++
			}
		})
		res.Rows += st.rows
		res.Lines += st.lines
		res.BadLines += st.bad
		res.LineErrors = append(res.LineErrors, st.errs...)
		if err != nil {
			fileErrs = append(fileErrs, err.Error())
		}
	}
	if len(fileErrs) > 0 {
		res.Err = errors.New(strings.Join(fileErrs, "; "))
	}
	alerted := map[string]bool{}
	res.Fired = map[string][]string{}
	for r, n := range fired {
		res.Alerts += n
		for _, t := range set.Techniques(r) {
			alerted[t] = true
			for _, l := range res.Labelled {
				if covers(l, t) {
					res.Fired[l] = append(res.Fired[l], r.Title)
				}
			}
		}
	}
	for t := range alerted {
		res.Alerted = append(res.Alerted, t)
	}
	sort.Strings(res.Alerted)
	for _, l := range res.Labelled {
		met, strict := false, false
		for t := range alerted {
			met = met || covers(l, t)
			strict = strict || coversStrict(l, t)
		}
		if met {
			res.Detected = append(res.Detected, l)
		}
		if strict {
			res.Strict = append(res.Strict, l)
		}
		sort.Strings(res.Fired[l])
		res.Fired[l] = compact(res.Fired[l])
	}
	// A dataset some of whose files could not be read still passes on what was read.
	res.Pass = len(res.Detected) > 0
	return res
}

func compact(s []string) []string {
	out := s[:0]
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}

func printResult(w io.Writer, r *DatasetResult, verbose bool) {
	verdict := "FAIL"
	if r.Pass {
		verdict = "PASS"
	}
	if r.Err != nil && r.Rows == 0 {
		fmt.Fprintf(w, "%s  ERROR: %v  %s\n", r.ID, r.Err, verdict)
		return
	}
	fmt.Fprintf(w, "%s  labelled: %s  alerted: %s  %s\n", r.ID, list(r.Labelled), list(r.Alerted), verdict)
	if r.Err != nil {
		fmt.Fprintf(w, "  error: %v\n", r.Err)
	}
	if r.BadLines > 0 {
		fmt.Fprintf(w, "  %d bad lines, e.g. %s\n", r.BadLines, strings.Join(r.LineErrors, "; "))
	}
	if verbose {
		fmt.Fprintf(w, "  %d rows, %d rule matches\n", r.Rows, r.Alerts)
		for _, l := range r.Labelled {
			if len(r.Fired[l]) > 0 {
				fmt.Fprintf(w, "  %s met by: %s\n", l, strings.Join(r.Fired[l], " | "))
			}
		}
	}
}

func list(s []string) string {
	if len(s) == 0 {
		return "-"
	}
	return strings.Join(s, ",")
}
