package gcp

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

// recording imports one recorded REST response ({headers, body}). The request URL comes
// from the content-location header; its last path segments tell the collection and whether
// the body is a list or one resource.
func (b *builder) recording(obj map[string]any, source string) {
	headers, _ := obj["headers"].(map[string]any)
	body := obj["body"]
	if s, ok := body.(string); ok {
		if strings.TrimSpace(s) == "" {
			return // empty body (a delete or a 204)
		}
		var v any
		if err := json.Unmarshal([]byte(s), &v); err != nil {
			b.res.Errorf(source, "body is not JSON: %v", err)
			return
		}
		body = v
	}
	status, _ := headers["status"].(string)
	if code, err := strconv.Atoi(status); err == nil && code >= 400 {
		b.res.Errorf(source, "recorded HTTP %d: %s", code, errorMessage(body))
		return
	}
	m, ok := body.(map[string]any)
	if !ok {
		b.res.Errorf(source, "body is %s, not an object", jsonKind(body))
		return
	}
	if _, failed := m["error"]; failed {
		b.res.Errorf(source, "recorded error response: %s", errorMessage(m))
		return
	}
	loc, _ := headers["content-location"].(string)
	if loc == "" {
		b.res.Errorf(source, "no content-location header: cannot tell which API call was recorded")
		return
	}
	host, path, ok := restPath(strings.SplitN(loc, "?", 2)[0])
	if !ok {
		b.res.Errorf(source, "content-location %q is not a Google API URL", loc)
		return
	}
	seg := strings.Split(path, "/")
	last := seg[len(seg)-1]
	colls := collections[host]

	// IAM policy of the resource named by the rest of the path.
	if last == "iam" || last == "getIamPolicy" || strings.HasSuffix(last, ":getIamPolicy") {
		parent := strings.TrimSuffix(path, "/"+last)
		parent = strings.TrimSuffix(parent, ":getIamPolicy")
		if host == "storage.googleapis.com" {
			parent = strings.TrimPrefix(parent, "b/")
		}
		b.iam["//"+caiHost(host)+"/"+parent] = m
		return
	}

	if typ, ok := colls[last]; ok {
		b.list(m, host, path, last, typ, source)
		return
	}
	if len(seg) >= 2 {
		if typ, ok := colls[seg[len(seg)-2]]; ok {
			id := "//" + caiHost(host) + "/" + path
			if host == "storage.googleapis.com" {
				id = "//storage.googleapis.com/" + last
			}
			b.restResource(m, typ, id, source)
			return
		}
	}
	b.res.Errorf(source, "no asset type for %s/%s (not a resource collection this importer maps)", host, path)
}

// list imports the members of a list response (plain or aggregated).
func (b *builder) list(body map[string]any, host, path, coll, typ, source string) {
	var items []any
	keys := append([]string{coll, "items"}, listKeys[coll]...)
	for _, k := range keys {
		switch v := body[k].(type) {
		case []any:
			items = v
		case map[string]any:
			// Aggregated list: {"zones/us-central1-a": {"instances": [...]}, ...}.
			scopes := make([]string, 0, len(v))
			for s := range v {
				scopes = append(scopes, s)
			}
			sort.Strings(scopes)
			for _, s := range scopes {
				if inner, ok := v[s].(map[string]any); ok {
					if l, ok := inner[coll].([]any); ok {
						items = append(items, l...)
					}
				}
			}
		default:
			continue
		}
		break
	}
	aggregated := strings.Contains("/"+path+"/", "/aggregated/")
	for i, it := range items {
		obj, ok := it.(map[string]any)
		if !ok {
			b.res.Errorf(fmt.Sprintf("%s: %s[%d]", source, coll, i), "expected a resource object, got %s", jsonKind(it))
			continue
		}
		id := memberID(obj, host, path, coll, aggregated)
		if id == "" {
			b.res.Errorf(fmt.Sprintf("%s: %s[%d]", source, coll, i), "resource has no selfLink, name or id")
			continue
		}
		b.restResource(obj, typ, id, fmt.Sprintf("%s: %s[%d]", source, coll, i))
	}
}

// memberID names a list member as CAI would: from its self link, its full relative name, or
// the list URL plus its short name.
func memberID(obj map[string]any, host, path, coll string, aggregated bool) string {
	if sl, _ := obj["selfLink"].(string); sl != "" {
		if n, ok := assetName(sl); ok {
			return n
		}
	}
	h := caiHost(host)
	switch {
	case host == "storage.googleapis.com":
		if n, _ := obj["name"].(string); n != "" {
			return "//storage.googleapis.com/" + n
		}
	case host == "cloudresourcemanager.googleapis.com" && coll == "projects":
		// CAI names projects by number; v1 "name" is the display name.
		if n := scalar(obj["projectNumber"]); n != "" {
			return "//" + h + "/projects/" + n
		}
	}
	if n, _ := obj["name"].(string); strings.Contains(n, "/") {
		return "//" + h + "/" + strings.TrimPrefix(n, "/")
	}
	short := ""
	for _, ref := range []string{"datasetReference.datasetId", "tableReference.tableId", "name", "clusterName", "metadata.name", "id"} {
		if v, ok := inventory.Lookup(obj, ref); ok {
			if short = scalar(v); short != "" {
				break
			}
		}
	}
	if short == "" {
		return ""
	}
	if aggregated {
		return "//" + h + "/" + strings.ReplaceAll(path, "aggregated/", "") + "/" + short
	}
	return "//" + h + "/" + path + "/" + short
}

// restResource adds one REST resource; its body is the CAI resource.data equivalent.
func (b *builder) restResource(obj map[string]any, typ, id, source string) {
	if k, _ := obj["kind"].(string); k != "" {
		if t := kindType(k); t != "" {
			typ = t
		}
	}
	props := make(map[string]any, len(obj))
	for k, v := range obj {
		props[k] = v
	}
	name := lastSegment(id)
	if n, _ := obj["name"].(string); n != "" && !strings.HasPrefix(typ, "cloudresourcemanager.") {
		name = lastSegment(n)
	}
	r := &inventory.Resource{
		ID:         id,
		Provider:   inventory.GCP,
		Type:       typ,
		Name:       name,
		Account:    segmentAfter(id, "projects"),
		Region:     restRegion(obj, id),
		Properties: props,
		Source:     source,
		Format:     Format,
	}
	if p, _ := obj["projectId"].(string); p != "" {
		r.Account = p
	}
	tags, err := labels(obj["labels"])
	if err != nil {
		b.res.Errorf(source, "%s: labels: %v", id, err)
	}
	r.Tags = tags
	b.add(r, references(props, hostOf(id)), true)
}

// restRegion reads location, region or zone (which may be URLs) from a REST resource.
func restRegion(obj map[string]any, id string) string {
	for _, k := range []string{"location", "region", "zone", "locationId"} {
		if s, _ := obj[k].(string); s != "" {
			return lastSegment(s)
		}
	}
	for _, key := range []string{"regions", "locations", "zones"} {
		if v := segmentAfter(id, key); v != "" && v != "-" {
			return v
		}
	}
	return ""
}

// errorMessage extracts a Google API error's message.
func errorMessage(body any) string {
	m, _ := body.(map[string]any)
	if e, ok := m["error"].(map[string]any); ok {
		if msg, _ := e["message"].(string); msg != "" {
			return msg
		}
	}
	if s, ok := m["error"].(string); ok {
		return s
	}
	return "no error message"
}

// scalar formats a string or number id.
func scalar(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return ""
}
