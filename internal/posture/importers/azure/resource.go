package azure

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

// builder turns rows into resources, keeping IDs unique within one import.
type builder struct {
	res  *inventory.Result
	seen map[string]string // resource ID -> where it was first read
}

func newBuilder(res *inventory.Result) *builder {
	return &builder{res: res, seen: map[string]string{}}
}

// row converts one Resource Graph row or ARM object.
func (b *builder) row(obj map[string]any, at string) {
	rawID, ok := obj["id"].(string)
	if !ok || strings.TrimSpace(rawID) == "" {
		b.res.Errorf(at, "row has no id (Resource Graph queries must project id)")
		return
	}
	id, err := parseARMID(rawID)
	if err != nil {
		b.res.Errorf(at, "%v", err)
		return
	}
	if first, dup := b.seen[id.id]; dup {
		b.res.Errorf(at, "duplicate resource %s (first read at %s); this copy is ignored", id.id, first)
		return
	}
	b.seen[id.id] = at

	r := &inventory.Resource{
		ID:            id.id,
		Provider:      inventory.Azure,
		Account:       id.subscription,
		ResourceGroup: id.resourceGroup,
		Type:          id.typ,
		Name:          id.name,
		Properties:    obj,
		Source:        at,
		Format:        Format,
	}
	// The row's own fields win where present: ARG's type is authoritative, names may hold
	// characters that ids escape.
	if t, _ := obj["type"].(string); strings.TrimSpace(t) != "" {
		r.Type = strings.ToLower(strings.TrimSpace(t))
	}
	if n, _ := obj["name"].(string); n != "" {
		r.Name = n
	}
	if r.Account == "" {
		if s, _ := obj["subscriptionId"].(string); s != "" {
			r.Account = strings.ToLower(s)
		}
	}
	if r.ResourceGroup == "" && id.subscription != "" && strings.HasSuffix(r.Type, "/resourcegroups") {
		r.ResourceGroup = strings.ToLower(id.name)
	}
	if loc, _ := obj["location"].(string); loc != "" {
		r.Region = normalizeLocation(loc)
	}
	if tags, err := stringTags(obj["tags"]); err != nil {
		b.res.Errorf(at, "%s: %v (tags ignored)", id.id, err)
	} else {
		r.Tags = tags
	}
	r.Links = links(id, obj)
	b.res.Add(r)
}

// normalizeLocation makes display names ("East US", recorded by some APIs) and programmatic
// names ("eastus") compare equal.
func normalizeLocation(loc string) string {
	return strings.ToLower(strings.ReplaceAll(strings.TrimSpace(loc), " ", ""))
}

// stringTags converts ARM tags (string values) to a map; other scalar values are kept in
// their JSON form rather than rejected, since some exports carry numbers or booleans.
func stringTags(v any) (map[string]string, error) {
	switch t := v.(type) {
	case nil:
		return nil, nil
	case map[string]any:
		if len(t) == 0 {
			return nil, nil
		}
		out := make(map[string]string, len(t))
		for k, x := range t {
			switch x := x.(type) {
			case string:
				out[k] = x
			case nil:
				out[k] = ""
			default:
				j, _ := json.Marshal(x)
				out[k] = string(j)
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("tags is %s, not an object", kind(v))
}
