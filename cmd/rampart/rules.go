package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime/multipart"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/rampart-soc/rampart/internal/client"
	"github.com/rampart-soc/rampart/internal/rules"
)

func init() {
	cmd := &cobra.Command{Use: "rules", Short: "Manage detection rules (Sentinel analytics rules and Sigma)"}

	var lf clientFlags
	var kind string
	list := &cobra.Command{
		Use: "list", Short: "List rules", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := lf.client()
			if err != nil {
				return err
			}
			var out struct{ Rules []rules.Rule }
			if err := c.JSON(cmd.Context(), "GET", "/api/v1/rules?kind="+url.QueryEscape(kind), nil, &out); err != nil {
				return err
			}
			tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tKIND\tENABLED\tSEVERITY\tVERSION\tNAME")
			for _, r := range out.Rules {
				fmt.Fprintf(tw, "%s\t%s\t%v\t%s\t%d\t%s\n", r.ID, r.Kind, r.Enabled, r.Severity, r.Version, r.Name)
			}
			tw.Flush()
			fmt.Printf("%d rules\n", len(out.Rules))
			return nil
		},
	}
	lf.register(list)
	list.Flags().StringVar(&kind, "kind", "", "Scheduled, NRT or Sigma")

	var imf clientFlags
	imp := &cobra.Command{
		Use:   "import PATH...",
		Short: "Import Sentinel analytics rules (YAML, or JSON lines of rule records) and Sigma rules from files or trees",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := imf.client()
			if err != nil {
				return err
			}
			return importRules(cmd.Context(), c, args)
		},
	}
	imf.register(imp)

	validate := &cobra.Command{
		Use:   "validate PATH...",
		Short: "Check rule files locally, reporting every problem with file and line",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			rs, probs, err := rules.Load(args, nil)
			if err != nil {
				return err
			}
			failed := 0
			for _, p := range probs {
				fmt.Println(p)
				if !p.Warning {
					failed++
				}
			}
			fmt.Printf("%d rules valid, %d problems\n", len(rs), failed)
			if failed > 0 {
				return errors.New("some rules are invalid")
			}
			return nil
		},
	}

	var ef clientFlags
	export := &cobra.Command{
		Use: "export", Short: "Write every rule as multi-document YAML (re-importable)", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := ef.client()
			if err != nil {
				return err
			}
			body, err := c.Raw(cmd.Context(), "GET", "/api/v1/rules/export?kind="+url.QueryEscape(kind))
			if err != nil {
				return err
			}
			_, err = os.Stdout.Write(body)
			return err
		},
	}
	ef.register(export)

	simple := func(use, short, method, suffix string) *cobra.Command {
		var f clientFlags
		c := &cobra.Command{
			Use: use + " ID", Short: short, Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				cl, err := f.client()
				if err != nil {
					return err
				}
				var out any
				if err := cl.JSON(cmd.Context(), method, "/api/v1/rules/"+url.PathEscape(args[0])+suffix, nil, &out); err != nil {
					return err
				}
				if out != nil {
					return printJSON(out)
				}
				fmt.Println("ok")
				return nil
			},
		}
		f.register(c)
		return c
	}
	cmd.AddCommand(list, imp, validate, export,
		simple("show", "Show a rule", "GET", ""),
		simple("versions", "Show a rule's change history", "GET", "/versions"),
		simple("enable", "Enable a rule", "POST", "/enable"),
		simple("disable", "Disable a rule", "POST", "/disable"),
		simple("delete", "Delete a rule (its history stays)", "DELETE", ""))
	rootCmd.AddCommand(cmd)
}

// importRules sends each rule file to the server, which validates and stores it.
func importRules(ctx context.Context, c *client.Client, paths []string) error {
	return importRulesOut(ctx, c, paths, os.Stdout)
}

// importRulesTo imports one tree, writing the report to w.
func importRulesTo(ctx context.Context, c *client.Client, path string, w io.Writer) error {
	return importRulesOut(ctx, c, []string{path}, w)
}

func importRulesOut(ctx context.Context, c *client.Client, paths []string, w io.Writer) error {
	var files []string
	for _, p := range paths {
		err := filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			switch strings.ToLower(filepath.Ext(path)) {
			case ".yaml", ".yml", ".jsonl":
				if !d.IsDir() {
					files = append(files, path)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	sort.Strings(files)
	imported, unchanged, failed := 0, 0, 0
	// Files go up in multipart requests of up to ~8 MiB, so the server recompiles its
	// detectors once per request rather than once per file.
	for len(files) > 0 {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		sent := 0
		for sent < len(files) && (sent == 0 || body.Len() < 8<<20) {
			data, err := os.ReadFile(files[sent])
			if err != nil {
				return err
			}
			part, err := mw.CreateFormFile("file", files[sent])
			if err != nil {
				return err
			}
			part.Write(data)
			sent++
		}
		mw.Close()
		var out struct {
			Imported, Unchanged int
			Problems            []rules.Problem
		}
		if err := c.Do(ctx, client.Request{Method: "POST", Path: "/api/v1/rules/import", Body: body.Bytes(), ContentType: mw.FormDataContentType()}, &out); err != nil {
			return fmt.Errorf("%s…: %w", files[0], err)
		}
		for _, p := range out.Problems {
			fmt.Fprintln(w, p)
			if !p.Warning {
				failed++
			}
		}
		imported += out.Imported
		unchanged += out.Unchanged
		files = files[sent:]
	}
	fmt.Fprintf(w, "%d rules imported, %d unchanged, %d problems in %d files\n", imported, unchanged, failed, len(files))
	return nil
}
