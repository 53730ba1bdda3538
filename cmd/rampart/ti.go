package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/rampart-soc/rampart/internal/client"
	"github.com/rampart-soc/rampart/internal/ti"
)

func init() {
	cmd := &cobra.Command{Use: "ti", Short: "Threat intelligence (STIX 2.x)"}
	var imf clientFlags
	imp := &cobra.Command{
		Use:   "import FILE...",
		Short: "Import STIX bundles, envelopes or objects (JSON, NDJSON, gzip; 2.0 is upgraded)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, files []string) error {
			c, err := imf.client()
			if err != nil {
				return err
			}
			for _, f := range files {
				data, err := os.ReadFile(f)
				if err != nil {
					return err
				}
				var out struct {
					Read, Invalid, Inserted, Updated, Older, Duplicate int
					Indicators, IndexedObservables                     int
					Errors                                             []json.RawMessage
				}
				err = c.Do(cmd.Context(), client.Request{Method: "POST", Path: "/api/v1/ti/import?source=" + url.QueryEscape(filepath.Base(f)),
					Body: data, ContentType: "application/json"}, &out)
				if err != nil {
					return fmt.Errorf("%s: %w", f, err)
				}
				for _, e := range out.Errors {
					fmt.Printf("%s: %s\n", f, e)
				}
				fmt.Printf("%s: %d objects read, %d invalid, %d new, %d updated, %d older, %d duplicate; %d indicators, %d observables indexed\n",
					f, out.Read, out.Invalid, out.Inserted, out.Updated, out.Older, out.Duplicate, out.Indicators, out.IndexedObservables)
			}
			return nil
		},
	}
	imf.register(imp)
	var lf clientFlags
	lookup := &cobra.Command{
		Use: "lookup VALUE", Short: "What is known about an IP address, domain, URL, file hash or email address", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := lf.client()
			if err != nil {
				return err
			}
			var out any
			if err := c.JSON(cmd.Context(), "GET", "/api/v1/ti/lookup?value="+url.QueryEscape(args[0]), nil, &out); err != nil {
				return err
			}
			return printJSON(out)
		},
	}
	lf.register(lookup)
	cmd.AddCommand(imp, lookup)
	rootCmd.AddCommand(cmd)
}

func init() {
	for _, c := range rootCmd.Commands() {
		if c.Name() != "ti" {
			continue
		}
		c.AddCommand(&cobra.Command{
			Use:   "validate FILE",
			Short: `Check a STIX bundle, or JSON lines of {"pattern": ...}: one verdict per object or line, then "N passed, M failed"`,
			Args:  cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				data, err := os.ReadFile(args[0])
				if err != nil {
					return err
				}
				_, failed, err := ti.Validate(data, os.Stdout)
				if err != nil {
					return err
				}
				if failed > 0 {
					return fmt.Errorf("%d invalid", failed)
				}
				return nil
			},
		})
	}
}
