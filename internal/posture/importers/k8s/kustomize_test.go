package k8s

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, dir, name, content string) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

const baseDeployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      serviceAccountName: web
      containers:
      - name: app
        image: example/web:1.0
        ports: [{containerPort: 80}]
        envFrom: [{configMapRef: {name: settings}}]
      - name: sidecar
        image: example/proxy
`

func kustomizeTree(t *testing.T) string {
	dir := t.TempDir()
	write(t, dir, "base/kustomization.yaml", `resources: [deployment.yaml, rbac.yaml]
configMapGenerator:
- name: settings
  literals: [MODE=prod, "QUOTED='x'"]
`)
	write(t, dir, "base/deployment.yaml", baseDeployment)
	write(t, dir, "base/rbac.yaml", `apiVersion: v1
kind: ServiceAccount
metadata: {name: web}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: web}
roleRef: {kind: Role, name: web}
subjects: [{kind: ServiceAccount, name: web}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: web}
rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
`)
	write(t, dir, "base/unused.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: unused}\n")
	write(t, dir, "overlays/prod/kustomization.yaml", `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: prod
namePrefix: p-
nameSuffix: -v2
commonLabels: {env: prod}
commonAnnotations: {team: shop}
bases: [../../base]
images:
- {name: example/web, newTag: "2.0"}
- {name: example/proxy, newName: registry.local/proxy, digest: "sha256:abc"}
replicas: [{name: web, count: 3}]
patchesStrategicMerge:
- patch.yaml
- |-
  apiVersion: apps/v1
  kind: Deployment
  metadata: {name: web}
  spec:
    template:
      spec:
        containers:
        - name: sidecar
          $patch: delete
patches:
- target: {kind: Deployment, name: web}
  patch: |-
    - op: add
      path: /spec/template/spec/hostNetwork
      value: true
    - op: replace
      path: /spec/template/spec/containers/0/ports/0/containerPort
      value: 8080
- path: sec.yaml
  target: {kind: Deployment, labelSelector: "app=web"}
patchesJson6902:
- target: {group: apps, version: v1, kind: Deployment, name: web}
  patch: '[{"op": "remove", "path": "/metadata/annotations/team"}]'
`)
	write(t, dir, "overlays/prod/patch.yaml", `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
      - name: app
        resources: {limits: {cpu: "1"}}
`)
	write(t, dir, "overlays/prod/sec.yaml", `apiVersion: apps/v1
kind: Deployment
metadata: {name: ignored-by-target}
spec:
  template:
    spec:
      securityContext: {runAsNonRoot: true}
