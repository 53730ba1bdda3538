package azure

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rampart-soc/rampart/internal/testutil"
)

// TestCustodianSets imports the recorded Azure inventories: every row becomes a typed
// resource with its subscription (and resource group, where the row has one) parsed from the
// id, and the rows' own type agrees with the type the id spells.
func TestCustodianSets(t *testing.T) {
	dir := testutil.Shared(t, "corpus", "posture", "inventories", "azure")
	files, _ := filepath.Glob(filepath.Join(dir, "custodian-azure-*", "*.json"))
	var total, links, rows, typedByID int
	for _, f := range files {
		base := filepath.Base(f)
		if base == "SET.json" || base == "type_counts.json" {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var raw []map[string]any
		if err := json.Unmarshal(data, &raw); err != nil {
			t.Fatal(err)
		}
		res := ImportFile(f)
		if len(res.Errors) > 0 {
			t.Errorf("%s: %v", f, res.Errors)
		}
		if len(res.Resources) != len(raw) {
			t.Errorf("%s: %d resources from %d rows", f, len(res.Resources), len(raw))
		}
		rows += len(raw)
		for i, r := range res.Resources {
			row := raw[i]
			total++
			links += len(r.Links)
			if r.Type == "" || strings.Count(r.Type, "/") < 1 || r.Type != strings.ToLower(r.Type) {
				t.Errorf("%s: untyped or badly typed resource %s: %q", f, r.ID, r.Type)
			}
			if t0, _ := row["type"].(string); t0 == "" {
				typedByID++
			}
			id, err := parseARMID(r.ID)
			if err != nil {
				t.Errorf("%s: %v", r.ID, err)
				continue
			}
			if id.typ != r.Type {
				t.Errorf("%s: row type %q, id says %q", r.ID, r.Type, id.typ)
			}
			if sub, _ := row["subscriptionId"].(string); r.Account == "" || (sub != "" && !strings.EqualFold(sub, r.Account)) {
				t.Errorf("%s: account %q, row says %q", r.ID, r.Account, sub)
			}
			if rg, _ := row["resourceGroup"].(string); !strings.EqualFold(rg, r.ResourceGroup) {
				t.Errorf("%s: resource group %q, row says %q", r.ID, r.ResourceGroup, rg)
			}
			if r.Provider != "azure" || r.Format != "arm" || r.Name == "" || r.Properties == nil {
				t.Errorf("%s: incomplete resource %+v", r.ID, r)
			}
		}
	}
	if total < 495 {
		t.Errorf("only %d resources from the custodian sets (want ≥ 495)", total)
	}
	t.Logf("azure importer custodian: %d rows -> %d resources (%d typed from the id), %d links", rows, total, typedByID, links)
}

func TestImportDirDedupes(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.json"), []byte(`[`+vmRow+`]`), 0o644)
	os.WriteFile(filepath.Join(dir, "b.json"), []byte(`{"value":[`+vmRow+`,`+nicRow+`]}`), 0o644)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte(`ignored`), 0o644)
	res := ImportDir(dir)
	if len(res.Resources) != 2 || len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Error(), "duplicate resource") {
		t.Errorf("resources %v errors %v", ids(res.Resources), res.Errors)
	}
}
