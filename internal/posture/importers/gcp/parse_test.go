package gcp

import (
	"strings"
	"testing"
)

const bucketAsset = `{"name":"//storage.googleapis.com/my-bucket","asset_type":"storage.googleapis.com/Bucket",
 "resource":{"version":"v1","parent":"//cloudresourcemanager.googleapis.com/projects/123","location":"us-east1",
  "data":{"name":"my-bucket","labels":{"env":"prod","n":3},"iamConfiguration":{"uniformBucketLevelAccess":{"enabled":true}}}},
 "iam_policy":{"bindings":[{"role":"roles/storage.objectViewer","members":["allUsers"]}]}}`

func TestParseAsset(t *testing.T) {
	res := Parse([]byte(bucketAsset), "a.json")
	if len(res.Errors) != 0 || len(res.Resources) != 1 {
		t.Fatalf("got %d resources, errors %v", len(res.Resources), res.Errors)
	}
	r := res.Resources[0]
	if r.ID != "//storage.googleapis.com/my-bucket" || r.Type != "storage.googleapis.com/Bucket" ||
		r.Name != "my-bucket" || r.Account != "123" || r.Region != "us-east1" || r.Provider != "gcp" || r.Format != "cai" {
		t.Fatalf("unexpected resource %+v", r)
	}
	if r.Tags["env"] != "prod" || r.Tags["n"] != "3" {
		t.Errorf("tags %v", r.Tags)
	}
	if v, ok := r.Get("iamConfiguration.uniformBucketLevelAccess.enabled"); !ok || v != true {
		t.Errorf("data not in properties: %v", r.Properties)
	}
	if v, ok := r.Get("iamPolicy.bindings.0.members.0"); !ok || v != "allUsers" {
		t.Errorf("iamPolicy not kept: %v", r.Properties)
	}
}

func TestParseShapes(t *testing.T) {
	inst := `{"name":"//compute.googleapis.com/projects/p1/zones/us-central1-a/instances/vm","assetType":"compute.googleapis.com/Instance",
	 "ancestors":["projects/999","organizations/1"],
	 "resource":{"data":{"name":"vm","networkInterfaces":[{"network":"https://www.googleapis.com/compute/v1/projects/p1/global/networks/default",
	   "subnetwork":"projects/p1/regions/us-central1/subnetworks/sub"}]}}}`
	net := `{"name":"//compute.googleapis.com/projects/p1/global/networks/default","asset_type":"compute.googleapis.com/Network","resource":{"data":{}}}`
	sub := `{"name":"//compute.googleapis.com/projects/p1/regions/us-central1/subnetworks/sub","asset_type":"compute.googleapis.com/Subnetwork","resource":{"data":{}}}`
	for name, in := range map[string]string{
		"array":  "[" + inst + "," + net + "," + sub + "]",
		"ndjson": strings.ReplaceAll(inst, "\n", "") + "\n" + net + "\n" + sub + "\n",
		"concat": inst + "\n\n" + net + sub,
		"list":   `{"assets":[` + inst + "," + net + "," + sub + `]}`,
	} {
		t.Run(name, func(t *testing.T) {
			res := Parse([]byte(in), "x")
			if len(res.Errors) != 0 || len(res.Resources) != 3 {
				t.Fatalf("got %d resources, errors %v", len(res.Resources), res.Errors)
			}
			vm := res.Resources[0]
			if vm.Account != "999" || vm.Region != "us-central1-a" {
				t.Errorf("account/region %q %q", vm.Account, vm.Region)
			}
			if len(vm.Links) != 2 || vm.Links[0].Kind != "references" ||
				vm.Links[0].Target != "//compute.googleapis.com/projects/p1/global/networks/default" ||
				vm.Links[1].Target != "//compute.googleapis.com/projects/p1/regions/us-central1/subnetworks/sub" {
				t.Errorf("links %+v", vm.Links)
			}
		})
	}
}

func TestParseErrorsKeepTheRest(t *testing.T) {
	in := bucketAsset + "\n" + `{"name": broken}` + "\n" +
		`{"name":"//x/y","resource":{}}` + "\n" +
		`{"asset_type":"a/B"}` + "\n" +
		`{"name":"//storage.googleapis.com/b2","asset_type":"storage.googleapis.com/Bucket","resource":{"data":"nope"}}` + "\n" +
		`{"name":"//storage.googleapis.com/b3","asset_type":"storage.googleapis.com/Bucket","resource":{"data":{"name":"b3"}}}` + "\n" +
		`42`
	res := Parse([]byte(strings.ReplaceAll(in, "\n ", " ")), "f.json")
	if len(res.Resources) != 2 {
		t.Fatalf("want the 2 good buckets, got %d", len(res.Resources))
	}
	if len(res.Errors) != 5 {
		t.Fatalf("want 5 errors, got %v", res.Errors)
	}
	if !strings.HasPrefix(res.Errors[0].Source, "f.json:") {
		t.Errorf("syntax error should name the line: %v", res.Errors[0])
	}
	for _, e := range res.Errors {
		if !strings.HasPrefix(e.Source, "f.json") {
			t.Errorf("error does not name the file: %v", e)
		}
	}
}