`)
	write(t, dir, "plain/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: plain}\n")
	write(t, dir, "plain/values.yaml", "replicaCount: 1\nimage: {tag: x}\n")
	return dir
}

func TestKustomizeOverlays(t *testing.T) {
	dir := kustomizeTree(t)
	res := ImportDir(dir)
	if len(res.Errors) > 0 {
		t.Fatalf("errors: %v", res.Errors)
	}
	ids := byID(res)
	want := []string{
		"base:default/Deployment/web", "base:default/ConfigMap/settings", "base:default/ServiceAccount/web",
		"base:default/RoleBinding/web", "base:default/Role/web",
		"overlays/prod:prod/Deployment/p-web-v2", "overlays/prod:prod/ConfigMap/p-settings-v2",
		"overlays/prod:prod/ServiceAccount/p-web-v2", "overlays/prod:prod/RoleBinding/p-web-v2",
		"overlays/prod:prod/Role/p-web-v2", "plain/cm.yaml:default/ConfigMap/plain",
	}
	for _, id := range want {
		if ids[id] == nil {
			t.Errorf("missing %s", id)
		}
	}
	if len(res.Resources) != len(want) {
		t.Errorf("got %d resources %v", len(res.Resources), keys(ids))
	}
	d := ids["overlays/prod:prod/Deployment/p-web-v2"]
	check := func(path string, want any) {
		t.Helper()
		got, _ := d.Get(path)
		if got != want {
			t.Errorf("%s = %#v, want %#v", path, got, want)
		}
	}
	check("metadata.labels.env", "prod")
	check("spec.selector.matchLabels.env", "prod")
	check("spec.template.metadata.labels.env", "prod")
	check("spec.template.metadata.annotations.team", "shop")
	check("spec.replicas", float64(3))
	check("spec.template.spec.hostNetwork", true)
	check("spec.template.spec.securityContext.runAsNonRoot", true)
	check("spec.template.spec.containers.0.image", "example/web:2.0")
	check("spec.template.spec.containers.0.ports.0.containerPort", float64(8080))
	check("spec.template.spec.containers.0.resources.limits.cpu", "1")
	check("spec.template.spec.containers.0.envFrom.0.configMapRef.name", "p-settings-v2")
	check("spec.template.spec.serviceAccountName", "p-web-v2")
	if _, ok := d.Get("spec.template.spec.containers.1"); ok {
		t.Error("sidecar should be deleted by $patch: delete")
	}
	if _, ok := d.Get("metadata.annotations.team"); ok {
		t.Error("JSON 6902 remove not applied")
	}
	if !strings.HasSuffix(d.Source, filepath.Join("base", "deployment.yaml")+":1") {
		t.Errorf("source %q", d.Source)
	}
	if !hasLink(d, LinkRunsAs, "overlays/prod:prod/ServiceAccount/p-web-v2") || !hasLink(d, LinkHasRole, "overlays/prod:prod/Role/p-web-v2") ||
		!hasLink(d, LinkUses, "overlays/prod:prod/ConfigMap/p-settings-v2") {
		t.Errorf("overlay links %v", d.Links)
	}
	rb := ids["overlays/prod:prod/RoleBinding/p-web-v2"]
	if got, _ := rb.Get("subjects.0.namespace"); got != "prod" {
		t.Errorf("subject namespace %v", got)
	}
	if got, _ := rb.Get("roleRef.name"); got != "p-web-v2" {
		t.Errorf("roleRef %v", got)
	}
	cm := ids["base:default/ConfigMap/settings"]
	if got, _ := cm.Get("data.QUOTED"); got != "x" {
		t.Errorf("generated data %v", cm.Properties)
	}
	// The base render is untouched by the overlay.
	if got, _ := ids["base:default/Deployment/web"].Get("spec.template.spec.containers.0.image"); got != "example/web:1.0" {
		t.Errorf("base image %v", got)
	}
}

func TestKustomizeErrorsAreReportedAndRestIsRendered(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "a/kustomization.yaml", "resources: [../b, ok.yaml, missing.yaml, 'https://github.com/x/y//z?ref=v1', ../outside.yaml]\npatchesStrategicMerge: [nomatch.yaml]\nvars: [{name: X}]\n")
	write(t, dir, "a/ok.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n")
	write(t, dir, "a/nomatch.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: nope}\n")
	write(t, dir, "b/kustomization.yaml", "resources: [../a]\n")
	write(t, dir, "outside.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: outside}\n")
	res := ImportDir(dir)
	ids := byID(res)
	if ids["a:default/ConfigMap/ok"] == nil {
		t.Errorf("ok.yaml not rendered: %v", keys(ids))
	}
	if ids["outside.yaml:default/ConfigMap/outside"] == nil {
		t.Errorf("a plain file outside every kustomization should import: %v", keys(ids))
	}
	var all []string
	for _, e := range res.Errors {
		all = append(all, e.Error())
	}
	joined := strings.Join(all, "\n")
	for _, w := range []string{"cycle", "missing.yaml", "remote resources", "load restriction", "no resource matches ConfigMap/nope", `"vars" is not supported`} {
		if !strings.Contains(joined, w) {
			t.Errorf("errors lack %q:\n%s", w, joined)
		}
	}
}

func TestImportDirHelmChart(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "chart/Chart.yaml", "apiVersion: v2\nname: c\nversion: 0.1.0\n")
	write(t, dir, "chart/values.yaml", "image: {repository: nginx}\n")
	write(t, dir, "chart/templates/deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n")
	write(t, dir, "chart/templates/role.yaml", "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: static}\n")
	write(t, dir, "chart/templates/NOTES.txt", "hello {{ .Release.Name }}")
	res := ImportDir(dir)
	if len(res.Resources) != 1 || res.Resources[0].ID != "chart/templates/role.yaml:ClusterRole/static" {
		t.Errorf("resources %v", res.Resources)
	}
	if len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Err, "helm template not rendered") ||
		!strings.HasSuffix(res.Errors[0].Source, "deploy.yaml") {
		t.Errorf("errors %v", res.Errors)
	}
	one := ImportFile(filepath.Join(dir, "chart/templates/deploy.yaml"))
	if len(one.Errors) != 1 || !strings.Contains(one.Errors[0].Err, "helm") {
		t.Errorf("ImportFile errors %v", one.Errors)
	}
}

func TestImportFileKustomization(t *testing.T) {
	dir := kustomizeTree(t)
	res := ImportFile(filepath.Join(dir, "overlays/prod/kustomization.yaml"))
	if len(res.Errors) > 0 || len(res.Resources) != 5 {
		t.Fatalf("resources %d errors %v", len(res.Resources), res.Errors)
	}
	if res.Resources[0].ID[:len("prod:")] != "prod:" {
		t.Errorf("scope should be the kustomization directory name: %s", res.Resources[0].ID)
	}
	plain := ImportFile(filepath.Join(dir, "base/deployment.yaml"))
	if len(plain.Resources) != 1 || plain.Resources[0].ID != "deployment.yaml:default/Deployment/web" {
		t.Errorf("plain file: %v %v", plain.Resources, plain.Errors)
	}
	missing := ImportFile(filepath.Join(dir, "nope.yaml"))
	if len(missing.Errors) != 1 {
		t.Errorf("missing file: %v", missing.Errors)
	}
}
