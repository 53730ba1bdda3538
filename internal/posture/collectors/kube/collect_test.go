package kube

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"k8s.io/client-go/rest"

	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

// apiServer serves list responses recorded in testdata: GET /apis/apps/v1/deployments is
// apis_apps_v1_deployments.json, its page with ?continue=X ..._X.json, and a file named
// <name>.<status>.json answers with that status. Unrecorded kinds are 404, as for an API
// the cluster does not serve.
func apiServer(t *testing.T) (*rest.Config, *[]string) {
	t.Helper()
	var mu sync.Mutex
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			t.Errorf("collector sent %s %s", r.Method, r.URL)
		}
		if r.URL.Query().Get("limit") == "" {
			t.Errorf("list without a limit: %s", r.URL)
		}
		name := strings.ReplaceAll(strings.Trim(r.URL.Path, "/"), "/", "_")
		if c := r.URL.Query().Get("continue"); c != "" {
			name += "_" + c
		}
		mu.Lock()
		seen = append(seen, name)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		files, _ := filepath.Glob(filepath.Join("testdata", name+".*json"))
		for _, f := range files {
			status := 200
			if mid := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), name+"."), "json"); mid != "" {
				n, err := strconv.Atoi(strings.TrimSuffix(mid, "."))
				if err != nil {
					continue
				}
				status = n
			}
			data, err := os.ReadFile(f)
			if err != nil {
				t.Error(err)
			}
			w.WriteHeader(status)
			w.Write(data)
			return
		}
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprintf(w, `{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server could not find the requested resource","reason":"NotFound","details":{},"code":404}`)
	}))
	t.Cleanup(srv.Close)
	return &rest.Config{Host: srv.URL}, &seen
}

func TestCollectCluster(t *testing.T) {
	cfg, seen := apiServer(t)
	res := Collect(context.Background(), cfg, Options{Cluster: "prod-eu"})

	want := map[string]string{
		"prod-eu:Namespace/shop":                  "k8s:Namespace",
		"prod-eu:Namespace/default":               "k8s:Namespace",
		"prod-eu:Namespace/kube-system":           "k8s:Namespace",
		"prod-eu:shop/Pod/web-7d9f8c6b5-x2x9q":    "k8s:Pod",
		"prod-eu:default/Pod/debug":               "k8s:Pod",
		"prod-eu:shop/Service/web":                "k8s:Service",
		"prod-eu:shop/ServiceAccount/web":         "k8s:ServiceAccount",
		"prod-eu:shop/ServiceAccount/default":     "k8s:ServiceAccount",
		"prod-eu:shop/ConfigMap/web-config":       "k8s:ConfigMap",
		"prod-eu:shop/Deployment/web":             "k8s:Deployment",
		"prod-eu:shop/ReplicaSet/web-7d9f8c6b5":   "k8s:ReplicaSet",
		"prod-eu:shop/CronJob/nightly-report":     "k8s:CronJob",
		"prod-eu:ClusterRole/shop-admin":          "k8s:ClusterRole",
		"prod-eu:ClusterRoleBinding/web-is-admin": "k8s:ClusterRoleBinding",
		"prod-eu:shop/NetworkPolicy/default-deny": "k8s:NetworkPolicy",
	}
	got := map[string]*inventory.Resource{}
	for _, r := range res.Resources {
		got[r.ID] = r
	}
	for id, typ := range want {
		r := got[id]
		if r == nil {
			t.Errorf("missing %s", id)
			continue
		}
		if r.Type != typ || r.Provider != inventory.Kubernetes || r.Account != "prod-eu" || r.Format != "k8s" {
			t.Errorf("%s: type %q provider %q account %q format %q", id, r.Type, r.Provider, r.Account, r.Format)
		}
	}
	if len(res.Resources) != len(want) {
		t.Errorf("%d resources, want %d", len(res.Resources), len(want))
	}
	t.Logf("%d resources, %d errors", len(res.Resources), len(res.Errors))

	pod := got["prod-eu:shop/Pod/web-7d9f8c6b5-x2x9q"]
	if pod != nil {
		// Items of a typed list get their apiVersion and kind back; managedFields go.
		if pod.Properties["apiVersion"] != "v1" || pod.Properties["kind"] != "Pod" {
			t.Errorf("pod apiVersion/kind: %v %v", pod.Properties["apiVersion"], pod.Properties["kind"])
		}
		if _, ok := pod.Get("metadata.managedFields"); ok {
			t.Errorf("managedFields kept")
		}
		if v, _ := pod.Get("spec.containers.0.securityContext.privileged"); v != true {
			t.Errorf("privileged = %v", v)
		}
		if pod.ResourceGroup != "shop" || pod.Tags["app"] != "web" {
			t.Errorf("pod namespace %q labels %v", pod.ResourceGroup, pod.Tags)
		}
		if !hasLink(pod, "runsAs", "prod-eu:shop/ServiceAccount/web") || !hasLink(pod, "uses", "prod-eu:shop/ConfigMap/web-config") {
			t.Errorf("pod links: %v", pod.Links)
		}
		if !hasLink(pod, "hasRole", "prod-eu:ClusterRole/shop-admin") {
			t.Errorf("the pod's service account is bound to shop-admin; links: %v", pod.Links)
		}
	}
	if d := got["prod-eu:shop/Deployment/web"]; d != nil && d.Properties["apiVersion"] != "apps/v1" {
		t.Errorf("deployment apiVersion %v", d.Properties["apiVersion"])
	}

	// Errors: roles forbidden, ingresses not served; everything else collected.
	var errs []string
	for _, e := range res.Errors {
		errs = append(errs, e.Error())
	}
	joined := strings.Join(errs, "\n")
	if len(errs) != 2 || !strings.Contains(joined, "kubernetes:prod-eu:roles: forbidden: cannot list roles.rbac.authorization.k8s.io") ||
		!strings.Contains(joined, "kubernetes:prod-eu:ingresses: ingresses.networking.k8s.io is not served by this cluster (networking.k8s.io/v1)") {
		t.Errorf("errors:\n%s", joined)
	}
	if !strings.Contains(strings.Join(*seen, " "), "api_v1_pods_p2") {
		t.Errorf("the second page of pods was not read: %v", *seen)
	}
}

