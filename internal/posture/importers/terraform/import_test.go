package terraform

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

func byID(t *testing.T, r inventory.Result) map[string]*inventory.Resource {
	t.Helper()
	out := map[string]*inventory.Resource{}
	for _, x := range r.Resources {
		out[x.ID] = x
	}
	return out
}

func get(t *testing.T, r *inventory.Resource, path string) any {
	t.Helper()
	if r == nil {
		t.Fatalf("resource missing (wanted %s)", path)
	}
	v, ok := r.Get(path)
	if !ok {
		t.Fatalf("%s: %s missing in %v", r.ID, path, r.Properties)
	}
	return v
}

func hasLink(r *inventory.Resource, kind, target string) bool {
	for _, l := range r.Links {
		if l.Kind == kind && l.Target == target {
			return true
		}
	}
	return false
}

func TestVariablesLocalsFunctions(t *testing.T) {
	res := ImportSources(map[string][]byte{
		"main.tf": []byte(`
variable "env" { default = "dev" }
variable "owner" {}
variable "names" { default = ["a", "b"] }
locals {
  prefix = "${lower("ACME")}-${var.env}"
  tags   = merge({ Env = var.env }, { Team = upper("sec") })
  joined = join(",", concat(var.names, ["c"]))
}
provider "aws" { region = "eu-west-1" }
resource "aws_s3_bucket" "b" {
  bucket = "${local.prefix}-data"
  tags   = local.tags
  owner  = var.owner
  n      = length(var.names)
  j      = local.joined
  f      = format("%s-%03d", var.env, 7)
  l      = lookup({ a = 1 }, "b", 2)
  e      = base64encode("hi")
  c      = coalesce("", "x")
  js     = jsonencode({ k = "v" })
  jd     = jsondecode("{\"a\":[1,2]}")
  r      = replace("a-b-c", "/-/", "_")
  file   = file("secret.txt")
  mixed  = { ok = "yes", bad = file("x") }
}
`),
		"terraform.tfvars": []byte(`env = "prod"`),
		"z.auto.tfvars":    []byte(`owner = "alice"`),
		"unrelated.txt":    []byte(`not terraform`),
	})
	if len(res.Errors) != 0 {
		t.Fatalf("errors: %v", res.Errors)
	}
	b := byID(t, res)["aws_s3_bucket.b"]
	want := map[string]any{
		"bucket": "acme-prod-data", "tags.Env": "prod", "tags.Team": "SEC", "owner": "alice",
		"n": 2.0, "j": "a,b,c", "f": "prod-007", "l": 2.0, "e": "aGk=", "c": "x",
		"js": `{"k":"v"}`, "jd.a.1": 2.0, "r": "a_b_c", "file": `${file("secret.txt")}`,
		"mixed.ok": "yes", "mixed.bad": `${file("x")}`,
	}
	for path, w := range want {
		if got := get(t, b, path); !reflect.DeepEqual(got, w) {
			t.Errorf("%s = %#v, want %#v", path, got, w)
		}
	}
	if b.Region != "eu-west-1" || b.Provider != "aws" || b.Name != "b" || b.Type != "aws_s3_bucket" {
		t.Errorf("resource header %+v", b)
	}
	if b.Tags["Env"] != "prod" || b.Source != "main.tf:11" || b.Format != "terraform" {
		t.Errorf("tags/source: %v %s", b.Tags, b.Source)
	}
}

