package taxii

import (
	"encoding/json"
	"github.com/rampart-soc/rampart/internal/testutil"
	"os"
	"path/filepath"
	"testing"
)

// taxiiDir returns shared/corpus/stix/taxii beside the repository root,
// skipping the test when it is absent (failing under CI=true).
func taxiiDir(t testing.TB) string {
	t.Helper()
	return testutil.Shared(t, "corpus", "stix", "taxii")
}

// exchange is one recorded request/response of synthesized/index.json.
type exchange struct {
	Name    string `json:"name"`
	Request struct {
		Method   string            `json:"method"`
		Path     string            `json:"path"`
		Query    map[string]string `json:"query"`
		Headers  map[string]string `json:"headers"`
		BodyFile string            `json:"body_file"`
	} `json:"request"`
	Response struct {
		Status   int               `json:"status"`
		Headers  map[string]string `json:"headers"`
		BodyFile string            `json:"body_file"`
	} `json:"response"`
}

type fixtureIndex struct {
	BaseURL    string     `json:"base_url"`
	APIRoot    string     `json:"api_root"`
	Collection string     `json:"collection"`
	Exchanges  []exchange `json:"exchanges"`
}

func loadIndex(t testing.TB) (fixtureIndex, string) {
	dir := filepath.Join(taxiiDir(t), "synthesized")
	var idx fixtureIndex
	readJSON(t, filepath.Join(dir, "index.json"), &idx)
	return idx, dir
}

func readJSON(t testing.TB, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// medallion's default_data.json, the parts we load.
type medallionColl struct {
	ID, Title, Description string
	CanRead                bool     `json:"can_read"`
	CanWrite               bool     `json:"can_write"`
	MediaTypes             []string `json:"media_types"`
	Objects                []json.RawMessage
	Manifest               []ManifestRecord
}

type medallionRoot struct {
	Information APIRoot
	Status      []Status
	Collections []medallionColl
}

type medallionData struct {
	Discovery Discovery
	Roots     map[string]medallionRoot
}

func loadMedallion(t testing.TB) medallionData {
	var raw map[string]json.RawMessage
	readJSON(t, filepath.Join(taxiiDir(t), "medallion", "default_data.json"), &raw)
	md := medallionData{Roots: map[string]medallionRoot{}}
	for k, v := range raw {
		var err error
		if k == "/discovery" || k == "discovery" { // medallion keys it "/discovery"
			err = json.Unmarshal(v, &md.Discovery)
		} else {
			var r medallionRoot
			err = json.Unmarshal(v, &r)
			md.Roots[k] = r
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return md
}
