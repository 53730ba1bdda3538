package api

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// Every route the server registers is described in the OpenAPI document, and nothing else.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	var doc struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(openapiJSON, &doc); err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	routes := New(Config{}, Deps{}).patterns
	re := regexp.MustCompile(`^(GET|POST|PUT|PATCH|DELETE) (/\S*)$`)
	for _, r := range routes {
		m := re.FindStringSubmatch(r)
		if m == nil || strings.HasPrefix(m[2], "/debug/") {
			continue
		}
		r = m[1] + " " + strings.ReplaceAll(m[2], "...}", "}") // {id...} matches the rest of the path
		if !documented[r] {
			t.Errorf("route %s is not in openapi.json", r)
		}
		delete(documented, r)
	}
	for r := range documented {
		t.Errorf("openapi.json documents %s, which is not served", r)
	}
}
