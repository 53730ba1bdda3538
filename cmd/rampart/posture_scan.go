package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/rampart-soc/rampart/internal/client"
	"github.com/rampart-soc/rampart/internal/posture/importers"
	"github.com/rampart-soc/rampart/internal/posture/inventory"
	"github.com/rampart-soc/rampart/internal/posture/policy"
	"github.com/rampart-soc/rampart/internal/posture/score"
)

// scanReport is `posture scan --format json`.
type scanReport struct {
	Resources int                     `json:"resources"`
	Findings  []policy.Finding        `json:"findings"`
	Score     score.Score             `json:"score"`
	Errors    []inventory.ImportError `json:"errors,omitempty"`
}

func postureScanCmd() *cobra.Command {
	var format, minSeverity string
	var userPolicies []string
	var all bool
	cmd := &cobra.Command{
		Use:   "scan PATH...",
		Short: "Import inventories offline (IaC, manifests, cloud exports), assess them and print recommendations and the score",
		Long: `Reads Terraform (.tf and plan/state JSON), CloudFormation, Kubernetes manifests and
kustomizations, Azure Resource Graph/ARM exports, GCP Cloud Asset Inventory exports and AWS
Config/API JSON from files or folders, assesses every resource against the built-in policies
(plus --policies), and prints the recommendations, the failed resources and the secure score.
JSON output lists every finding. Exit status 0 whatever the findings; 1 on bad input only
when nothing could be imported.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, paths []string) error {
			set, err := policySet(userPolicies)
			if err != nil {
				return err
			}
			res := importers.Import(paths...)
			if len(res.Resources) == 0 && len(res.Errors) > 0 {
				for _, e := range res.Errors {
					fmt.Fprintln(os.Stderr, e.Error())
				}
				return fmt.Errorf("no resources imported")
			}
			findings := set.Assess(res.Resources)
			rep := scanReport{Resources: len(res.Resources), Score: score.Compute(findings, set.Policy), Errors: res.Errors}
			rank := map[string]int{"High": 3, "Medium": 2, "Low": 1}
			for _, f := range findings {
				if !all && f.State != policy.Unhealthy && f.State != policy.Error {
					continue
				}
				if rank[f.Severity] < rank[minSeverity] {
					continue
				}
				rep.Findings = append(rep.Findings, f)
			}
			out := cmd.OutOrStdout()
			switch format {
			case "json":
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				return enc.Encode(rep)
			case "table":
				printScan(out, set, rep)
				return nil
			}
			return fmt.Errorf("--format %q: expected table or json", format)
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output: table or json")
	cmd.Flags().StringVar(&minSeverity, "severity", "Low", "lowest severity to list: Low, Medium or High")
	cmd.Flags().StringSliceVar(&userPolicies, "policies", nil, "extra policy files or folders (YAML, the built-in format)")
	cmd.Flags().BoolVar(&all, "all", false, "list healthy and not-applicable findings too")
	return cmd
}

func policySet(user []string) (*policy.Set, error) {
	set, err := policy.Builtin()
	if err != nil || len(user) == 0 {
		return set, err
	}
	extra, err := policy.LoadPaths(user...)
	if err != nil {
		return nil, err
	}
	return policy.NewSet(append(append([]*policy.Policy{}, set.Policies...), extra...)...)
}

func printScan(w io.Writer, set *policy.Set, rep scanReport) {
	type rec struct {
		p         *policy.Policy
		resources []string
	}
	by := map[string]*rec{}
	errs := 0
	for _, f := range rep.Findings {
		if f.State == policy.Error {
			errs++
			continue
		}
		r := by[f.PolicyID]
		if r == nil {
			r = &rec{p: set.Policy(f.PolicyID)}
			by[f.PolicyID] = r
		}
		r.resources = append(r.resources, f.ResourceID)
	}
	recs := make([]*rec, 0, len(by))
	for _, r := range by {
		recs = append(recs, r)
	}
	rank := map[string]int{"High": 3, "Medium": 2, "Low": 1}
	sort.Slice(recs, func(i, j int) bool {
		if rank[recs[i].p.Severity] != rank[recs[j].p.Severity] {
			return rank[recs[i].p.Severity] > rank[recs[j].p.Severity]
		}
		if len(recs[i].resources) != len(recs[j].resources) {
			return len(recs[i].resources) > len(recs[j].resources)
		}
		return recs[i].p.ID < recs[j].p.ID
	})
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "SEVERITY\tPOLICY\tUNHEALTHY\tRECOMMENDATION\n")
	for _, r := range recs {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", r.p.Severity, r.p.ID, len(r.resources), r.p.Title)
	}
	tw.Flush()
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Failed resources:")
	for _, r := range recs {
		fmt.Fprintf(w, "  %s %s\n", r.p.ID, r.p.Title)
		for i, id := range r.resources {
			if i == 10 {
				fmt.Fprintf(w, "    ... and %d more\n", len(r.resources)-10)
				break
			}
			fmt.Fprintf(w, "    %s\n", id)
		}
		if r.p.Remediation != "" {
			fmt.Fprintf(w, "    fix: %s\n", strings.TrimSpace(strings.SplitN(r.p.Remediation, "\n", 2)[0]))
		}
	}
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "CONTROL\tSCORE\tMAX\tHEALTHY\tUNHEALTHY\tNOT APPLICABLE\n")
	for _, c := range rep.Score.Controls {
		fmt.Fprintf(tw, "%s\t%.2f\t%.0f\t%d\t%d\t%d\n", c.Name, c.CurrentScore, c.MaxScore, c.Healthy, c.Unhealthy, c.NotApplicable)
	}
	tw.Flush()
	fmt.Fprintf(w, "\n%d resources, %d recommendations, %d unhealthy findings", rep.Resources, len(recs), len(rep.Findings)-errs)
	if errs > 0 {
		fmt.Fprintf(w, ", %d evaluation errors", errs)
	}
	if len(rep.Errors) > 0 {
		fmt.Fprintf(w, ", %d import errors (first: %s)", len(rep.Errors), rep.Errors[0].Error())
	}
	fmt.Fprintf(w, "\nSecure score: %.2f of %.0f (%.0f%%)\n", rep.Score.CurrentScore, rep.Score.MaxScore, rep.Score.Percentage)
}

func postureImportCmd() *cobra.Command {
	var cf clientFlags
	var source string
	var snapshot bool
	cmd := &cobra.Command{
		Use:   "import PATH...",
		Short: "Import inventories into a running server (it re-assesses and keeps the history)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, paths []string) error {
			c, err := cf.client()
			if err != nil {
				return err
			}
			res := importers.Import(paths...)
			for _, e := range res.Errors {
				fmt.Fprintln(os.Stderr, e.Error())
			}
			if source == "" {
				source = strings.Join(paths, ",")
			}
			body, err := json.Marshal(map[string]any{"source": source, "snapshot": snapshot, "resources": res.Resources})
			if err != nil {
				return err
			}
			var out struct{ Created, Modified, Unchanged, Deleted int }
			if err := c.Do(cmd.Context(), client.Request{Method: "POST", Path: "/api/v1/posture/resources", Body: body, ContentType: "application/json"}, &out); err != nil {
				return err
			}
			fmt.Printf("%d resources: %d new, %d modified, %d unchanged, %d deleted\n", len(res.Resources), out.Created, out.Modified, out.Unchanged, out.Deleted)
			return nil
		},
	}
	cf.register(cmd)
	cmd.Flags().StringVar(&source, "source", "", "name of this inventory source (default: the paths)")
	cmd.Flags().BoolVar(&snapshot, "snapshot", true, "the paths are the source's whole inventory: resources no longer in it are deleted")
	return cmd
}
