package cloudformation

import (
	"reflect"
	"strings"
	"testing"

	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

const template = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Env:
    Type: String
    Default: prod
  Subnets:
    Type: CommaDelimitedList
    Default: "a, b"
  Ami:
    Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
    Default: /aws/service/ami
  NoDefault:
    Type: String
Mappings:
  Sizes:
    prod: {Instance: m5.large}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  Unknown: !Equals [!Ref NoDefault, x]
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: false
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "${AWS::AccountId}-${Env}-data"
      Plain: !Sub "${Env}-${AWS::Partition}-${!Literal}"
      Joined: !Join ["-", [a, !Ref Env, 3]]
      Picked: !Select [1, !Ref Subnets]
      Split: !Split [",", "x,y"]
      Size: !FindInMap [Sizes, !Ref Env, Instance]
      Versioning: !If [IsProd, {Status: Enabled}, !Ref AWS::NoValue]
      DevOnly: !If [IsDev, yes, !Ref AWS::NoValue]
      Maybe: !If [Unknown, a, b]
      Image: !Ref Ami
      Arn: !GetAtt Key.Arn
      Encoded: !Base64 {"Fn::Sub": "echo ${Env}"}
      Version: 2012-10-17
      Count: 3
      Tags:
        - Key: Name
          Value: !Sub "${Env}-bucket"
        - Key: Team
          Value: sec
  Policy:
    Type: AWS::S3::BucketPolicy
    DependsOn: Key
    Properties:
      Bucket: !Ref Bucket
      Doc: !Sub "arn:aws:s3:::${Bucket}/*"
  DevThing:
    Type: AWS::SNS::Topic
    Condition: IsDev
  Broken:
    Properties: {}
  NotMap: 3
`

func byID(r inventory.Result) map[string]*inventory.Resource {
	out := map[string]*inventory.Resource{}
	for _, x := range r.Resources {
		out[x.ID] = x
	}
	return out
}

func hasLink(r *inventory.Resource, kind, target string) bool {
	for _, l := range r.Links {
		if l.Kind == kind && l.Target == target {
			return true
		}
	}
	return false
}

func TestResolve(t *testing.T) {
	res := ImportTemplate([]byte(template), "t.yaml")
	m := byID(res)
	if len(m) != 3 {
		t.Fatalf("want Key, Bucket, Policy; got %v", m)
	}
	b := m["t.yaml:Bucket"]
	want := map[string]any{
		"BucketName": map[string]any{"Fn::Sub": "${AWS::AccountId}-prod-data"},
		"Plain":      "prod-aws-${Literal}",
		"Joined":     "a-prod-3",
		"Picked":     "b",
		"Split":      []any{"x", "y"},
		"Size":       "m5.large",
		"Versioning": map[string]any{"Status": "Enabled"},
		"Maybe":      map[string]any{"Fn::If": []any{"Unknown", "a", "b"}},
		"Image":      map[string]any{"Ref": "Ami"},
		"Arn":        map[string]any{"Fn::GetAtt": []any{"Key", "Arn"}},
		"Encoded":    map[string]any{"Fn::Base64": "echo prod"},
		"Version":    "2012-10-17",
		"Count":      3.0,
	}
	for k, w := range want {
		if got := b.Properties[k]; !reflect.DeepEqual(got, w) {
			t.Errorf("%s = %#v, want %#v", k, got, w)
		}
	}
	if _, ok := b.Properties["DevOnly"]; ok {
		t.Errorf("AWS::NoValue branch should remove the property")
	}
	if b.Tags["Name"] != "prod-bucket" || b.Tags["Team"] != "sec" || b.Source != "t.yaml:26" ||
		b.Provider != "aws" || b.Type != "AWS::S3::Bucket" || b.Name != "Bucket" || b.Format != "cloudformation" {
		t.Errorf("header %+v", b)
	}
	if !hasLink(b, "references", "t.yaml:Key") {
		t.Errorf("GetAtt link missing: %v", b.Links)
	}
	p := m["t.yaml:Policy"]
	if !hasLink(p, "references", "t.yaml:Bucket") || !hasLink(p, "dependsOn", "t.yaml:Key") {
		t.Errorf("policy links %v", p.Links)
	}
	if p.Properties["Bucket"].(map[string]any)["Ref"] != "Bucket" {
		t.Errorf("Ref to a resource should stay: %v", p.Properties["Bucket"])
	}
	var errs []string
	for _, e := range res.Errors {
		errs = append(errs, e.Error())
	}
	all := strings.Join(errs, "\n")
	if len(res.Errors) != 2 || !strings.Contains(all, "t.yaml:57: resource Broken: missing Type") || !strings.Contains(all, "NotMap") {
		t.Errorf("errors:\n%s", all)
	}
}

func TestJSONTemplate(t *testing.T) {
	doc := `{"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"KmsMasterKeyId": {"Ref": "AWS::NoValue"},
	"Name": {"Fn::Join": ["", ["q-", {"Ref": "AWS::URLSuffix"}]]}, "Tags": [{"Key": "a", "Value": 1}]}}}}`
	res := ImportTemplate([]byte(doc), "q.json")
	q := byID(res)["q.json:Q"]
	if q == nil || q.Properties["Name"] != "q-amazonaws.com" || q.Tags["a"] != "1" {
		t.Fatalf("%+v %v", q, res.Errors)
	}
	if _, ok := q.Properties["KmsMasterKeyId"]; ok {
		t.Errorf("NoValue kept")
	}
}

func TestNotTemplate(t *testing.T) {
	for _, doc := range []string{"a: [", "- 1\n- 2\n", "kind: Deployment\n", "Resources: 3\n"} {
		res := ImportTemplate([]byte(doc), "x.yaml")
		if len(res.Errors) != 1 || !strings.HasPrefix(res.Errors[0].Source, "x.yaml") {
			t.Errorf("%q: errors %v", doc, res.Errors)
		}
	}
}

func TestAliasBomb(t *testing.T) {
	doc := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	prev := "a"
	for i := 0; i < 12; i++ {
		name := string(rune('b' + i))
		doc += name + ": &" + name + " [*" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n"
		prev = name
	}
	doc += "Resources: {}\n"
	res := ImportTemplate([]byte(doc), "bomb.yaml")
	if len(res.Errors) != 1 {
		t.Fatalf("want one error, got %v", res.Errors)
	}
}
