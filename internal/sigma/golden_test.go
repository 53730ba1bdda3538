package sigma

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/rampart-soc/rampart/internal/sigma/internal/testdata"
)

// Golden match set over the regression events, recorded with the engine as it was
// before the speed work (commit 4887a9c): every (variant, event, rule) verdict of
// all compilable corpus rules. Optimisations must not change a single verdict; if
// the corpus or the semantics change on purpose, re-record with -v (the test logs
// the new figures).
const (
	goldenMatches = 1186
	goldenHash    = "edde4f9457c094d7"
)

func TestGoldenMatchSet(t *testing.T) {
	loaded, err := NewCompiler(nil).LoadDir(testdata.Shared(t, "corpus/sigma/rules"))
	if err != nil {
		t.Fatal(err)
	}
	rs := NewRuleset(loaded.Rules)
	rows := regressionRows(t, testdata.Shared(t, "corpus/sigma/regression"))
	var lines []string
	for i, r := range rows {
		variants := []Event{NewMapEvent(r.row), NewMapEvent(mapStrings(r.row, strings.ToUpper)), mustJSON(t, r.json),
			NewMapEvent(mapStrings(r.row, kelvin))}
		for v, evt := range variants {
			got := rs.Match(nil, r.table, evt)
			// Every rule on its own, without the index and prefilter.
			var want []*Rule
			for _, rule := range loaded.Rules {
				if rule.Match(r.table, evt) {
					want = append(want, rule)
				}
			}
			if names(got) != names(want) {
				t.Fatalf("row %d variant %d: ruleset %v, one by one %v", i, v, names(got), names(want))
			}
			for _, m := range got {
				lines = append(lines, fmt.Sprintf("%d\t%d\t%s\t%s", v, i, m.ID, m.Title))
			}
		}
	}
	sort.Strings(lines)
	sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	hash := hex.EncodeToString(sum[:8])
	t.Logf("%d rows, %d matches, hash %s", len(rows), len(lines), hash)
	if len(lines) != goldenMatches || hash != goldenHash {
		t.Errorf("match set changed: %d matches hash %s, golden %d hash %s", len(lines), hash, goldenMatches, goldenHash)
	}
}

// kelvin upper-cases s and writes K as the Kelvin sign, which lowers to k: it
// drives the matcher's non-ASCII paths.
func kelvin(s string) string { return strings.ReplaceAll(strings.ToUpper(s), "K", "\u212A") }

// mapStrings applies f to every string of a nested row.
func mapStrings(m map[string]any, f func(string) string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		switch x := v.(type) {
		case string:
			out[k] = f(x)
		case map[string]any:
			out[k] = mapStrings(x, f)
		default:
			out[k] = v
		}
	}
	return out
}
