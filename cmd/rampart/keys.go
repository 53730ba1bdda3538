package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/rampart-soc/rampart/internal/auth"
)

func init() {
	keys := &cobra.Command{Use: "keys", Short: "Manage API keys (needs an admin key)"}

	var lf clientFlags
	list := &cobra.Command{
		Use: "list", Short: "List API keys", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := lf.client()
			if err != nil {
				return err
			}
			var out struct{ Keys []auth.Key }
			if err := c.JSON(cmd.Context(), "GET", "/api/v1/keys", nil, &out); err != nil {
				return err
			}
			tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tNAME\tROLE\tCREATED")
			for _, k := range out.Keys {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", k.ID, k.Name, k.Role, k.Created.Format(time.RFC3339))
			}
			return tw.Flush()
		},
	}
	lf.register(list)

	var cf clientFlags
	var role string
	create := &cobra.Command{
		Use: "create NAME --role ROLE", Short: "Create an API key; its secret is printed once", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := cf.client()
			if err != nil {
				return err
			}
			var out json.RawMessage
			if err := c.JSON(cmd.Context(), "POST", "/api/v1/keys", map[string]string{"name": args[0], "role": role}, &out); err != nil {
				return err
			}
			fmt.Println(string(out))
			return nil
		},
	}
	cf.register(create)
	create.Flags().StringVar(&role, "role", "reader", "role: reader, ingest, responder or admin")

	var df clientFlags
	del := &cobra.Command{
		Use: "delete ID", Short: "Delete an API key", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := df.client()
			if err != nil {
				return err
			}
			if err := c.JSON(cmd.Context(), "DELETE", "/api/v1/keys/"+url.PathEscape(args[0]), nil, nil); err != nil {
				return err
			}
			fmt.Println("deleted", args[0])
			return nil
		},
	}
	df.register(del)

	keys.AddCommand(list, create, del)
	rootCmd.AddCommand(keys)
}
