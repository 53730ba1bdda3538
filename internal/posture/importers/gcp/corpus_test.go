package gcp

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rampart-soc/rampart/internal/testutil"
)

// TestForsetiCorpus imports every policy-library fixture: each file imports without error
// (the one fixture with a repeated asset excepted) and every resource is typed and placed.
func TestForsetiCorpus(t *testing.T) {
	root := testutil.Shared(t, "corpus", "posture", "inventories", "gcp")
	var files []string
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && d.Name() == "data.json" && strings.Contains(p, "/forseti-") && strings.Contains(p, "/assets") {
			files = append(files, p)
		}
		return nil
	})
	resources, errs := 0, 0
	for _, f := range files {
		res := ImportFile(f)
		resources += len(res.Resources)
		errs += len(res.Errors)
		for _, e := range res.Errors {
			if !strings.Contains(e.Err, "duplicate asset") {
				t.Errorf("%v", e)
			}
		}
		for _, r := range res.Resources {
			if r.Type == "" || r.Name == "" || r.Provider != "gcp" {
				t.Errorf("%s: incomplete %+v", f, r)
			}
			if r.Account == "" && !strings.Contains(r.Type, "Organization") && !strings.Contains(r.Type, "accesscontextmanager") &&
				!strings.Contains(r.Type, "Folder") && !strings.HasPrefix(r.ID, "//appengine") && !strings.HasPrefix(r.ID, "//storage") {
				t.Errorf("%s: no project for %s", f, r.ID)
			}
		}
	}
	t.Logf("forseti: %d files, %d resources, %d errors", len(files), resources, errs)
	if len(files) < 90 || resources < 350 {
		t.Errorf("forseti: %d files, %d resources; the corpus has 95 files and 360 resources", len(files), resources)
	}
}

// TestCustodianRecordings imports the recorded REST responses as one inventory.
func TestCustodianRecordings(t *testing.T) {
	dir := testutil.Shared(t, "corpus", "posture", "inventories", "gcp", "custodian-gcp-recorded")
	res := ImportDir(dir)
	types := map[string]int{}
	links := 0
	for _, r := range res.Resources {
		types[r.Type]++
		links += len(r.Links)
		if r.Type == "" || r.ID == "" || !strings.HasPrefix(r.ID, "//") {
			t.Errorf("bad resource %+v", r)
		}
	}
	t.Logf("custodian-gcp-recorded: %d resources of %d types, %d links, %d files not mapped", len(res.Resources), len(types), links, len(res.Errors))
	for _, typ := range []string{"compute.googleapis.com/Instance", "storage.googleapis.com/Bucket", "sqladmin.googleapis.com/Instance",
		"container.googleapis.com/Cluster", "cloudkms.googleapis.com/CryptoKey", "bigquery.googleapis.com/Dataset", "dns.googleapis.com/ManagedZone"} {
		if types[typ] == 0 {
			t.Errorf("no %s imported", typ)
		}
	}
	if len(res.Resources) < 300 || len(res.Errors) > 50 {
		t.Errorf("%d resources, %d errors; expected about 330 and 43", len(res.Resources), len(res.Errors))
	}
}
