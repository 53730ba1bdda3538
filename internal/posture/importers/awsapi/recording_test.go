package awsapi

import (
	"strings"
	"testing"

	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

func record(t *testing.T, files map[string]string) inventory.Result {
	t.Helper()
	var rec Recording
	for name, body := range files {
		rec.Add(name, []byte(body), "rec/"+name)
	}
	return rec.Result()
}

func byID(res inventory.Result) map[string]*inventory.Resource {
	m := map[string]*inventory.Resource{}
	for _, r := range res.Resources {
		m[r.ID] = r
	}
	return m
}

func TestRecordingS3(t *testing.T) {
	res := record(t, map[string]string{
		"s3.ListBuckets_1.json":         `{"status_code":200,"data":{"Buckets":[{"Name":"a","CreationDate":{"__class__":"datetime","year":2020,"month":1,"day":2,"hour":3,"minute":4,"second":5,"microsecond":0}},{"Name":"b"}],"ResponseMetadata":{}}}`,
		"s3.GetBucketEncryption_1.json": `{"status_code":404,"data":{"Error":{"Code":"ServerSideEncryptionConfigurationNotFoundError","BucketName":"b"}}}`,
		"s3.GetBucketEncryption_2.json": `{"status_code":200,"data":{"ServerSideEncryptionConfiguration":{"Rules":[]}}}`,
		"s3.GetBucketPolicy_1.json":     `{"status_code":200,"data":{"Policy":"{\"Statement\":[{\"Resource\":\"arn:aws:s3:::a/*\",\"Effect\":\"Allow\"}]}"}}`,
	})
	if len(res.Errors) != 0 {
		t.Fatalf("errors: %v", res.Errors)
	}
	m := byID(res)
	a, b := m["arn:aws:s3:::a"], m["arn:aws:s3:::b"]
	if a == nil || b == nil || a.Type != "AWS::S3::Bucket" || a.Name != "a" || a.Format != "aws" {
		t.Fatalf("buckets: %+v", res.Resources)
	}
	if v, _ := a.Get("CreationDate"); v != "2020-01-02T03:04:05Z" {
		t.Errorf("datetime not converted: %v", v)
	}
	// b's error names it; a gets the remaining response; the policy names a.
	if v, _ := b.Get("GetBucketEncryption.Error.Code"); v != "ServerSideEncryptionConfigurationNotFoundError" {
		t.Errorf("b encryption: %v", b.Properties)
	}
	if _, ok := a.Get("GetBucketEncryption.ServerSideEncryptionConfiguration"); !ok {
		t.Errorf("a encryption: %v", a.Properties)
	}
	if v, _ := a.Get("GetBucketPolicy.Policy.Statement.0.Effect"); v != "Allow" {
		t.Errorf("policy not decoded onto a: %v", a.Properties)
	}
}

func TestRecordingAccount(t *testing.T) {
	res := record(t, map[string]string{
		"iam.GetAccountSummary_1.json":         `{"status_code":200,"data":{"SummaryMap":{"AccountMFAEnabled":0,"AccountAccessKeysPresent":1}}}`,
		"iam.GetAccountPasswordPolicy_1.json":  `{"status_code":404,"data":{"Error":{"Code":"NoSuchEntity"}}}`,
		"iam.GetCredentialReport_1.json":       `{"status_code":200,"data":{"Content":"user,arn,mfa_active\n<root_account>,arn:aws:iam::123456789012:root,false\nbob,arn:aws:iam::123456789012:user/bob,true\n"}}`,
		"ec2.GetEbsEncryptionByDefault_1.json": `{"status_code":200,"data":{"EbsEncryptionByDefault":false}}`,
		"ec2.DescribeSecurityGroups_1.json":    `{"status_code":200,"data":{"SecurityGroups":[{"GroupId":"sg-1","GroupName":"web","OwnerId":"123456789012","Tags":[{"Key":"env","Value":"dev"}]}]}}`,
		"ec2.DescribeSecurityGroups_2.json":    `{"status_code":200,"data":{"SecurityGroups":[{"GroupId":"sg-1","GroupName":"web"}]}}`,
		"foo.Bar_1.json":                       `{"status_code":200,"data":{}}`,
	})
	m := byID(res)
	acct := m["arn:aws:iam::123456789012:root"]
	if acct == nil || acct.Type != "AWS::IAM::Account" || acct.Account != "123456789012" {
		t.Fatalf("account: %v", res.Resources)
	}
	if v, _ := acct.Get("SummaryMap.AccountMFAEnabled"); v != float64(0) {
		t.Errorf("summary: %v", acct.Properties)
	}
	if v, _ := acct.Get("Root.mfa_active"); v != false {
		t.Errorf("credential report root: %v", acct.Properties["Root"])
	}
	pp := m["arn:aws:iam::123456789012:account-password-policy"]
	if pp == nil || pp.Properties["Exists"] != false {
		t.Errorf("password policy: %v", pp)
	}
	if a := m["arn:aws:::123456789012"]; a == nil || a.Type != "AWS::::Account" {
		t.Errorf("account settings missing")
	} else if v, _ := a.Get("ec2.GetEbsEncryptionByDefault.EbsEncryptionByDefault"); v != false {
		t.Errorf("ebs: %v", a.Properties)
	}
	sg := m["arn:aws:ec2::123456789012:security-group/sg-1"]
	if sg == nil || sg.Tags["env"] != "dev" || sg.Name != "web" {
		t.Errorf("security group: %+v", sg)
	}
	if len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Err, "foo.Bar") {
		t.Errorf("want one error for the unmapped operation: %v", res.Errors)
	}
}

