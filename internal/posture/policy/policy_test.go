package policy

import (
	"strings"
	"testing"
	"time"

	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

const samplePolicies = `
- id: T-1
  title: Containers should not be privileged
  severity: High
  provider: kubernetes
  controls: [PV-4]
  equivalents: [CKV_K8S_16]
  quickFix: kubectl -n {{.ResourceGroup}} edit deployment {{.Name}}
  rules:
  - types: ["k8s:Pod", "k8s:Deployment"]
    check: "k8sContainers(p).all(c, get(c, 'securityContext.privileged', false) != true)"
    evidence: [spec.template.spec.containers.0.securityContext]
- id: T-2
  title: Management ports should not be open to the Internet
  severity: High
  provider: azure
  controls: [NS-1]
  rules:
  - types: [microsoft.network/networksecuritygroups]
    check: |
      !get(p, 'properties.securityRules', []).exists(s,
        get(s, 'properties.access') == 'Allow' && get(s, 'properties.direction') == 'Inbound' &&
        isPublicCIDR(get(s, 'properties.sourceAddressPrefix', '')) &&
        (portInRange(get(s, 'properties.destinationPortRange', ''), 22) || portInRange(get(s, 'properties.destinationPortRanges', []), 3389)))
- id: T-3
  title: Buckets should have a public access block
  severity: Medium
  provider: aws
  rules:
  - types: [aws_s3_bucket]
    applies: "get(p, 'acl', 'private') != 'ignored'"
    check: "related.exists(x, x.type == 'aws_s3_bucket_public_access_block' && get(x.properties, 'block_public_acls') == true)"
- id: T-5
  title: Keys should be rotated within 90 days
  severity: Low
  provider: aws
  rules:
  - types: [key]
    check: "now - timestamp(get(p, 'rotated', '1970-01-01T00:00:00Z')) < duration('2160h')"
- id: T-4
  title: Version must be at least 2
  severity: Low
  provider: aws
  rules:
  - types: [thing]
    check: "p.version >= 2"
`

func sampleSet(t testing.TB) *Set {
	t.Helper()
	ps, err := Parse([]byte(samplePolicies), "sample.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSet(ps...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestAssessStatesEvidenceQuickFix(t *testing.T) {
	s := sampleSet(t)
	deploy := &inventory.Resource{ID: "ns/Deployment/web", Type: "k8s:Deployment", Name: "web", ResourceGroup: "ns",
		Properties: map[string]any{"kind": "Deployment", "spec": map[string]any{"template": map[string]any{"spec": map[string]any{
			"containers": []any{map[string]any{"name": "a", "securityContext": map[string]any{"privileged": true}}}}}}}}
	pod := &inventory.Resource{ID: "ns/Pod/ok", Type: "k8s:Pod", Properties: map[string]any{"kind": "Pod",
		"spec": map[string]any{"containers": []any{map[string]any{"name": "a"}}}}}
	nsg := &inventory.Resource{ID: "nsg", Type: "Microsoft.Network/networkSecurityGroups", Properties: map[string]any{
		"properties": map[string]any{"securityRules": []any{map[string]any{"properties": map[string]any{
			"access": "Allow", "direction": "Inbound", "sourceAddressPrefix": "Internet", "destinationPortRange": "20-25"}}}}}}
	bucket := &inventory.Resource{ID: "b", Type: "aws_s3_bucket", Properties: map[string]any{}}
	block := &inventory.Resource{ID: "blk", Type: "aws_s3_bucket_public_access_block",
		Properties: map[string]any{"block_public_acls": true}, Links: []inventory.Link{{Kind: "references", Target: "b"}}}
	thing := &inventory.Resource{ID: "t", Type: "thing", Properties: map[string]any{}}
	oldKey := &inventory.Resource{ID: "k1", Type: "key", Properties: map[string]any{"rotated": "2020-01-01T00:00:00Z"}}
	newKey := &inventory.Resource{ID: "k2", Type: "key", Properties: map[string]any{"rotated": time.Now().UTC().Format(time.RFC3339)}}
	got := map[string]Finding{}
	for _, f := range s.Assess([]*inventory.Resource{deploy, pod, nsg, bucket, block, thing, oldKey, newKey}) {
		got[f.ResourceID+" "+f.PolicyID] = f
	}
	want := map[string]string{"ns/Deployment/web T-1": Unhealthy, "ns/Pod/ok T-1": Healthy, "nsg T-2": Unhealthy,
		"b T-3": Healthy, "t T-4": Error, "k1 T-5": Unhealthy, "k2 T-5": Healthy}
	for k, st := range want {
		if got[k].State != st {
			t.Errorf("%s: state %s (%s), want %s", k, got[k].State, got[k].Error, st)
		}
	}
	if len(got) != len(want) {
		t.Errorf("got %d findings, want %d: %v", len(got), len(want), got)
	}
	f := got["ns/Deployment/web T-1"]
	if f.QuickFix != "kubectl -n ns edit deployment web" {
		t.Errorf("quick fix %q", f.QuickFix)
	}
	if ev := f.Evidence["spec.template.spec.containers.0.securityContext"]; ev == nil || ev == Missing {
		t.Errorf("evidence %v", f.Evidence)
	}
}

func TestBadPoliciesRejectedWithLocation(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"- id: X\n  title: t\n  severity: Critical\n  provider: aws\n  rules: [{types: [a], check: 'true'}]", "sev.yaml:1: policy \"X\": severity"},
		{"- id: X\n  title: t\n  severity: Low\n  provider: aws\n  rules: [{types: [a], check: 'p.('}]", "rule 1: check"},
		{"- id: X\n  title: t\n  severity: Low\n  provider: aws\n  rules: [{types: [a], check: '1 + 2'}]", "not bool"},
		{"- id: X\n  title: t\n  severity: Low\n  provider: moon\n  rules: [{types: [a], check: 'true'}]", "provider"},
		{"id: X", "expected a list"},
		{"- id: X\n  title: t\n  severity: Low\n  provider: aws\n  quickFix: 'fix {{.Nmae}}'\n  rules: [{types: [a], check: 'true'}]", "quickFix"},
	} {
		_, err := Parse([]byte(tc.src), "sev.yaml")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.src, err, tc.want)
		}
	}
	ps, _ := Parse([]byte(samplePolicies), "a.yaml")
	if _, err := NewSet(append(ps, ps[0])...); err == nil || !strings.Contains(err.Error(), "already defined") {
		t.Errorf("duplicate id: %v", err)
	}
}

