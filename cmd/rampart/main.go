// Command rampart is the single binary of the Rampart security operations platform.
// Subcommands only parse flags and call into internal packages.
package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

var rootCmd = &cobra.Command{
	Use:           "rampart",
	Short:         "Rampart: a self-hosted SIEM, SOAR and cloud security posture platform",
	SilenceUsage:  true,
	SilenceErrors: true,
}

func main() {
	if err := rootCmd.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "rampart:", err)
		os.Exit(1)
	}
}
