package awsapi

import (
	"path/filepath"
	"testing"

	"github.com/rampart-soc/rampart/internal/testutil"
)

// TestCustodianRecordings imports every custodian-aws scenario: resources are typed and
// scoped, and at most a few responses cannot be attributed.
func TestCustodianRecordings(t *testing.T) {
	root := testutil.Shared(t, "corpus", "posture", "inventories", "aws")
	dirs, _ := filepath.Glob(filepath.Join(root, "custodian-aws-*", "responses"))
	if len(dirs) < 30 {
		t.Fatalf("found %d custodian-aws scenarios, want 33", len(dirs))
	}
	resources, errs := 0, 0
	for _, d := range dirs {
		res := ImportDir(d)
		if len(res.Resources) == 0 {
			t.Errorf("%s: no resources", d)
		}
		for _, e := range res.Errors {
			t.Logf("%v", e)
		}
		for _, r := range res.Resources {
			if r.Type == "" || r.ID == "" || r.Provider != "aws" || r.Format != "aws" {
				t.Errorf("%s: incomplete %+v", d, r)
			}
		}
		resources += len(res.Resources)
		errs += len(res.Errors)
	}
	t.Logf("custodian-aws: %d scenarios, %d resources, %d unattributed responses", len(dirs), resources, errs)
	if resources < 70 || errs > 3 {
		t.Errorf("%d resources, %d errors; expected about 78 and 1", resources, errs)
	}
}
