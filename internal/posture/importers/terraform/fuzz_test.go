package terraform

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParseHCL feeds arbitrary text to the HCL importer as a root module (and as a local
// child module it may call): it must never panic or hang, whatever the input.
func FuzzParseHCL(f *testing.F) {
	f.Add([]byte(`resource "aws_s3_bucket" "b" { bucket = "x" }`))
	f.Add([]byte("variable \"n\" { default = 3 }\nresource \"aws_instance\" \"i\" {\n  count = var.n\n  name = \"i-${count.index}\"\n}\n"))
	f.Add([]byte("locals {\n  a = local.b\n  b = [for x in local.a : x]\n}\nmodule \"m\" {\n  source = \"./m\"\n}\n"))
	f.Add([]byte("resource \"aws_security_group\" \"s\" {\n  for_each = { a = 1 }\n  dynamic \"ingress\" {\n    for_each = [each.value]\n    content {\n      from_port = ingress.value\n    }\n  }\n}\n"))
	if files, err := filepath.Glob("../../../../../shared/corpus/posture/inventories/*/terragoat-*/iac/*.tf"); err == nil {
		for _, name := range files {
			if data, err := os.ReadFile(name); err == nil && len(data) < 8192 {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		res := ImportSources(map[string][]byte{"main.tf": data, "m/main.tf": data})
		for _, r := range res.Resources {
			if r.ID == "" || r.Type == "" || r.Properties == nil {
				t.Fatalf("incomplete resource %+v", r)
			}
		}
	})
}

// FuzzImportJSON does the same for `terraform show -json` documents.
func FuzzImportJSON(f *testing.F) {
	for _, name := range []string{"plan.json", "state.json"} {
		if data, err := os.ReadFile(filepath.Join("testdata", name)); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"format_version":"1","values":{"root_module":{"child_modules":[{"address":"module.a[\"x\\\"]","resources":[{"address":"a_b.c","type":"a_b"}]}]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		res := ImportJSON(data, "fuzz.json")
		for _, r := range res.Resources {
			if r.ID == "" || r.Properties == nil {
				t.Fatalf("incomplete resource %+v", r)
			}
		}
	})
}
