package terraform

import (
	"path/filepath"
	"testing"
)

func TestImportPlanJSON(t *testing.T) {
	res := ImportFile(filepath.Join("testdata", "plan.json"))
	if len(res.Errors) != 0 {
		t.Fatalf("errors %v", res.Errors)
	}
	m := byID(t, res)
	if len(m) != 4 {
		t.Fatalf("want 4 managed resources, got %v", m)
	}
	b := m["aws_s3_bucket.b"]
	if b.Region != "us-east-2" || b.Tags["Env"] != "prod" || b.Provider != "aws" {
		t.Errorf("bucket %+v", b)
	}
	pab := m["aws_s3_bucket_public_access_block.pab"]
	if get(t, pab, "bucket") != "${aws_s3_bucket.b.id}" || !hasLink(pab, "references", "aws_s3_bucket.b") {
		t.Errorf("pab %v %v", pab.Properties, pab.Links)
	}
	fl := m["module.net[0]:aws_flow_log.this"]
	if fl == nil || !hasLink(fl, "references", "module.net[0]:aws_vpc.this[0]") {
		t.Errorf("child module links: %+v", fl)
	}
}

func TestImportStateJSON(t *testing.T) {
	res := ImportFile(filepath.Join("testdata", "state.json"))
	m := byID(t, res)
	if k := m["aws_kms_key.k"]; k == nil || k.Region != "us-east-1" || get(t, k, "enable_key_rotation") != false {
		t.Errorf("kms %+v", k)
	}
	if g := m[`google_storage_bucket.g["a.b"]`]; g == nil || g.Account != "proj-1" || g.Tags["team"] != "x" || g.Provider != "gcp" {
		t.Errorf("gcs %+v", g)
	}
}

func TestImportJSONErrors(t *testing.T) {
	for _, doc := range []string{`{`, `{}`, `{"format_version":"1.0"}`, `[]`} {
		res := ImportJSON([]byte(doc), "x.json")
		if len(res.Errors) != 1 || res.Errors[0].Source != "x.json" {
			t.Errorf("%s: errors %v", doc, res.Errors)
		}
	}
}
