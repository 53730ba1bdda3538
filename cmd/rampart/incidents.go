package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/rampart-soc/rampart/internal/incident"
)

func init() {
	cmd := &cobra.Command{Use: "incidents", Short: "Work incidents on a running server"}

	var lf clientFlags
	var status, severity, sortBy, search string
	var limit, offset int
	var desc bool
	list := &cobra.Command{
		Use: "list", Short: "List incidents", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := lf.client()
			if err != nil {
				return err
			}
			q := url.Values{}
			for k, v := range map[string]string{"status": status, "severity": severity, "sort": sortBy, "q": search} {
				if v != "" {
					q.Set(k, v)
				}
			}
			q.Set("limit", strconv.Itoa(limit))
			q.Set("offset", strconv.Itoa(offset))
			if desc {
				q.Set("order", "desc")
			}
			var out struct {
				Incidents []incident.Incident
				Total     int
			}
			if err := c.JSON(cmd.Context(), "GET", "/api/v1/incidents?"+q.Encode(), nil, &out); err != nil {
				return err
			}
			tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NUMBER\tSEVERITY\tSTATUS\tALERTS\tOWNER\tCREATED\tTITLE")
			for _, i := range out.Incidents {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\t%s\t%s\n", i.Number, i.Severity, i.Status, len(i.AlertIDs), i.Owner.Name, i.Created.Format(time.RFC3339), i.Title)
			}
			tw.Flush()
			fmt.Printf("%d of %d incidents\n", len(out.Incidents), out.Total)
			return nil
		},
	}
	lf.register(list)
	list.Flags().StringVar(&status, "status", "", "New, Active, Closed (comma-separated)")
	list.Flags().StringVar(&severity, "severity", "", "Informational, Low, Medium, High (comma-separated)")
	list.Flags().StringVar(&sortBy, "sort", "number", "number, created, modified or severity")
	list.Flags().StringVar(&search, "search", "", "text in the title")
	list.Flags().BoolVar(&desc, "desc", false, "descending order")
	list.Flags().IntVar(&limit, "limit", 50, "page size (at most 1000)")
	list.Flags().IntVar(&offset, "offset", 0, "page offset")

	var sf clientFlags
	show := &cobra.Command{
		Use: "show NUMBER", Short: "Show an incident with its alerts (JSON)", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := sf.client()
			if err != nil {
				return err
			}
			var out json.RawMessage
			if err := c.JSON(cmd.Context(), "GET", "/api/v1/incidents/"+url.PathEscape(args[0]), nil, &out); err != nil {
				return err
			}
			return printIndented(out)
		},
	}
	sf.register(show)

	var uf clientFlags
	var uStatus, uSeverity, uClass, uComment, uOwner string
	update := &cobra.Command{
		Use: "update NUMBER", Short: "Change status, severity, owner or classification", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := uf.client()
			if err != nil {
				return err
			}
			p := map[string]any{}
			for k, v := range map[string]string{"status": uStatus, "severity": uSeverity, "classification": uClass, "classificationComment": uComment} {
				if v != "" {
					p[k] = v
				}
			}
			if uOwner != "" {
				p["owner"] = map[string]string{"name": uOwner}
			}
			var out json.RawMessage
			if err := c.JSON(cmd.Context(), "PATCH", "/api/v1/incidents/"+url.PathEscape(args[0]), p, &out); err != nil {
				return err
			}
			return printIndented(out)
		},
	}
	uf.register(update)
	update.Flags().StringVar(&uStatus, "status", "", "New, Active or Closed")
	update.Flags().StringVar(&uSeverity, "severity", "", "Informational, Low, Medium or High")
	update.Flags().StringVar(&uClass, "classification", "", "TruePositive, BenignPositive, FalsePositive or Undetermined (needed to close)")
	update.Flags().StringVar(&uComment, "classification-comment", "", "why it was classified so")
	update.Flags().StringVar(&uOwner, "owner", "", "owner's name")

	var cf clientFlags
	comment := &cobra.Command{
		Use: "comment NUMBER TEXT", Short: "Add a comment", Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := cf.client()
			if err != nil {
				return err
			}
			return c.JSON(cmd.Context(), "POST", "/api/v1/incidents/"+url.PathEscape(args[0])+"/comments", map[string]string{"text": args[1]}, nil)
		},
	}
	cf.register(comment)

	cmd.AddCommand(list, show, update, comment)
	rootCmd.AddCommand(cmd)
}

func printIndented(raw json.RawMessage) error {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return err
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func printJSON(v any) error {
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
