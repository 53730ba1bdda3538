package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/rampart-soc/rampart/internal/client"
)

func init() {
	var cf clientFlags
	var table string
	var quiet bool
	cmd := &cobra.Command{
		Use:   "ingest --table TABLE FILE...",
		Short: "Send JSON-lines, JSON-array or gzip files to a running server",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, files []string) error {
			if table == "" {
				return fmt.Errorf("--table is required")
			}
			c, err := cf.client()
			if err != nil {
				return err
			}
			var total int64
			for _, f := range files {
				opt := client.IngestOptions{}
				if !quiet {
					opt.Progress = func(p client.IngestProgress) {
						pct := 100.0
						if p.FileBytes > 0 {
							pct = 100 * float64(p.ReadBytes) / float64(p.FileBytes)
						}
						fmt.Fprintf(os.Stderr, "\r%s: %5.1f%% read, %d rows stored", p.File, pct, p.Rows)
						if p.Done {
							fmt.Fprintln(os.Stderr)
						}
					}
				}
				n, err := c.IngestFile(cmd.Context(), table, f, opt)
				total += n
				if err != nil {
					if !quiet {
						fmt.Fprintln(os.Stderr)
					}
					return fmt.Errorf("%w (%d rows stored before the error)", err, total)
				}
			}
			fmt.Printf("%d rows stored in %s\n", total, table)
			return nil
		},
	}
	cf.register(cmd)
	cmd.Flags().StringVar(&table, "table", "", "destination table")
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "no progress output")
	rootCmd.AddCommand(cmd)
}
