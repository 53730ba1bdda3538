// Package kube collects a Kubernetes cluster's objects with client-go and converts them
// with the manifest importer (importers/k8s), so a live cluster and its manifests are the
// same resources: Type "k8s:<Kind>", Properties the whole object with apiVersion and kind,
// and the links (pod -> service account, binding -> role) the importer draws. Secrets are
// not read.
package kube

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"

	k8simport "github.com/rampart-soc/rampart/internal/posture/importers/k8s"
	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

// kind is one listed resource type.
type kind struct {
	gvr        schema.GroupVersionResource
	namespaced bool
}

func core(res string, ns bool) kind {
	return kind{schema.GroupVersionResource{Version: "v1", Resource: res}, ns}
}

func group(g, res string, ns bool) kind {
	return kind{schema.GroupVersionResource{Group: g, Version: "v1", Resource: res}, ns}
}

// kinds are what posture policies read: workloads, their identities and permissions, the
// network exposure, and configuration (ConfigMaps; never Secrets).
var kinds = []kind{
	core("namespaces", false),
	core("pods", true),
	core("services", true),
	core("serviceaccounts", true),
	core("configmaps", true),
	group("apps", "deployments", true),
	group("apps", "daemonsets", true),
	group("apps", "statefulsets", true),
	group("apps", "replicasets", true),
	group("batch", "jobs", true),
	group("batch", "cronjobs", true),
	group("rbac.authorization.k8s.io", "roles", true),
	group("rbac.authorization.k8s.io", "clusterroles", false),
	group("rbac.authorization.k8s.io", "rolebindings", true),
	group("rbac.authorization.k8s.io", "clusterrolebindings", false),
	group("networking.k8s.io", "networkpolicies", true),
	group("networking.k8s.io", "ingresses", true),
}

// Options choose what to list.
type Options struct {
	// Cluster names the cluster in resource IDs ("<cluster>:<namespace>/<Kind>/<name>")
	// and Account; LoadConfig gives the kubeconfig's cluster name.
	Cluster string
	// Namespaces limits namespaced kinds to these; empty lists all namespaces.
	Namespaces []string
	// PageSize is the list chunk size (default 500).
	PageSize int64
}

// Collect lists every kind, page by page, and converts the objects in one pass so links
// across kinds resolve. A kind that fails (forbidden, not served) is recorded and the
// others continue; ctx bounds the run.
func Collect(ctx context.Context, cfg *rest.Config, opts Options) inventory.Result {
	var res inventory.Result
	if opts.Cluster == "" {
		opts.Cluster = "cluster"
	}
	if opts.PageSize <= 0 {
		opts.PageSize = 500
	}
	cfg = rest.CopyConfig(cfg)
	if cfg.QPS == 0 {
		// client-go's default (5/s) would make listing a large cluster page by page slow;
		// kubectl's own limits.
		cfg.QPS, cfg.Burst = 50, 300
	}
	client, err := dynamic.NewForConfig(cfg)
	if err != nil {
		res.Errorf(source(opts.Cluster, ""), "%v", err)
		return res
	}
	var items []any
	namespaces := opts.Namespaces
	if len(namespaces) == 0 {
		namespaces = []string{metav1.NamespaceAll}
	}
	for _, k := range kinds {
		scopes := namespaces
		if !k.namespaced {
			scopes = []string{metav1.NamespaceAll}
		}
		for _, ns := range scopes {
			if err := ctx.Err(); err != nil {
				res.Errorf(source(opts.Cluster, k.gvr.Resource), "not listed: %v", err)
				continue
			}
			got, err := list(ctx, client, k, ns, opts.PageSize)
			items = append(items, got...) // pages read before a failure are kept
			if err != nil {
				res.Errorf(source(opts.Cluster, k.gvr.Resource), "%s", describe(k, ns, err))
			}
		}
	}
	if len(items) == 0 {
		return res
	}
	data, err := json.Marshal(map[string]any{"apiVersion": "v1", "kind": "List", "items": items})
	if err != nil {
		res.Errorf(source(opts.Cluster, ""), "%v", err)
		return res
	}
	part := k8simport.Parse(data, opts.Cluster)
	for _, r := range part.Resources {
		r.Account = opts.Cluster
		r.Source = source(opts.Cluster, r.Type)
	}
	res.Merge(part)
	return res
}

// list reads one kind in one namespace (or all), following continue tokens.
func list(ctx context.Context, client dynamic.Interface, k kind, ns string, pageSize int64) ([]any, error) {
	var out []any
	opts := metav1.ListOptions{Limit: pageSize}
	for {
		var ri dynamic.ResourceInterface = client.Resource(k.gvr)
		if k.namespaced && ns != "" {
			ri = client.Resource(k.gvr).Namespace(ns)
		}
		l, err := ri.List(ctx, opts)
		if err != nil {
			return out, err
		}
		for i := range l.Items {
			obj := l.Items[i].Object
			if meta, ok := obj["metadata"].(map[string]any); ok {
				delete(meta, "managedFields") // server-side apply bookkeeping, large and not posture
			}
			out = append(out, obj)
		}
		next := l.GetContinue()
		if next == "" {
			return out, nil
		}
		if next == opts.Continue {
			return out, fmt.Errorf("the server repeated continue token %q", next)
		}
		opts.Continue = next
	}
}

// describe explains a list failure.
func describe(k kind, ns string, err error) string {
	what := k.gvr.Resource
	if k.gvr.Group != "" {
		what += "." + k.gvr.Group
	}
	if ns != "" {
		what += " in namespace " + ns
	}
	switch {
	case apierrors.IsForbidden(err):
		return "forbidden: cannot list " + what + ": " + oneLine(err)
	case apierrors.IsNotFound(err):
		return what + " is not served by this cluster (" + k.gvr.GroupVersion().String() + ")"
	case apierrors.IsResourceExpired(err) || apierrors.IsGone(err):
		return "listing " + what + " took too long: the continue token expired; the objects listed so far are kept"
	}
	return "listing " + what + ": " + oneLine(err)
}

func oneLine(err error) string { return strings.Join(strings.Fields(err.Error()), " ") }

// source names the cluster and what was listed in Source fields and errors.
func source(cluster, what string) string {
	if what == "" {
		return "kubernetes:" + cluster
	}
	return "kubernetes:" + cluster + ":" + what
}
