package gcp

import (
	"fmt"
	"strings"

	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

// asset converts one Cloud Asset Inventory asset (snake_case as in exports and the
// policy-library fixtures, or camelCase as in the REST API and gcloud JSON output).
func (b *builder) asset(obj map[string]any, source string) {
	name, _ := field(obj, "name").(string)
	typ, _ := field(obj, "asset_type", "assetType").(string)
	if name == "" {
		b.res.Errorf(source, "asset has no name")
		return
	}
	if typ == "" {
		b.res.Errorf(source, "asset %s has no asset type", name)
		return
	}
	props := map[string]any{}
	var resource map[string]any
	if rv := field(obj, "resource"); rv != nil {
		m, ok := rv.(map[string]any)
		if !ok {
			b.res.Errorf(source, "asset %s: resource is %s, not an object", name, jsonKind(rv))
			return
		}
		resource = m
		if dv := field(m, "data"); dv != nil {
			data, ok := dv.(map[string]any)
			if !ok {
				b.res.Errorf(source, "asset %s: resource.data is %s, not an object", name, jsonKind(dv))
				return
			}
			for k, v := range data {
				props[k] = v
			}
		}
	}
	// Policies attached to the asset; kept beside its data so checks can read both.
	for _, p := range [][3]string{
		{"iamPolicy", "iam_policy", "iamPolicy"},
		{"orgPolicy", "org_policy", "orgPolicy"},
		{"osInventory", "os_inventory", "osInventory"},
	} {
		if v := field(obj, p[1], p[2]); v != nil {
			props[p[0]] = v
		}
	}
	// Access-policy content (VPC Service Controls) is exported on the organization asset,
	// one perimeter or level per line: each becomes a resource of its own.
	if b.accessContext(obj, name, source) && resource == nil && len(props) == 0 {
		return
	}

	r := &inventory.Resource{
		ID:         name,
		Provider:   inventory.GCP,
		Type:       typ,
		Name:       lastSegment(name),
		Account:    project(obj, resource, name, typ),
		Region:     region(resource, name),
		Properties: props,
		Source:     source,
		Format:     Format,
	}
	tags, err := labels(props["labels"])
	if err != nil {
		b.res.Errorf(source, "asset %s: labels: %v", name, err)
	}
	r.Tags = tags
	b.add(r, references(props, hostOf(name)), false)
}

// field returns the first present key's value.
func field(obj map[string]any, keys ...string) any {
	for _, k := range keys {
		if v, ok := obj[k]; ok && v != nil {
			return v
		}
	}
	return nil
}

// project finds the asset's project: the parent, the ancestors list, the ancestry path, then
// the name. Projects, folders and organizations name themselves.
func project(obj, resource map[string]any, name, typ string) string {
	if typ == "cloudresourcemanager.googleapis.com/Project" {
		data, _ := field(resource, "data").(map[string]any)
		if id, ok := data["projectId"].(string); ok && id != "" {
			return id
		}
		return lastSegment(name)
	}
	if resource != nil {
		if parent, _ := field(resource, "parent").(string); parent != "" {
			if p := segmentAfter(parent, "projects"); p != "" {
				return p
			}
		}
	}
	if anc, ok := field(obj, "ancestors").([]any); ok {
		for _, a := range anc {
			if s, _ := a.(string); strings.HasPrefix(s, "projects/") {
				return strings.TrimPrefix(s, "projects/")
			}
		}
	}
	if path, _ := field(obj, "ancestry_path", "ancestryPath").(string); path != "" {
		if p := segmentAfter(path, "project"); p != "" {
			return p
		}
	}
	if p := segmentAfter(name, "projects"); p != "" {
		return p
	}
	// Organization- and folder-level assets: the scope that holds them.
	for _, key := range []string{"folders", "organizations"} {
		if v := segmentAfter(name, key); v != "" {
			return key + "/" + v
		}
	}
	return ""
}

// region is resource.location, else the zone, region or location named in the asset name.
func region(resource map[string]any, name string) string {
	if resource != nil {
		if loc, _ := field(resource, "location").(string); loc != "" {
			return loc
		}
	}
	for _, key := range []string{"regions", "locations", "zones"} {
		if v := segmentAfter(name, key); v != "" {
			return v
		}
	}
	return ""
}

// labels converts resource.data.labels to tags; non-string values are formatted.
func labels(v any) (map[string]string, error) {
	if v == nil {
		return nil, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("expected an object, got %s", jsonKind(v))
	}
	if len(m) == 0 {
		return nil, nil
	}
	tags := make(map[string]string, len(m))
	for k, val := range m {
		switch x := val.(type) {
		case string:
			tags[k] = x
		case nil:
			tags[k] = ""
		default:
			tags[k] = fmt.Sprint(x)
		}
	}
	return tags, nil
}

// accessContextKinds are the access-policy content fields of an asset and the asset types
// of the objects they hold.
var accessContextKinds = [][3]string{
	{"access_policy", "accessPolicy", "accesscontextmanager.googleapis.com/AccessPolicy"},
	{"access_level", "accessLevel", "accesscontextmanager.googleapis.com/AccessLevel"},
	{"service_perimeter", "servicePerimeter", "accesscontextmanager.googleapis.com/ServicePerimeter"},
}

// accessContext adds the access policy, access level or service perimeter an asset carries,
// named by its own resource name. It reports whether there was one.
func (b *builder) accessContext(obj map[string]any, owner, source string) bool {
	found := false
	for _, k := range accessContextKinds {
		v := field(obj, k[0], k[1])
		if v == nil {
			continue
		}
		found = true
		m, ok := v.(map[string]any)
		if !ok {
			b.res.Errorf(source, "asset %s: %s is %s, not an object", owner, k[0], jsonKind(v))
			continue
		}
		n, _ := m["name"].(string)
		if n == "" {
			b.res.Errorf(source, "asset %s: %s has no name", owner, k[0])
			continue
		}
		props := make(map[string]any, len(m))
		for key, val := range m {
			props[key] = val
		}
		account := segmentAfter(owner, "organizations")
		if account == "" {
			account = project(obj, nil, owner, "")
		}
		b.add(&inventory.Resource{
			ID:         "//accesscontextmanager.googleapis.com/" + strings.TrimPrefix(n, "/"),
			Provider:   inventory.GCP,
			Type:       k[2],
			Name:       lastSegment(n),
			Account:    account,
			Properties: props,
			Source:     source,
			Format:     Format,
		}, nil, false)
	}
	return found
}
