package collectors

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/rampart-soc/rampart/internal/posture/collectors/aws"
	"github.com/rampart-soc/rampart/internal/posture/collectors/azure"
	"github.com/rampart-soc/rampart/internal/posture/collectors/kube"
	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

// Clouds Collect accepts.
const (
	Azure      = "azure"
	AWS        = "aws"
	Kubernetes = "kubernetes"
)

// Request says what to collect; each cloud reads its own fields.
type Request struct {
	Cloud string

	Subscriptions    []string // azure
	ManagementGroups []string // azure
	Query            string   // azure: a Resource Graph query instead of azure.DefaultQuery

	Regions []string // aws: regions, or "all"; default the profile's
	Profile string   // aws: shared config profile

	Kubeconfig string   // kubernetes: kubeconfig path
	Context    string   // kubernetes: kubeconfig context
	Namespaces []string // kubernetes: limit namespaced kinds to these
}

// Collect loads the cloud's credentials the usual way and collects. It returns the
// result and a stable name for this inventory source (the server replaces a source's
// previous snapshot with the new one), or an error when collection could not start.
func Collect(ctx context.Context, req Request) (inventory.Result, string, error) {
	switch strings.ToLower(req.Cloud) {
	case Azure:
		cred, err := azure.NewCredential()
		if err != nil {
			return inventory.Result{}, "", fmt.Errorf("azure credentials: %w", err)
		}
		res := azure.Collect(ctx, cred, azure.Options{Subscriptions: req.Subscriptions, ManagementGroups: req.ManagementGroups, Query: req.Query})
		scope := append(append([]string{}, req.Subscriptions...), req.ManagementGroups...)
		if len(scope) == 0 {
			scope = []string{"tenant"}
		}
		return res, "collect:azure:" + joinSorted(scope), nil
	case AWS:
		region := ""
		if len(req.Regions) > 0 && req.Regions[0] != "all" {
			region = req.Regions[0]
		}
		cfg, err := aws.LoadConfig(ctx, req.Profile, region)
		if err != nil {
			return inventory.Result{}, "", fmt.Errorf("aws configuration: %w", err)
		}
		res := aws.Collect(ctx, cfg, aws.Options{Regions: req.Regions})
		regions := req.Regions
		if len(regions) == 0 {
			regions = []string{cfg.Region}
		}
		return res, "collect:aws:" + account(res) + ":" + joinSorted(regions), nil
	case Kubernetes, "kube", "k8s":
		cfg, cluster, err := kube.LoadConfig(req.Kubeconfig, req.Context)
		if err != nil {
			return inventory.Result{}, "", fmt.Errorf("kubeconfig: %w", err)
		}
		res := kube.Collect(ctx, cfg, kube.Options{Cluster: cluster, Namespaces: req.Namespaces})
		src := "collect:kubernetes:" + cluster
		if len(req.Namespaces) > 0 {
			src += ":" + joinSorted(req.Namespaces)
		}
		return res, src, nil
	}
	return inventory.Result{}, "", fmt.Errorf("unknown cloud %q: expected azure, aws or kubernetes", req.Cloud)
}

// account is the AWS account the resources belong to.
func account(res inventory.Result) string {
	for _, r := range res.Resources {
		if r.Account != "" {
			return r.Account
		}
	}
	return "unknown"
}

func joinSorted(l []string) string {
	l = append([]string(nil), l...)
	sort.Strings(l)
	return strings.Join(l, ",")
}

// Counts returns the number of resources of each type, for reports.
func Counts(res inventory.Result) map[string]int {
	m := map[string]int{}
	for _, r := range res.Resources {
		m[r.Type]++
	}
	return m
}
