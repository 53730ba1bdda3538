package azure

import (
	"testing"
)

func FuzzParse(f *testing.F) {
	f.Add([]byte(`[` + vmRow + `,` + nicRow + `]`))
	f.Add([]byte(`{"data":{"columns":[{"name":"id"},{"name":"type"}],"rows":[["/subscriptions/s/resourceGroups/r/providers/a.b/c/d","a.b/c"]]}}`))
	f.Add([]byte(`{"value":[{"id":"/subscriptions/s/providers/Microsoft.Authorization/roleAssignments/x/providers/a.b/c/d"}]}`))
	f.Add([]byte(`{"id":"/providers/Microsoft.Management/managementGroups/mg","tags":{"a":1}}`))
	f.Add([]byte("{\"id\":\"/subscriptions/s\"}\n[1,{\"id\":\"/subscriptions/s\"}]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		res := Parse(data, "fuzz.json")
		seen := map[string]bool{}
		for _, r := range res.Resources {
			if r.ID == "" || r.Type == "" || r.Provider != "azure" || r.Properties == nil {
				t.Fatalf("incomplete resource %+v", r)
			}
			if seen[r.ID] {
				t.Fatalf("duplicate id %s", r.ID)
			}
			seen[r.ID] = true
			for _, l := range r.Links {
				if l.Target == "" || l.Target == r.ID {
					t.Fatalf("bad link %+v on %s", l, r.ID)
				}
			}
		}
	})
}