func TestProjectLink(t *testing.T) {
	in := `{"name":"//compute.googleapis.com/projects/p/zones/z/instances/i","asset_type":"compute.googleapis.com/Instance","resource":{"data":{}}}
{"name":"//compute.googleapis.com/projects/p","asset_type":"compute.googleapis.com/Project","resource":{"data":{"commonInstanceMetadata":{}}}}`
	res := Parse([]byte(in), "x")
	if l := res.Resources[0].Links; len(l) != 1 || l[0].Kind != "inProject" || l[0].Target != "//compute.googleapis.com/projects/p" {
		t.Errorf("links %+v", l)
	}
	if l := res.Resources[1].Links; len(l) != 0 {
		t.Errorf("project links itself: %+v", l)
	}
}

func TestParseMergesContentTypes(t *testing.T) {
	in := `{"name":"//storage.googleapis.com/b","asset_type":"storage.googleapis.com/Bucket","resource":{"data":{"name":"b"}}}
{"name":"//storage.googleapis.com/b","asset_type":"storage.googleapis.com/Bucket","iam_policy":{"bindings":[]}}
{"name":"//storage.googleapis.com/b","asset_type":"storage.googleapis.com/Bucket","resource":{"data":{"name":"b"}}}`
	res := Parse([]byte(in), "m")
	if len(res.Resources) != 1 || len(res.Errors) != 1 {
		t.Fatalf("want one merged bucket and one duplicate error: %d %v", len(res.Resources), res.Errors)
	}
	if _, ok := res.Resources[0].Properties["iamPolicy"]; !ok {
		t.Errorf("iam policy not merged")
	}
}

func TestParseServicePerimeter(t *testing.T) {
	in := `[{"name":"//cloudresourcemanager.googleapis.com/organizations/1","asset_type":"cloudresourcemanager.googleapis.com/Organization",
	 "service_perimeter":{"name":"accessPolicies/9/servicePerimeters/p1","status":{}}},
	 {"name":"//cloudresourcemanager.googleapis.com/organizations/1","asset_type":"cloudresourcemanager.googleapis.com/Organization",
	 "service_perimeter":{"name":"accessPolicies/9/servicePerimeters/p2","status":{}}}]`
	res := Parse([]byte(in), "p")
	if len(res.Errors) != 0 || len(res.Resources) != 2 {
		t.Fatalf("%d %v", len(res.Resources), res.Errors)
	}
	r := res.Resources[1]
	if r.Type != "accesscontextmanager.googleapis.com/ServicePerimeter" || r.Name != "p2" || r.Account != "1" {
		t.Errorf("%+v", r)
	}
}

func TestParseEmpty(t *testing.T) {
	for _, in := range []string{"", "  \n"} {
		if res := Parse([]byte(in), "e"); len(res.Errors) != 1 {
			t.Errorf("%q: want one error, got %v", in, res.Errors)
		}
	}
}

func TestAssetName(t *testing.T) {
	for in, want := range map[string]string{
		"https://www.googleapis.com/compute/v1/projects/p/zones/z/instances/i":     "//compute.googleapis.com/projects/p/zones/z/instances/i",
		"https://compute.googleapis.com/compute/beta/projects/p/global/networks/n": "//compute.googleapis.com/projects/p/global/networks/n",
		"https://www.googleapis.com/storage/v1/b/bk":                               "//storage.googleapis.com/bk",
		"https://sqladmin.googleapis.com/sql/v1beta4/projects/p/instances/db":      "//cloudsql.googleapis.com/projects/p/instances/db",
		"https://container.googleapis.com/v1/projects/p/zones/z/clusters/c":        "//container.googleapis.com/projects/p/zones/z/clusters/c",
		"https://bigquery.googleapis.com/bigquery/v2/projects/p/datasets/d":        "//bigquery.googleapis.com/projects/p/datasets/d",
	} {
		if got, ok := assetName(in); !ok || got != want {
			t.Errorf("%s: got %q, want %q", in, got, want)
		}
	}
	for _, in := range []string{"https://example.com/x", "https://www.googleapis.com/storage/v1/b/bk/o/obj", "::"} {
		if got, ok := assetName(in); ok {
			t.Errorf("%s: unexpected %q", in, got)
		}
	}
}
