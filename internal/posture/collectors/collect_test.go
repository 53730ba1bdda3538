package collectors

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A kubeconfig naming a local API server: Collect loads it, lists, and names the source
// after the context's cluster. TLS, since client-go sends credentials only over TLS.
func TestCollectKubernetesFromKubeconfig(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("Authorization") != "Bearer t0ken" {
			t.Errorf("no token from the kubeconfig: %q", r.Header.Get("Authorization"))
		}
		if r.URL.Path == "/api/v1/namespaces" {
			fmt.Fprint(w, `{"kind":"NamespaceList","apiVersion":"v1","metadata":{},"items":[{"metadata":{"name":"shop","labels":{"team":"commerce"}}}]}`)
			return
		}
		fmt.Fprintf(w, `{"kind":%q,"apiVersion":"v1","metadata":{},"items":[]}`, "List")
	}))
	defer srv.Close()
	path := filepath.Join(t.TempDir(), "kubeconfig")
	kc := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters: [{name: lab, cluster: {server: %q, insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: t0ken}}]
contexts: [{name: lab-ctx, context: {cluster: lab, user: u}}]
current-context: lab-ctx
`, srv.URL)
	if err := os.WriteFile(path, []byte(kc), 0o600); err != nil {
		t.Fatal(err)
	}
	res, source, err := Collect(context.Background(), Request{Cloud: "kubernetes", Kubeconfig: path})
	if err != nil {
		t.Fatal(err)
	}
	if source != "collect:kubernetes:lab" {
		t.Errorf("source %q", source)
	}
	if len(res.Errors) != 0 || len(res.Resources) != 1 || res.Resources[0].ID != "lab:Namespace/shop" || res.Resources[0].Account != "lab" {
		t.Errorf("resources %v errors %v", res.Resources, res.Errors)
	}
	if c := Counts(res); c["k8s:Namespace"] != 1 {
		t.Errorf("counts %v", c)
	}
}

func TestCollectUnknownCloud(t *testing.T) {
	_, _, err := Collect(context.Background(), Request{Cloud: "gcp"})
	if err == nil || !strings.Contains(err.Error(), "expected azure, aws or kubernetes") {
		t.Errorf("err = %v", err)
	}
}
