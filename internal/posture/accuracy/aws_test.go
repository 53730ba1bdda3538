package accuracy

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/rampart-soc/rampart/internal/posture/importers/cloudformation"
	"github.com/rampart-soc/rampart/internal/posture/importers/terraform"
	"github.com/rampart-soc/rampart/internal/posture/inventory"
	"github.com/rampart-soc/rampart/internal/posture/policy"
	"github.com/rampart-soc/rampart/internal/testutil"
)

// Figures reached on the AWS goat sets; a change that lowers a passed count (or raises the
// false positives) fails the harness.
const (
	awsTerragoatMinRecall    = 133 // of 137 Checkov findings
	awsTerragoatMinPrecision = 123
	awsTerragoatMaxFalsePos  = 4
	awsCfngoatMinRecall      = 64 // of 64
	awsCfngoatMinPrecision   = 46
	awsCfngoatMaxFalsePos    = 0
	awsScenariosMinPassed    = 462 // healthy and unhealthy sides, Terraform and CloudFormation
)

// awsGroundTruth is a goat set's ground_truth.checkov.json.
type awsGroundTruth struct {
	Findings []struct {
		CheckID  string `json:"checkId"`
		File     string `json:"file"`
		Resource string `json:"resource"`
	} `json:"findings"`
}

// awsGoat describes how one set is imported and how its ground-truth resource names map to
// inventory ids.
type awsGoat struct {
	cloud, set string
	load       func(dir string) inventory.Result
	// key turns a ground-truth finding into the id our importer gives that resource.
	key func(file, resource string) string
	// keyOf turns one of our resource ids into the same key (dropping instance keys).
	keyOf                           func(id string) string
	minRecall, minPrecision, maxFal int
}

var awsGoats = []awsGoat{
	{
		cloud: "aws", set: "terragoat-aws",
		load: terraform.ImportDir,
		key:  func(_, resource string) string { return resource },
		keyOf: func(id string) string {
			if i := strings.IndexByte(id, '['); i >= 0 {
				return id[:i]
			}
			return id
		},
		minRecall: awsTerragoatMinRecall, minPrecision: awsTerragoatMinPrecision, maxFal: awsTerragoatMaxFalsePos,
	},
	{
		cloud: "aws", set: "cfngoat",
		load: cloudformation.ImportDir,
		key: func(file, resource string) string {
			return file + ":" + resource[strings.LastIndexByte(resource, '.')+1:]
		},
		keyOf:     func(id string) string { return id },
		minRecall: awsCfngoatMinRecall, minPrecision: awsCfngoatMinPrecision, maxFal: awsCfngoatMaxFalsePos,
	},
}

