package gcp

import (
	"strings"
	"testing"
)

func rec(url, body string) string {
	return `{"headers":{"status":"200","content-location":"` + url + `"},"body":` + body + `}`
}

func TestRecordingLists(t *testing.T) {
	in := strings.Join([]string{
		rec("https://www.googleapis.com/storage/v1/b?project=p&alt=json",
			`{"kind":"storage#buckets","items":[{"kind":"storage#bucket","name":"bk","location":"US","labels":{"a":"b"},"selfLink":"https://www.googleapis.com/storage/v1/b/bk"}]}`),
		rec("https://www.googleapis.com/storage/v1/b/bk/iam?alt=json",
			`{"kind":"storage#policy","bindings":[{"role":"roles/storage.objectViewer","members":["allUsers"]}]}`),
		rec("https://container.googleapis.com/v1/projects/p/locations/-/clusters?alt=json",
			`{"clusters":[{"name":"c1","location":"us-central1-a","legacyAbac":{},"selfLink":"https://container.googleapis.com/v1/projects/p/zones/us-central1-a/clusters/c1"}]}`),
		rec("https://www.googleapis.com/compute/v1/projects/p/aggregated/instances?alt=json",
			`{"kind":"compute#instanceAggregatedList","items":{"zones/us-east1-b":{"instances":[{"kind":"compute#instance","name":"vm","zone":"https://www.googleapis.com/compute/v1/projects/p/zones/us-east1-b","selfLink":"https://www.googleapis.com/compute/v1/projects/p/zones/us-east1-b/instances/vm"}]},"zones/x":{"warning":{}}}}`),
		rec("https://cloudkms.googleapis.com/v1/projects/p/locations/global/keyRings/r/cryptoKeys?alt=json",
			`{"cryptoKeys":[{"name":"projects/p/locations/global/keyRings/r/cryptoKeys/k","purpose":"ENCRYPT_DECRYPT"}]}`),
		rec("https://www.googleapis.com/sql/v1beta4/projects/p/instances/db?alt=json",
			`{"kind":"sql#instance","name":"db","region":"us-central1","settings":{}}`),
		rec("https://bigquery.googleapis.com/bigquery/v2/projects/p/datasets?alt=json",
			`{"kind":"bigquery#datasetList","datasets":[{"kind":"bigquery#dataset","id":"p:ds","datasetReference":{"datasetId":"ds","projectId":"p"}}]}`),
	}, "\n")
	res := Parse([]byte(in), "r")
	if len(res.Errors) != 0 {
		t.Fatalf("errors: %v", res.Errors)
	}
	want := map[string]string{
		"//storage.googleapis.com/bk":                                                   "storage.googleapis.com/Bucket",
		"//container.googleapis.com/projects/p/zones/us-central1-a/clusters/c1":         "container.googleapis.com/Cluster",
		"//compute.googleapis.com/projects/p/zones/us-east1-b/instances/vm":             "compute.googleapis.com/Instance",
		"//cloudkms.googleapis.com/projects/p/locations/global/keyRings/r/cryptoKeys/k": "cloudkms.googleapis.com/CryptoKey",
		"//cloudsql.googleapis.com/projects/p/instances/db":                             "sqladmin.googleapis.com/Instance",
		"//bigquery.googleapis.com/projects/p/datasets/ds":                              "bigquery.googleapis.com/Dataset",
	}
	if len(res.Resources) != len(want) {
		t.Fatalf("got %d resources", len(res.Resources))
	}
	for _, r := range res.Resources {
		if want[r.ID] != r.Type {
			t.Errorf("%s: type %q", r.ID, r.Type)
		}
		if r.Account != "p" && r.Type != "storage.googleapis.com/Bucket" {
			t.Errorf("%s: account %q", r.ID, r.Account)
		}
		switch r.Type {
		case "storage.googleapis.com/Bucket":
			if _, ok := r.Get("iamPolicy.bindings"); !ok {
				t.Errorf("bucket IAM policy not attached")
			}
			if r.Region != "US" || r.Tags["a"] != "b" {
				t.Errorf("bucket %+v", r)
			}
		case "compute.googleapis.com/Instance":
			if r.Region != "us-east1-b" || r.Name != "vm" {
				t.Errorf("instance %+v", r)
			}
		}
	}
}

func TestRecordingErrors(t *testing.T) {
	in := strings.Join([]string{
		`{"headers":{"status":"404"},"body":{"error":{"code":404,"message":"not found"}}}`,
		`{"headers":{"status":"200"},"body":{"items":[]}}`,
		rec("https://monitoring.googleapis.com/v3/projects/p/timeSeries", `{"timeSeries":[]}`),
		rec("https://example.com/x", `{}`),
		rec("https://www.googleapis.com/storage/v1/b", `"not json"`),
		rec("https://www.googleapis.com/storage/v1/b", `{"items":[{"kind":"storage#bucket"}, 3]}`),
		rec("https://www.googleapis.com/storage/v1/b", `"{\"items\":[{\"name\":\"ok\"}]}"`),
	}, "\n")
	res := Parse([]byte(in), "e")
	if len(res.Resources) != 1 || res.Resources[0].ID != "//storage.googleapis.com/ok" {
		t.Fatalf("want only the bucket from the string body, got %d", len(res.Resources))
	}
	if len(res.Errors) != 7 {
		t.Fatalf("want 7 errors, got %d: %v", len(res.Errors), res.Errors)
	}
	if !strings.Contains(res.Errors[0].Err, "404") || !strings.Contains(res.Errors[2].Err, "timeSeries") {
		t.Errorf("unclear errors: %v", res.Errors)
	}
}
