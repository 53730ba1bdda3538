package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/rampart-soc/rampart/internal/replay"
)

func init() {
	var detect *cobra.Command
	for _, c := range rootCmd.Commands() {
		if c.Name() == "detect" {
			detect = c
		}
	}
	if detect == nil {
		detect = &cobra.Command{Use: "detect", Short: "Detection content tools"}
		rootCmd.AddCommand(detect)
	}
	var rulePaths []string
	var verbose bool
	cmd := &cobra.Command{
		Use:   "replay --rules PATH... DATASET_DIR...",
		Short: "Replay labelled attack datasets through the rules; per dataset PASS when an alert carries a labelled ATT&CK technique; ends with \"N passed, M failed\"",
		Long: `Replay labelled attack datasets (the shared/corpus/datasets layout: labels.json plus
event files) through Sigma rules and report detection recall. A DATASET_DIR is a dataset
folder or a folder of dataset folders. --rules takes Sigma and Sentinel analytics-rule YAML
files or trees (repeat the flag or separate with commas); Sentinel KQL rules are counted,
not evaluated. A dataset passes when a fired rule is tagged with one of its labelled
techniques (a sub-technique and its parent meet each other). The exit status is 0 whatever
the counts; bad dataset folders are reported and counted as failed.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(rulePaths) == 0 {
				return fmt.Errorf("--rules is required")
			}
			_, err := replay.RunWith(cmd.Context(), rulePaths, args, os.Stdout, replay.Options{Verbose: verbose})
			return err
		},
	}
	cmd.Flags().StringSliceVar(&rulePaths, "rules", nil, "Sigma or Sentinel rule files or directories")
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "list the rules that met each label, and row counts")
	detect.AddCommand(cmd)
}
