package sigma

import (
	"bytes"
	"strings"
	"testing"

	"github.com/rampart-soc/rampart/internal/sigma/internal/testdata"
)

// Thresholds: the counts reached on the shared corpus, rounded down slightly.
const (
	regressionMinPassed = 168  // reached: 170 of 170
	checkMinPassed      = 2880 // reached: 2895 of 3058
)

func TestRegressionCorpus(t *testing.T) {
	rules := testdata.Shared(t, "corpus/sigma/rules")
	reg := testdata.Shared(t, "corpus/sigma/regression")
	var out bytes.Buffer
	passed, failed, err := RunRegression(rules, reg, &out)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	t.Log(out.String())
	t.Logf("regression: %s", lines[len(lines)-1])
	if passed < regressionMinPassed {
		t.Errorf("regression: %d passed, want at least %d (%d failed)", passed, regressionMinPassed, failed)
	}
}

func TestCheckCorpus(t *testing.T) {
	rules := testdata.Shared(t, "corpus/sigma/rules")
	var out bytes.Buffer
	passed, failed, err := Check(rules, &out)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	t.Log(out.String())
	t.Logf("check: %s", lines[len(lines)-1])
	if passed < checkMinPassed {
		t.Errorf("check: %d passed, want at least %d (%d failed)", passed, checkMinPassed, failed)
	}
}
