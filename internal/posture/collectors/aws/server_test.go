package aws

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// recorded serves responses recorded under testdata/aws/<service>/ to the SDK clients. A
// request's key is its operation, then "-<resource>" for per-resource calls and
// "_<token>" for later pages; the file is the first of
// <service>/<region>/<key>, <service>/<key>, <service>/<region>/<op>, <service>/<op>
// with extension .xml or .json, optionally preceded by an HTTP status (".404.xml").
type recorded struct {
	t    *testing.T
	dir  string
	mu   sync.Mutex
	seen []string // "<service> <region> <key>" of every request
}

// scope reads service and region from the SigV4 credential scope.
var scope = regexp.MustCompile(`Credential=[^/]+/[0-9]+/([a-z0-9-]+)/([a-z0-9-]+)/aws4_request`)

func newRecorded(t *testing.T, dir string) (*recorded, *httptest.Server) {
	rec := &recorded{t: t, dir: dir}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	return rec, srv
}

func (rec *recorded) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	m := scope.FindStringSubmatch(r.Header.Get("Authorization"))
	if m == nil {
		rec.t.Errorf("unsigned request %s %s", r.Method, r.URL)
		http.Error(w, "unsigned", 400)
		return
	}
	region, service := m[1], m[2]
	body, _ := io.ReadAll(r.Body)
	var op, res, token string
	switch {
	case r.Header.Get("X-Amz-Target") != "":
		t := r.Header.Get("X-Amz-Target")
		op = t[strings.LastIndexByte(t, '.')+1:]
		var in map[string]any
		_ = json.Unmarshal(body, &in)
		for _, k := range []string{"KeyId", "Name", "TrailName"} {
			if s, _ := in[k].(string); s != "" {
				res = s
			}
		}
		token, _ = in["Marker"].(string)
		if token == "" {
			token, _ = in["NextToken"].(string)
		}
	case service == "s3":
		bucket := strings.Trim(r.URL.Path, "/")
		q := r.URL.Query()
		token = q.Get("continuation-token")
		if bucket == "" {
			op = "ListBuckets"
			break
		}
		res = bucket
		for _, sub := range []string{"encryption", "policyStatus", "policy", "publicAccessBlock", "versioning", "logging", "acl", "tagging", "location"} {
			if q.Has(sub) {
				op = "GetBucket" + strings.ToUpper(sub[:1]) + sub[1:]
			}
		}
		if op == "GetBucketPublicAccessBlock" {
			op = "GetPublicAccessBlock"
		}
		if op == "" {
			op = r.Method + r.URL.RawQuery
		}
	default:
		form, _ := url.ParseQuery(string(body))
		op = form.Get("Action")
		res = form.Get("UserName")
		token = form.Get("NextToken") + form.Get("Marker")
	}
	if i := strings.LastIndexAny(res, ":/"); i >= 0 {
		res = res[i+1:] // the id at the end of an ARN
	}
	key := op
	if res != "" {
		key += "-" + res
	}
	if token != "" {
		key += "_" + token
	}
	rec.mu.Lock()
	rec.seen = append(rec.seen, service+" "+region+" "+key)
	rec.mu.Unlock()

	for _, name := range []string{path.Join(region, key), key, path.Join(region, op), op} {
		matches, _ := filepath.Glob(filepath.Join(rec.dir, service, name+".*"))
		for _, f := range matches {
			rest := strings.TrimPrefix(filepath.Base(f), filepath.Base(name)+".")
			status := 200
			if s, ext, ok := strings.Cut(rest, "."); ok {
				n, err := strconv.Atoi(s)
				if err != nil {
					continue // another key sharing this prefix
				}
				status, rest = n, ext
			}
			if rest != "xml" && rest != "json" {
				continue
			}
			data, err := os.ReadFile(f)
			if err != nil {
				rec.t.Error(err)
			}
			switch {
			case rest == "xml":
				w.Header().Set("Content-Type", "text/xml")
			case service == "s3":
				w.Header().Set("Content-Type", "application/json") // a bucket policy
			default:
				w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			}
			w.WriteHeader(status)
			w.Write(data)
			return
		}
	}
	rec.t.Errorf("unrecorded request: %s %s %s (%s %s)", service, region, key, r.Method, r.URL)
	http.Error(w, "unrecorded", http.StatusNotImplemented)
}

// requests returns the keys served, for assertions on pagination and regions.
func (rec *recorded) requests() []string {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]string(nil), rec.seen...)
}
