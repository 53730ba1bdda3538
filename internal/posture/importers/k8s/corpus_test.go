package k8s

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rampart-soc/rampart/internal/testutil"
)

// TestCorpusSetsImport imports every shared Kubernetes inventory: each set yields
// resources and no errors except the documented unrendered helm templates.
func TestCorpusSetsImport(t *testing.T) {
	root := testutil.Shared(t, "corpus", "posture", "inventories", "kubernetes")
	sets, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	helmErrors, total, cases := 0, 0, 0
	for _, s := range sets {
		if !s.IsDir() {
			continue
		}
		dir := filepath.Join(root, s.Name())
		var inputs []string
		if strings.HasPrefix(s.Name(), "kubescape-") {
			inputs, _ = filepath.Glob(filepath.Join(dir, "cases", "*", "input"))
		} else {
			inputs = []string{dir}
		}
		n := 0
		for _, in := range inputs {
			cases++
			res := ImportDir(in)
			n += len(res.Resources)
			for _, e := range res.Errors {
				if strings.Contains(e.Err, helmError) {
					helmErrors++
					continue
				}
				t.Errorf("%s: %v", s.Name(), e)
			}
		}
		if n == 0 {
			t.Errorf("%s: no resources", s.Name())
		}
		total += n
	}
	t.Logf("kubernetes corpus: %d inputs, %d resources, %d unrendered helm templates", cases, total, helmErrors)
	if helmErrors != 5 {
		t.Errorf("helm template errors = %d, want the 5 kubernetes-goat chart templates", helmErrors)
	}
}

func TestKustomizegoatOverlays(t *testing.T) {
	dir := testutil.Shared(t, "corpus", "posture", "inventories", "kubernetes", "kustomizegoat")
	res := ImportDir(dir)
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	ids := byID(res)
	for _, id := range []string{
		"kustomize/base:kustomizegoat/Deployment/kustomizegoat",
		"kustomize/overlays/dev:kustomizegoat-dev/Deployment/kustomizegoat",
		"kustomize/overlays/test:kustomizegoat/Deployment/kustomizegoat",
		"kustomize/overlays/prod:kustomizegoat-prod/Deployment/kustomizegoat",
		"kustomize/overlays/prod:kustomizegoat-prod/Service/goatlb",
	} {
		if ids[id] == nil {
			t.Errorf("missing %s in %v", id, keys(ids))
		}
	}
	prod := ids["kustomize/overlays/prod:kustomizegoat-prod/Deployment/kustomizegoat"]
	if v, _ := prod.Get("spec.template.spec.containers.0.securityContext.readOnlyRootFilesystem"); v != true {
		t.Errorf("prod patch not merged into the base container")
	}
	if v, _ := prod.Get("spec.template.spec.containers.0.image"); !strings.Contains(v.(string), "@sha256:") {
		t.Errorf("prod image %v", v)
	}
	if v, _ := ids["kustomize/overlays/test:kustomizegoat/Deployment/kustomizegoat"].Get("spec.replicas"); v != float64(5) {
		t.Errorf("test replicas %v", v)
	}
}
