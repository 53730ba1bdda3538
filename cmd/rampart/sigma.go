package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/rampart-soc/rampart/internal/sigma"
)

func init() {
	cmd := &cobra.Command{Use: "sigma", Short: "Sigma rule tools"}
	var rulesDir, regDir string
	test := &cobra.Command{
		Use:   "test --rules DIR --regression DIR",
		Short: "Check rules against regression events (info.yml + events); ends with \"N passed, M failed\"",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if rulesDir == "" || regDir == "" {
				return fmt.Errorf("--rules and --regression are required")
			}
			_, failed, err := sigma.RunRegression(rulesDir, regDir, os.Stdout)
			if err != nil {
				return err
			}
			if failed > 0 {
				return fmt.Errorf("%d regression cases failed", failed)
			}
			return nil
		},
	}
	test.Flags().StringVar(&rulesDir, "rules", "", "directory of Sigma rules")
	test.Flags().StringVar(&regDir, "regression", "", "directory of regression cases")

	var checkDir string
	check := &cobra.Command{
		Use:   "check --rules DIR",
		Short: "Compile every rule and map it to a table; ends with \"N passed, M failed\"",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if checkDir == "" {
				return fmt.Errorf("--rules is required")
			}
			_, failed, err := sigma.Check(checkDir, os.Stdout)
			if err != nil {
				return err
			}
			if failed > 0 {
				return fmt.Errorf("%d rules cannot run", failed)
			}
			return nil
		},
	}
	check.Flags().StringVar(&checkDir, "rules", "", "directory of Sigma rules")
	cmd.AddCommand(test, check)
	rootCmd.AddCommand(cmd)
}
