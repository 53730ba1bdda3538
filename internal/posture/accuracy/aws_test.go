package accuracy

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/rampart-soc/rampart/internal/posture/importers/cloudformation"
	"github.com/rampart-soc/rampart/internal/posture/importers/terraform"
	"github.com/rampart-soc/rampart/internal/posture/inventory"
	"github.com/rampart-soc/rampart/internal/posture/policy"
	"github.com/rampart-soc/rampart/internal/testutil"
)

// Figures reached on the AWS goat sets; a change that lowers a passed count (or raises the
// false positives) fails the harness.
const (
	awsTerragoatMinRecall    = 133 // of 137 Checkov findings
	awsTerragoatMinPrecision = 123
	awsTerragoatMaxFalsePos  = 4
	awsCfngoatMinRecall      = 64 // of 64
	awsCfngoatMinPrecision   = 46
	awsCfngoatMaxFalsePos    = 0
)

// awsGroundTruth is a goat set's ground_truth.checkov.json.
type awsGroundTruth struct {
	Findings []struct {
		CheckID  string `json:"checkId"`
		File     string `json:"file"`
		Resource string `json:"resource"`
	} `json:"findings"`
}

// awsGoat describes how one set is imported and how its ground-truth resource names map to
// inventory ids.
type awsGoat struct {
	cloud, set string
	load       func(dir string) inventory.Result
	// key turns a ground-truth finding into the id our importer gives that resource.
	key func(file, resource string) string
	// keyOf turns one of our resource ids into the same key (dropping instance keys).
	keyOf                           func(id string) string
	minRecall, minPrecision, maxFal int
}

var awsGoats = []awsGoat{
	{
		cloud: "aws", set: "terragoat-aws",
		load: terraform.ImportDir,
		key:  func(_, resource string) string { return resource },
		keyOf: func(id string) string {
			if i := strings.IndexByte(id, '['); i >= 0 {
				return id[:i]
			}
			return id
		},
		minRecall: awsTerragoatMinRecall, minPrecision: awsTerragoatMinPrecision, maxFal: awsTerragoatMaxFalsePos,
	},
	{
		cloud: "aws", set: "cfngoat",
		load: cloudformation.ImportDir,
		key: func(file, resource string) string {
			return file + ":" + resource[strings.LastIndexByte(resource, '.')+1:]
		},
		keyOf:     func(id string) string { return id },
		minRecall: awsCfngoatMinRecall, minPrecision: awsCfngoatMinPrecision, maxFal: awsCfngoatMaxFalsePos,
	},
}

// TestAWSGoatAccuracy imports TerraGoat (AWS) and CfnGoat, assesses them with the built-in
// policies and compares with Checkov's ground truth through the policies' equivalents.
//
// Recall: a ground-truth finding (check, resource) passes when one of our Unhealthy findings
// on that resource belongs to a policy listing the check among its equivalents.
// Precision: an Unhealthy finding whose policy maps to checks the ground truth uses passes
// when the ground truth lists one of those checks on that resource; policies with no check
// in the ground truth are not judged (the goats do not say whether they should fire).
func TestAWSGoatAccuracy(t *testing.T) {
	ps, err := policy.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range awsGoats {
		t.Run(g.set, func(t *testing.T) {
			dir := testutil.Shared(t, "corpus", "posture", "inventories", g.cloud, g.set)
			var truth awsGroundTruth
			data, err := os.ReadFile(filepath.Join(dir, "ground_truth.checkov.json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(data, &truth); err != nil {
				t.Fatal(err)
			}
			res := g.load(filepath.Join(dir, "iac"))
			for _, e := range res.Errors {
				t.Errorf("import: %v", e)
			}
			findings := ps.Assess(res.Resources)

			// key -> Checkov ids our Unhealthy findings there stand for.
			fired := map[string]map[string]bool{}
			var unhealthy []policy.Finding
			for _, f := range findings {
				if f.Provider != inventory.AWS {
					continue
				}
				if f.State == policy.Error {
					t.Errorf("%s on %s: evaluation error: %s", f.PolicyID, f.ResourceID, f.Error)
				}
				if f.State != policy.Unhealthy {
					continue
				}
				unhealthy = append(unhealthy, f)
				k := g.keyOf(f.ResourceID)
				if fired[k] == nil {
					fired[k] = map[string]bool{}
				}
				for _, e := range ps.Policy(f.PolicyID).Equivalents {
					fired[k][strings.ToUpper(e)] = true
				}
			}

			listed := map[string]bool{} // key|CHECK in the ground truth
			checks := map[string]bool{} // every check the ground truth uses
			passed, failed := 0, 0
			var missed []string
			for _, gt := range truth.Findings {
				k, c := g.key(gt.File, gt.Resource), strings.ToUpper(gt.CheckID)
				listed[k+"|"+c], checks[c] = true, true
				if fired[k][c] {
					passed++
					continue
				}
				failed++
				missed = append(missed, gt.CheckID+" "+gt.File+" "+gt.Resource)
			}
			sort.Strings(missed)
			for _, m := range missed {
				t.Logf("missed: %s", m)
			}

			tp, fp := 0, 0
			var extra []string
			for _, f := range unhealthy {
				judged, ok := false, false
				for _, e := range ps.Policy(f.PolicyID).Equivalents {
					c := strings.ToUpper(e)
					if !checks[c] {
						continue
					}
					judged = true
					if listed[g.keyOf(f.ResourceID)+"|"+c] {
						ok = true
					}
				}
				switch {
				case !judged:
				case ok:
					tp++
				default:
					fp++
					extra = append(extra, f.PolicyID+" "+f.ResourceID)
				}
			}
			sort.Strings(extra)
			for _, x := range extra {
				t.Logf("not in ground truth: %s", x)
			}
			fmt.Printf("posture recall %s: %d passed, %d failed\n", g.set, passed, failed)
			fmt.Printf("posture precision %s: %d passed, %d failed\n", g.set, tp, fp)
			if passed < g.minRecall {
				t.Errorf("recall dropped: %d passed, want ≥ %d", passed, g.minRecall)
			}
			if tp < g.minPrecision || fp > g.maxFal {
				t.Errorf("precision changed: %d passed, %d failed; want ≥ %d passed, ≤ %d failed", tp, fp, g.minPrecision, g.maxFal)
			}
		})
	}
}
