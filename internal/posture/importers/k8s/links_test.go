package k8s

import (
	"testing"

	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

func hasLink(r *inventory.Resource, kind, target string) bool {
	for _, l := range r.Links {
		if l.Kind == kind && l.Target == target {
			return true
		}
	}
	return false
}

func TestLinks(t *testing.T) {
	src := `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    metadata: {labels: {app: web, tier: front}}
    spec:
      serviceAccountName: web-sa
      imagePullSecrets: [{name: regcred}]
      volumes:
      - {name: cfg, configMap: {name: web-config}}
      - {name: tls, secret: {secretName: web-tls}}
      containers:
      - name: c
        env:
        - {name: DB, valueFrom: {secretKeyRef: {name: db, key: pw}}}
        envFrom: [{configMapRef: {name: env-config}}]
---
apiVersion: v1
kind: Pod
metadata: {name: lonely, namespace: shop}
spec: {containers: [{name: c}]}
---
{apiVersion: v1, kind: ServiceAccount, metadata: {name: web-sa, namespace: shop}}
---
{apiVersion: v1, kind: ServiceAccount, metadata: {name: default, namespace: shop}}
---
{apiVersion: v1, kind: ConfigMap, metadata: {name: web-config, namespace: shop}}
---
{apiVersion: v1, kind: ConfigMap, metadata: {name: env-config, namespace: shop}}
---
{apiVersion: v1, kind: Secret, metadata: {name: web-tls, namespace: shop}}
---
{apiVersion: v1, kind: Secret, metadata: {name: db, namespace: shop}}
---
{apiVersion: v1, kind: Secret, metadata: {name: regcred, namespace: shop}}
---
{apiVersion: v1, kind: Secret, metadata: {name: db, namespace: other}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: admins}
roleRef: {kind: ClusterRole, name: big}
subjects:
- {kind: ServiceAccount, name: web-sa, namespace: shop}
- {kind: User, name: jane}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: big}
rules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {type: NodePort, selector: {app: web}}
---
{apiVersion: v1, kind: Namespace, metadata: {name: shop}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-only, namespace: shop}
spec: {podSelector: {matchLabels: {tier: front}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  rules:
  - http:
      paths:
      - backend: {service: {name: web, port: {number: 80}}}
`
	res := Parse([]byte(src), "m.yaml")
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	ids := byID(res)
	dep := ids["m.yaml:shop/Deployment/web"]
	for _, l := range []inventory.Link{
		{Kind: LinkRunsAs, Target: "m.yaml:shop/ServiceAccount/web-sa"},
		{Kind: LinkUses, Target: "m.yaml:shop/ConfigMap/web-config"},
		{Kind: LinkUses, Target: "m.yaml:shop/ConfigMap/env-config"},
		{Kind: LinkUses, Target: "m.yaml:shop/Secret/web-tls"},
		{Kind: LinkUses, Target: "m.yaml:shop/Secret/db"},
		{Kind: LinkUses, Target: "m.yaml:shop/Secret/regcred"},
		{Kind: LinkHasRole, Target: "m.yaml:ClusterRole/big"},
	} {
		if !hasLink(dep, l.Kind, l.Target) {
			t.Errorf("deployment lacks %v; has %v", l, dep.Links)
		}
	}
	if !hasLink(dep, LinkBoundBy, "m.yaml:ClusterRoleBinding/admins") {
		t.Errorf("deployment lacks boundBy; has %v", dep.Links)
	}
	np := ids["m.yaml:shop/NetworkPolicy/web-only"]
	if !hasLink(np, LinkProtects, "m.yaml:Namespace/shop") || !hasLink(np, LinkIsolates, "m.yaml:shop/Deployment/web") || hasLink(np, LinkIsolates, "m.yaml:shop/Pod/lonely") {
		t.Errorf("network policy links %v", np.Links)
	}
	if hasLink(dep, LinkUses, "m.yaml:other/Secret/db") {
		t.Error("linked a secret of another namespace")
	}
	if !hasLink(ids["m.yaml:shop/Pod/lonely"], LinkRunsAs, "m.yaml:shop/ServiceAccount/default") {
		t.Error("pod without serviceAccountName should run as default")
	}
	crb := ids["m.yaml:ClusterRoleBinding/admins"]
	if !hasLink(crb, LinkGrants, "m.yaml:ClusterRole/big") || !hasLink(crb, LinkBoundTo, "m.yaml:shop/ServiceAccount/web-sa") || len(crb.Links) != 2 {
		t.Errorf("binding links %v", crb.Links)
	}
	svc := ids["m.yaml:shop/Service/web"]
	if !hasLink(svc, LinkSelects, "m.yaml:shop/Deployment/web") || len(svc.Links) != 1 {
		t.Errorf("service links %v", svc.Links)
	}
	ing := ids["m.yaml:shop/Ingress/web"]
	if !hasLink(ing, LinkRoutes, "m.yaml:shop/Service/web") || !hasLink(ing, LinkExposes, "m.yaml:shop/Deployment/web") {
		t.Errorf("ingress links %v", ing.Links)
	}
}

func TestLinksAcrossFilesOfOneImport(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c}]}\n")
	write(t, dir, "sa.json", `{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default", "namespace": "default"}}`)
	res := ImportDir(dir)
	ids := byID(res)
	if !hasLink(ids["pod.yaml:default/Pod/p"], LinkRunsAs, "sa.json:default/ServiceAccount/default") {
		t.Errorf("resources %v", res.Resources)
	}
}
