package azure

import (
	"sort"
	"strings"

	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

// Link kinds this importer produces.
const (
	LinkChildOf    = "childOf"    // nested type or extension resource -> its parent
	LinkReferences = "references" // a property holds another resource's id
)

// links finds the resources a row points at: its parent, and every ARM id held anywhere in
// the row (networkProfile.networkInterfaces[].id, ipConfigurations[].properties.subnet.id,
// identity.userAssignedIdentities keys, ...). Ids of the resource's own sub-resources
// (its ipConfigurations, securityRules, ...) are part of it, not links.
func links(self armID, obj map[string]any) []inventory.Link {
	seen := map[string]bool{self.id: true}
	var out []inventory.Link
	if self.parent != "" {
		seen[self.parent] = true
		out = append(out, inventory.Link{Kind: LinkChildOf, Target: self.parent})
	}
	add := func(s string) {
		if !looksLikeARMID(s) {
			return
		}
		t, err := parseARMID(s)
		if err != nil || seen[t.id] || strings.HasPrefix(t.id, self.id+"/") {
			return
		}
		seen[t.id] = true
		out = append(out, inventory.Link{Kind: LinkReferences, Target: t.id})
	}
	for k, v := range obj {
		if k == "id" {
			continue
		}
		walkStrings(v, add, 0)
	}
	// Map iteration order is random; links must be stable.
	sort.Slice(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind < out[j].Kind
		}
		return out[i].Target < out[j].Target
	})
	return out
}

// maxDepth bounds the walk; ARM documents are far shallower.
const maxDepth = 64

// walkStrings calls f on every string value and every object key below v.
func walkStrings(v any, f func(string), depth int) {
	if depth > maxDepth {
		return
	}
	switch x := v.(type) {
	case string:
		f(x)
	case map[string]any:
		for k, e := range x {
			f(k) // userAssignedIdentities is keyed by identity id
			walkStrings(e, f, depth+1)
		}
	case []any:
		for _, e := range x {
			walkStrings(e, f, depth+1)
		}
	}
}
