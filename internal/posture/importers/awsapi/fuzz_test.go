package awsapi

import "testing"

// FuzzParse feeds arbitrary content to the configuration-item parser and to a recording (as
// list, detail and account responses): no panic, and every resource is complete.
func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"status_code":200,"data":{"Buckets":[{"Name":"a"}],"Error":{"BucketName":"a"}}}`))
	f.Add([]byte(`{"status_code":404,"data":{"Error":{"Code":"NoSuchEntity"}}}`))
	f.Add([]byte(`{"status_code":200,"data":{"Content":"user,arn\nx,y\n","Policy":"%7B%7D","D":{"__class__":"datetime","year":2020}}}`))
	f.Add([]byte(`{"configurationItems":[{"resourceType":"AWS::S3::Bucket","resourceId":"b","configuration":"{}"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		res := ParseConfig(data, "fuzz")
		var rec Recording
		for _, name := range []string{"s3.ListBuckets_1.json", "s3.GetBucketPolicy_1.json", "iam.ListUsers_1.json",
			"iam.GetUser_1.json", "iam.GetCredentialReport_1.json", "iam.GetAccountPasswordPolicy_1.json",
			"kms.ListAliases_1.json", "tagging.GetResources_1.json", "ec2.DescribeInstances_1.json"} {
			rec.Add(name, data, name)
		}
		out := rec.Result()
		res.Merge(out)
		seen := map[string]bool{}
		for _, r := range out.Resources {
			if seen[r.ID] {
				t.Fatalf("duplicate id %s", r.ID)
			}
			seen[r.ID] = true
		}
		for _, r := range res.Resources {
			if r.ID == "" || r.Type == "" || r.Properties == nil {
				t.Fatalf("incomplete resource %+v", r)
			}
		}
	})
}
