package replay

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/rampart-soc/rampart/internal/testutil"
)

// recallMinPassed is the number of datasets passing on the shared corpus with the
// SigmaHQ rules, as reached; a drop below it is a regression.
const recallMinPassed = 73 // reached: 73 of 122 (86 of 160 labelled pairs)

func TestRecallCorpus(t *testing.T) {
	rules := testutil.Shared(t, "corpus", "sigma", "rules")
	datasets := testutil.Shared(t, "corpus", "datasets")
	var out bytes.Buffer
	sum, err := RunWith(context.Background(), []string{rules}, []string{datasets}, &out, Options{Verbose: os.Getenv("REPLAY_VERBOSE") != ""})
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + out.String())
	t.Logf("detect replay recall: %d passed, %d failed", sum.Passed, sum.Failed)
	if sum.Passed < recallMinPassed {
		t.Errorf("detect replay recall: %d passed, want at least %d (%d failed)", sum.Passed, recallMinPassed, sum.Failed)
	}
}
