package azpolicy

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBuiltInsOverInventory evaluates every built-in definition against the
// recorded Azure resources of the corpus. Only two errors are legitimate:
// a parameter without default that an assignment must supply, and a
// function this package does not implement.
func TestBuiltInsOverInventory(t *testing.T) {
	defs := sharedDir(t, "corpus/posture/azure-policy/policyDefinitions")
	invDir := sharedDir(t, "corpus/posture/inventories/azure")
	var pols []*Policy
	var names []string
	err := filepath.WalkDir(defs, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if p, err := ParseDefinition(data, nil); err == nil {
			pols = append(pols, p)
			names = append(names, filepath.Base(path))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(invDir, "custodian-azure-*", "resources.json"))
	var inv []map[string]any
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var rows []map[string]any
		if err := json.Unmarshal(data, &rows); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		inv = append(inv, rows...)
	}
	parents := len(inv)
	for _, r := range inv[:parents] {
		inv = append(inv, EmbeddedChildren(r)...)
	}
	if len(inv) == parents {
		t.Error("no embedded child resources found")
	}
	lookup := InventoryLookup(inv)
	matches := 0
	for i, p := range pols {
		for _, r := range inv {
			res, err := p.Evaluate(Input{Resource: r, Related: lookup})
			if err != nil {
				msg := err.Error()
				if !strings.Contains(msg, "has no value") && !strings.Contains(msg, "is not supported") {
					t.Errorf("%s on %v: %v", names[i], r["id"], err)
				}
				continue
			}
			if res.Match {
				matches++
			}
		}
	}
	fmt.Printf("azure policy built-ins over inventory: %d policies x %d resources (%d embedded children), %d matches\n",
		len(pols), len(inv), len(inv)-parents, matches)
	if matches == 0 {
		t.Error("no policy matched any resource")
	}
}
