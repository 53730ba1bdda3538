package aws

import (
	"context"
	"strings"
	"testing"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

// testConfig points every SDK client at the recorded-response server.
func testConfig(url string) sdkaws.Config {
	return sdkaws.Config{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		BaseEndpoint:     sdkaws.String(url),
		RetryMaxAttempts: 1,
	}
}

func collectRecorded(t *testing.T) (inventory.Result, *recorded) {
	t.Helper()
	rec, srv := newRecorded(t, "testdata")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res := Collect(ctx, testConfig(srv.URL), Options{Regions: []string{"us-east-1", "eu-west-1"}, S3PathStyle: true})
	return res, rec
}

func byID(res inventory.Result) map[string]*inventory.Resource {
	m := map[string]*inventory.Resource{}
	for _, r := range res.Resources {
		m[r.ID] = r
	}
	return m
}

func get(t *testing.T, r *inventory.Resource, path string) any {
	t.Helper()
	v, ok := r.Get(path)
	if !ok {
		t.Errorf("%s: no %s in %v", r.ID, path, r.Properties)
	}
	return v
}

func TestCollectTypesAndIDs(t *testing.T) {
	res, _ := collectRecorded(t)
	want := map[string]string{
		"arn:aws:s3:::corp-logs":                                                      "AWS::S3::Bucket",
		"arn:aws:s3:::public-site":                                                    "AWS::S3::Bucket",
		"arn:aws:s3:::legacy-archive":                                                 "AWS::S3::Bucket",
		"arn:aws:iam::123456789012:root":                                              "AWS::IAM::Account",
		"arn:aws:iam::123456789012:account-password-policy":                           "AWS::IAM::AccountPasswordPolicy",
		"arn:aws:iam::123456789012:user/alice":                                        "AWS::IAM::User",
		"arn:aws:iam::123456789012:user/bob":                                          "AWS::IAM::User",
		"arn:aws:iam::123456789012:user/automation/ci-bot":                            "AWS::IAM::User",
		"arn:aws:ec2:us-east-1:123456789012:instance/i-0aaa1111bbbb2222c":             "AWS::EC2::Instance",
		"arn:aws:ec2:us-east-1:123456789012:instance/i-0ddd3333eeee4444f":             "AWS::EC2::Instance",
		"arn:aws:ec2:us-east-1:123456789012:security-group/sg-0web0000000000001":      "AWS::EC2::SecurityGroup",
		"arn:aws:ec2:us-east-1:123456789012:security-group/sg-0default00000001":       "AWS::EC2::SecurityGroup",
		"arn:aws:ec2:us-east-1:123456789012:volume/vol-0aaaa1111bbbb2222":             "AWS::EC2::Volume",
		"arn:aws:ec2:us-east-1:123456789012:vpc/vpc-0123456789abcdef0":                "AWS::EC2::VPC",
		"arn:aws:ec2:us-east-1:123456789012:vpc-flow-log/fl-0123456789abcdef0":        "AWS::EC2::FlowLog",
		"arn:aws:rds:us-east-1:123456789012:db:orders-db":                             "AWS::RDS::DBInstance",
		"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab": "AWS::KMS::Key",
		"arn:aws:kms:us-east-1:123456789012:key/0987dcba-09fe-87dc-65ba-ab0987654321": "AWS::KMS::Key",
		"arn:aws:cloudtrail:us-east-1:123456789012:trail/org-trail":                   "AWS::CloudTrail::Trail",
		"arn:aws:cloudtrail:eu-west-1:123456789012:trail/eu-audit":                    "AWS::CloudTrail::Trail",
	}
	got := byID(res)
	for id, typ := range want {
		r := got[id]
		if r == nil {
			t.Errorf("missing %s", id)
			continue
		}
		if r.Type != typ || r.Provider != inventory.AWS || r.Format != "aws" || r.Account != "123456789012" {
			t.Errorf("%s: type %q provider %q format %q account %q", id, r.Type, r.Provider, r.Format, r.Account)
		}
	}
	for id := range got {
		if _, ok := want[id]; !ok {
			t.Errorf("unexpected resource %s", id)
		}
	}
	t.Logf("%d resources, %d errors", len(res.Resources), len(res.Errors))
}

func TestCollectS3BucketLayout(t *testing.T) {
	got := byID(mustResult(t))
	logs := got["arn:aws:s3:::corp-logs"]
	if logs.Name != "corp-logs" || logs.Region != "us-east-1" || logs.Tags["team"] != "security" {
		t.Errorf("corp-logs: name %q region %q tags %v", logs.Name, logs.Region, logs.Tags)
	}
	if v := get(t, logs, "GetBucketEncryption.ServerSideEncryptionConfiguration.Rules.0.ApplyServerSideEncryptionByDefault.SSEAlgorithm"); v != "aws:kms" {
		t.Errorf("corp-logs encryption = %v", v)
	}
	if v := get(t, logs, "GetBucketPolicy.Policy.Statement.0.Condition.Bool.aws:SecureTransport"); v != "false" {
		t.Errorf("corp-logs policy not decoded: %v", v)
	}
	if v := get(t, logs, "GetPublicAccessBlock.PublicAccessBlockConfiguration.RestrictPublicBuckets"); v != true {
		t.Errorf("corp-logs public access block = %v", v)
	}
	if v := get(t, logs, "GetBucketVersioning.Status"); v != "Enabled" {
		t.Errorf("corp-logs versioning = %v", v)
	}
	if v := get(t, logs, "CreationDate"); v != "2020-01-01T00:00:00Z" {
		t.Errorf("corp-logs CreationDate = %v", v)
	}

	site := got["arn:aws:s3:::public-site"]
	if site.Region != "eu-west-1" {
		t.Errorf("public-site region %q", site.Region)
	}
	// A missing setting is stored as botocore's error, as the importer keeps it.
	if v := get(t, site, "GetBucketEncryption.Error.Code"); v != "ServerSideEncryptionConfigurationNotFoundError" {
		t.Errorf("public-site encryption error = %v", v)
	}
	if v := get(t, site, "GetBucketEncryption.Error.BucketName"); v != "public-site" {
		t.Errorf("public-site error BucketName = %v", v)
	}
	if v := get(t, site, "GetBucketEncryption.StatusCode"); v != 404.0 {
		t.Errorf("public-site error status = %v", v)
	}
	if v := get(t, site, "GetPublicAccessBlock.Error.Code"); v != "NoSuchPublicAccessBlockConfiguration" {
		t.Errorf("public-site PAB = %v", v)
	}
	if v := get(t, site, "GetBucketPolicyStatus.PolicyStatus.IsPublic"); v != true {
		t.Errorf("public-site IsPublic = %v", v)
	}
	if v := get(t, site, "GetBucketLogging.LoggingEnabled.TargetBucket"); v != "corp-logs" {
		t.Errorf("public-site logging = %v", v)
	}

	legacy := got["arn:aws:s3:::legacy-archive"]
	if legacy.Region != "eu-west-1" {
		t.Errorf("legacy-archive region from GetBucketLocation EU = %q", legacy.Region)
	}
	if _, ok := legacy.Get("GetBucketLocation"); !ok {
		t.Errorf("legacy-archive: GetBucketLocation not stored")
	}
}

func TestCollectIAM(t *testing.T) {
	got := byID(mustResult(t))
	acct := got["arn:aws:iam::123456789012:root"]
	if v := get(t, acct, "SummaryMap.AccountMFAEnabled"); v != 1.0 {
		t.Errorf("SummaryMap.AccountMFAEnabled = %v", v)
	}
	if v, ok := acct.Properties["PasswordPolicy"]; !ok || v != nil {
		t.Errorf("PasswordPolicy = %v, %v; want present and null", v, ok)
	}
	if v := get(t, acct, "Root.mfa_active"); v != true {
		t.Errorf("Root.mfa_active = %v", v)
	}
	if v := get(t, acct, "CredentialReport.3.user"); v != "ci-bot" {
		t.Errorf("credential report row 3 = %v", v)
	}
	if v := get(t, acct, "Root.password_enabled"); v != nil {
		t.Errorf("not_supported should be null, got %v", v)
	}
	if v := get(t, acct, "VirtualMFADevices.0.User.Arn"); v != "arn:aws:iam::123456789012:root" {
		t.Errorf("virtual MFA = %v", v)
	}
	pp := got["arn:aws:iam::123456789012:account-password-policy"]
	if pp.Properties["Exists"] != false || pp.Name != "password-policy" {
		t.Errorf("password policy: %v", pp.Properties)
	}

	alice := got["arn:aws:iam::123456789012:user/alice"]
	if v := get(t, alice, "ListMFADevices.MFADevices.0.SerialNumber"); v != "arn:aws:iam::123456789012:mfa/alice" {
		t.Errorf("alice MFA = %v", v)
	}
	bob := got["arn:aws:iam::123456789012:user/bob"]
	if l, _ := bob.Get("ListMFADevices.MFADevices"); l == nil || len(l.([]any)) != 0 {
		t.Errorf("bob MFADevices = %v; want an empty list", l)
	}
	if v := get(t, bob, "ListAttachedUserPolicies.AttachedPolicies.0.PolicyName"); v != "AdministratorAccess" {
		t.Errorf("bob policies = %v", v)
	}
	bot := got["arn:aws:iam::123456789012:user/automation/ci-bot"]
	if v := get(t, bot, "GetLoginProfile.Error.Code"); v != "NoSuchEntity" {
		t.Errorf("ci-bot login profile = %v", v)
	}
	if v := get(t, bot, "ListAccessKeys.AccessKeyMetadata.0.Status"); v != "Active" {
		t.Errorf("ci-bot keys = %v", v)
	}
	if bot.Name != "ci-bot" || bot.Region != "" {
		t.Errorf("ci-bot name %q region %q", bot.Name, bot.Region)
	}
}

func TestCollectRegionalServices(t *testing.T) {
	res, rec := collectRecorded(t)
	got := byID(res)
	web := got["arn:aws:ec2:us-east-1:123456789012:instance/i-0aaa1111bbbb2222c"]
	if web.Name != "i-0aaa1111bbbb2222c" || web.Region != "us-east-1" || web.Tags["Name"] != "web-1" {
		t.Errorf("instance: name %q region %q tags %v", web.Name, web.Region, web.Tags)
	}
	if v := get(t, web, "MetadataOptions.HttpTokens"); v != "optional" {
		t.Errorf("HttpTokens = %v", v)
	}
	if v := get(t, web, "PublicIpAddress"); v != "203.0.113.10" {
		t.Errorf("PublicIpAddress = %v", v)
	}
	sg := got["arn:aws:ec2:us-east-1:123456789012:security-group/sg-0web0000000000001"]
	if sg.Name != "web" {
		t.Errorf("security group name %q", sg.Name)
	}
	if v := get(t, sg, "IpPermissions.0.IpRanges.0.CidrIp"); v != "0.0.0.0/0" {
		t.Errorf("ingress = %v", v)
	}
	if v := get(t, sg, "IpPermissions.0.FromPort"); v != 22.0 {
		t.Errorf("FromPort = %v", v)
	}
	db := got["arn:aws:rds:us-east-1:123456789012:db:orders-db"]
	if db.Name != "orders-db" || db.Tags["app"] != "orders" || db.Properties["StorageEncrypted"] != false || db.Properties["PubliclyAccessible"] != true {
		t.Errorf("db: %s %v %v", db.Name, db.Tags, db.Properties)
	}
	key := got["arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"]
	if v := get(t, key, "GetKeyRotationStatus.KeyRotationEnabled"); v != false {
		t.Errorf("rotation = %v", v)
	}
	if v := get(t, key, "DescribeKey.KeyMetadata.KeyManager"); v != "CUSTOMER" {
		t.Errorf("KeyManager = %v", v)
	}
	if v := get(t, key, "GetKeyPolicy.Policy.Statement.0.Action"); v != "kms:*" {
		t.Errorf("key policy = %v", v)
	}
	if v := get(t, key, "Aliases.0.AliasName"); v != "alias/corp-logs" {
		t.Errorf("aliases = %v", v)
	}
	awsKey := got["arn:aws:kms:us-east-1:123456789012:key/0987dcba-09fe-87dc-65ba-ab0987654321"]
	if v := get(t, awsKey, "GetKeyPolicy.Error.Code"); v != "AccessDeniedException" {
		t.Errorf("denied key policy = %v", v)
	}
	trail := got["arn:aws:cloudtrail:us-east-1:123456789012:trail/org-trail"]
	if trail.Region != "us-east-1" || trail.Properties["KmsKeyId"] == nil {
		t.Errorf("org-trail must come from its home region: %q %v", trail.Region, trail.Properties)
	}
	if v := get(t, trail, "GetTrailStatus.IsLogging"); v != true {
		t.Errorf("IsLogging = %v", v)
	}
	if v := get(t, trail, "GetEventSelectors.EventSelectors.0.ReadWriteType"); v != "All" {
		t.Errorf("selectors = %v", v)
	}
	eu := got["arn:aws:cloudtrail:eu-west-1:123456789012:trail/eu-audit"]
	if eu.Region != "eu-west-1" || eu.Properties["GetTrailStatus"].(map[string]any)["IsLogging"] != false {
		t.Errorf("eu-audit: %q %v", eu.Region, eu.Properties["GetTrailStatus"])
	}

	// Every page was fetched.
	seen := strings.Join(rec.requests(), "\n")
	for _, want := range []string{"ec2 us-east-1 DescribeInstances_i2", "iam us-east-1 ListUsers_page2", "s3 us-east-1 ListBuckets_b2", "kms us-east-1 ListKeys_k2", "s3 eu-west-1 GetBucketAcl-public-site"} {
		if !strings.Contains(seen, want) {
			t.Errorf("no request %q in\n%s", want, seen)
		}
	}
}

func TestCollectErrorsAreRecordedAndTheRestContinues(t *testing.T) {
	res, _ := collectRecorded(t)
	want := map[string]string{
		"aws:eu-west-1:rds.DescribeDBInstances": "AccessDenied",
		"aws:eu-west-1:s3.GetBucketAcl":         "public-site: AccessDenied",
		"aws:us-east-1:kms.GetKeyPolicy":        "AccessDeniedException",
	}
	for _, e := range res.Errors {
		if sub, ok := want[e.Source]; ok && strings.Contains(e.Err, sub) {
			delete(want, e.Source)
			continue
		}
		t.Errorf("unexpected error %s", e.Error())
	}
	for src, sub := range want {
		t.Errorf("no error %s containing %q", src, sub)
	}
}

func mustResult(t *testing.T) inventory.Result {
	res, _ := collectRecorded(t)
	if len(res.Resources) == 0 {
		t.Fatalf("no resources: %v", res.Errors)
	}
	return res
}

func TestCollectDeadline(t *testing.T) {
	_, srv := newRecorded(t, "testdata")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res := Collect(ctx, testConfig(srv.URL), Options{S3PathStyle: true})
	if len(res.Resources) != 0 {
		t.Errorf("a cancelled run collected %d resources", len(res.Resources))
	}
	found := false
	for _, e := range res.Errors {
		found = found || strings.Contains(e.Err, "collection stopped")
	}
	if !found {
		t.Errorf("no 'collection stopped' error in %v", res.Errors)
	}
}
