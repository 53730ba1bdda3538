package pattern

import (
	"bufio"
	"encoding/json"
	"fmt"
	"github.com/rampart-soc/rampart/internal/testutil"
	"os"
	"path/filepath"
	"testing"
)

// Thresholds: the number of lines that must agree with the corpus
// verdicts. They equal the line counts: conformance is 100 %.
const (
	wantPatternsPassed     = 1661
	wantGrammarCasesPassed = 85
	wantNonStixRejected    = 15
)

// sharedDir finds the shared corpora beside the repository root, skipping
// the test when they are absent (failing under CI=true).
func sharedDir(t testing.TB) string {
	t.Helper()
	return testutil.Shared(t)
}

// readJSONL decodes each line of a corpus file into a fresh T.
func readJSONL[T any](t testing.TB, name string) []T {
	t.Helper()
	f, err := os.Open(filepath.Join(sharedDir(t), "corpus", "stix", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []T
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 8<<20)
	for sc.Scan() {
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("%s line %d: %v", name, len(out)+1, err)
		}
		out = append(out, v)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

type corpusPattern struct {
	Pattern     string  `json:"pattern"`
	PatternType *string `json:"pattern_type"`
	SpecVersion *string `json:"spec_version"`
	Parses      bool    `json:"parses"`
	ParseError  string  `json:"parse_error"`
}

func version(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func TestCorpusPatterns(t *testing.T) {
	lines := readJSONL[corpusPattern](t, "patterns.jsonl")
	passed, failed := 0, 0
	for i, l := range lines {
		_, err := ParseVersion(l.Pattern, version(l.SpecVersion))
		if (err == nil) == l.Parses {
			passed++
			continue
		}
		failed++
		if failed <= 10 {
			t.Errorf("line %d (spec %s): want parses=%v, got err=%v; corpus error %q; pattern %.200q",
				i+1, version(l.SpecVersion), l.Parses, err, l.ParseError, l.Pattern)
		}
	}
	fmt.Printf("stix patterns: %d passed, %d failed (patterns.jsonl)\n", passed, failed)
	if passed < wantPatternsPassed {
		t.Errorf("patterns.jsonl: %d passed, want at least %d", passed, wantPatternsPassed)
	}
}

type grammarCase struct {
	Pattern     string `json:"pattern"`
	ExpectValid bool   `json:"expect_valid"`
	Note        string `json:"note"`
}

func TestCorpusGrammarCases(t *testing.T) {
	lines := readJSONL[grammarCase](t, "pattern-grammar-cases.jsonl")
	passed, failed := 0, 0
	for i, l := range lines {
		_, err := Parse(l.Pattern)
		if (err == nil) == l.ExpectValid {
			passed++
			continue
		}
		failed++
		t.Errorf("line %d (%s): want valid=%v, got err=%v; pattern %q", i+1, l.Note, l.ExpectValid, err, l.Pattern)
	}
	fmt.Printf("stix patterns: %d passed, %d failed (pattern-grammar-cases.jsonl)\n", passed, failed)
	if passed < wantGrammarCasesPassed {
		t.Errorf("pattern-grammar-cases.jsonl: %d passed, want at least %d", passed, wantGrammarCasesPassed)
	}
}

// non-stix-patterns.jsonl carries no verdict field. Its patterns are
// YARA, Sigma, Snort, Suricata and similar, so the implied verdict is
// "not a STIX pattern", which is what a matcher fed such an indicator by
// mistake must conclude.
func TestCorpusNonStixPatterns(t *testing.T) {
	lines := readJSONL[corpusPattern](t, "non-stix-patterns.jsonl")
	passed, failed := 0, 0
	for i, l := range lines {
		if _, err := ParseVersion(l.Pattern, version(l.SpecVersion)); err != nil {
			passed++
			continue
		}
		failed++
		t.Errorf("line %d (%s): a non-STIX pattern parsed as STIX: %.120q", i+1, version(l.PatternType), l.Pattern)
	}
	fmt.Printf("stix patterns: %d passed, %d failed (non-stix-patterns.jsonl)\n", passed, failed)
	if passed < wantNonStixRejected {
		t.Errorf("non-stix-patterns.jsonl: %d passed, want at least %d", passed, wantNonStixRejected)
	}
}
