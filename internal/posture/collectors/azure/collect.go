// Package azure collects Azure inventories with Azure Resource Graph through the Azure SDK
// for Go. Rows are read as objects and converted by the Resource Graph importer
// (importers/azure), so collected and exported inventories are the same resources: Type
// the lower-cased ARM type, Properties the whole row.
package azure

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resourcegraph/armresourcegraph"

	argimport "github.com/rampart-soc/rampart/internal/posture/importers/azure"
	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

// DefaultQuery reads every resource plus the subscriptions and resource groups, ordered by
// id so skip-token paging is stable.
const DefaultQuery = "resources | union resourcecontainers | order by id asc"

// maxPages stops a service that keeps returning skip tokens.
const maxPages = 10000

// Options choose the scopes and query.
type Options struct {
	// Subscriptions and ManagementGroups to query, each on its own so one failing scope
	// does not hide the others; neither means every subscription the credential can read.
	Subscriptions    []string
	ManagementGroups []string
	Query            string // default DefaultQuery
	PageSize         int32  // rows per page, at most 1000 (the default)
	// ClientOptions configure the ARM client: cloud (China, US Government), transport,
	// retries. Nil is the public cloud.
	ClientOptions *arm.ClientOptions
}

// NewCredential returns the usual credential chain: environment (service principal
// secret or certificate), workload identity, managed identity, Azure CLI, Azure Developer
// CLI.
func NewCredential() (azcore.TokenCredential, error) {
	return azidentity.NewDefaultAzureCredential(nil)
}

// scope is one Resource Graph query target.
type scope struct {
	name string // in sources and errors
	subs []*string
	mgs  []*string
}

// Collect runs the query in every scope and converts the rows. Errors of one scope are
// recorded and the others continue; ctx bounds the run.
func Collect(ctx context.Context, cred azcore.TokenCredential, opts Options) inventory.Result {
	var res inventory.Result
	client, err := armresourcegraph.NewClient(cred, opts.ClientOptions)
	if err != nil {
		res.Errorf("azure resource graph", "%v", err)
		return res
	}
	if opts.Query == "" {
		opts.Query = DefaultQuery
	}
	if opts.PageSize <= 0 || opts.PageSize > 1000 {
		opts.PageSize = 1000
	}
	seen := map[string]bool{}
	for _, sc := range scopes(opts) {
		if ctx.Err() != nil {
			res.Errorf(sc.name, "not queried: %v", ctx.Err())
			continue
		}
		part := query(ctx, client, sc, opts)
		res.Errors = append(res.Errors, part.Errors...)
		for _, r := range part.Resources {
			if seen[r.ID] {
				continue // overlapping scopes (nested management groups)
			}
			seen[r.ID] = true
			res.Add(r)
		}
	}
	return res
}

func scopes(opts Options) []scope {
	var out []scope
	for _, s := range opts.Subscriptions {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, scope{name: "resource-graph:subscription/" + s, subs: []*string{&s}})
		}
	}
	for _, m := range opts.ManagementGroups {
		if m = strings.TrimSpace(m); m != "" {
			out = append(out, scope{name: "resource-graph:managementGroup/" + m, mgs: []*string{&m}})
		}
	}
	if len(out) == 0 {
		out = append(out, scope{name: "resource-graph:tenant"})
	}
	return out
}

// query pages through one scope's results and converts them with the importer: each page
// is one {"data": [...]} document of a JSON stream, so duplicates across pages are caught.
func query(ctx context.Context, client *armresourcegraph.Client, sc scope, opts Options) inventory.Result {
	var res inventory.Result
	format := armresourcegraph.ResultFormatObjectArray
	req := armresourcegraph.QueryRequest{
		Query:            &opts.Query,
		Subscriptions:    sc.subs,
		ManagementGroups: sc.mgs,
		Options:          &armresourcegraph.QueryRequestOptions{ResultFormat: &format, Top: &opts.PageSize},
	}
	var stream bytes.Buffer
	tokens := map[string]bool{}
	for page := 1; ; page++ {
		resp, err := client.Resources(ctx, req, nil)
		if err != nil {
			res.Errorf(fmt.Sprintf("%s: page %d", sc.name, page), "%s", describe(err))
			break
		}
		doc, err := json.Marshal(map[string]any{"data": resp.Data})
		if err != nil {
			res.Errorf(fmt.Sprintf("%s: page %d", sc.name, page), "%v", err)
			break
		}
		stream.Write(doc)
		stream.WriteByte('\n')
		token := ""
		if resp.SkipToken != nil {
			token = *resp.SkipToken
		}
		if token == "" {
			if resp.ResultTruncated != nil && *resp.ResultTruncated == armresourcegraph.ResultTruncatedTrue {
				res.Errorf(sc.name, "results truncated without a skip token (the query must project id to page)")
			}
			break
		}
		if tokens[token] || page >= maxPages {
			res.Errorf(sc.name, "paging does not end (page %d repeats a skip token or exceeds %d pages)", page, maxPages)
			break
		}
		tokens[token] = true
		req.Options.SkipToken = &token
	}
	if stream.Len() == 0 {
		return res
	}
	part := argimport.Parse(stream.Bytes(), sc.name)
	res.Merge(part)
	return res
}

// describe shortens an SDK error to one line: the service's error code and status when it
// answered, the error otherwise.
func describe(err error) string {
	var re *azcore.ResponseError
	if errors.As(err, &re) {
		msg := re.ErrorCode
		if msg == "" {
			msg = "request failed"
		}
		return fmt.Sprintf("HTTP %d %s: %s", re.StatusCode, msg, serviceMessage(re))
	}
	return strings.Join(strings.Fields(err.Error()), " ")
}

// serviceMessage is the error document's message ({"error": {"code", "message"}}), or the
// body's start when it has none.
func serviceMessage(re *azcore.ResponseError) string {
	if re.RawResponse == nil {
		return ""
	}
	body, err := runtime.Payload(re.RawResponse)
	if err != nil {
		return ""
	}
	var doc struct {
		Error struct{ Message string } `json:"error"`
	}
	if json.Unmarshal(body, &doc) == nil && doc.Error.Message != "" {
		return doc.Error.Message
	}
	line := strings.Join(strings.Fields(string(body)), " ")
	if len(line) > 300 {
		line = line[:300] + "..."
	}
	return line
}
