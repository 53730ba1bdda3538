package azpolicy

import (
	"fmt"
	"strings"
	"testing"
)

// conformanceMinPassed is the number of conformance cases known to pass;
// a drop below it is a regression.
const conformanceMinPassed = 1060

func TestConformanceCorpus(t *testing.T) {
	dir := sharedDir(t, "corpus/posture/azure-policy-conformance")
	var out strings.Builder
	passed, failed, err := RunCases([]string{dir}, &out)
	if err != nil {
		t.Fatal(err)
	}
	if failed > 0 {
		t.Logf("failing cases:\n%s", out.String())
	}
	fmt.Printf("azure policy conformance: %d passed, %d failed\n", passed, failed)
	if passed < conformanceMinPassed {
		t.Errorf("%d cases passed, want at least %d", passed, conformanceMinPassed)
	}
}
