package taxii

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rampart-soc/rampart/internal/ti/stix"
)

// fixtureServer serves medallion's data the way the fixture script read
// it: API roots api1, api2 and trustgroup1 at the host root, discovery at
// /taxii2/, and the one STIX 2.0 object version left out.
func fixtureServer(t testing.TB) (*Server, *MemoryBackend) {
	md := loadMedallion(t)
	be := NewMemoryBackend(func() time.Time { return time.Date(2024, 5, 1, 10, 0, 1, 0, time.UTC) })
	access := map[string][2]bool{}
	for _, name := range []string{"api1", "api2", "trustgroup1"} {
		root := md.Roots[name]
		be.AddAPIRoot(name, root.Information)
		for _, st := range root.Status {
			if err := be.StoreStatus(name, StatusRecord{Status: st}); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range root.Collections {
			access[c.ID] = [2]bool{c.CanRead, c.CanWrite}
			if err := be.AddCollection(name, CollectionInfo{ID: c.ID, Title: c.Title, Description: c.Description, MediaTypes: c.MediaTypes}); err != nil {
				t.Fatal(err)
			}
			for _, m := range c.Manifest {
				if m.MediaType != STIXMediaType {
					continue
				}
				rec := fixtureRecord(t, c.Objects, m)
				if err := be.Load(name, c.ID, rec); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	d := md.Discovery
	srv := NewServer(ServerConfig{
		Backend: be, Prefix: "/", DiscoveryPath: "/taxii2/", BaseURL: "https://taxii.example.com",
		Title: d.Title, Description: d.Description, Contact: d.Contact, DefaultRoot: "trustgroup1",
		Auth: func(r *http.Request) (string, func(string) bool, func(string) bool, bool) {
			if r.Header.Get("Authorization") == "" {
				return "", nil, nil, false
			}
			return "tester", func(id string) bool { return access[id][0] }, func(id string) bool { return access[id][1] }, true
		},
		Now: func() time.Time { return time.Date(2024, 5, 1, 10, 0, 1, 0, time.UTC) },
	})
	return srv, be
}

// fixtureRecord finds the object version a manifest record describes.
func fixtureRecord(t testing.TB, objects []json.RawMessage, m ManifestRecord) Record {
	want, err := ParseTimestamp(m.Version)
	if err != nil {
		t.Fatal(err)
	}
	added, err := ParseTimestamp(m.DateAdded)
	if err != nil {
		t.Fatal(err)
	}
	for _, raw := range objects {
		o, errs, _ := stix.DecodeObject(raw, 0, stix.Options{SkipPatterns: true})
		if o == nil {
			t.Fatalf("medallion object invalid: %v", errs)
		}
		if o.ID == m.ID && o.Version().Equal(want) {
			return Record{ID: o.ID, Type: o.Type, Version: want, DateAdded: added, SpecVersion: "2.1", Object: raw}
		}
	}
	t.Fatalf("no object for manifest record %+v", m)
	return Record{}
}

// jsonEqual compares two JSON texts as values.
func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return string(xa) == string(ya)
}

func isPaging(name string) bool { return strings.HasPrefix(name, "objects-limit2") }
