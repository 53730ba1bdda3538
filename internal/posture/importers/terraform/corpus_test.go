package terraform

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rampart-soc/rampart/internal/testutil"
)

// TestTerraGoat imports the three TerraGoat sets and checks that every resource the
// Checkov ground truth names (other than data sources and provider blocks, which are not
// resources) is in the inventory, at the file the ground truth names.
func TestTerraGoat(t *testing.T) {
	for _, set := range []struct{ cloud, name string }{
		{"aws", "terragoat-aws"}, {"azure", "terragoat-azure"}, {"gcp", "terragoat-gcp"},
	} {
		t.Run(set.name, func(t *testing.T) {
			dir := testutil.Shared(t, "corpus", "posture", "inventories", set.cloud, set.name)
			res := ImportDir(filepath.Join(dir, "iac"))
			if len(res.Errors) != 0 {
				t.Errorf("import errors: %v", res.Errors)
			}
			ids := byID(t, res)
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
			found, want := 0, 0
			for _, f := range gt.Findings {
				if seen[f.Resource] {
					continue
				}
				seen[f.Resource] = true
				typ, _, _ := strings.Cut(f.Resource, ".")
				if !strings.Contains(typ, "_") || isDataType(typ) {
					continue // provider blocks ("aws.alias") and data sources
				}
				want++
				r := ids[f.Resource]
				if r == nil {
					// count/for_each instances carry an index.
					r = ids[f.Resource+"[0]"]
				}
				if r == nil {
					t.Errorf("ground-truth resource %s (%s) not imported", f.Resource, f.File)
					continue
				}
				if !strings.HasPrefix(r.Source, f.File+":") {
					t.Errorf("%s: source %s, ground truth says %s", r.ID, r.Source, f.File)
				}
				found++
			}
			t.Logf("terraform %s: %d resources, %d of %d ground-truth resources found", set.name, len(res.Resources), found, want)
		})
	}
}

// isDataType reports ground-truth entries that Checkov attributes to data sources.
func isDataType(typ string) bool {
	return typ == "aws_iam_policy_document"
}