func TestReferencesAndLinks(t *testing.T) {
	res := ImportSources(map[string][]byte{"main.tf": []byte(`
resource "aws_s3_bucket" "b" { bucket = "data" }
resource "aws_s3_bucket_public_access_block" "pab" {
  bucket             = aws_s3_bucket.b.id
  name_of_bucket     = aws_s3_bucket.b.bucket
  block_public_acls  = true
}
resource "aws_kms_key" "k" { enable_key_rotation = false }
resource "aws_s3_bucket_server_side_encryption_configuration" "enc" {
  bucket = aws_s3_bucket.b.bucket
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = "${aws_kms_key.k.arn}"
    }
  }
  depends_on = [aws_kms_key.k]
}
data "aws_caller_identity" "me" {}
resource "aws_iam_role" "r" { name = "${data.aws_caller_identity.me.account_id}-role" }
`)})
	m := byID(t, res)
	if len(m) != 5 {
		t.Fatalf("want 5 resources (data sources skipped), got %d: %v", len(m), res.Errors)
	}
	pab := m["aws_s3_bucket_public_access_block.pab"]
	if got := get(t, pab, "bucket"); got != "${aws_s3_bucket.b.id}" {
		t.Errorf("unknown attribute = %v", got)
	}
	if got := get(t, pab, "name_of_bucket"); got != "data" {
		t.Errorf("known attribute = %v", got)
	}
	if !hasLink(pab, "references", "aws_s3_bucket.b") {
		t.Errorf("links %v", pab.Links)
	}
	enc := m["aws_s3_bucket_server_side_encryption_configuration.enc"]
	if got := get(t, enc, "rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id"); got != "${aws_kms_key.k.arn}" {
		t.Errorf("nested block attr = %v", got)
	}
	if !hasLink(enc, "references", "aws_kms_key.k") || !hasLink(enc, "references", "aws_s3_bucket.b") {
		t.Errorf("links %v", enc.Links)
	}
	if _, ok := enc.Properties["depends_on"]; ok {
		t.Errorf("meta-argument kept")
	}
	if got := get(t, m["aws_iam_role.r"], "name"); got != "${data.aws_caller_identity.me.account_id}-role" {
		t.Errorf("data reference = %v", got)
	}
}

func TestCountForEachDynamic(t *testing.T) {
	res := ImportSources(map[string][]byte{"main.tf": []byte(`
variable "ports" { default = { ssh = 22, rdp = 3389 } }
variable "n" {}
resource "aws_instance" "web" {
  count = 2
  name  = "web-${count.index}"
}
resource "aws_instance" "unknown" {
  count = var.n
  name  = "u-${count.index}"
}
resource "aws_security_group" "sg" {
  for_each = var.ports
  name     = each.key
  dynamic "ingress" {
    for_each = [each.value, 443]
    iterator = p
    content {
      from_port   = p.value
      to_port     = p.value
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}
resource "aws_eip" "e" {
  instance = aws_instance.web[1].id
  name     = aws_instance.web[0].name
}
resource "aws_lb" "lb" { instances = aws_instance.web[*].name }
resource "aws_instance" "none" { count = 0 }
`)})
	if len(res.Errors) != 0 {
		t.Fatalf("errors %v", res.Errors)
	}
	m := byID(t, res)
	if get(t, m["aws_instance.web[1]"], "name") != "web-1" {
		t.Errorf("count instance: %v", m["aws_instance.web[1]"].Properties)
	}
	if get(t, m["aws_instance.unknown"], "name") != "u-${count.index}" {
		t.Errorf("unknown count: %v", m["aws_instance.unknown"].Properties)
	}
	sg := m[`aws_security_group.sg["rdp"]`]
	if get(t, sg, "name") != "rdp" || get(t, sg, "ingress.0.from_port") != 3389.0 || get(t, sg, "ingress.1.to_port") != 443.0 {
		t.Errorf("for_each/dynamic: %v", sg.Properties)
	}
	e := m["aws_eip.e"]
	if get(t, e, "name") != "web-0" || !hasLink(e, "references", "aws_instance.web[1]") || !hasLink(e, "references", "aws_instance.web[0]") {
		t.Errorf("indexed reference: %v %v", e.Properties, e.Links)
	}
	if got := get(t, m["aws_lb.lb"], "instances"); !reflect.DeepEqual(got, []any{"web-0", "web-1"}) {
		t.Errorf("splat = %v", got)
	}
	if _, ok := m["aws_instance.none"]; ok {
		t.Errorf("count = 0 should create nothing")
	}
}

func TestModules(t *testing.T) {
	res := ImportSources(map[string][]byte{
		"main.tf": []byte(`
module "store" {
  source = "./modules/bucket"
  name   = "logs"
}
module "remote" { source = "terraform-aws-modules/vpc/aws" }
resource "aws_s3_bucket_policy" "p" { bucket = module.store.bucket_name }
`),
		"modules/bucket/main.tf": []byte(`
variable "name" {}
resource "aws_s3_bucket" "this" { bucket = "acme-${var.name}" }
output "bucket_name" { value = aws_s3_bucket.this.bucket }
`),
	})
	if len(res.Errors) != 0 {
		t.Fatalf("errors %v", res.Errors)
	}
	m := byID(t, res)
	b := m["modules/bucket:aws_s3_bucket.this"]
	if get(t, b, "bucket") != "acme-logs" || b.Source != "modules/bucket/main.tf:3" {
		t.Errorf("module resource: %+v", b)
	}
	p := m["aws_s3_bucket_policy.p"]
	if get(t, p, "bucket") != "acme-logs" || !hasLink(p, "references", "modules/bucket:aws_s3_bucket.this") {
		t.Errorf("module output: %v %v", p.Properties, p.Links)
	}
}

