package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/rampart-soc/rampart/internal/posture/azpolicy"
)

func init() {
	cmd := &cobra.Command{Use: "posture", Short: "Posture management tools"}
	cmd.AddCommand(&cobra.Command{
		Use:   "policy-test PATH...",
		Short: "Run Azure Policy conformance case files (policy, aliases, resources, expected effects)",
		Long: `Evaluates each case with Rampart's Azure Policy interpreter and compares the effect
with the expected one; prints one line per failing case and ends with "N passed, M failed".`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, paths []string) error {
			passed, failed, err := azpolicy.RunCases(paths, os.Stdout)
			if err != nil {
				return err
			}
			if failed > 0 {
				return fmt.Errorf("%d of %d cases failed", failed, passed+failed)
			}
			return nil
		},
	})
	cmd.AddCommand(postureScanCmd(), postureImportCmd(), postureCollectCmd())
	rootCmd.AddCommand(cmd)
}
