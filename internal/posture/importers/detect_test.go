package importers

import "testing"

func TestDetect(t *testing.T) {
	for _, tc := range []struct{ name, data, want string }{
		{"main.tf", `resource "aws_s3_bucket" "b" {}`, Terraform},
		{"plan.json", `{"format_version":"1.2","planned_values":{}}`, TerraformPlan},
		{"t.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n", CloudFormation},
		{"t.json", `{"Resources":{"B":{"Type":"AWS::S3::Bucket"}}}`, CloudFormation},
		{"d.yaml", "apiVersion: apps/v1\nkind: Deployment\n", Kubernetes},
		{"kustomization.yaml", "resources: [a.yaml]\n", Kubernetes},
		{"arg.json", `{"data":[{"id":"/subscriptions/1/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/s"}]}`, Azure},
		{"list.json", `{"value":[{"id":"/subscriptions/1/providers/x/y/z"}]}`, Azure},
		{"assets.json", `[{"name":"//storage.googleapis.com/b","assetType":"storage.googleapis.com/Bucket"}]`, GCP},
		{"assets.jsonl", "{\"name\":\"//x\",\"asset_type\":\"t\"}\n{\"name\":\"//y\"}\n", GCP},
		{"s3.ListBuckets_1.json", `{"status_code":200,"data":{}}`, AWSAPI},
		{"config.json", `{"configurationItems":[]}`, AWSAPI},
		{"SET.json", `{"set":"x","counts":{}}`, Unknown},
		{"notes.yaml", "title: hello\n", Unknown},
		{"bad.json", `{"a":`, Unknown},
	} {
		if got := Detect(tc.name, []byte(tc.data)); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// FuzzDetect: deciding a file's format never panics, whatever its name and content.
func FuzzDetect(f *testing.F) {
	f.Add("a.json", `{"value":[{"id":"/subscriptions/x"}]}`)
	f.Add("a.yaml", "apiVersion: v1\nkind: Pod\n")
	f.Add("a.jsonl", "[]\n{}")
	f.Fuzz(func(t *testing.T, name, data string) {
		Detect(name, []byte(data))
	})
}