func TestParseErrorIsolated(t *testing.T) {
	res := ImportSources(map[string][]byte{
		"bad.tf":    []byte("resource \"aws_s3_bucket\" \"x\" {\n  bucket = \n}\n"),
		"good.tf":   []byte(`resource "aws_s3_bucket" "y" { bucket = "ok" }`),
		"labels.tf": []byte(`resource "aws_s3_bucket" { }`),
	})
	if len(res.Resources) != 1 || res.Resources[0].ID != "aws_s3_bucket.y" {
		t.Fatalf("resources %v", res.Resources)
	}
	var srcs []string
	for _, e := range res.Errors {
		srcs = append(srcs, e.Error())
	}
	joined := strings.Join(srcs, "\n")
	if !strings.Contains(joined, "bad.tf:2:12") || !strings.Contains(joined, "labels.tf:1") {
		t.Errorf("errors should name file:line:col, got:\n%s", joined)
	}
}

func TestCyclesDoNotHang(t *testing.T) {
	res := ImportSources(map[string][]byte{"main.tf": []byte(`
locals {
  a = local.b
  b = local.a
}
resource "aws_security_group" "x" {
  name = aws_security_group.y.name
  v    = local.a
}
resource "aws_security_group" "y" { name = aws_security_group.x.name }
module "self" { source = "./" }
`)})
	if len(res.Resources) != 2 {
		t.Fatalf("resources %d, errors %v", len(res.Resources), res.Errors)
	}
}

func TestHostileValuesStayBounded(t *testing.T) {
	src := "locals {\n  l0 = \"0123456789012345678901234567890123456789\"\n"
	for i := 1; i <= 40; i++ {
		src += fmt.Sprintf("  l%d = \"${local.l%d}${local.l%d}\"\n", i, i-1, i-1)
	}
	src += "}\nresource \"aws_s3_bucket\" \"b\" {\n  big = local.l40\n  wide = format(\"%999999999s\", \"x\")\n" +
		"  deep = [for a in range(9) : [for b in range(9) : [for c in range(9) : [for d in range(9) : d]]]]\n}\n"
	res := ImportSources(map[string][]byte{"main.tf": []byte(src)})
	b := byID(t, res)["aws_s3_bucket.b"]
	for _, k := range []string{"big", "wide", "deep"} {
		if s, ok := b.Properties[k].(string); !ok || len(s) > 1000 {
			t.Errorf("%s should stay unresolved, got %T of size %d", k, b.Properties[k], len(fmt.Sprint(b.Properties[k])))
		}
	}
}

func TestPolicyDocumentDataSource(t *testing.T) {
	res := ImportSources(map[string][]byte{"main.tf": []byte(`
resource "aws_s3_bucket" "b" { bucket = "logs" }
data "aws_iam_policy_document" "read" {
  statement {
    sid       = "Read"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::${aws_s3_bucket.b.bucket}/*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["true"]
    }
  }
  statement {
    effect    = "Deny"
    actions   = ["s3:DeleteObject", "s3:PutObject"]
    resources = ["*"]
  }
}
resource "aws_s3_bucket_policy" "p" {
  bucket = aws_s3_bucket.b.id
  policy = data.aws_iam_policy_document.read.json
}
`)})
	if len(res.Errors) != 0 {
		t.Fatalf("errors %v", res.Errors)
	}
	p := byID(t, res)["aws_s3_bucket_policy.p"]
	doc, _ := get(t, p, "policy").(string)
	for _, want := range []string{`"Version":"2012-10-17"`, `"Action":"s3:GetObject"`, `"Resource":"arn:aws:s3:::logs/*"`,
		`"Principal":{"AWS":"*"}`, `"Condition":{"Bool":{"aws:SecureTransport":"true"}}`, `"Effect":"Deny"`,
		`"Action":["s3:DeleteObject","s3:PutObject"]`, `"Sid":"Read"`} {
		if !strings.Contains(doc, want) {
			t.Errorf("policy document lacks %s:\n%s", want, doc)
		}
	}
	if !hasLink(p, "references", "aws_s3_bucket.b") {
		t.Errorf("links %v", p.Links)
	}
}
