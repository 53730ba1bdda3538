package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/spf13/cobra"

	"github.com/rampart-soc/rampart/internal/client"
	"github.com/rampart-soc/rampart/internal/posture/collectors"
)

func postureCollectCmd() *cobra.Command {
	var cf clientFlags
	var req collectors.Request
	var out, source string
	var snapshot bool
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "collect --cloud azure|aws|kubernetes",
		Short: "Collect a live inventory with the cloud's SDK and send it to a server (or write it to a file)",
		Long: `Reads resources from Azure Resource Graph, the AWS APIs or a Kubernetes API server with
the usual credentials (Azure: environment, managed identity, az login; AWS: environment,
shared config and profiles, SSO, instance roles; Kubernetes: --kubeconfig, KUBECONFIG,
~/.kube/config, in-cluster), then posts them to /api/v1/posture/resources as
'posture import' does, or writes that request body to --out. A part that fails (a
subscription, region, service or kind) is reported and the rest is collected; the upload
is then not a snapshot, so resources the failed part would have listed are not deleted.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var c *client.Client
			if out == "" {
				var err error
				if c, err = cf.client(); err != nil {
					return fmt.Errorf("%w (or pass --out FILE)", err)
				}
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
			defer cancel()
			res, defSource, err := collectors.Collect(ctx, req)
			if err != nil {
				return err
			}
			if source == "" {
				source = defSource
			}
			for _, e := range res.Errors {
				fmt.Fprintln(os.Stderr, e.Error())
			}
			counts := collectors.Counts(res)
			types := make([]string, 0, len(counts))
			for t := range counts {
				types = append(types, t)
			}
			sort.Strings(types)
			for _, t := range types {
				fmt.Printf("%6d  %s\n", counts[t], t)
			}
			fmt.Printf("%d resources of %d types from %s, %d errors\n", len(res.Resources), len(types), source, len(res.Errors))
			if len(res.Resources) == 0 && len(res.Errors) > 0 {
				return fmt.Errorf("nothing collected")
			}
			snap := snapshot
			if snap && len(res.Errors) > 0 {
				snap = false
				fmt.Fprintln(os.Stderr, "collection incomplete: sending as a partial update, resources not seen are kept")
			}
			body, err := json.Marshal(map[string]any{"source": source, "snapshot": snap, "resources": res.Resources})
			if err != nil {
				return err
			}
			if out != "" {
				if err := os.WriteFile(out, body, 0o600); err != nil {
					return err
				}
				fmt.Printf("wrote %s\n", out)
				return nil
			}
			var resp struct{ Created, Modified, Unchanged, Deleted int }
			if err := c.Do(cmd.Context(), client.Request{Method: "POST", Path: "/api/v1/posture/resources", Body: body, ContentType: "application/json"}, &resp); err != nil {
				return err
			}
			fmt.Printf("server: %d new, %d modified, %d unchanged, %d deleted\n", resp.Created, resp.Modified, resp.Unchanged, resp.Deleted)
			return nil
		},
	}
	cf.register(cmd)
	f := cmd.Flags()
	f.StringVar(&req.Cloud, "cloud", "", "azure, aws or kubernetes (required)")
	f.StringSliceVar(&req.Subscriptions, "subscription", nil, "azure: subscription IDs (default: all the credential can read)")
	f.StringSliceVar(&req.ManagementGroups, "management-group", nil, "azure: management group IDs")
	f.StringVar(&req.Query, "query", "", "azure: Resource Graph query (default: resources and resource containers)")
	f.StringSliceVar(&req.Regions, "region", nil, `aws: regions for regional services, or "all" (default: the profile's region)`)
	f.StringVar(&req.Profile, "profile", "", "aws: shared config profile (default: AWS_PROFILE or default)")
	f.StringVar(&req.Context, "context", "", "kubernetes: kubeconfig context (default: the current one)")
	f.StringVar(&req.Kubeconfig, "kubeconfig", "", "kubernetes: kubeconfig file (default: KUBECONFIG, ~/.kube/config, in-cluster)")
	f.StringSliceVar(&req.Namespaces, "namespace", nil, "kubernetes: only these namespaces (default: all)")
	f.StringVar(&out, "out", "", "write the import request body (JSON) to this file instead of sending it")
	f.StringVar(&source, "source", "", "inventory source name on the server (default: collect:<cloud>:<scope>)")
	f.BoolVar(&snapshot, "snapshot", true, "replace the source's previous inventory (only when collection had no errors)")
	f.DurationVar(&timeout, "timeout", 15*time.Minute, "give up after this long")
	cmd.MarkFlagRequired("cloud")
	return cmd
}