func TestHelpers(t *testing.T) {
	for spec, want := range map[string]bool{"22": true, "20-25": true, "*": true, "80,22": true, "23-100": false, "x": false} {
		if portCovers(spec, 22) != want {
			t.Errorf("portCovers(%q, 22) != %v", spec, want)
		}
	}
	for s, want := range map[string]bool{"0.0.0.0/0": true, "*": true, "Internet": true, "::/0": true, "10.0.0.0/8": false, "VirtualNetwork": false} {
		if isPublicCIDR(s) != want {
			t.Errorf("isPublicCIDR(%q) != %v", s, want)
		}
	}
	cron := map[string]any{"kind": "CronJob", "spec": map[string]any{"jobTemplate": map[string]any{"spec": map[string]any{
		"template": map[string]any{"spec": map[string]any{"initContainers": []any{map[string]any{"name": "i"}},
			"containers": []any{map[string]any{"name": "c"}}}}}}}}
	if n := len(containers(podSpec(cron))); n != 2 {
		t.Errorf("cronjob containers: %d", n)
	}
}

// Every built-in policy file loads and compiles, ids are unique, and each policy names its
// benchmark controls.
func TestBuiltinPolicies(t *testing.T) {
	s, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	perProvider := map[string]int{}
	for _, p := range s.Policies {
		perProvider[p.Provider]++
		if len(p.Controls) == 0 {
			t.Errorf("%s %s: no benchmark controls", p.Source, p.ID)
		}
		if p.Remediation == "" {
			t.Errorf("%s %s: no remediation", p.Source, p.ID)
		}
	}
	t.Logf("built-in policies: %d %v", len(s.Policies), perProvider)
}
