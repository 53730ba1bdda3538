package cloudformation

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rampart-soc/rampart/internal/testutil"
)

// TestCfnGoat imports CfnGoat and checks that every resource its Checkov ground truth names
// ("AWS::S3::Bucket.DataBucket" in cfngoat.yaml) is in the inventory with that type.
func TestCfnGoat(t *testing.T) {
	dir := testutil.Shared(t, "corpus", "posture", "inventories", "aws", "cfngoat")
	res := ImportDir(filepath.Join(dir, "iac"))
	if len(res.Errors) != 0 {
		t.Errorf("import errors: %v", res.Errors)
	}
	ids := byID(res)
	var gt struct {
		Findings []struct{ File, Resource string }
	}
	data, err := os.ReadFile(filepath.Join(dir, "ground_truth.checkov.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &gt); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	found := 0
	for _, f := range gt.Findings {
		if seen[f.File+f.Resource] {
			continue
		}
		seen[f.File+f.Resource] = true
		i := strings.LastIndex(f.Resource, ".")
		typ, name := f.Resource[:i], f.Resource[i+1:]
		r := ids[f.File+":"+name]
		if r == nil || r.Type != typ {
			t.Errorf("ground-truth resource %s in %s not imported (%+v)", f.Resource, f.File, r)
			continue
		}
		found++
	}
	t.Logf("cloudformation cfngoat: %d resources, %d of %d ground-truth resources found", len(res.Resources), found, len(seen))
}
