package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/rampart-soc/rampart/internal/posture/importers"
	"github.com/rampart-soc/rampart/internal/posture/inventory"
	"github.com/rampart-soc/rampart/internal/posture/policy"
)

func init() {
	var n int
	var profile string
	var top int
	cmd := &cobra.Command{
		Use:   "posture PATH...",
		Short: "Assess an inventory grown to --resources copies of the resources in PATH against every built-in policy",
		Long: `Imports PATH (any inventory format posture scan reads), repeats its resources under new ids
until there are --resources of them, and times one full assessment against every built-in
policy, beside a baseline pass that only walks the same resources.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, paths []string) error {
			set, err := policy.Builtin()
			if err != nil {
				return err
			}
			imported := importers.Import(paths...)
			var base []*inventory.Resource
			typed := map[string]bool{}
			for _, t := range set.Types() {
				typed[t] = true
			}
			for _, r := range imported.Resources {
				if typed[strings.ToLower(r.Type)] {
					base = append(base, r) // only resources some policy assesses
				}
			}
			if len(base) == 0 {
				return fmt.Errorf("no resource in %v is of a type the built-in policies assess", paths)
			}
			rs := make([]*inventory.Resource, n)
			for i := range rs {
				c := *base[i%len(base)]
				c.ID = c.ID + "#" + strconv.Itoa(i)
				rs[i] = &c
			}
			runtime.GC()
			start := time.Now()
			walked := 0
			for _, r := range rs {
				walked += len(r.Properties)
			}
			baseline := time.Since(start)
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			if profile != "" {
				f, err := os.Create(profile)
				if err != nil {
					return err
				}
				defer f.Close()
				if err := pprof.StartCPUProfile(f); err != nil {
					return err
				}
			}
			start = time.Now()
			findings := set.Assess(rs)
			elapsed := time.Since(start)
			pprof.StopCPUProfile()
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			states := map[string]int{}
			for _, f := range findings {
				states[f.State]++
			}
			fmt.Printf("posture assessment: %d resources (%d distinct from %v, %d types), %d policies, %d cores\n",
				n, len(base), paths, len(typed), len(set.Policies), runtime.GOMAXPROCS(0))
			fmt.Printf("  %d findings %v in %s = %.0f resources/s (baseline walk %s); %d MiB allocated\n",
				len(findings), states, elapsed.Round(time.Millisecond), float64(n)/elapsed.Seconds(), baseline.Round(time.Microsecond),
				(after.TotalAlloc-before.TotalAlloc)>>20)
			if top > 0 {
				slowest(set, rs[:min(len(rs), 10_000)], top)
			}
			return nil
		},
	}
	cmd.Flags().IntVar(&top, "slowest", 0, "also time each policy alone on 10,000 of the resources and list the N slowest")
	cmd.Flags().IntVar(&n, "resources", 100_000, "resources to assess")
	cmd.Flags().StringVar(&profile, "cpuprofile", "", "write a CPU profile of the assessment to this file")
	for _, c := range rootCmd.Commands() {
		if c.Name() == "bench" {
			c.AddCommand(cmd)
		}
	}
}

// slowest times every policy on its own and prints the n that cost the most in total.
func slowest(set *policy.Set, rs []*inventory.Resource, n int) {
	type cost struct {
		id       string
		d        time.Duration
		findings int
	}
	// An assessment run links and indexes the resources whatever the policies: time that once
	// and take it out of each policy's figure.
	empty, _ := policy.NewSet()
	start := time.Now()
	empty.Assess(rs)
	overhead := time.Since(start)
	var costs []cost
	for _, p := range set.Policies {
		one, err := policy.NewSet(p)
		if err != nil {
			continue
		}
		start := time.Now()
		f := one.Assess(rs)
		costs = append(costs, cost{p.ID, max(0, time.Since(start)-overhead), len(f)})
	}
	sort.Slice(costs, func(i, j int) bool { return costs[i].d > costs[j].d })
	fmt.Printf("  slowest policies on %d resources (run overhead of %s taken out):\n", len(rs), overhead.Round(time.Microsecond))
	for _, c := range costs[:min(n, len(costs))] {
		fmt.Printf("    %-12s %8s  %d findings\n", c.id, c.d.Round(time.Microsecond), c.findings)
	}
}
