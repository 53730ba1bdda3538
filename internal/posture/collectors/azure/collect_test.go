package azure

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/rampart-soc/rampart/internal/posture/inventory"
	"github.com/rampart-soc/rampart/internal/testutil"
)

const (
	sub1 = "11111111-1111-1111-1111-111111111111"
	sub2 = "22222222-2222-2222-2222-222222222222"
)

// staticToken is a credential that needs no identity service.
type staticToken struct{}

func (staticToken) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: "test-token", ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// graphRequest is what the SDK sends to Resource Graph.
type graphRequest struct {
	Query         string   `json:"query"`
	Subscriptions []string `json:"subscriptions"`
	Options       struct {
		SkipToken    string `json:"$skipToken"`
		Top          int    `json:"$top"`
		ResultFormat string `json:"resultFormat"`
	} `json:"options"`
}

// graphServer answers Resource Graph queries with respond; it checks the request the SDK
// makes and keeps them.
func graphServer(t *testing.T, respond func(graphRequest) (int, []byte)) (*arm.ClientOptions, *[]graphRequest) {
	t.Helper()
	var mu sync.Mutex
	var reqs []graphRequest
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/providers/Microsoft.ResourceGraph/resources" {
			t.Errorf("unexpected request %s %s", r.Method, r.URL)
			http.NotFound(w, r)
			return
		}
		if r.Header.Get("Authorization") != "Bearer test-token" {
			t.Errorf("request without the token: %q", r.Header.Get("Authorization"))
		}
		if r.URL.Query().Get("api-version") == "" {
			t.Errorf("no api-version")
		}
		body, _ := io.ReadAll(r.Body)
		var q graphRequest
		if err := json.Unmarshal(body, &q); err != nil {
			t.Errorf("request body: %v", err)
		}
		mu.Lock()
		reqs = append(reqs, q)
		mu.Unlock()
		status, data := respond(q)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		w.Write(data)
	}))
	t.Cleanup(srv.Close)
	opts := &arm.ClientOptions{ClientOptions: policy.ClientOptions{
		Cloud: cloud.Configuration{
			ActiveDirectoryAuthorityHost: "https://login.invalid/",
			Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
				cloud.ResourceManager: {Endpoint: srv.URL, Audience: "https://management.azure.com"},
			},
		},
		Transport: srv.Client(),
		Retry:     policy.RetryOptions{MaxRetries: -1},
	}}
	return opts, &reqs
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestCollectPagesAndScopes(t *testing.T) {
	page1, page2, forbidden := readFile(t, "page1.json"), readFile(t, "page2.json"), readFile(t, "forbidden.json")
	copts, reqs := graphServer(t, func(q graphRequest) (int, []byte) {
		switch {
		case len(q.Subscriptions) == 1 && q.Subscriptions[0] == sub2:
			return http.StatusForbidden, forbidden
		case q.Options.SkipToken == "":
			return 200, page1
		default:
			return 200, page2
		}
	})
	res := Collect(context.Background(), staticToken{}, Options{Subscriptions: []string{sub1, sub2}, ClientOptions: copts})

	if len(*reqs) != 3 {
		t.Fatalf("%d requests, want 3 (two pages, one failing scope)", len(*reqs))
	}
	first := (*reqs)[0]
	if first.Query != DefaultQuery || first.Options.ResultFormat != "objectArray" || first.Options.Top != 1000 || first.Subscriptions[0] != sub1 {
		t.Errorf("first request: %+v", first)
	}
	if (*reqs)[1].Options.SkipToken == "" {
		t.Errorf("the second page was not asked with the skip token")
	}

	want := map[string]string{
		"/subscriptions/" + sub1:                            "microsoft.resources/subscriptions",
		"/subscriptions/" + sub1 + "/resourcegroups/rg-web": "microsoft.resources/subscriptions/resourcegroups",
		"/subscriptions/" + sub1 + "/resourcegroups/rg-web/providers/microsoft.network/networksecuritygroups/nsg-web": "microsoft.network/networksecuritygroups",
		"/subscriptions/" + sub1 + "/resourcegroups/rg-web/providers/microsoft.storage/storageaccounts/stwebassets":   "microsoft.storage/storageaccounts",
		"/subscriptions/" + sub1 + "/resourcegroups/rg-web/providers/microsoft.compute/virtualmachines/vm-web-1":      "microsoft.compute/virtualmachines",
	}
	got := map[string]*inventory.Resource{}
	for _, r := range res.Resources {
		got[r.ID] = r
	}
	for id, typ := range want {
		r := got[id]
		if r == nil {
			t.Errorf("missing %s (have %d resources)", id, len(res.Resources))
			continue
		}
		if r.Type != typ || r.Provider != inventory.Azure || r.Format != "arm" || r.Account != sub1 {
			t.Errorf("%s: type %q provider %q format %q account %q", id, r.Type, r.Provider, r.Format, r.Account)
		}
	}
	if len(res.Resources) != len(want) {
		t.Errorf("%d resources, want %d", len(res.Resources), len(want))
	}

	st := got["/subscriptions/"+sub1+"/resourcegroups/rg-web/providers/microsoft.storage/storageaccounts/stwebassets"]
	if st != nil {
		if v, _ := st.Get("properties.supportsHttpsTrafficOnly"); v != false {
			t.Errorf("storage properties not kept whole: %v", st.Properties)
		}
		if st.Name != "stwebassets" || st.Region != "westeurope" || st.ResourceGroup != "rg-web" || st.Tags["cost-center"] != "4711" {
			t.Errorf("storage: name %q region %q rg %q tags %v", st.Name, st.Region, st.ResourceGroup, st.Tags)
		}
		if v, _ := st.Get("sku.name"); v != "Standard_LRS" {
			t.Errorf("sku = %v", v)
		}
	}
	nsg := got["/subscriptions/"+sub1+"/resourcegroups/rg-web/providers/microsoft.network/networksecuritygroups/nsg-web"]
	if nsg != nil {
		if v, _ := nsg.Get("properties.securityRules.0.properties.destinationPortRange"); v != "22" {
			t.Errorf("nsg rule = %v", v)
		}
	}

	if len(res.Errors) != 1 {
		t.Fatalf("errors: %v", res.Errors)
	}
	e := res.Errors[0]
	if !strings.Contains(e.Source, "subscription/"+sub2) || !strings.Contains(e.Err, "HTTP 403 AuthorizationFailed") || !strings.Contains(e.Err, "does not have authorization") {
		t.Errorf("error = %s", e.Error())
	}
}

