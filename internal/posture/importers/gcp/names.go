package gcp

import (
	"net/url"
	"strings"
)

// lastSegment is the last path segment of an asset name or self link.
func lastSegment(s string) string {
	s = strings.TrimRight(s, "/")
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// segmentAfter returns the path segment following key ("projects" in
// "//x/projects/p/zones/z" gives "p"), or "".
func segmentAfter(s, key string) string {
	seg := strings.Split(s, "/")
	for i := 0; i+1 < len(seg); i++ {
		if seg[i] == key && seg[i+1] != "" {
			return seg[i+1]
		}
	}
	return ""
}

// hostOf is the service host of an asset name ("//compute.googleapis.com/...").
func hostOf(name string) string {
	if !strings.HasPrefix(name, "//") {
		return ""
	}
	rest := name[2:]
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		return rest[:i]
	}
	return rest
}

// apiPrefixes are the first path segments of REST URLs served from a shared host
// (www.googleapis.com) or prefixed with the API name; they name the service.
var apiPrefixes = map[string]string{
	"compute":  "compute.googleapis.com",
	"storage":  "storage.googleapis.com",
	"sql":      "sqladmin.googleapis.com",
	"bigquery": "bigquery.googleapis.com",
	"dns":      "dns.googleapis.com",
}

// restPath splits a REST URL into its service host and the resource path after the API
// name and version ("https://www.googleapis.com/compute/v1/projects/p/zones/z" gives
// "compute.googleapis.com", "projects/p/zones/z").
func restPath(raw string) (host, path string, ok bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || !strings.HasSuffix(u.Host, "googleapis.com") {
		return "", "", false
	}
	host = u.Host
	// Regional endpoints: us-central1-aiplatform.googleapis.com.
	if svc, _, ok := strings.Cut(host, ".googleapis.com"); ok {
		if i := strings.LastIndexByte(svc, '-'); i > 0 && svc[i-1] >= '0' && svc[i-1] <= '9' {
			host = svc[i+1:] + ".googleapis.com"
		}
	}
	seg := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(seg) > 0 {
		if h, ok := apiPrefixes[seg[0]]; ok && (host == "www.googleapis.com" || host == h || host == "sqladmin.googleapis.com") {
			host = h
			seg = seg[1:]
		}
	}
	if len(seg) > 0 && isVersion(seg[0]) {
		seg = seg[1:]
	}
	return host, strings.Join(seg, "/"), true
}

// isVersion recognises API version segments: v1, v1beta4, v2alpha, beta, alpha.
func isVersion(s string) bool {
	if s == "beta" || s == "alpha" {
		return true
	}
	if len(s) < 2 || s[0] != 'v' || s[1] < '0' || s[1] > '9' {
		return false
	}
	return true
}

// caiHost is the host CAI uses in asset names for a REST service host.
func caiHost(host string) string {
	switch host {
	case "sqladmin.googleapis.com":
		return "cloudsql.googleapis.com"
	case "bigtableadmin.googleapis.com":
		return "bigtable.googleapis.com"
	}
	return host
}

// assetName converts a REST self link to the CAI asset name of the same resource:
// https://www.googleapis.com/compute/v1/projects/p/zones/z/instances/i ->
// //compute.googleapis.com/projects/p/zones/z/instances/i; buckets are //storage.googleapis.com/<name>.
func assetName(selfLink string) (string, bool) {
	host, path, ok := restPath(selfLink)
	if !ok || path == "" {
		return "", false
	}
	if host == "storage.googleapis.com" {
		path = strings.TrimPrefix(path, "b/")
		if strings.Contains(path, "/") {
			return "", false // objects, IAM sub-resources
		}
	}
	return "//" + caiHost(host) + "/" + path, true
}

// references lists the asset names a resource's data mentions: self links of other
// resources, CAI names, and relative "projects/..." paths (taken to be in the same service).
// Only those naming an imported asset become links.
func references(data map[string]any, host string) []string {
	var out []string
	walkStrings(data, 0, func(s string) {
		switch {
		case strings.HasPrefix(s, "https://"):
			if n, ok := assetName(s); ok {
				out = append(out, n)
			}
		case strings.HasPrefix(s, "//") && strings.Contains(s, ".googleapis.com/"):
			out = append(out, s)
		case strings.HasPrefix(s, "projects/") && host != "":
			out = append(out, "//"+host+"/"+s)
		}
	})
	return out
}

// walkStrings calls f for every string in a decoded JSON value, to a bounded depth.
func walkStrings(v any, depth int, f func(string)) {
	if depth > 32 {
		return
	}
	switch x := v.(type) {
	case string:
		f(x)
	case map[string]any:
		for k, val := range x {
			if k == "selfLink" || k == "iamPolicy" {
				continue // itself; principals are not assets
			}
			walkStrings(val, depth+1, f)
		}
	case []any:
		for _, val := range x {
			walkStrings(val, depth+1, f)
		}
	}
}