func TestRecordingOrder(t *testing.T) {
	res := record(t, map[string]string{
		"iam.ListUsers_1.json":                `{"status_code":200,"data":{"Users":[{"UserName":"a","Arn":"arn:aws:iam::1:user/a"},{"UserName":"b","Arn":"arn:aws:iam::1:user/b"}]}}`,
		"iam.GetUser_1.json":                  `{"status_code":200,"data":{"User":{"UserName":"b"}}}`,
		"iam.GetUser_2.json":                  `{"status_code":200,"data":{"User":{"UserName":"a"}}}`,
		"iam.ListMFADevices_1.json":           `{"status_code":200,"data":{"MFADevices":[]}}`,
		"iam.ListMFADevices_2.json":           `{"status_code":200,"data":{"MFADevices":[{"UserName":"a"}]}}`,
		"iam.ListAttachedUserPolicies_1.json": `{"status_code":200,"data":{"AttachedPolicies":[{"PolicyName":"x"}]}}`,
		"iam.ListAttachedUserPolicies_2.json": `{"status_code":200,"data":{"AttachedPolicies":[]}}`,
		"iam.GetPolicyVersion_1.json":         `{"status_code":200,"data":{}}`,
	})
	m := byID(res)
	b := m["arn:aws:iam::1:user/b"]
	// GetUser revealed the call order b, a: the unkeyed MFA call 1 belongs to b.
	if v, ok := b.Get("ListMFADevices.MFADevices"); !ok || len(v.([]any)) != 0 {
		t.Errorf("b mfa: %v", b.Properties)
	}
	if v, _ := b.Get("ListAttachedUserPolicies.AttachedPolicies.0.PolicyName"); v != "x" {
		t.Errorf("b policies: %v", b.Properties)
	}
	if len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Err, "no AWS::IAM::Policy") {
		t.Errorf("errors: %v", res.Errors)
	}
}

func TestRecordingBadFiles(t *testing.T) {
	res := record(t, map[string]string{
		"notes.txt":                  "x",
		"s3.ListBuckets_1.json":      `{"status_code":200,"data":[]}`,
		"ec2.DescribeVpcs_1.json":    `{bad`,
		"ec2.DescribeVolumes_1.json": `{"status_code":200,"data":{"Volumes":[{"Size":1}, 7]}}`,
	})
	if len(res.Resources) != 0 || len(res.Errors) != 5 {
		t.Fatalf("want 5 errors and nothing else: %d %v", len(res.Resources), res.Errors)
	}
	for _, e := range res.Errors {
		if !strings.HasPrefix(e.Source, "rec/") {
			t.Errorf("error does not name its file: %v", e)
		}
	}
}
