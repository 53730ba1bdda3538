package k8s

import (
	"strings"
	"testing"

	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

func byID(res inventory.Result) map[string]*inventory.Resource {
	m := map[string]*inventory.Resource{}
	for _, r := range res.Resources {
		m[r.ID] = r
	}
	return m
}

func TestParseMultiDocumentKeepsGoodDocuments(t *testing.T) {
	src := `# leading comment
apiVersion: v1
kind: ConfigMap
metadata:
  name: a
  labels: {app: web, tier: 3}
data: {k: v}
---
apiVersion: v1
kind: Pod
metadata: {name: broken
---
---
apiVersion: v1
kind: Namespace
metadata:
  name: prod
  namespace: ignored
--- {apiVersion: v1, kind: Secret, metadata: {name: s, namespace: prod}}
---
- not an object
---
`
	res := Parse([]byte(src), "app.yaml")
	ids := byID(res)
	for _, id := range []string{"app.yaml:default/ConfigMap/a", "app.yaml:Namespace/prod", "app.yaml:prod/Secret/s"} {
		if ids[id] == nil {
			t.Errorf("missing %s; have %v", id, keys(ids))
		}
	}
	if len(res.Resources) != 3 {
		t.Errorf("got %d resources, want 3", len(res.Resources))
	}
	if len(res.Errors) != 2 {
		t.Fatalf("errors = %v, want 2", res.Errors)
	}
	if !strings.HasPrefix(res.Errors[0].Source, "app.yaml:9") {
		t.Errorf("error source %q should name the bad document's line 9", res.Errors[0].Source)
	}
	cm := ids["app.yaml:default/ConfigMap/a"]
	if cm.Source != "app.yaml:2" || cm.Type != "k8s:ConfigMap" || cm.ResourceGroup != "default" ||
		cm.Provider != "kubernetes" || cm.Format != "k8s" || cm.Name != "a" {
		t.Errorf("config map fields: %+v", cm)
	}
	if cm.Tags["app"] != "web" || cm.Tags["tier"] != "3" {
		t.Errorf("tags = %v", cm.Tags)
	}
	if ns := ids["app.yaml:Namespace/prod"]; ns.ResourceGroup != "" || ns.Source != "app.yaml:14" {
		t.Errorf("namespace: group %q source %q", ns.ResourceGroup, ns.Source)
	}
	if s := ids["app.yaml:prod/Secret/s"]; s.Source != "app.yaml:19" {
		t.Errorf("inline document source %q", s.Source)
	}
}

func keys(m map[string]*inventory.Resource) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestParseJSONListsAndNumbers(t *testing.T) {
	src := `{
  "apiVersion": "v1",
  "kind": "List",
  "items": [
    {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "shop"},
     "spec": {"replicas": 3, "template": {"spec": {"containers": [{"name": "c", "image": "nginx"}]}}}},
    {"kind": "Service", "metadata": {"name": "web", "namespace": "shop"}},
    "junk"
  ]
}
{"apiVersion": "v1", "kind": "PodList", "items": [{"metadata": {"name": "p1"}}]}`
	res := Parse([]byte(src), "dump.json")
	ids := byID(res)
	d := ids["dump.json:shop/Deployment/web"]
	if d == nil || ids["dump.json:shop/Service/web"] == nil {
		t.Fatalf("list items missing: %v (errors %v)", keys(ids), res.Errors)
	}
	if got, _ := d.Get("spec.replicas"); got != float64(3) {
		t.Errorf("replicas = %#v, want float64 3", got)
	}
	p := ids["dump.json:default/Pod/p1"]
	if p == nil || p.Properties["apiVersion"] != "v1" || p.Source != "dump.json:11" {
		t.Errorf("typed list item: %+v", p)
	}
	if len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Err, "item 2") {
		t.Errorf("errors = %v", res.Errors)
	}
}

func TestParseYAMLValuesAreJSONShaped(t *testing.T) {
	src := `apiVersion: v1
kind: Pod
metadata:
  name: p
  creationTimestamp: 2022-02-07T11:21:55Z
base: &b {cpu: 100m, n: 0x10}
spec:
  <<: *b
  hostPID: yes
  hostIPC: true
  x: null
  f: 1.5
`
	res := Parse([]byte(src), "p.yaml")
	if len(res.Errors) != 0 || len(res.Resources) != 1 {
		t.Fatalf("%v %v", res.Resources, res.Errors)
	}
	p := res.Resources[0].Properties
	spec := p["spec"].(map[string]any)
	if spec["hostIPC"] != true || spec["x"] != nil || spec["f"] != 1.5 || spec["cpu"] != "100m" || spec["n"] != float64(16) {
		t.Errorf("spec = %#v", spec)
	}
	if _, ok := p["metadata"].(map[string]any)["creationTimestamp"].(string); !ok {
		t.Errorf("timestamps should stay strings")
	}
}

func TestParseReportsHelmTemplatesAndMissingFields(t *testing.T) {
	src := `apiVersion: v1
kind: Service
metadata:
  name: {{ include "x.fullname" . }}
---
apiVersion: v1
kind: Service
metadata: {}
---
apiVersion: v1
metadata: {name: nokind}
---
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [a.yaml]
`
	res := Parse([]byte(src), "t.yaml")
	if len(res.Resources) != 0 || len(res.Errors) != 4 {
		t.Fatalf("resources %v errors %v", res.Resources, res.Errors)
	}
	want := []string{"helm template not rendered", "no metadata.name", "no kind", "kustomization"}
	for i, w := range want {
		if !strings.Contains(res.Errors[i].Err, w) {
			t.Errorf("error %d = %q, want %q", i, res.Errors[i].Err, w)
		}
	}
}

func TestParseDuplicateIDsStayUnique(t *testing.T) {
	src := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"
	res := Parse([]byte(src), "d.yaml")
	if len(res.Resources) != 2 || res.Resources[0].ID == res.Resources[1].ID {
		t.Fatalf("ids: %v", res.Resources)
	}
}

func TestAliasBombIsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 12; i++ {
		b.WriteString(strings.Repeat(" ", 0))
		b.WriteString("a" + itoa(i) + ": &a" + itoa(i) + " [")
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + itoa(i-1))
		}
		b.WriteString("]\n")
	}
	res := Parse([]byte(b.String()), "bomb.yaml")
	if len(res.Errors) != 1 || len(res.Resources) != 0 {
		t.Fatalf("resources %d errors %v", len(res.Resources), res.Errors)
	}
}

func itoa(i int) string { return string(rune('0'+i/10)) + string(rune('0'+i%10)) }

func TestImportDirSkipsNonKubernetesJSON(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "arm.json", `[{"apiVersion": "2021-09-01", "kind": "StorageV2", "name": "acct", "type": "Microsoft.Storage/storageAccounts"}]`)
	write(t, dir, "gcp.json", `{"kind": "storage#bucket", "name": "b"}`)
	write(t, dir, "values.yaml", "replicaCount: 2\n")
	write(t, dir, "cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
	res := ImportDir(dir)
	if len(res.Errors) != 0 || len(res.Resources) != 1 || res.Resources[0].ID != "cm.yaml:default/ConfigMap/a" {
		t.Errorf("resources %v errors %v", res.Resources, res.Errors)
	}
}
