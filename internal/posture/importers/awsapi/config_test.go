package awsapi

import (
	"strings"
	"testing"
)

func TestParseConfig(t *testing.T) {
	snapshot := `{"fileVersion":"1.0","configurationItems":[
	 {"resourceType":"AWS::S3::Bucket","resourceId":"b1","resourceName":"b1","ARN":"arn:aws:s3:::b1","awsRegion":"us-east-1","awsAccountId":"111122223333",
	  "configuration":{"name":"b1"},"supplementaryConfiguration":{"PublicAccessBlockConfiguration":"{\"blockPublicAcls\":true}"},"tags":{"env":"prod"}},
	 {"resourceType":"AWS::EC2::SecurityGroup","resourceId":"sg-1","configuration":"{\"groupId\":\"sg-1\"}"},
	 {"resourceId":"x"},
	 {"resourceType":"AWS::S3::Bucket","resourceId":"b1","ARN":"arn:aws:s3:::b1"},
	 {"resourceType":"AWS::EC2::Instance","resourceId":"i-1","configuration":"not json"}]}`
	res := ParseConfig([]byte(snapshot), "snap.json")
	if len(res.Resources) != 2 || len(res.Errors) != 3 {
		t.Fatalf("got %d resources, errors %v", len(res.Resources), res.Errors)
	}
	b := res.Resources[0]
	if b.ID != "arn:aws:s3:::b1" || b.Type != "AWS::S3::Bucket" || b.Account != "111122223333" || b.Region != "us-east-1" || b.Tags["env"] != "prod" {
		t.Errorf("bucket %+v", b)
	}
	if v, _ := b.Get("supplementaryConfiguration.PublicAccessBlockConfiguration.blockPublicAcls"); v != true {
		t.Errorf("supplementary: %v", b.Properties)
	}
	sg := res.Resources[1]
	if sg.ID != "AWS::EC2::SecurityGroup/sg-1" || sg.Properties["groupId"] != "sg-1" {
		t.Errorf("sg %+v", sg)
	}
	for _, e := range res.Errors {
		if !strings.HasPrefix(e.Source, "snap.json") {
			t.Errorf("error does not name the file: %v", e)
		}
	}
	arr := ParseConfig([]byte(`[{"resourceType":"AWS::IAM::User","resourceId":"AID","arn":"arn:aws:iam::1:user/u","accountId":"1","configuration":"{}"}]`), "a")
	if len(arr.Resources) != 1 || arr.Resources[0].Account != "1" {
		t.Errorf("API-style items: %+v %v", arr.Resources, arr.Errors)
	}
	if bad := ParseConfig([]byte(`{"x":`), "bad"); len(bad.Errors) != 1 || !strings.HasPrefix(bad.Errors[0].Source, "bad:") {
		t.Errorf("syntax error: %v", bad.Errors)
	}
}