func hasLink(r *inventory.Resource, kind, target string) bool {
	for _, l := range r.Links {
		if l.Kind == kind && l.Target == target {
			return true
		}
	}
	return false
}

func TestCollectNamespaces(t *testing.T) {
	cfg, seen := apiServer(t)
	Collect(context.Background(), cfg, Options{Cluster: "c", Namespaces: []string{"shop"}})
	s := strings.Join(*seen, " ")
	if !strings.Contains(s, "api_v1_namespaces_shop_pods") || !strings.Contains(s, "apis_rbac.authorization.k8s.io_v1_clusterroles") {
		t.Errorf("namespaced kinds must be listed in shop only, cluster kinds cluster-wide: %s", s)
	}
	if strings.Contains(s, "api_v1_pods ") {
		t.Errorf("pods listed cluster-wide: %s", s)
	}
}

func TestCollectDeadline(t *testing.T) {
	cfg, _ := apiServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Nanosecond)
	defer cancel()
	time.Sleep(time.Millisecond)
	res := Collect(ctx, cfg, Options{})
	if len(res.Resources) != 0 || len(res.Errors) != len(kinds) || !strings.Contains(res.Errors[0].Err, "not listed") {
		t.Errorf("%d resources, errors %v", len(res.Resources), res.Errors)
	}
}

func TestLoadConfigContext(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config")
	kc := `apiVersion: v1
kind: Config
clusters:
- name: prod-eu
  cluster: {server: "https://prod.example:6443"}
- name: staging
  cluster: {server: "https://staging.example:6443"}
users:
- name: auditor
  user: {token: "t0ken"}
contexts:
- name: prod
  context: {cluster: prod-eu, user: auditor}
- name: stage
  context: {cluster: staging, user: auditor}
current-context: prod
`
	if err := os.WriteFile(path, []byte(kc), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, name, err := LoadConfig(path, "")
	if err != nil || name != "prod-eu" || cfg.Host != "https://prod.example:6443" || cfg.BearerToken != "t0ken" {
		t.Errorf("current context: %v %q %+v", err, name, cfg)
	}
	cfg, name, err = LoadConfig(path, "stage")
	if err != nil || name != "staging" || cfg.Host != "https://staging.example:6443" {
		t.Errorf("--context stage: %v %q %v", err, name, cfg)
	}
	if _, _, err := LoadConfig(path, "nope"); err == nil {
		t.Errorf("an unknown context must fail")
	}
}
