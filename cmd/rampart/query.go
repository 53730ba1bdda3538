package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/rampart-soc/rampart/internal/client"
)

func init() {
	var cf clientFlags
	var format, timespan string
	cmd := &cobra.Command{
		Use:   "query [--format table|json|csv] [--timespan P1D] QUERY",
		Short: "Run a KQL query against a server",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := cf.client()
			if err != nil {
				return err
			}
			var res struct {
				Columns []struct{ Name, Type string }
				Rows    [][]any
			}
			var raw json.RawMessage
			err = c.JSON(cmd.Context(), "POST", "/api/v1/query", map[string]string{"query": args[0], "timespan": timespan}, &raw)
			var ae *client.Error
			if errors.As(err, &ae) {
				return errors.New(ae.Message)
			}
			if err != nil {
				return err
			}
			if format == "json" {
				_, err := os.Stdout.Write(append(raw, '\n'))
				return err
			}
			if err := json.Unmarshal(raw, &res); err != nil {
				return err
			}
			cell := func(v any) string {
				switch x := v.(type) {
				case nil:
					return ""
				case string:
					return x
				}
				b, _ := json.Marshal(v)
				return string(b)
			}
			switch format {
			case "csv":
				w := csv.NewWriter(os.Stdout)
				var head []string
				for _, col := range res.Columns {
					head = append(head, col.Name)
				}
				w.Write(head)
				for _, r := range res.Rows {
					rec := make([]string, len(r))
					for i, v := range r {
						rec[i] = cell(v)
					}
					w.Write(rec)
				}
				w.Flush()
				return w.Error()
			case "table", "":
				tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
				var head []string
				for _, col := range res.Columns {
					head = append(head, col.Name)
				}
				fmt.Fprintln(tw, strings.Join(head, "\t"))
				for _, r := range res.Rows {
					rec := make([]string, len(r))
					for i, v := range r {
						rec[i] = strings.ReplaceAll(cell(v), "\t", " ")
					}
					fmt.Fprintln(tw, strings.Join(rec, "\t"))
				}
				tw.Flush()
				fmt.Fprintf(os.Stderr, "%d rows\n", len(res.Rows))
				return nil
			}
			return fmt.Errorf("unknown format %q (table, json or csv)", format)
		},
	}
	cf.register(cmd)
	cmd.Flags().StringVar(&format, "format", "table", "table, json or csv")
	cmd.Flags().StringVar(&timespan, "timespan", "", "only rows whose TimeGenerated is within this ISO 8601 duration (P1D, PT1H)")
	rootCmd.AddCommand(cmd)
}
