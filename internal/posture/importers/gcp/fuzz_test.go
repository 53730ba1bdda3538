package gcp

import (
	"testing"
)

// FuzzParse feeds arbitrary bytes to the parser: it must not panic, and every resource it
// returns must have an id, a type and properties.
func FuzzParse(f *testing.F) {
	f.Add([]byte(bucketAsset))
	f.Add([]byte(`[` + bucketAsset + `,{"name":"//x/projects/p/zones/z/instances/i","assetType":"compute.googleapis.com/Instance","ancestors":["projects/1"],"resource":{"data":{"a":"projects/p/global/networks/n"}}}]`))
	f.Add([]byte(rec("https://www.googleapis.com/compute/v1/projects/p/aggregated/instances", `{"items":{"zones/a":{"instances":[{"name":"i","selfLink":"https://www.googleapis.com/compute/v1/projects/p/zones/a/instances/i"}]}}}`)))
	f.Add([]byte(rec("https://www.googleapis.com/storage/v1/b/x/iam", `{"bindings":[]}`)))
	f.Add([]byte(`{"name":"//o/organizations/1","asset_type":"t","service_perimeter":{"name":"accessPolicies/1/servicePerimeters/x"}}`))
	f.Add([]byte("{\"a\":\n1}\n{bad\n[]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		res := Parse(data, "fuzz")
		seen := map[string]bool{}
		for _, r := range res.Resources {
			if r.ID == "" || r.Type == "" || r.Properties == nil {
				t.Fatalf("incomplete resource %+v", r)
			}
			if seen[r.ID] {
				t.Fatalf("duplicate id %s", r.ID)
			}
			seen[r.ID] = true
		}
	})
}