// The real Resource Graph rows of the shared corpus come through unchanged.
func TestCollectCorpusRows(t *testing.T) {
	path := filepath.Join(testutil.Shared(t, "corpus", "posture", "inventories", "azure", "custodian-azure-storage"), "resource_graph_responses.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]any // decoded as the importer decodes: the row must come through as is
	if err := json.Unmarshal(data, &rows); err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(map[string]any{"totalRecords": len(rows), "count": len(rows), "resultTruncated": "false", "data": rows})
	copts, reqs := graphServer(t, func(graphRequest) (int, []byte) { return 200, body })
	res := Collect(context.Background(), staticToken{}, Options{ClientOptions: copts, Query: "resources | where type =~ 'microsoft.storage/storageaccounts'"})
	if len(res.Errors) != 0 {
		t.Errorf("errors: %v", res.Errors)
	}
	if len(*reqs) != 1 || len((*reqs)[0].Subscriptions) != 0 {
		t.Errorf("want one tenant-scope request, got %+v", *reqs)
	}
	if len(res.Resources) != len(rows) {
		t.Fatalf("%d resources from %d rows", len(res.Resources), len(rows))
	}
	for i, r := range res.Resources {
		if r.Type != rows[i]["type"] || r.Name != rows[i]["name"] {
			t.Errorf("row %d: type %q name %q, want %v %v", i, r.Type, r.Name, rows[i]["type"], rows[i]["name"])
		}
		if !reflect.DeepEqual(r.Properties, map[string]any(rows[i])) {
			t.Errorf("row %d: Properties differ from the row served", i)
		}
	}
	t.Logf("corpus: %d Resource Graph rows collected as %d resources", len(rows), len(res.Resources))
}

func TestCollectStopsOnRepeatedSkipToken(t *testing.T) {
	body := []byte(`{"totalRecords": 1, "count": 1, "resultTruncated": "false", "$skipToken": "same", "data": [{"id": "/subscriptions/` + sub1 + `", "type": "microsoft.resources/subscriptions", "name": "x"}]}`)
	copts, reqs := graphServer(t, func(graphRequest) (int, []byte) { return 200, body })
	res := Collect(context.Background(), staticToken{}, Options{Subscriptions: []string{sub1}, ClientOptions: copts})
	if len(*reqs) != 2 {
		t.Errorf("%d requests, want 2", len(*reqs))
	}
	if len(res.Resources) != 1 {
		t.Errorf("%d resources, want 1 (the repeated page's row is a duplicate)", len(res.Resources))
	}
	found := false
	for _, e := range res.Errors {
		found = found || strings.Contains(e.Err, "paging does not end")
	}
	if !found {
		t.Errorf("errors: %v", res.Errors)
	}
}

func TestCollectDeadline(t *testing.T) {
	copts, _ := graphServer(t, func(graphRequest) (int, []byte) {
		time.Sleep(200 * time.Millisecond)
		return 200, []byte(`{"data": []}`)
	})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	res := Collect(ctx, staticToken{}, Options{Subscriptions: []string{sub1, sub2}, ClientOptions: copts})
	if len(res.Errors) != 2 {
		t.Fatalf("errors: %v", res.Errors)
	}
	if !strings.Contains(res.Errors[0].Err, "deadline") || !strings.Contains(res.Errors[1].Err, "not queried") {
		t.Errorf("errors: %v", res.Errors)
	}
}
