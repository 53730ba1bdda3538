package k8s

import (
	"os"
	"path/filepath"
	"testing"
)

func FuzzParse(f *testing.F) {
	f.Add([]byte(baseDeployment))
	f.Add([]byte("apiVersion: v1\nkind: List\nitems:\n- {kind: Pod, metadata: {name: a}}\n---\n--- {a: 1}\n...\n"))
	f.Add([]byte(`{"apiVersion":"v1","kind":"PodList","items":[{"metadata":{"name":"p"},"spec":{"containers":[{"name":"c"}]}}]}`))
	f.Add([]byte("a: &a [1, 2]\nb: [*a, *a]\nc: {<<: {x: 1}}\nkind: Service\napiVersion: v1\nmetadata: {name: s}\nspec: {selector: {app: x}}\n"))
	f.Add([]byte("apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Values.name }}\n"))
	f.Add([]byte("apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b}\nroleRef: {kind: Role, name: r}\nsubjects: [{kind: ServiceAccount, name: x}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		res := Parse(data, "fuzz.yaml")
		seen := map[string]bool{}
		for _, r := range res.Resources {
			if r.ID == "" || seen[r.ID] {
				t.Fatalf("empty or duplicate id %q", r.ID)
			}
			seen[r.ID] = true
			if r.Properties == nil {
				t.Fatal("nil properties")
			}
		}
	})
}

func FuzzStrategicMerge(f *testing.F) {
	f.Add([]byte(baseDeployment), []byte("spec:\n  template:\n    spec:\n      containers:\n      - {name: app, $patch: delete}\n"))
	f.Add([]byte("a: [1, 2]\nb: {c: 1}\n"), []byte("- {op: add, path: /a/-, value: 3}\n- {op: remove, path: /b/c}\n- {op: move, from: /a/0, path: /z}\n"))
	f.Fuzz(func(t *testing.T, doc, patch []byte) {
		d, _, err := decodeYAML(doc, 0)
		if err != nil {
			return
		}
		dm, ok := d.(map[string]any)
		if !ok {
			return
		}
		p, _, err := decodeYAML(patch, 0)
		if err != nil {
			return
		}
		switch x := p.(type) {
		case map[string]any:
			strategicMerge(dm, x)
		case []any:
			_ = jsonPatch(dm, x)
		}
	})
}

// FuzzKustomize renders a fuzzed kustomization over a fixed base and patch files.
func FuzzKustomize(f *testing.F) {
	f.Add([]byte("resources: [deployment.yaml]\nnamePrefix: a-\ncommonLabels: {x: y}\nimages: [{name: example/web, newTag: '2'}]\n"))
	f.Add([]byte("resources: [deployment.yaml]\npatchesStrategicMerge: [patch.yaml]\npatches: [{target: {kind: Deployment}, patch: '[{op: remove, path: /spec/replicas}]'}]\n"))
	f.Add([]byte("resources: [., ../x, deployment.yaml]\nconfigMapGenerator: [{name: c, literals: [a=b], behavior: merge}]\nnamespace: n\nreplicas: [{name: web, count: 2}]\n"))
	f.Add([]byte("components: [.]\nlabels: [{pairs: {a: b}, includeSelectors: true}]\ncommonAnnotations: {k: v}\npatchesJson6902: [{target: {name: web}, path: ops.yaml}]\n"))
	dir := f.TempDir()
	for name, content := range map[string]string{
		"deployment.yaml": baseDeployment,
		"patch.yaml":      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {template: {spec: {containers: [{name: app, $patch: delete}]}}}\n",
		"ops.yaml":        "- {op: add, path: /spec/template/spec/hostPID, value: true}\n- {op: move, from: /spec/replicas, path: /spec/x}\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			f.Fatal(err)
		}
	}
	f.Fuzz(func(t *testing.T, kz []byte) {
		if err := os.WriteFile(filepath.Join(dir, "kustomization.yaml"), kz, 0o644); err != nil {
			t.Fatal(err)
		}
		res := ImportFile(filepath.Join(dir, "kustomization.yaml"))
		seen := map[string]bool{}
		for _, r := range res.Resources {
			if seen[r.ID] {
				t.Fatalf("duplicate id %q", r.ID)
			}
			seen[r.ID] = true
		}
	})
}
