package accuracy

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/rampart-soc/rampart/internal/posture/importers/k8s"
	"github.com/rampart-soc/rampart/internal/posture/inventory"
	"github.com/rampart-soc/rampart/internal/posture/policies"
	"github.com/rampart-soc/rampart/internal/posture/policy"
	"github.com/rampart-soc/rampart/internal/testutil"
)

// Kubernetes figures reached; a change that lowers them fails the harness.
const (
	k8sKubescapeMinRecall    = 161 // non-empty expected.json cases reproduced
	k8sKubescapeMinPrecision = 40  // empty expected.json cases left clean
	k8sGoatMinPassed         = 243 // Kubernetes Goat Checkov findings reproduced
	k8sKustomizeMinRecall    = 3   // must-fail checks of the insecure overlays
	k8sKustomizeMinPrecision = 33  // prod (resource, Checkov-mapped policy) pairs not Unhealthy
)

// k8sRuleControls covers rules whose rule.json lists no control: kubescape's
// rule-privileged-container backs the "Privileged container" control.
var k8sRuleControls = map[string][]string{"rule-privileged-container": {"C-0057"}}

type k8sFixture struct {
	policies *policy.Set
	byEquiv  map[string][]string // upper-cased equivalent id -> policy ids
}

// k8sPolicies compiles the built-in Kubernetes policies (the same embedded files
// policy.Builtin loads), so a broken policy file of another provider does not hide these
// figures.
func k8sPolicies(t *testing.T) *policy.Set {
	t.Helper()
	list, err := policy.LoadFS(policies.FS, "kubernetes")
	if err != nil {
		t.Fatal(err)
	}
	ps, err := policy.NewSet(list...)
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

func newK8sFixture(t *testing.T) *k8sFixture {
	t.Helper()
	ps := k8sPolicies(t)
	f := &k8sFixture{policies: ps, byEquiv: map[string][]string{}}
	for _, p := range ps.Policies {
		if p.Provider != inventory.Kubernetes {
			continue
		}
		for _, e := range p.Equivalents {
			f.byEquiv[strings.ToUpper(e)] = append(f.byEquiv[strings.ToUpper(e)], p.ID)
		}
	}
	return f
}

// assess imports a directory and returns the resources and, per resource id, the
// policies that are Unhealthy on it (false: evaluated and Healthy). Evaluation errors fail
// the test.
func (f *k8sFixture) assess(t *testing.T, dir string) ([]*inventory.Resource, map[string]map[string]bool) {
	t.Helper()
	res := k8s.ImportDir(dir)
	for _, e := range res.Errors {
		if !strings.Contains(e.Err, "helm template not rendered") {
			t.Errorf("import %s: %v", dir, e)
		}
	}
	unhealthy := map[string]map[string]bool{}
	for _, fd := range f.policies.Assess(res.Resources) {
		if fd.State == policy.Error {
			t.Errorf("%s on %s: evaluation error: %s", fd.PolicyID, fd.ResourceID, fd.Error)
		}
		if fd.State != policy.Unhealthy && fd.State != policy.Healthy {
			continue
		}
		if unhealthy[fd.ResourceID] == nil {
			unhealthy[fd.ResourceID] = map[string]bool{}
		}
		unhealthy[fd.ResourceID][fd.PolicyID] = fd.State == policy.Unhealthy
	}
	return res.Resources, unhealthy
}

// ksObject is one object a kubescape alert names.
type ksObject struct {
	Kind     string `json:"kind"`
	Metadata struct {
		Name      string `json:"name"`
		Namespace string `json:"namespace"`
	} `json:"metadata"`
}

type ksAlert struct {
	AlertObject struct {
		K8sAPIObjects   []ksObject `json:"k8sApiObjects"`
		ExternalObjects *struct {
			RelatedObjects []ksObject `json:"relatedObjects"`
		} `json:"externalObjects"`
	} `json:"alertObject"`
}

// ksControls picks, for a rule, the most specific controls that use it: those built from the
// fewest rules. Umbrella controls ("Apply Security Context", C-0211, uses fifteen rules)
// would otherwise pull unrelated policies into every case.
func ksControls(t *testing.T, ruleFile string, ruleCount map[string]int) []string {
	var rule struct {
		Rule           string `json:"rule"`
		UsedByControls []struct {
			ControlID string `json:"controlID"`
		} `json:"usedByControls"`
	}
	data, err := os.ReadFile(ruleFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &rule); err != nil {
		t.Fatalf("%s: %v", ruleFile, err)
	}
	if c, ok := k8sRuleControls[rule.Rule]; ok {
		return c
	}
	best := 1 << 30
	for _, c := range rule.UsedByControls {
		if n := ruleCount[c.ControlID]; n > 0 && n < best {
			best = n
		}
	}
	var out []string
	for _, c := range rule.UsedByControls {
		if ruleCount[c.ControlID] == best || ruleCount[c.ControlID] == 0 {
			out = append(out, c.ControlID)
		}
	}
	return out
}

// TestK8sKubescapeFixtures runs kubescape's regolibrary test cases: a case with alerts
// passes when a policy equivalent to the rule's control is Unhealthy on an alerted object;
// a case with no alerts passes when no such policy is Unhealthy on anything.
func TestK8sKubescapeFixtures(t *testing.T) {
	root := testutil.Shared(t, "corpus", "posture", "inventories", "kubernetes")
	ctlData, err := os.ReadFile(testutil.Shared(t, "corpus", "posture", "frameworks", "kubescape", "controls.json"))
	if err != nil {
		t.Fatal(err)
	}
	var controls []struct {
		ControlID  string   `json:"controlID"`
		RulesNames []string `json:"rulesNames"`
	}
	if err := json.Unmarshal(ctlData, &controls); err != nil {
		t.Fatal(err)
	}
	ruleCount := map[string]int{}
	for _, c := range controls {
		ruleCount[c.ControlID] = len(c.RulesNames)
	}
	f := newK8sFixture(t)
	sets, _ := filepath.Glob(filepath.Join(root, "kubescape-*"))
	var recallOK, recallBad, precOK, precBad, noInput, ctxBad, ctxAll, extra int
	var misses []string
	for _, set := range sets {
		name := filepath.Base(set)
		relevant := map[string]bool{}
		ctls := ksControls(t, filepath.Join(set, "rule.json"), ruleCount)
		for _, c := range ctls {
			for _, id := range f.byEquiv[strings.ToUpper(c)] {
				relevant[id] = true
			}
		}
		cases, _ := filepath.Glob(filepath.Join(set, "cases", "*"))
		for _, c := range cases {
			in := filepath.Join(c, "input")
			if _, err := os.Stat(in); err != nil {
				noInput++
				continue
			}
			var alerts []ksAlert
			data, err := os.ReadFile(filepath.Join(c, "expected.json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(data, &alerts); err != nil {
				t.Fatalf("%s: %v", c, err)
			}
			resources, unhealthy := f.assess(t, in)
			fired := func(r *inventory.Resource) []string {
				var out []string
				for id, bad := range unhealthy[r.ID] {
					if bad && relevant[id] {
						out = append(out, id)
					}
				}
				sort.Strings(out)
				return out
			}
			_, hasContext := os.Stat(filepath.Join(c, "data.json"))
			ok := true
			label := name + "/" + filepath.Base(c)
			if len(alerts) == 0 {
				var wrong []string
				for _, r := range resources {
					for _, id := range fired(r) {
						wrong = append(wrong, id+" on "+r.ID)
					}
				}
				ok = len(wrong) == 0
				if ok {
					precOK++
				} else {
					precBad++
					misses = append(misses, fmt.Sprintf("precision %s: %v", label, wrong))
				}
			} else {
				var objs []ksObject
				for _, a := range alerts {
					objs = append(objs, a.AlertObject.K8sAPIObjects...)
					if a.AlertObject.ExternalObjects != nil {
						objs = append(objs, a.AlertObject.ExternalObjects.RelatedObjects...)
					}
				}
				ok = false
				for _, r := range resources {
					for _, o := range objs {
						if r.Type == "k8s:"+o.Kind && r.Name == o.Metadata.Name &&
							(o.Metadata.Namespace == "" || r.ResourceGroup == "" || o.Metadata.Namespace == r.ResourceGroup) && len(fired(r)) > 0 {
							ok = true
						}
					}
				}
				for _, r := range resources {
					if len(fired(r)) == 0 {
						continue
					}
					named := false
					for _, o := range objs {
						named = named || (r.Type == "k8s:"+o.Kind && r.Name == o.Metadata.Name)
					}
					if !named {
						extra++
						t.Logf("extra %s: %v on %s, which no alert names", label, fired(r), r.ID)
					}
				}
				if ok {
					recallOK++
				} else {
					recallBad++
					misses = append(misses, fmt.Sprintf("recall %s: controls %v, no relevant policy fired", label, ctls))
				}
			}
			if hasContext == nil {
				ctxAll++
				if !ok {
					ctxBad++
				}
			}
		}
	}
	for _, m := range misses {
		t.Log(m)
	}
	fmt.Printf("posture kubescape recall: %d passed, %d failed\n", recallOK, recallBad)
	fmt.Printf("posture kubescape precision: %d passed, %d failed\n", precOK, precBad)
	fmt.Printf("posture kubescape cases needing cluster configuration (data.json): %d failed of %d; cases without input: %d; resources flagged that no alert names: %d\n", ctxBad, ctxAll, noInput, extra)
	if recallOK < k8sKubescapeMinRecall || precOK < k8sKubescapeMinPrecision {
		t.Errorf("kubescape fixtures: recall %d (min %d), precision %d (min %d)", recallOK, k8sKubescapeMinRecall, precOK, k8sKubescapeMinPrecision)
	}
}

// TestK8sGoatRecall counts Kubernetes Goat's Checkov findings (on resources we imported)
// that an Unhealthy finding of an equivalent policy on the same resource reproduces.
func TestK8sGoatRecall(t *testing.T) {
	set := testutil.Shared(t, "corpus", "posture", "inventories", "kubernetes", "kubernetes-goat")
	var truth checkovTruth
	data, err := os.ReadFile(filepath.Join(set, "ground_truth.checkov.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &truth); err != nil {
		t.Fatal(err)
	}
	f := newK8sFixture(t)
	resources, unhealthy := f.assess(t, filepath.Join(set, "manifests"))
	byID := map[string]*inventory.Resource{}
	for _, r := range resources {
		byID[r.ID] = r
	}
	passed, failed, skipped := 0, 0, 0
	var missed []string
	for _, g := range truth.Findings {
		// Checkov names resources Kind.namespace.name (cluster-scoped ones in "default").
		parts := strings.SplitN(g.Resource, ".", 3)
		if len(parts) != 3 {
			t.Fatalf("bad ground-truth resource %q", g.Resource)
		}
		kind, ns, name := parts[0], parts[1], parts[2]
		var r *inventory.Resource
		for _, id := range []string{g.File + ":" + ns + "/" + kind + "/" + name, g.File + ":" + kind + "/" + name} {
			if byID[id] != nil {
				r = byID[id]
			}
		}
		if r == nil {
			skipped++
			continue
		}
		hit := false
		for _, pid := range f.byEquiv[strings.ToUpper(g.CheckID)] {
			if unhealthy[r.ID][pid] {
				hit = true
			}
		}
		if hit {
			passed++
		} else {
			failed++
			missed = append(missed, g.CheckID+" "+g.Resource)
		}
	}
	sort.Strings(missed)
	for _, m := range missed {
		t.Logf("missed %s", m)
	}
	fmt.Printf("posture recall kubernetes-goat: %d passed, %d failed (%d findings on resources not in the snapshot)\n", passed, failed, skipped)
	if passed < k8sGoatMinPassed {
		t.Errorf("kubernetes-goat recall %d below %d", passed, k8sGoatMinPassed)
	}
}

// TestK8sKustomizegoat checks the overlays: base, dev and test must fail the checks the
// README names; prod must pass every policy that maps to a Checkov check.
func TestK8sKustomizegoat(t *testing.T) {
	set := testutil.Shared(t, "corpus", "posture", "inventories", "kubernetes", "kustomizegoat")
	var truth struct {
		Expectations []struct {
			Render    string   `json:"render"`
			Compliant bool     `json:"compliant"`
			MustFail  []string `json:"mustFail"`
		} `json:"expectations"`
	}
	data, err := os.ReadFile(filepath.Join(set, "ground_truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &truth); err != nil {
		t.Fatal(err)
	}
	f := newK8sFixture(t)
	resources, unhealthy := f.assess(t, set)
	checkov := map[string]bool{}
	for e, ids := range f.byEquiv {
		if strings.HasPrefix(e, "CKV_K8S_") {
			for _, id := range ids {
				checkov[id] = true
			}
		}
	}
	recOK, recBad, precOK, precBad := 0, 0, 0, 0
	for _, exp := range truth.Expectations {
		var mine []*inventory.Resource
		for _, r := range resources {
			if strings.HasPrefix(r.ID, exp.Render+":") {
				mine = append(mine, r)
			}
		}
		if len(mine) == 0 {
			t.Errorf("%s: no resources rendered", exp.Render)
			continue
		}
		findings := 0
		for _, r := range mine {
			for _, bad := range unhealthy[r.ID] {
				if bad {
					findings++
				}
			}
		}
		if exp.Compliant {
			for _, r := range mine {
				for id, bad := range unhealthy[r.ID] {
					switch {
					case !checkov[id]:
					case bad:
						precBad++
						t.Logf("%s: %s is Unhealthy on %s", exp.Render, id, r.ID)
					default:
						precOK++
					}
				}
			}
			continue
		}
		if findings == 0 {
			t.Errorf("%s: insecure render has no findings", exp.Render)
		}
		for _, ck := range exp.MustFail {
			hit := false
			for _, r := range mine {
				for _, id := range f.byEquiv[strings.ToUpper(ck)] {
					hit = hit || unhealthy[r.ID][id]
				}
			}
			if hit {
				recOK++
			} else {
				recBad++
				t.Logf("%s: %s not reproduced", exp.Render, ck)
			}
		}
	}
	fmt.Printf("posture kustomizegoat recall: %d passed, %d failed\n", recOK, recBad)
	fmt.Printf("posture kustomizegoat precision: %d passed, %d failed\n", precOK, precBad)
	if recOK < k8sKustomizeMinRecall || precOK < k8sKustomizeMinPrecision || precBad > 0 {
		t.Errorf("kustomizegoat: recall %d (min %d), precision %d passed (min %d), %d failed", recOK, k8sKustomizeMinRecall, precOK, k8sKustomizeMinPrecision, precBad)
	}
}

// k8sSamples exercises policies the corpora do not reach (API server flags, admission,
// exposure, unusual pod settings) in both directions.
const k8sSamples = `apiVersion: v1
kind: Pod
metadata: {name: apiserver-bad, namespace: kube-system}
spec:
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.30.0
    command: [kube-apiserver, --anonymous-auth=true, --token-auth-file=/etc/tokens.csv, --authorization-mode=AlwaysAllow,
      --enable-admission-plugins=AlwaysAdmit, --insecure-port=8080]
---
apiVersion: v1
kind: Pod
metadata: {name: apiserver-good, namespace: kube-system}
spec:
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.30.0
    command: [kube-apiserver, --anonymous-auth=false, "--authorization-mode=Node,RBAC", "--enable-admission-plugins=NodeRestriction,PodSecurity",
      --kubelet-client-certificate=/pki/c.crt, --kubelet-client-key=/pki/c.key, --kubelet-certificate-authority=/pki/ca.crt,
      --audit-log-path=/var/log/audit.log, --profiling=false]
---
apiVersion: v1
kind: Pod
metadata: {name: odd, namespace: apps}
spec:
  securityContext:
    sysctls: [{name: kernel.msgmax, value: "65536"}]
    windowsOptions: {hostProcess: true}
    appArmorProfile: {type: Unconfined}
  containers:
  - name: tiller
    image: gcr.io/kubernetes-helm/tiller:v2.16.0
    securityContext: {procMount: Unmasked}
---
apiVersion: v1
kind: Pod
metadata:
  name: plain
  namespace: apps
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: plain-7d9f, uid: "1"}]
spec:
  securityContext:
    sysctls: [{name: net.ipv4.tcp_syncookies, value: "1"}]
    seccompProfile: {type: RuntimeDefault}
  containers:
  - {name: app, image: "registry.example.com/app:1.4.2", securityContext: {procMount: Default}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: dashboard, namespace: apps}
spec:
  template:
    metadata: {labels: {k8s-app: kubernetes-dashboard}}
    spec:
      containers: [{name: d, image: "kubernetesui/dashboard:v2.7.0"}]
---
{apiVersion: v1, kind: Secret, type: kubernetes.io/service-account-token, metadata: {name: legacy-token, namespace: apps}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: anonymous-view}
roleRef: {kind: ClusterRole, name: view}
subjects: [{kind: User, name: system:anonymous}]
---
apiVersion: v1
kind: Service
metadata: {name: lb-internal, namespace: apps, annotations: {service.beta.kubernetes.io/azure-load-balancer-internal: "true"}}
spec: {type: LoadBalancer}
---
apiVersion: v1
kind: Service
metadata: {name: lb-ranges, namespace: apps}
spec: {type: LoadBalancer, loadBalancerSourceRanges: [10.0.0.0/8]}
---
apiVersion: v1
kind: Service
metadata: {name: lb-open, namespace: apps}
spec: {type: LoadBalancer, loadBalancerSourceRanges: [0.0.0.0/0], externalIPs: [203.0.113.7]}
---
apiVersion: v1
kind: Service
metadata: {name: tiller-deploy, namespace: kube-system}
spec: {ports: [{port: 44134}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: snippets
  namespace: apps
  annotations: {nginx.ingress.kubernetes.io/configuration-snippet: "more_set_headers x"}
spec:
  tls: [{hosts: [a.example.com], secretName: a-tls}]
---
apiVersion: v1
kind: Namespace
metadata: {name: apps, labels: {pod-security.kubernetes.io/enforce: restricted}}
---
apiVersion: v1
kind: Namespace
metadata: {name: loose}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: apps}
spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: node-dir}
spec: {hostPath: {path: /data}, capacity: {storage: 1Gi}, accessModes: [ReadWriteOnce]}
`

func TestK8sPolicySamples(t *testing.T) {
	res := k8s.Parse([]byte(k8sSamples), "samples.yaml")
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	ps := k8sPolicies(t)
	got := map[string]string{}
	for _, f := range ps.Assess(res.Resources) {
		if f.State == policy.Error {
			t.Errorf("%s on %s: %s", f.PolicyID, f.ResourceID, f.Error)
		}
		got[f.ResourceName+" "+f.PolicyID] = f.State
	}
	U, H := policy.Unhealthy, policy.Healthy
	want := map[string]string{
		"apiserver-bad RP-K8S-100": U, "apiserver-good RP-K8S-100": H,
		"apiserver-bad RP-K8S-101": U, "apiserver-good RP-K8S-101": H,
		"apiserver-bad RP-K8S-102": U, "apiserver-good RP-K8S-102": H,
		"apiserver-bad RP-K8S-103": U, "apiserver-good RP-K8S-103": H,
		"apiserver-bad RP-K8S-104": U, "apiserver-good RP-K8S-104": H,
		"apiserver-bad RP-K8S-105": U, "apiserver-good RP-K8S-105": H,
		"apiserver-bad RP-K8S-106": U, "apiserver-good RP-K8S-106": H,
		"apiserver-bad RP-K8S-107": U, "apiserver-good RP-K8S-107": H,
		"odd RP-K8S-100": policy.NotApplicable,
		"odd RP-K8S-021": U, "plain RP-K8S-021": H,
		"odd RP-K8S-024": U, "plain RP-K8S-024": H,
		"odd RP-K8S-026": U, "plain RP-K8S-026": H,
		"odd RP-K8S-027": U, "plain RP-K8S-027": H,
		"odd RP-K8S-036": U, "plain RP-K8S-036": H,
		"odd RP-K8S-043": U, "plain RP-K8S-043": H, "tiller-deploy RP-K8S-043": U, "lb-open RP-K8S-043": H,
		"dashboard RP-K8S-044": U, "plain RP-K8S-044": H,
		"plain RP-K8S-040": H, "plain RP-K8S-019": H, "odd RP-K8S-019": U,
		"legacy-token RP-K8S-056":   U,
		"anonymous-view RP-K8S-072": U,
		"lb-internal RP-K8S-081":    H, "lb-ranges RP-K8S-081": H, "lb-open RP-K8S-081": U,
		"lb-open RP-K8S-082": U, "lb-ranges RP-K8S-082": H,
		"snippets RP-K8S-085": U, "snippets RP-K8S-084": H,
		"apps RP-K8S-086": H, "loose RP-K8S-086": U,
		"apps RP-K8S-096": H, "loose RP-K8S-096": U,
		"plain RP-K8S-087": H, "dashboard RP-K8S-087": H,
		"node-dir RP-K8S-091": U,
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: got %q, want %q", k, got[k], w)
		}
	}
}