// TestAWSGoatAccuracy imports TerraGoat (AWS) and CfnGoat, assesses them with the built-in
// policies and compares with Checkov's ground truth through the policies' equivalents.
//
// Recall: a ground-truth finding (check, resource) passes when one of our Unhealthy findings
// on that resource belongs to a policy listing the check among its equivalents.
// Precision: an Unhealthy finding whose policy maps to checks the ground truth uses passes
// when the ground truth lists one of those checks on that resource; policies with no check
// in the ground truth are not judged (the goats do not say whether they should fire).
func TestAWSGoatAccuracy(t *testing.T) {
	ps, err := policy.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range awsGoats {
		t.Run(g.set, func(t *testing.T) {
			dir := testutil.Shared(t, "corpus", "posture", "inventories", g.cloud, g.set)
			var truth awsGroundTruth
			data, err := os.ReadFile(filepath.Join(dir, "ground_truth.checkov.json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(data, &truth); err != nil {
				t.Fatal(err)
			}
			res := g.load(filepath.Join(dir, "iac"))
			for _, e := range res.Errors {
				t.Errorf("import: %v", e)
			}
			findings := ps.Assess(res.Resources)

			// key -> Checkov ids our Unhealthy findings there stand for.
			fired := map[string]map[string]bool{}
			var unhealthy []policy.Finding
			for _, f := range findings {
				if f.Provider != inventory.AWS {
					continue
				}
				if f.State == policy.Error {
					t.Errorf("%s on %s: evaluation error: %s", f.PolicyID, f.ResourceID, f.Error)
				}
				if f.State != policy.Unhealthy {
					continue
				}
				unhealthy = append(unhealthy, f)
				k := g.keyOf(f.ResourceID)
				if fired[k] == nil {
					fired[k] = map[string]bool{}
				}
				for _, e := range ps.Policy(f.PolicyID).Equivalents {
					fired[k][strings.ToUpper(e)] = true
				}
			}

			listed := map[string]bool{} // key|CHECK in the ground truth
			checks := map[string]bool{} // every check the ground truth uses
			passed, failed := 0, 0
			var missed []string
			for _, gt := range truth.Findings {
				k, c := g.key(gt.File, gt.Resource), strings.ToUpper(gt.CheckID)
				listed[k+"|"+c], checks[c] = true, true
				if fired[k][c] {
					passed++
					continue
				}
				failed++
				missed = append(missed, gt.CheckID+" "+gt.File+" "+gt.Resource)
			}
			sort.Strings(missed)
			for _, m := range missed {
				t.Logf("missed: %s", m)
			}

			tp, fp := 0, 0
			var extra []string
			for _, f := range unhealthy {
				judged, ok := false, false
				for _, e := range ps.Policy(f.PolicyID).Equivalents {
					c := strings.ToUpper(e)
					if !checks[c] {
						continue
					}
					judged = true
					if listed[g.keyOf(f.ResourceID)+"|"+c] {
						ok = true
					}
				}
				switch {
				case !judged:
				case ok:
					tp++
				default:
					fp++
					extra = append(extra, f.PolicyID+" "+f.ResourceID)
				}
			}
			sort.Strings(extra)
			for _, x := range extra {
				t.Logf("not in ground truth: %s", x)
			}
			fmt.Printf("posture recall %s: %d passed, %d failed\n", g.set, passed, failed)
			fmt.Printf("posture precision %s: %d passed, %d failed\n", g.set, tp, fp)
			if passed < g.minRecall {
				t.Errorf("recall dropped: %d passed, want ≥ %d", passed, g.minRecall)
			}
			if tp < g.minPrecision || fp > g.maxFal {
				t.Errorf("precision changed: %d passed, %d failed; want ≥ %d passed, ≤ %d failed", tp, fp, g.minPrecision, g.maxFal)
			}
		})
	}
}

// awsScenario is a hand-written healthy and unhealthy resource (or small group of linked
// resources) for one policy, as Terraform and as CloudFormation resources; empty where the
// format has no such resource type.
type awsScenario struct{ policy, tfGood, tfBad, cfnGood, cfnBad string }

// TestAWSPolicyScenarios runs every AWS policy over its hand-labelled scenarios: on the
// healthy side all its findings must be Healthy (or NotApplicable) with at least one Healthy;
// on the unhealthy side at least one must be Unhealthy. No finding may be an evaluation error.
func TestAWSPolicyScenarios(t *testing.T) {
	ps, err := policy.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	passed, failed := 0, 0
	for _, sc := range awsScenarios {
		seen[sc.policy] = true
		if ps.Policy(sc.policy) == nil {
			t.Errorf("%s: no such policy", sc.policy)
			continue
		}
		for _, c := range []struct {
			name, src string
			healthy   bool
		}{{"terraform healthy", sc.tfGood, true}, {"terraform unhealthy", sc.tfBad, false},
			{"cloudformation healthy", sc.cfnGood, true}, {"cloudformation unhealthy", sc.cfnBad, false}} {
			if c.src == "" {
				continue
			}
			var res inventory.Result
			if strings.HasPrefix(c.name, "terraform") {
				res = terraform.ImportSources(map[string][]byte{"main.tf": []byte(c.src)})
			} else {
				res = cloudformation.ImportTemplate([]byte("Resources:\n"+c.src+"\n"), "t.yaml")
			}
			if len(res.Errors) > 0 {
				t.Errorf("%s %s: import: %v", sc.policy, c.name, res.Errors)
				failed++
				continue
			}
			counts := map[string]int{}
			for _, f := range ps.Assess(res.Resources) {
				if f.PolicyID != sc.policy {
					continue
				}
				counts[f.State]++
				if f.State == policy.Error {
					t.Errorf("%s %s: %s: %s", sc.policy, c.name, f.ResourceID, f.Error)
				}
			}
			ok := counts[policy.Error] == 0
			if c.healthy {
				ok = ok && counts[policy.Healthy] > 0 && counts[policy.Unhealthy] == 0
			} else {
				ok = ok && counts[policy.Unhealthy] > 0
			}
			if ok {
				passed++
			} else {
				failed++
				t.Errorf("%s %s: findings %v", sc.policy, c.name, counts)
			}
		}
	}
	// Every AWS policy written for infrastructure as code (it has Terraform rules) needs one.
	for _, p := range ps.Policies {
		if p.Provider == inventory.AWS && !seen[p.ID] && hasTerraformRule(p) {
			t.Errorf("%s has no scenario", p.ID)
		}
	}
	fmt.Printf("posture scenarios aws: %d passed, %d failed\n", passed, failed)
	if passed < awsScenariosMinPassed {
		t.Errorf("scenarios dropped: %d passed, want ≥ %d", passed, awsScenariosMinPassed)
	}
}

func hasTerraformRule(p *policy.Policy) bool {
	for _, r := range p.Rules {
		for _, typ := range r.Types {
			if strings.HasPrefix(typ, "aws_") {
				return true
			}
		}
	}
	return false
}

var awsScenarios = []awsScenario{
	{"RP-AWS-001",
		`resource "aws_s3_bucket" "b" { bucket = "x" }
resource "aws_s3_bucket_server_side_encryption_configuration" "e" {
  bucket = aws_s3_bucket.b.id
  rule {
    apply_server_side_encryption_by_default { sse_algorithm = "AES256" }
  }
}`,
		`resource "aws_s3_bucket" "b" { bucket = "x" }`,
		`  B: {Type: "AWS::S3::Bucket", Properties: {BucketEncryption: {ServerSideEncryptionConfiguration: [{ServerSideEncryptionByDefault: {SSEAlgorithm: AES256}}]}}}`,
		`  B: {Type: "AWS::S3::Bucket"}`},
	{"RP-AWS-002",
		`resource "aws_s3_bucket" "b" {
  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default { sse_algorithm = "aws:kms" }
    }
  }
}`,
		`resource "aws_s3_bucket" "b" {
  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default { sse_algorithm = "AES256" }
    }
  }
}`,
		`  B: {Type: "AWS::S3::Bucket", Properties: {BucketEncryption: {ServerSideEncryptionConfiguration: [{ServerSideEncryptionByDefault: {SSEAlgorithm: "aws:kms"}}]}}}`,
		`  B: {Type: "AWS::S3::Bucket", Properties: {BucketEncryption: {ServerSideEncryptionConfiguration: [{ServerSideEncryptionByDefault: {SSEAlgorithm: AES256}}]}}}`},
	{"RP-AWS-003",
		`resource "aws_s3_bucket" "b" { bucket = "x" }
resource "aws_s3_bucket_versioning" "v" {
  bucket = aws_s3_bucket.b.id
  versioning_configuration { status = "Enabled" }
}`,
		`resource "aws_s3_bucket" "b" {
  versioning { enabled = false }
}`,
		`  B: {Type: "AWS::S3::Bucket", Properties: {VersioningConfiguration: {Status: Enabled}}}`,
		`  B: {Type: "AWS::S3::Bucket", Properties: {VersioningConfiguration: {Status: Suspended}}}`},
	{"RP-AWS-004",
		`resource "aws_s3_bucket" "b" { bucket = "x" }
resource "aws_s3_bucket_logging" "l" {
  bucket        = aws_s3_bucket.b.id
  target_bucket = "logs"
  target_prefix = "x/"
}`,
		`resource "aws_s3_bucket" "b" { bucket = "x" }`,
		`  B: {Type: "AWS::S3::Bucket", Properties: {LoggingConfiguration: {DestinationBucketName: logs}}}`,
		`  B: {Type: "AWS::S3::Bucket"}`},
	{"RP-AWS-005",
		`resource "aws_s3_bucket" "b" { bucket = "x" }
resource "aws_s3_bucket_public_access_block" "p" {
  bucket                  = aws_s3_bucket.b.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}`,
		`resource "aws_s3_bucket" "b" { bucket = "x" }
resource "aws_s3_bucket_public_access_block" "p" {
  bucket                  = aws_s3_bucket.b.id
  block_public_acls       = true
  block_public_policy     = false
  ignore_public_acls      = true
  restrict_public_buckets = true
}`,
		`  B: {Type: "AWS::S3::Bucket", Properties: {PublicAccessBlockConfiguration: {BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true}}}`,
		`  B: {Type: "AWS::S3::Bucket", Properties: {PublicAccessBlockConfiguration: {BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true}}}`},
	{"RP-AWS-006",
		`resource "aws_s3_bucket" "b" { acl = "private" }`,
		`resource "aws_s3_bucket" "b" { acl = "public-read" }`,
		`  B: {Type: "AWS::S3::Bucket", Properties: {AccessControl: Private}}`,
		`  B: {Type: "AWS::S3::Bucket", Properties: {AccessControl: PublicReadWrite}}`},
	{"RP-AWS-007",
		`resource "aws_s3_bucket" "b" { bucket = "x" }
resource "aws_s3_bucket_replication_configuration" "r" {
  bucket = aws_s3_bucket.b.id
  role   = "arn:aws:iam::111122223333:role/r"
}`,
		`resource "aws_s3_bucket" "b" { bucket = "x" }`,
		`  B: {Type: "AWS::S3::Bucket", Properties: {ReplicationConfiguration: {Role: r, Rules: []}}}`,
		`  B: {Type: "AWS::S3::Bucket"}`},
	{"RP-AWS-008",
		`resource "aws_s3_bucket" "b" { bucket = "x" }
resource "aws_s3_bucket_policy" "p" {
  bucket = aws_s3_bucket.b.id
  policy = jsonencode({ Statement = [{ Effect = "Deny", Action = "s3:*", Principal = "*", Resource = "*", Condition = { Bool = { "aws:SecureTransport" = "false" } } }] })
}`,
		`resource "aws_s3_bucket" "b" { bucket = "x" }`,
		`  B: {Type: "AWS::S3::Bucket"}
  P: {Type: "AWS::S3::BucketPolicy", Properties: {Bucket: !Ref B, PolicyDocument: {Statement: [{Effect: Deny, Action: "s3:*", Principal: "*", Resource: "*", Condition: {Bool: {"aws:SecureTransport": false}}}]}}}`,
		`  B: {Type: "AWS::S3::Bucket"}`},
	{"RP-AWS-009",
		`resource "aws_s3_object" "o" { kms_key_id = "arn:aws:kms:eu-west-1:111122223333:key/k" }`,
		`resource "aws_s3_object" "o" { key = "a" }`,
		"",
		""},
	{"RP-AWS-010",
		`resource "aws_ebs_volume" "v" { encrypted = true }`,
		`resource "aws_ebs_volume" "v" { encrypted = false }`,
		`  V: {Type: "AWS::EC2::Volume", Properties: {Encrypted: true}}`,
		`  V: {Type: "AWS::EC2::Volume", Properties: {Size: 1}}`},
	{"RP-AWS-011",
		`resource "aws_ebs_volume" "v" { kms_key_id = "arn:aws:kms:eu-west-1:111122223333:key/k" }`,
		`resource "aws_ebs_volume" "v" { encrypted = true }`,
		`  V: {Type: "AWS::EC2::Volume", Properties: {KmsKeyId: !Ref K}}
  K: {Type: "AWS::KMS::Key"}`,
		`  V: {Type: "AWS::EC2::Volume", Properties: {Encrypted: true}}`},
	{"RP-AWS-012",
		`resource "aws_instance" "i" {
  root_block_device { encrypted = true }
  ebs_block_device {
    device_name = "/dev/sdb"
    encrypted   = true
  }
}`,
		`resource "aws_instance" "i" {
  root_block_device { encrypted = true }
  ebs_block_device { device_name = "/dev/sdb" }
}`,
		`  I: {Type: "AWS::EC2::Instance", Properties: {BlockDeviceMappings: [{DeviceName: /dev/xvda, Ebs: {Encrypted: true}}]}}`,
		`  I: {Type: "AWS::EC2::Instance", Properties: {ImageId: ami-1}}`},
	{"RP-AWS-013",
		`resource "aws_instance" "i" {
  metadata_options { http_tokens = "required" }
}`,
		`resource "aws_instance" "i" {
  metadata_options { http_tokens = "optional" }
}`,
		`  LT: {Type: "AWS::EC2::LaunchTemplate", Properties: {LaunchTemplateData: {MetadataOptions: {HttpTokens: required}}}}
  I: {Type: "AWS::EC2::Instance", Properties: {LaunchTemplate: {LaunchTemplateId: !Ref LT, Version: "1"}}}`,
		`  I: {Type: "AWS::EC2::Instance", Properties: {ImageId: ami-1}}`},
	{"RP-AWS-014",
		`resource "aws_instance" "i" { monitoring = true }`,
		`resource "aws_instance" "i" { ami = "ami-1" }`,
		`  I: {Type: "AWS::EC2::Instance", Properties: {Monitoring: true}}`,
		`  I: {Type: "AWS::EC2::Instance", Properties: {Monitoring: false}}`},
	{"RP-AWS-015",
		`resource "aws_instance" "i" { ebs_optimized = true }`,
		`resource "aws_instance" "i" { ami = "ami-1" }`,
		`  I: {Type: "AWS::EC2::Instance", Properties: {EbsOptimized: true}}`,
		`  I: {Type: "AWS::EC2::Instance", Properties: {ImageId: ami-1}}`},
	{"RP-AWS-016",
		`resource "aws_instance" "i" { user_data = "#!/bin/sh\necho hello" }`,
		`resource "aws_instance" "i" { user_data = "#!/bin/sh\nexport AWS_ACCESS_KEY_ID=AKIAABCDEFGHIJKLMNOP" }`,
		`  I: {Type: "AWS::EC2::Instance", Properties: {UserData: !Base64 "echo hello"}}`,
		`  I: {Type: "AWS::EC2::Instance", Properties: {UserData: !Base64 {"Fn::Sub": "aws_secret_access_key = ${AWS::Region}abc"}}}`},
	{"RP-AWS-017",
		`resource "aws_instance" "i" { associate_public_ip_address = false }`,
		`resource "aws_instance" "i" { associate_public_ip_address = true }`,
		`  I: {Type: "AWS::EC2::Instance", Properties: {NetworkInterfaces: [{DeviceIndex: "0", AssociatePublicIpAddress: false}]}}`,
		`  I: {Type: "AWS::EC2::Instance", Properties: {NetworkInterfaces: [{DeviceIndex: "0", AssociatePublicIpAddress: true}]}}`},
	{"RP-AWS-018",
		`resource "aws_ebs_encryption_by_default" "e" { enabled = true }`,
		`resource "aws_ebs_encryption_by_default" "e" { enabled = false }`,
		"",
		""},
	{"RP-AWS-019",
		`resource "aws_security_group" "s" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
}`,
		`resource "aws_security_group_rule" "r" {
  type              = "ingress"
  from_port         = 0
  to_port           = 1024
  protocol          = "tcp"
  cidr_blocks       = ["10.0.0.0/8", "0.0.0.0/0"]
  security_group_id = "sg-1"
}`,
		`  S: {Type: "AWS::EC2::SecurityGroup", Properties: {GroupDescription: d, SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 10.0.0.0/8}]}}`,
		`  S: {Type: "AWS::EC2::SecurityGroup", Properties: {GroupDescription: d, SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}]}}`},
	{"RP-AWS-020",
		`resource "aws_security_group" "s" {
  ingress {
    from_port        = 443
    to_port          = 443
    protocol         = "tcp"
    ipv6_cidr_blocks = ["::/0"]
  }
}`,
		`resource "aws_security_group" "s" {
  ingress {
    from_port        = 3000
    to_port          = 4000
    protocol         = "tcp"
    ipv6_cidr_blocks = ["::/0"]
  }
}`,
		`  R: {Type: "AWS::EC2::SecurityGroupIngress", Properties: {GroupId: sg-1, IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}}`,
		`  R: {Type: "AWS::EC2::SecurityGroupIngress", Properties: {GroupId: sg-1, IpProtocol: -1, CidrIp: 0.0.0.0/0}}`},
	{"RP-AWS-021",
		`resource "aws_vpc_security_group_ingress_rule" "r" {
  cidr_ipv4   = "0.0.0.0/0"
  from_port   = 443
  to_port     = 443
  ip_protocol = "tcp"
}`,
		`resource "aws_vpc_security_group_ingress_rule" "r" {
  cidr_ipv4   = "0.0.0.0/0"
  from_port   = 80
  to_port     = 80
  ip_protocol = "tcp"
}`,
		`  S: {Type: "AWS::EC2::SecurityGroup", Properties: {GroupDescription: d, SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}]}}`,
		`  S: {Type: "AWS::EC2::SecurityGroup", Properties: {GroupDescription: d, SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIp: 0.0.0.0/0}]}}`},
	{"RP-AWS-022",
		`resource "aws_security_group" "s" {
  ingress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["10.0.0.0/8"]
  }
}`,
		`resource "aws_security_group" "s" {
  ingress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}`,
		`  S: {Type: "AWS::EC2::SecurityGroup", Properties: {GroupDescription: d, SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}]}}`,
		`  S: {Type: "AWS::EC2::SecurityGroup", Properties: {GroupDescription: d, SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 0, ToPort: 65535, CidrIp: 0.0.0.0/0}]}}`},
	{"RP-AWS-023",
		`resource "aws_security_group" "s" {
  ingress {
    from_port   = 3306
    to_port     = 3306
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }
}`,
		`resource "aws_security_group" "s" {
  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}`,
		`  S: {Type: "AWS::EC2::SecurityGroup", Properties: {GroupDescription: d, SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}]}}`,
		`  S: {Type: "AWS::EC2::SecurityGroup", Properties: {GroupDescription: d, SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 6379, ToPort: 6379, CidrIpv6: "::/0"}]}}`},
	{"RP-AWS-024",
		`resource "aws_security_group" "s" {
  description = "web"
  ingress {
    description = "https"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}`,
		`resource "aws_security_group" "s" {
  description = "web"
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}`,
		`  S: {Type: "AWS::EC2::SecurityGroup", Properties: {GroupDescription: d, SecurityGroupIngress: [{Description: https, IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}]}}`,
		`  S: {Type: "AWS::EC2::SecurityGroup", Properties: {GroupDescription: d, SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}]}}`},
	{"RP-AWS-025",
		`resource "aws_vpc" "v" { cidr_block = "10.0.0.0/16" }
resource "aws_default_security_group" "d" { vpc_id = aws_vpc.v.id }`,
		`resource "aws_vpc" "v" { cidr_block = "10.0.0.0/16" }`,
		`  V: {Type: "AWS::EC2::VPC", Properties: {CidrBlock: 10.0.0.0/16}}`,
		`  V: {Type: "AWS::EC2::VPC", Properties: {CidrBlock: 10.0.0.0/16}}
  R: {Type: "AWS::EC2::SecurityGroupIngress", Properties: {GroupId: !GetAtt V.DefaultSecurityGroup, IpProtocol: -1, CidrIp: 0.0.0.0/0}}`},
	{"RP-AWS-026",
		`resource "aws_vpc" "v" { cidr_block = "10.0.0.0/16" }
resource "aws_flow_log" "f" {
  vpc_id       = aws_vpc.v.id
  traffic_type = "ALL"
}`,
		`resource "aws_vpc" "v" { cidr_block = "10.0.0.0/16" }`,
		`  V: {Type: "AWS::EC2::VPC", Properties: {CidrBlock: 10.0.0.0/16}}
  F: {Type: "AWS::EC2::FlowLog", Properties: {ResourceId: !Ref V, ResourceType: VPC, TrafficType: ALL}}`,
		`  V: {Type: "AWS::EC2::VPC", Properties: {CidrBlock: 10.0.0.0/16}}`},
	{"RP-AWS-027",
		`resource "aws_subnet" "s" { map_public_ip_on_launch = false }`,
		`resource "aws_subnet" "s" { map_public_ip_on_launch = true }`,
		`  S: {Type: "AWS::EC2::Subnet", Properties: {CidrBlock: 10.0.0.0/24}}`,
		`  S: {Type: "AWS::EC2::Subnet", Properties: {MapPublicIpOnLaunch: true}}`},
	{"RP-AWS-028",
		`resource "aws_network_acl" "n" {
  ingress {
    protocol   = "tcp"
    rule_no    = 100
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 443
    to_port    = 443
  }
}`,
		`resource "aws_network_acl_rule" "r" {
  network_acl_id = "acl-1"
  rule_number    = 100
  egress         = false
  protocol       = "-1"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
}`,
		`  E: {Type: "AWS::EC2::NetworkAclEntry", Properties: {NetworkAclId: acl-1, RuleNumber: 100, Protocol: 6, RuleAction: allow, Egress: false, CidrBlock: 10.0.0.0/8, PortRange: {From: 22, To: 22}}}`,
		`  E: {Type: "AWS::EC2::NetworkAclEntry", Properties: {NetworkAclId: acl-1, RuleNumber: 100, Protocol: 6, RuleAction: allow, Egress: false, CidrBlock: 0.0.0.0/0, PortRange: {From: 3389, To: 3389}}}`},
	{"RP-AWS-029",
		`resource "aws_iam_policy" "p" {
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::b/*" }] })
}`,
		`resource "aws_iam_role" "r" {
  inline_policy {
    name   = "all"
    policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }] })
  }
}`,
		`  P: {Type: "AWS::IAM::ManagedPolicy", Properties: {PolicyDocument: {Statement: [{Effect: Allow, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*"}]}}}`,
		`  R: {Type: "AWS::IAM::Role", Properties: {Policies: [{PolicyName: all, PolicyDocument: {Statement: {Effect: Allow, Action: ["*"], Resource: "*"}}}]}}`},
	{"RP-AWS-030",
		`resource "aws_iam_role_policy" "p" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = ["s3:PutObject"], Resource = "arn:aws:s3:::b/*" }] })
}`,
		`resource "aws_iam_role_policy" "p" {
  policy = <<EOT
{"Statement": [{"Effect": "Allow", "Action": ["s3:ListBucket", "s3:PutObject"], "Resource": "*"}]}
EOT
}`,
		`  P: {Type: "AWS::IAM::Policy", Properties: {PolicyName: p, PolicyDocument: {Statement: [{Effect: Allow, Action: "ec2:StartInstances", Resource: "*", Condition: {StringEquals: {"aws:ResourceTag/team": web}}}]}}}`,
		`  P: {Type: "AWS::IAM::Policy", Properties: {PolicyName: p, PolicyDocument: {Statement: [{Effect: Allow, Action: "ec2:StartInstances", Resource: "*"}]}}}`},
	{"RP-AWS-031",
		`resource "aws_iam_policy" "p" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "iam:ListRoles", Resource = "*" }] })
}`,
		`resource "aws_iam_policy" "p" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "iam:AttachRolePolicy", Resource = "*" }] })
}`,
		`  P: {Type: "AWS::IAM::ManagedPolicy", Properties: {PolicyDocument: {Statement: [{Effect: Allow, Action: "s3:PutBucketPolicy", Resource: "arn:aws:s3:::b"}]}}}`,
		`  P: {Type: "AWS::IAM::ManagedPolicy", Properties: {PolicyDocument: {Statement: [{Effect: Allow, Action: "s3:PutBucketPolicy", Resource: "*"}]}}}`},
	{"RP-AWS-032",
		`resource "aws_iam_policy" "p" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:ListBucket", Resource = "*" }] })
}`,
		`resource "aws_iam_policy" "p" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "secretsmanager:GetSecretValue", Resource = "*" }] })
}`,
		`  P: {Type: "AWS::IAM::ManagedPolicy", Properties: {PolicyDocument: {Statement: [{Effect: Deny, Action: "s3:*", Resource: "*"}]}}}`,
		`  P: {Type: "AWS::IAM::ManagedPolicy", Properties: {PolicyDocument: {Statement: [{Effect: Allow, Action: "ssm:GetParameters", Resource: "*"}]}}}`},
	{"RP-AWS-033",
		`resource "aws_iam_policy" "p" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "iam:ListUsers", Resource = "*" }] })
}`,
		`resource "aws_iam_policy" "p" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "iam:CreateAccessKey", Resource = "*" }] })
}`,
		`  P: {Type: "AWS::IAM::ManagedPolicy", Properties: {PolicyDocument: {Statement: [{Effect: Allow, Action: "ec2:DescribeInstances", Resource: "*"}]}}}`,
		`  P: {Type: "AWS::IAM::ManagedPolicy", Properties: {PolicyDocument: {Statement: [{Effect: Allow, Action: "ec2:GetPasswordData", Resource: "*"}]}}}`},
	{"RP-AWS-034",
		`resource "aws_iam_policy" "p" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "ec2:DescribeInstances", Resource = "*" }] })
}`,
		`resource "aws_iam_policy" "p" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "iam:PassRole", Resource = "*" }] })
}`,
		`  P: {Type: "AWS::IAM::ManagedPolicy", Properties: {PolicyDocument: {Statement: [{Effect: Allow, Action: "lambda:InvokeFunction", Resource: "*"}]}}}`,
		`  P: {Type: "AWS::IAM::ManagedPolicy", Properties: {PolicyDocument: {Statement: [{Effect: Allow, Action: "lambda:*", Resource: "*"}]}}}`},
	{"RP-AWS-035",
		`resource "aws_iam_policy_attachment" "a" {
  name       = "a"
  groups     = ["admins"]
  policy_arn = "arn:aws:iam::111122223333:policy/p"
}`,
		`resource "aws_iam_user_policy" "p" {
  user   = "alice"
  policy = "{}"
}`,
		`  P: {Type: "AWS::IAM::Policy", Properties: {PolicyName: p, Groups: [admins], PolicyDocument: {Statement: []}}}`,
		`  U: {Type: "AWS::IAM::User", Properties: {ManagedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"]}}`},
	{"RP-AWS-036",
		`resource "aws_iam_role" "r" {
  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }] })
}`,
		`resource "aws_iam_role" "r" {
  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "*" } }] })
}`,
		`  R: {Type: "AWS::IAM::Role", Properties: {AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Action: "sts:AssumeRole", Principal: {AWS: "*"}, Condition: {StringEquals: {"aws:PrincipalOrgID": o-1}}}]}}}`,
		`  R: {Type: "AWS::IAM::Role", Properties: {AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Action: "sts:AssumeRole", Principal: "*"}]}}}`},
	{"RP-AWS-037",
		`resource "aws_iam_account_password_policy" "p" { minimum_password_length = 16 }`,
		`resource "aws_iam_account_password_policy" "p" { minimum_password_length = 8 }`,
		"",
		""},
	{"RP-AWS-038",
		`resource "aws_iam_account_password_policy" "p" { password_reuse_prevention = 24 }`,
		`resource "aws_iam_account_password_policy" "p" { password_reuse_prevention = 5 }`,
		"",
		""},
	{"RP-AWS-039",
		`resource "aws_iam_account_password_policy" "p" {
  require_symbols              = true
  require_numbers              = true
  require_uppercase_characters = true
  require_lowercase_characters = true
}`,
		`resource "aws_iam_account_password_policy" "p" {
  require_symbols = true
  require_numbers = true
}`,
		"",
		""},
	{"RP-AWS-040",
		`resource "aws_iam_role_policy_attachment" "a" { policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess" }`,
		`resource "aws_iam_role_policy_attachment" "a" { policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess" }`,
		`  R: {Type: "AWS::IAM::Role", Properties: {ManagedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"]}}`,
		`  G: {Type: "AWS::IAM::Group", Properties: {ManagedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"]}}`},
	{"RP-AWS-041",
		`resource "aws_kms_key" "k" { enable_key_rotation = true }`,
		`resource "aws_kms_key" "k" { description = "k" }`,
		`  K: {Type: "AWS::KMS::Key", Properties: {EnableKeyRotation: true}}`,
		`  K: {Type: "AWS::KMS::Key", Properties: {EnableKeyRotation: false}}`},
	{"RP-AWS-042",
		`resource "aws_kms_key" "k" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "kms:*", Resource = "*", Principal = { AWS = "arn:aws:iam::111122223333:root" } }] })
}`,
		`resource "aws_kms_key" "k" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "kms:Decrypt", Resource = "*", Principal = { AWS = "*" } }] })
}`,
		`  K: {Type: "AWS::KMS::Key", Properties: {KeyPolicy: {Statement: [{Effect: Allow, Action: "kms:*", Resource: "*", Principal: {AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root"}}]}}}`,
		`  K: {Type: "AWS::KMS::Key", Properties: {KeyPolicy: {Statement: [{Effect: Allow, Action: "kms:Decrypt", Resource: "*", Principal: "*"}]}}}`},
	{"RP-AWS-043",
		`resource "aws_cloudtrail" "t" { enable_log_file_validation = true }`,
		`resource "aws_cloudtrail" "t" { s3_bucket_name = "b" }`,
		`  T: {Type: "AWS::CloudTrail::Trail", Properties: {EnableLogFileValidation: true}}`,
		`  T: {Type: "AWS::CloudTrail::Trail", Properties: {S3BucketName: b}}`},
	{"RP-AWS-044",
		`resource "aws_cloudtrail" "t" { kms_key_id = "arn:aws:kms:eu-west-1:111122223333:key/k" }`,
		`resource "aws_cloudtrail" "t" { s3_bucket_name = "b" }`,
		`  T: {Type: "AWS::CloudTrail::Trail", Properties: {KMSKeyId: alias/trail}}`,
		`  T: {Type: "AWS::CloudTrail::Trail", Properties: {S3BucketName: b}}`},
	{"RP-AWS-045",
		`resource "aws_cloudtrail" "t" { is_multi_region_trail = true }`,
		`resource "aws_cloudtrail" "t" { is_multi_region_trail = false }`,
		`  T: {Type: "AWS::CloudTrail::Trail", Properties: {IsMultiRegionTrail: true}}`,
		`  T: {Type: "AWS::CloudTrail::Trail", Properties: {S3BucketName: b}}`},
	{"RP-AWS-046",
		`resource "aws_cloudtrail" "t" { cloud_watch_logs_group_arn = "arn:aws:logs:eu-west-1:111122223333:log-group:t:*" }`,
		`resource "aws_cloudtrail" "t" { s3_bucket_name = "b" }`,
		`  T: {Type: "AWS::CloudTrail::Trail", Properties: {CloudWatchLogsLogGroupArn: !GetAtt L.Arn}}
  L: {Type: "AWS::Logs::LogGroup"}`,
		`  T: {Type: "AWS::CloudTrail::Trail", Properties: {S3BucketName: b}}`},
	{"RP-AWS-047",
		`resource "aws_cloudwatch_log_group" "l" { kms_key_id = "arn:aws:kms:eu-west-1:111122223333:key/k" }`,
		`resource "aws_cloudwatch_log_group" "l" { name = "l" }`,
		`  L: {Type: "AWS::Logs::LogGroup", Properties: {KmsKeyId: "arn:aws:kms:eu-west-1:111122223333:key/k"}}`,
		`  L: {Type: "AWS::Logs::LogGroup", Properties: {LogGroupName: l}}`},
	{"RP-AWS-048",
		`resource "aws_cloudwatch_log_group" "l" { retention_in_days = 400 }`,
		`resource "aws_cloudwatch_log_group" "l" { retention_in_days = 30 }`,
		`  L: {Type: "AWS::Logs::LogGroup", Properties: {LogGroupName: l}}`,
		`  L: {Type: "AWS::Logs::LogGroup", Properties: {RetentionInDays: 90}}`},
	{"RP-AWS-049",
		`resource "aws_lambda_function" "f" {
  environment {
    variables = { LOG_LEVEL = "info", DB_PASSWORD_ARN = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db" }
  }
}`,
		`resource "aws_lambda_function" "f" {
  environment {
    variables = { DB_PASSWORD = "hunter2" }
  }
}`,
		`  F: {Type: "AWS::Lambda::Function", Properties: {Environment: {Variables: {TOKEN: !Ref P, MODE: fast}}}}
  P: {Type: "AWS::SSM::Parameter"}`,
		`  F: {Type: "AWS::Lambda::Function", Properties: {Environment: {Variables: {KEY: AKIAABCDEFGHIJKLMNOP}}}}`},
	{"RP-AWS-050",
		`resource "aws_lambda_function" "f" {
  kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/k"
  environment {
    variables = { MODE = "fast" }
  }
}`,
		`resource "aws_lambda_function" "f" {
  environment {
    variables = { MODE = "fast" }
  }
}`,
		`  F: {Type: "AWS::Lambda::Function", Properties: {KmsKeyArn: !GetAtt K.Arn, Environment: {Variables: {MODE: fast}}}}
  K: {Type: "AWS::KMS::Key"}`,
		`  F: {Type: "AWS::Lambda::Function", Properties: {Environment: {Variables: {MODE: fast}}}}`},
	{"RP-AWS-051",
		`resource "aws_lambda_function" "f" {
  dead_letter_config { target_arn = "arn:aws:sqs:eu-west-1:111122223333:dlq" }
}`,
		`resource "aws_lambda_function" "f" { runtime = "python3.12" }`,
		`  F: {Type: "AWS::Lambda::Function", Properties: {DeadLetterConfig: {TargetArn: !GetAtt Q.Arn}}}
  Q: {Type: "AWS::SQS::Queue"}`,
		`  F: {Type: "AWS::Lambda::Function", Properties: {Runtime: python3.12}}`},
	{"RP-AWS-052",
		`resource "aws_lambda_function" "f" {
  vpc_config {
    subnet_ids         = ["subnet-1"]
    security_group_ids = ["sg-1"]
  }
}`,
		`resource "aws_lambda_function" "f" { runtime = "python3.12" }`,
		`  F: {Type: "AWS::Lambda::Function", Properties: {VpcConfig: {SubnetIds: [subnet-1], SecurityGroupIds: [sg-1]}}}`,
		`  F: {Type: "AWS::Lambda::Function", Properties: {Runtime: python3.12}}`},
	{"RP-AWS-053",
		`resource "aws_lambda_function" "f" {
  tracing_config { mode = "Active" }
}`,
		`resource "aws_lambda_function" "f" {
  tracing_config { mode = "PassThrough" }
}`,
		`  F: {Type: "AWS::Lambda::Function", Properties: {TracingConfig: {Mode: Active}}}`,
		`  F: {Type: "AWS::Lambda::Function", Properties: {Runtime: python3.12}}`},
	{"RP-AWS-054",
		`resource "aws_lambda_function" "f" { reserved_concurrent_executions = 10 }`,
		`resource "aws_lambda_function" "f" { runtime = "python3.12" }`,
		`  F: {Type: "AWS::Lambda::Function", Properties: {ReservedConcurrentExecutions: 5}}`,
		`  F: {Type: "AWS::Lambda::Function", Properties: {Runtime: python3.12}}`},
	{"RP-AWS-055",
		`resource "aws_lambda_function_url" "u" { authorization_type = "AWS_IAM" }`,
		`resource "aws_lambda_function_url" "u" { authorization_type = "NONE" }`,
		`  U: {Type: "AWS::Lambda::Url", Properties: {AuthType: AWS_IAM, TargetFunctionArn: f}}`,
		`  U: {Type: "AWS::Lambda::Url", Properties: {AuthType: NONE, TargetFunctionArn: f}}`},
	{"RP-AWS-056",
		`resource "aws_lambda_permission" "p" {
  principal  = "*"
  source_arn = "arn:aws:execute-api:eu-west-1:111122223333:api/*"
}`,
		`resource "aws_lambda_permission" "p" { principal = "*" }`,
		`  P: {Type: "AWS::Lambda::Permission", Properties: {Principal: s3.amazonaws.com, Action: "lambda:InvokeFunction", FunctionName: f}}`,
		`  P: {Type: "AWS::Lambda::Permission", Properties: {Principal: "*", Action: "lambda:InvokeFunction", FunctionName: f}}`},
	{"RP-AWS-057",
		`resource "aws_eks_cluster" "c" {
  encryption_config {
    resources = ["secrets"]
    provider { key_arn = "arn:aws:kms:eu-west-1:111122223333:key/k" }
  }
}`,
		`resource "aws_eks_cluster" "c" { name = "c" }`,
		`  C: {Type: "AWS::EKS::Cluster", Properties: {EncryptionConfig: [{Resources: [secrets], Provider: {KeyArn: k}}]}}`,
		`  C: {Type: "AWS::EKS::Cluster", Properties: {Name: c}}`},
	{"RP-AWS-058",
		`resource "aws_eks_cluster" "c" {
  vpc_config {
    endpoint_private_access = true
    endpoint_public_access  = false
  }
}`,
		`resource "aws_eks_cluster" "c" {
  vpc_config { endpoint_private_access = true }
}`,
		`  C: {Type: "AWS::EKS::Cluster", Properties: {ResourcesVpcConfig: {EndpointPublicAccess: false, EndpointPrivateAccess: true}}}`,
		`  C: {Type: "AWS::EKS::Cluster", Properties: {ResourcesVpcConfig: {EndpointPublicAccess: true}}}`},
	{"RP-AWS-059",
		`resource "aws_eks_cluster" "c" {
  vpc_config { public_access_cidrs = ["203.0.113.0/24"] }
}`,
		`resource "aws_eks_cluster" "c" {
  vpc_config { public_access_cidrs = ["0.0.0.0/0"] }
}`,
		`  C: {Type: "AWS::EKS::Cluster", Properties: {ResourcesVpcConfig: {PublicAccessCidrs: [203.0.113.0/24]}}}`,
		`  C: {Type: "AWS::EKS::Cluster", Properties: {ResourcesVpcConfig: {SubnetIds: [s-1]}}}`},
	{"RP-AWS-060",
		`resource "aws_eks_cluster" "c" { enabled_cluster_log_types = ["api", "audit", "authenticator", "controllerManager", "scheduler"] }`,
		`resource "aws_eks_cluster" "c" { enabled_cluster_log_types = ["api", "audit"] }`,
		`  C: {Type: "AWS::EKS::Cluster", Properties: {Logging: {ClusterLogging: {EnabledTypes: [{Type: api}, {Type: audit}, {Type: authenticator}, {Type: controllerManager}, {Type: scheduler}]}}}}`,
		`  C: {Type: "AWS::EKS::Cluster", Properties: {Logging: {ClusterLogging: {EnabledTypes: [{Type: api}]}}}}`},
	{"RP-AWS-061",
		`resource "aws_ecr_repository" "r" { image_tag_mutability = "IMMUTABLE" }`,
		`resource "aws_ecr_repository" "r" { image_tag_mutability = "MUTABLE" }`,
		`  R: {Type: "AWS::ECR::Repository", Properties: {ImageTagMutability: IMMUTABLE}}`,
		`  R: {Type: "AWS::ECR::Repository", Properties: {RepositoryName: r}}`},
	{"RP-AWS-062",
		`resource "aws_ecr_repository" "r" {
  image_scanning_configuration { scan_on_push = true }
}`,
		`resource "aws_ecr_repository" "r" { name = "r" }`,
		`  R: {Type: "AWS::ECR::Repository", Properties: {ImageScanningConfiguration: {ScanOnPush: true}}}`,
		`  R: {Type: "AWS::ECR::Repository", Properties: {ImageScanningConfiguration: {ScanOnPush: false}}}`},
	{"RP-AWS-063",
		`resource "aws_ecr_repository" "r" {
  encryption_configuration { encryption_type = "KMS" }
}`,
		`resource "aws_ecr_repository" "r" { name = "r" }`,
		`  R: {Type: "AWS::ECR::Repository", Properties: {EncryptionConfiguration: {EncryptionType: KMS}}}`,
		`  R: {Type: "AWS::ECR::Repository", Properties: {EncryptionConfiguration: {EncryptionType: AES256}}}`},
	{"RP-AWS-064",
		`resource "aws_db_instance" "d" { storage_encrypted = true }`,
		`resource "aws_db_instance" "d" { engine = "postgres" }`,
		`  D: {Type: "AWS::RDS::DBInstance", Properties: {StorageEncrypted: true}}`,
		`  D: {Type: "AWS::RDS::DBInstance", Properties: {Engine: MySQL}}`},
	{"RP-AWS-065",
		`resource "aws_rds_cluster" "c" { storage_encrypted = true }`,
		`resource "aws_rds_cluster" "c" { engine = "aurora-mysql" }`,
		`  C: {Type: "AWS::RDS::DBCluster", Properties: {StorageEncrypted: true}}`,
		`  C: {Type: "AWS::RDS::DBCluster", Properties: {Engine: aurora-mysql}}`},
	{"RP-AWS-066",
		`resource "aws_db_instance" "d" { publicly_accessible = false }`,
		`resource "aws_db_instance" "d" { publicly_accessible = true }`,
		`  D: {Type: "AWS::RDS::DBInstance", Properties: {Engine: mysql}}`,
		`  D: {Type: "AWS::RDS::DBInstance", Properties: {PubliclyAccessible: "true"}}`},
	{"RP-AWS-067",
		`resource "aws_db_instance" "d" { multi_az = true }`,
		`resource "aws_db_instance" "d" { engine = "mysql" }`,
		`  D: {Type: "AWS::RDS::DBInstance", Properties: {MultiAZ: true}}`,
		`  D: {Type: "AWS::RDS::DBInstance", Properties: {MultiAZ: false}}`},
	{"RP-AWS-068",
		`resource "aws_db_instance" "d" {
  engine                              = "mysql"
  iam_database_authentication_enabled = true
}`,
		`resource "aws_db_instance" "d" { engine = "postgres" }`,
		`  D: {Type: "AWS::RDS::DBInstance", Properties: {Engine: postgres, EnableIAMDatabaseAuthentication: true}}`,
		`  D: {Type: "AWS::RDS::DBInstance", Properties: {Engine: mariadb}}`},
	{"RP-AWS-069",
		`resource "aws_rds_cluster" "c" { iam_database_authentication_enabled = true }`,
		`resource "aws_rds_cluster" "c" { engine = "aurora-postgresql" }`,
		`  C: {Type: "AWS::RDS::DBCluster", Properties: {EnableIAMDatabaseAuthentication: true}}`,
		`  C: {Type: "AWS::RDS::DBCluster", Properties: {Engine: aurora-postgresql}}`},
	{"RP-AWS-070",
		`resource "aws_rds_cluster" "c" { deletion_protection = true }`,
		`resource "aws_rds_cluster" "c" { deletion_protection = false }`,
		`  C: {Type: "AWS::RDS::DBCluster", Properties: {DeletionProtection: true}}`,
		`  C: {Type: "AWS::RDS::DBCluster", Properties: {Engine: aurora-mysql}}`},
	{"RP-AWS-071",
		`resource "aws_db_instance" "d" { deletion_protection = true }`,
		`resource "aws_db_instance" "d" { engine = "mysql" }`,
		`  D: {Type: "AWS::RDS::DBInstance", Properties: {DeletionProtection: true}}`,
		`  D: {Type: "AWS::RDS::DBInstance", Properties: {Engine: mysql}}`},
	{"RP-AWS-072",
		`resource "aws_db_instance" "d" { monitoring_interval = 60 }`,
		`resource "aws_db_instance" "d" { monitoring_interval = 0 }`,
		`  D: {Type: "AWS::RDS::DBInstance", Properties: {MonitoringInterval: "30"}}`,
		`  D: {Type: "AWS::RDS::DBInstance", Properties: {Engine: mysql}}`},
	{"RP-AWS-073",
		`resource "aws_db_instance" "d" { enabled_cloudwatch_logs_exports = ["error", "slowquery"] }`,
		`resource "aws_db_instance" "d" { engine = "mysql" }`,
		`  D: {Type: "AWS::RDS::DBInstance", Properties: {EnableCloudwatchLogsExports: [postgresql]}}`,
		`  D: {Type: "AWS::RDS::DBInstance", Properties: {Engine: postgres}}`},
	{"RP-AWS-074",
		`resource "aws_rds_cluster" "c" { backup_retention_period = 7 }`,
		`resource "aws_db_instance" "d" { backup_retention_period = 0 }`,
		`  D: {Type: "AWS::RDS::DBInstance", Properties: {Engine: mysql}}`,
		`  C: {Type: "AWS::RDS::DBCluster", Properties: {BackupRetentionPeriod: 0}}`},
	{"RP-AWS-075",
		`resource "aws_db_instance" "d" { engine = "mysql" }`,
		`resource "aws_db_instance" "d" { auto_minor_version_upgrade = false }`,
		`  D: {Type: "AWS::RDS::DBInstance", Properties: {AutoMinorVersionUpgrade: true}}`,
		`  D: {Type: "AWS::RDS::DBInstance", Properties: {AutoMinorVersionUpgrade: false}}`},
	{"RP-AWS-076",
		`resource "aws_rds_cluster" "c" { cluster_identifier = "c" }
resource "aws_backup_selection" "s" {
  name      = "s"
  resources = [aws_rds_cluster.c.arn]
}`,
		`resource "aws_rds_cluster" "c" { cluster_identifier = "c" }`,
		`  C: {Type: "AWS::RDS::DBCluster", Properties: {Engine: aurora-mysql}}
  S: {Type: "AWS::Backup::BackupSelection", Properties: {BackupPlanId: p, BackupSelection: {SelectionName: s, IamRoleArn: r, Resources: [!GetAtt C.DBClusterArn]}}}`,
		`  C: {Type: "AWS::RDS::DBCluster", Properties: {Engine: aurora-mysql}}`},
	{"RP-AWS-077",
		`resource "aws_dynamodb_table" "t" {
  point_in_time_recovery { enabled = true }
}`,
		`resource "aws_dynamodb_table" "t" { name = "t" }`,
		`  T: {Type: "AWS::DynamoDB::Table", Properties: {PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}}}`,
		`  T: {Type: "AWS::DynamoDB::GlobalTable", Properties: {Replicas: [{Region: eu-west-1}]}}`},
	{"RP-AWS-078",
		`resource "aws_dynamodb_table" "t" {
  server_side_encryption {
    enabled     = true
    kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/k"
  }
}`,
		`resource "aws_dynamodb_table" "t" {
  server_side_encryption { enabled = true }
}`,
		`  T: {Type: "AWS::DynamoDB::Table", Properties: {SSESpecification: {SSEEnabled: true, SSEType: KMS, KMSMasterKeyId: k}}}`,
		`  T: {Type: "AWS::DynamoDB::Table", Properties: {TableName: t}}`},
	{"RP-AWS-079",
		`resource "aws_dax_cluster" "d" {
  server_side_encryption { enabled = true }
}`,
		`resource "aws_dax_cluster" "d" { cluster_name = "d" }`,
		`  D: {Type: "AWS::DAX::Cluster", Properties: {SSESpecification: {SSEEnabled: true}}}`,
		`  D: {Type: "AWS::DAX::Cluster", Properties: {ClusterName: d}}`},
	{"RP-AWS-080",
		`resource "aws_neptune_cluster" "n" { storage_encrypted = true }`,
		`resource "aws_neptune_cluster" "n" { storage_encrypted = false }`,
		`  N: {Type: "AWS::Neptune::DBCluster", Properties: {StorageEncrypted: true}}`,
		`  N: {Type: "AWS::Neptune::DBCluster", Properties: {DBClusterIdentifier: n}}`},
	{"RP-AWS-081",
		`resource "aws_neptune_cluster" "n" { enable_cloudwatch_logs_exports = ["audit"] }`,
		`resource "aws_neptune_cluster" "n" { enable_cloudwatch_logs_exports = ["slowquery"] }`,
		`  N: {Type: "AWS::Neptune::DBCluster", Properties: {EnableCloudwatchLogsExports: [audit]}}`,
		`  N: {Type: "AWS::Neptune::DBCluster", Properties: {DBClusterIdentifier: n}}`},
	{"RP-AWS-082",
		`resource "aws_neptune_cluster" "n" { iam_database_authentication_enabled = true }`,
		`resource "aws_neptune_cluster" "n" { cluster_identifier = "n" }`,
		`  N: {Type: "AWS::Neptune::DBCluster", Properties: {IamAuthEnabled: true}}`,
		`  N: {Type: "AWS::Neptune::DBCluster", Properties: {IamAuthEnabled: false}}`},
	{"RP-AWS-083",
		`resource "aws_docdb_cluster" "d" { storage_encrypted = true }`,
		`resource "aws_docdb_cluster" "d" { cluster_identifier = "d" }`,
		`  D: {Type: "AWS::DocDB::DBCluster", Properties: {StorageEncrypted: true}}`,
		`  D: {Type: "AWS::DocDB::DBCluster", Properties: {StorageEncrypted: false}}`},
	{"RP-AWS-084",
		`resource "aws_redshift_cluster" "r" { encrypted = true }`,
		`resource "aws_redshift_cluster" "r" { cluster_identifier = "r" }`,
		`  R: {Type: "AWS::Redshift::Cluster", Properties: {Encrypted: true}}`,
		`  R: {Type: "AWS::Redshift::Cluster", Properties: {Encrypted: false}}`},
	{"RP-AWS-085",
		`resource "aws_redshift_cluster" "r" { publicly_accessible = false }`,
		`resource "aws_redshift_cluster" "r" { publicly_accessible = true }`,
		`  R: {Type: "AWS::Redshift::Cluster", Properties: {PubliclyAccessible: false}}`,
		`  R: {Type: "AWS::Redshift::Cluster", Properties: {PubliclyAccessible: true}}`},
	{"RP-AWS-086",
		`resource "aws_redshift_cluster" "r" { cluster_identifier = "r" }
resource "aws_redshift_logging" "l" {
  cluster_identifier = aws_redshift_cluster.r.id
  log_destination_type = "cloudwatch"
}`,
		`resource "aws_redshift_cluster" "r" { cluster_identifier = "r" }`,
		`  R: {Type: "AWS::Redshift::Cluster", Properties: {LoggingProperties: {BucketName: logs}}}`,
		`  R: {Type: "AWS::Redshift::Cluster", Properties: {ClusterType: single-node}}`},
	{"RP-AWS-087",
		`resource "aws_opensearch_domain" "d" {
  encrypt_at_rest { enabled = true }
}`,
		`resource "aws_elasticsearch_domain" "d" { domain_name = "d" }`,
		`  D: {Type: "AWS::OpenSearchService::Domain", Properties: {EncryptionAtRestOptions: {Enabled: true}}}`,
		`  D: {Type: "AWS::Elasticsearch::Domain", Properties: {EncryptionAtRestOptions: {Enabled: false}}}`},
	{"RP-AWS-088",
		`resource "aws_opensearch_domain" "d" {
  encrypt_at_rest {
    enabled    = true
    kms_key_id = "arn:aws:kms:eu-west-1:111122223333:key/k"
  }
}`,
		`resource "aws_opensearch_domain" "d" {
  encrypt_at_rest { enabled = true }
}`,
		`  D: {Type: "AWS::OpenSearchService::Domain", Properties: {EncryptionAtRestOptions: {Enabled: true, KmsKeyId: k}}}`,
		`  D: {Type: "AWS::OpenSearchService::Domain", Properties: {EncryptionAtRestOptions: {Enabled: true}}}`},
	{"RP-AWS-089",
		`resource "aws_elasticsearch_domain" "d" {
  elasticsearch_version = "7.10"
  node_to_node_encryption { enabled = true }
}`,
		`resource "aws_elasticsearch_domain" "d" { elasticsearch_version = "7.10" }`,
		`  D: {Type: "AWS::OpenSearchService::Domain", Properties: {NodeToNodeEncryptionOptions: {Enabled: true}}}`,
		`  D: {Type: "AWS::Elasticsearch::Domain", Properties: {ElasticsearchVersion: "7.10"}}`},
	{"RP-AWS-090",
		`resource "aws_opensearch_domain" "d" {
  domain_endpoint_options { enforce_https = true }
}`,
		`resource "aws_opensearch_domain" "d" { domain_name = "d" }`,
		`  D: {Type: "AWS::OpenSearchService::Domain", Properties: {DomainEndpointOptions: {EnforceHTTPS: true}}}`,
		`  D: {Type: "AWS::OpenSearchService::Domain", Properties: {DomainEndpointOptions: {EnforceHTTPS: false}}}`},
	{"RP-AWS-091",
		`resource "aws_opensearch_domain" "d" {
  domain_endpoint_options { tls_security_policy = "Policy-Min-TLS-1-2-2019-07" }
}`,
		`resource "aws_opensearch_domain" "d" {
  domain_endpoint_options { tls_security_policy = "Policy-Min-TLS-1-0-2019-07" }
}`,
		`  D: {Type: "AWS::OpenSearchService::Domain", Properties: {DomainEndpointOptions: {TLSSecurityPolicy: Policy-Min-TLS-1-2-PFS-2023-10}}}`,
		`  D: {Type: "AWS::OpenSearchService::Domain", Properties: {DomainName: d}}`},
	{"RP-AWS-092",
		`resource "aws_opensearch_domain" "d" {
  log_publishing_options {
    log_type                 = "AUDIT_LOGS"
    cloudwatch_log_group_arn = "arn:aws:logs:eu-west-1:111122223333:log-group:d"
  }
}`,
		`resource "aws_opensearch_domain" "d" {
  log_publishing_options {
    log_type                 = "AUDIT_LOGS"
    cloudwatch_log_group_arn = "arn:aws:logs:eu-west-1:111122223333:log-group:d"
    enabled                  = false
  }
}`,
		`  D: {Type: "AWS::OpenSearchService::Domain", Properties: {LogPublishingOptions: {AUDIT_LOGS: {CloudWatchLogsLogGroupArn: a, Enabled: true}}}}`,
		`  D: {Type: "AWS::OpenSearchService::Domain", Properties: {LogPublishingOptions: {AUDIT_LOGS: {CloudWatchLogsLogGroupArn: a, Enabled: false}}}}`},
	{"RP-AWS-093",
		`resource "aws_opensearch_domain" "d" {
  vpc_options { subnet_ids = ["subnet-1"] }
}`,
		`resource "aws_opensearch_domain" "d" { domain_name = "d" }`,
		`  D: {Type: "AWS::OpenSearchService::Domain", Properties: {VPCOptions: {SubnetIds: [subnet-1]}}}`,
		`  D: {Type: "AWS::OpenSearchService::Domain", Properties: {DomainName: d}}`},
	{"RP-AWS-094",
		`resource "aws_opensearch_domain" "d" {
  vpc_options {
    subnet_ids         = ["subnet-1"]
    security_group_ids = ["sg-1"]
  }
}`,
		`resource "aws_opensearch_domain" "d" {
  vpc_options { subnet_ids = ["subnet-1"] }
}`,
		`  D: {Type: "AWS::OpenSearchService::Domain", Properties: {VPCOptions: {SubnetIds: [subnet-1], SecurityGroupIds: [sg-1]}}}`,
		`  D: {Type: "AWS::OpenSearchService::Domain", Properties: {VPCOptions: {SubnetIds: [subnet-1]}}}`},
	{"RP-AWS-095",
		`resource "aws_elb" "e" {
  access_logs { bucket = "logs" }
}`,
		`resource "aws_elb" "e" {
  access_logs {
    bucket  = "logs"
    enabled = false
  }
}`,
		`  E: {Type: "AWS::ElasticLoadBalancing::LoadBalancer", Properties: {AccessLoggingPolicy: {Enabled: true, S3BucketName: logs}}}`,
		`  E: {Type: "AWS::ElasticLoadBalancing::LoadBalancer", Properties: {Scheme: internal}}`},
	{"RP-AWS-096",
		`resource "aws_lb" "l" {
  access_logs {
    bucket  = "logs"
    enabled = true
  }
}`,
		`resource "aws_alb" "l" { name = "l" }`,
		`  L: {Type: "AWS::ElasticLoadBalancingV2::LoadBalancer", Properties: {LoadBalancerAttributes: [{Key: access_logs.s3.enabled, Value: "true"}]}}`,
		`  L: {Type: "AWS::ElasticLoadBalancingV2::LoadBalancer", Properties: {LoadBalancerAttributes: [{Key: access_logs.s3.enabled, Value: "false"}]}}`},
	{"RP-AWS-097",
		`resource "aws_elb" "e" {
  listener {
    instance_port      = 80
    instance_protocol  = "http"
    lb_port            = 443
    lb_protocol        = "https"
    ssl_certificate_id = "arn:aws:acm:eu-west-1:111122223333:certificate/c"
  }
}`,
		`resource "aws_elb" "e" {
  listener {
    instance_port     = 80
    instance_protocol = "http"
    lb_port           = 80
    lb_protocol       = "http"
  }
}`,
		`  E: {Type: "AWS::ElasticLoadBalancing::LoadBalancer", Properties: {Listeners: [{LoadBalancerPort: "443", InstancePort: "80", Protocol: HTTPS, SSLCertificateId: !Ref C}]}}
  C: {Type: "AWS::CertificateManager::Certificate"}`,
		`  E: {Type: "AWS::ElasticLoadBalancing::LoadBalancer", Properties: {Listeners: [{LoadBalancerPort: "80", InstancePort: "80", Protocol: HTTP}]}}`},
	{"RP-AWS-098",
		`resource "aws_lb_listener" "l" {
  protocol = "HTTP"
  default_action {
    type = "redirect"
    redirect {
      protocol    = "HTTPS"
      port        = "443"
      status_code = "HTTP_301"
    }
  }
}`,
		`resource "aws_lb_listener" "l" {
  protocol = "HTTP"
  default_action { type = "forward" }
}`,
		`  L: {Type: "AWS::ElasticLoadBalancingV2::Listener", Properties: {Protocol: HTTPS, Port: 443}}`,
		`  L: {Type: "AWS::ElasticLoadBalancingV2::Listener", Properties: {Protocol: HTTP, Port: 80, DefaultActions: [{Type: forward}]}}`},
	{"RP-AWS-099",
		`resource "aws_lb_listener" "l" {
  protocol   = "HTTPS"
  ssl_policy = "ELBSecurityPolicy-TLS13-1-2-2021-06"
}`,
		`resource "aws_lb_listener" "l" { protocol = "HTTPS" }`,
		`  L: {Type: "AWS::ElasticLoadBalancingV2::Listener", Properties: {Protocol: TLS, SslPolicy: ELBSecurityPolicy-TLS-1-2-Ext-2018-06}}`,
		`  L: {Type: "AWS::ElasticLoadBalancingV2::Listener", Properties: {Protocol: HTTPS, SslPolicy: ELBSecurityPolicy-2016-08}}`},
	{"RP-AWS-100",
		`resource "aws_lb" "l" { drop_invalid_header_fields = true }`,
		`resource "aws_lb" "l" { load_balancer_type = "application" }`,
		`  L: {Type: "AWS::ElasticLoadBalancingV2::LoadBalancer", Properties: {LoadBalancerAttributes: [{Key: routing.http.drop_invalid_header_fields.enabled, Value: "true"}]}}`,
		`  L: {Type: "AWS::ElasticLoadBalancingV2::LoadBalancer", Properties: {Type: application}}`},
	{"RP-AWS-101",
		`resource "aws_sqs_queue" "q" { sqs_managed_sse_enabled = true }`,
		`resource "aws_sqs_queue" "q" { name = "q" }`,
		`  Q: {Type: "AWS::SQS::Queue", Properties: {KmsMasterKeyId: alias/aws/sqs}}`,
		`  Q: {Type: "AWS::SQS::Queue", Properties: {QueueName: q}}`},
	{"RP-AWS-102",
		`resource "aws_sqs_queue_policy" "p" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sqs:SendMessage", Resource = "*", Principal = { Service = "sns.amazonaws.com" } }] })
}`,
		`resource "aws_sqs_queue_policy" "p" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sqs:*", Resource = "*", Principal = "*" }] })
}`,
		`  P: {Type: "AWS::SQS::QueuePolicy", Properties: {Queues: [q], PolicyDocument: {Statement: [{Effect: Allow, Action: "sqs:SendMessage", Resource: "*", Principal: "*", Condition: {ArnEquals: {"aws:SourceArn": t}}}]}}}`,
		`  P: {Type: "AWS::SQS::QueuePolicy", Properties: {Queues: [q], PolicyDocument: {Statement: [{Effect: Allow, Action: "sqs:SendMessage", Resource: "*", Principal: {AWS: "*"}}]}}}`},
	{"RP-AWS-103",
		`resource "aws_sns_topic" "t" { kms_master_key_id = "alias/aws/sns" }`,
		`resource "aws_sns_topic" "t" { name = "t" }`,
		`  T: {Type: "AWS::SNS::Topic", Properties: {KmsMasterKeyId: alias/aws/sns}}`,
		`  T: {Type: "AWS::SNS::Topic", Properties: {TopicName: t}}`},
	{"RP-AWS-104",
		`resource "aws_sns_topic_policy" "p" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sns:Publish", Resource = "*", Principal = { AWS = "arn:aws:iam::111122223333:root" } }] })
}`,
		`resource "aws_sns_topic" "t" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sns:Subscribe", Resource = "*", Principal = { AWS = ["*"] } }] })
}`,
		`  P: {Type: "AWS::SNS::TopicPolicy", Properties: {Topics: [t], PolicyDocument: {Statement: [{Effect: Allow, Action: "sns:Publish", Resource: "*", Principal: {Service: events.amazonaws.com}}]}}}`,
		`  P: {Type: "AWS::SNS::TopicPolicy", Properties: {Topics: [t], PolicyDocument: {Statement: [{Effect: Allow, Action: "sns:Publish", Resource: "*", Principal: "*"}]}}}`},
	{"RP-AWS-105",
		`resource "aws_ecr_repository_policy" "p" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "ecr:BatchGetImage", Principal = { AWS = "arn:aws:iam::111122223333:root" } }] })
}`,
		`resource "aws_ecr_repository_policy" "p" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "ecr:BatchGetImage", Principal = "*" }] })
}`,
		`  R: {Type: "AWS::ECR::Repository", Properties: {RepositoryName: r}}`,
		`  R: {Type: "AWS::ECR::Repository", Properties: {RepositoryPolicyText: {Statement: [{Effect: Allow, Action: "ecr:BatchGetImage", Principal: "*"}]}}}`},
	{"RP-AWS-106",
		`resource "aws_efs_file_system" "f" { encrypted = true }`,
		`resource "aws_efs_file_system" "f" { creation_token = "f" }`,
		`  F: {Type: "AWS::EFS::FileSystem", Properties: {Encrypted: true}}`,
		`  F: {Type: "AWS::EFS::FileSystem", Properties: {Encrypted: false}}`},
	{"RP-AWS-107",
		`resource "aws_elasticache_replication_group" "r" { at_rest_encryption_enabled = true }`,
		`resource "aws_elasticache_replication_group" "r" { description = "r" }`,
		`  R: {Type: "AWS::ElastiCache::ReplicationGroup", Properties: {AtRestEncryptionEnabled: true}}`,
		`  R: {Type: "AWS::ElastiCache::ReplicationGroup", Properties: {ReplicationGroupDescription: r}}`},
	{"RP-AWS-108",
		`resource "aws_elasticache_replication_group" "r" { transit_encryption_enabled = true }`,
		`resource "aws_elasticache_replication_group" "r" { transit_encryption_enabled = false }`,
		`  R: {Type: "AWS::ElastiCache::ReplicationGroup", Properties: {TransitEncryptionEnabled: true}}`,
		`  R: {Type: "AWS::ElastiCache::ReplicationGroup", Properties: {ReplicationGroupDescription: r}}`},
	{"RP-AWS-109",
		`resource "aws_kinesis_stream" "s" { encryption_type = "KMS" }`,
		`resource "aws_kinesis_stream" "s" { name = "s" }`,
		`  S: {Type: "AWS::Kinesis::Stream", Properties: {StreamEncryption: {EncryptionType: KMS, KeyId: alias/aws/kinesis}}}`,
		`  S: {Type: "AWS::Kinesis::Stream", Properties: {ShardCount: 1}}`},
	{"RP-AWS-110",
		`resource "aws_secretsmanager_secret" "s" { kms_key_id = "arn:aws:kms:eu-west-1:111122223333:key/k" }`,
		`resource "aws_secretsmanager_secret" "s" { name = "s" }`,
		`  S: {Type: "AWS::SecretsManager::Secret", Properties: {KmsKeyId: !Ref K}}
  K: {Type: "AWS::KMS::Key"}`,
		`  S: {Type: "AWS::SecretsManager::Secret", Properties: {Name: s}}`},
	{"RP-AWS-111",
		`resource "aws_secretsmanager_secret" "s" { name = "s" }
resource "aws_secretsmanager_secret_rotation" "r" {
  secret_id           = aws_secretsmanager_secret.s.id
  rotation_lambda_arn = "arn:aws:lambda:eu-west-1:111122223333:function:rotate"
}`,
		`resource "aws_secretsmanager_secret" "s" { name = "s" }`,
		`  S: {Type: "AWS::SecretsManager::Secret", Properties: {Name: s}}
  R: {Type: "AWS::SecretsManager::RotationSchedule", Properties: {SecretId: !Ref S, RotationRules: {AutomaticallyAfterDays: 30}}}`,
		`  S: {Type: "AWS::SecretsManager::Secret", Properties: {Name: s}}`},
	{"RP-AWS-112",
		`resource "aws_backup_vault" "v" { kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/k" }`,
		`resource "aws_backup_vault" "v" { name = "v" }`,
		`  V: {Type: "AWS::Backup::BackupVault", Properties: {BackupVaultName: v, EncryptionKeyArn: k}}`,
		`  V: {Type: "AWS::Backup::BackupVault", Properties: {BackupVaultName: v}}`},
	{"RP-AWS-113",
		`resource "aws_api_gateway_stage" "s" {
  access_log_settings {
    destination_arn = "arn:aws:logs:eu-west-1:111122223333:log-group:api"
    format          = "$context.requestId"
  }
}`,
		`resource "aws_apigatewayv2_stage" "s" { name = "s" }`,
		`  S: {Type: "AWS::ApiGateway::Stage", Properties: {AccessLogSetting: {DestinationArn: a, Format: f}}}`,
		`  S: {Type: "AWS::ApiGatewayV2::Stage", Properties: {StageName: s}}`},
	{"RP-AWS-114",
		`resource "aws_api_gateway_stage" "s" { xray_tracing_enabled = true }`,
		`resource "aws_api_gateway_stage" "s" { stage_name = "s" }`,
		`  S: {Type: "AWS::ApiGateway::Stage", Properties: {TracingEnabled: true}}`,
		`  S: {Type: "AWS::ApiGateway::Stage", Properties: {StageName: s}}`},
	{"RP-AWS-115",
		`resource "aws_cloudfront_distribution" "d" {
  default_cache_behavior { viewer_protocol_policy = "redirect-to-https" }
  ordered_cache_behavior { viewer_protocol_policy = "https-only" }
}`,
		`resource "aws_cloudfront_distribution" "d" {
  default_cache_behavior { viewer_protocol_policy = "redirect-to-https" }
  ordered_cache_behavior { viewer_protocol_policy = "allow-all" }
}`,
		`  D: {Type: "AWS::CloudFront::Distribution", Properties: {DistributionConfig: {DefaultCacheBehavior: {ViewerProtocolPolicy: https-only}}}}`,
		`  D: {Type: "AWS::CloudFront::Distribution", Properties: {DistributionConfig: {DefaultCacheBehavior: {ViewerProtocolPolicy: allow-all}}}}`},
	{"RP-AWS-116",
		`resource "aws_cloudfront_distribution" "d" {
  viewer_certificate {
    acm_certificate_arn      = "arn:aws:acm:us-east-1:111122223333:certificate/c"
    minimum_protocol_version = "TLSv1.2_2021"
  }
}`,
		`resource "aws_cloudfront_distribution" "d" {
  viewer_certificate { cloudfront_default_certificate = true }
}`,
		`  D: {Type: "AWS::CloudFront::Distribution", Properties: {DistributionConfig: {ViewerCertificate: {AcmCertificateArn: c, MinimumProtocolVersion: TLSv1.2_2021}}}}`,
		`  D: {Type: "AWS::CloudFront::Distribution", Properties: {DistributionConfig: {ViewerCertificate: {AcmCertificateArn: c, MinimumProtocolVersion: TLSv1}}}}`},
	{"RP-AWS-117",
		`resource "aws_cloudfront_distribution" "d" {
  logging_config { bucket = "logs.s3.amazonaws.com" }
}`,
		`resource "aws_cloudfront_distribution" "d" { enabled = true }`,
		`  D: {Type: "AWS::CloudFront::Distribution", Properties: {DistributionConfig: {Logging: {Bucket: logs.s3.amazonaws.com}}}}`,
		`  D: {Type: "AWS::CloudFront::Distribution", Properties: {DistributionConfig: {Enabled: true}}}`},
	{"RP-AWS-118",
		`resource "aws_cloudfront_distribution" "d" { web_acl_id = "arn:aws:wafv2:us-east-1:111122223333:global/webacl/w/1" }`,
		`resource "aws_cloudfront_distribution" "d" { enabled = true }`,
		`  D: {Type: "AWS::CloudFront::Distribution", Properties: {DistributionConfig: {WebACLId: !GetAtt W.Arn}}}
  W: {Type: "AWS::WAFv2::WebACL"}`,
		`  D: {Type: "AWS::CloudFront::Distribution", Properties: {DistributionConfig: {Enabled: true}}}`},
}
