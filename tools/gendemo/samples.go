package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"time"
)

// Sample data: Log Analytics exports and vendor payloads from Azure-Sentinel's repo.

// coreTables take every JSON/CSV sample file the manifest assigns to them.
var coreTables = []string{"AuditLogs", "AzureActivity", "CommonSecurityLog", "Event", "OfficeActivity", "SecurityEvent", "SigninLogs", "Syslog"}

// customTables are the few custom (_CL) tables in the demo: identity, web proxy, cloud
// DNS and AD security logs whose samples map well onto their schemas.
var customTables = []string{"AlsidForADLog_CL", "CiscoDuo_CL", "Cisco_Umbrella_proxy_CL", "GCP_DNS_CL", "Jira_Audit_CL", "Okta_CL", "Tenable_ad_CL", "TrendMicroCAS_CL"}

// maxSampleRows keeps big exports from crowding out the rest; the first rows are kept.
const maxSampleRows = 150

type manifestFile struct {
	File    string `json:"file"`
	Table   string `json:"table"`
	Format  string `json:"format"`
	Content string `json:"content"`
	Rows    int    `json:"rows"`
}

func readManifest(dir string) ([]manifestFile, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, err
	}
	var m struct {
		Files []manifestFile `json:"files"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("manifest.json: %v", err)
	}
	return m.Files, nil
}

// selectSamples picks the sample files that go into the demo, in a stable order.
func selectSamples(files []manifestFile) (use []manifestFile, skipped map[string]string) {
	skipped = map[string]string{}
	want := map[string]bool{}
	for _, t := range coreTables {
		want[t] = true
	}
	for _, t := range customTables {
		want[t] = true
	}
	for _, f := range files {
		if !want[f.Table] {
			continue
		}
		switch {
		case f.Format != "json" && f.Format != "csv":
			skipped[f.File] = "raw log text (ingested by the syslog/CEF path, not as table rows)"
		case f.Content == "parser output":
			skipped[f.File] = "parser output, not table rows"
		default:
			use = append(use, f)
		}
	}
	sort.Slice(use, func(i, j int) bool { return use[i].File < use[j].File })
	return use, skipped
}

// readSample returns the records of a sample file with export headers cleaned
// ("TimeGenerated [UTC]" -> "TimeGenerated") and the time zone each such column is in.
func readSample(path, format string) ([]*Object, map[string]*time.Location, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	zones := map[string]*time.Location{}
	var recs []*Object
	switch format {
	case "csv":
		recs, err = readCSV(raw, zones)
	case "json":
		recs, err = readJSONRecords(raw)
		if err == nil {
			recs, err = cleanKeys(recs, zones)
		}
	default:
		err = fmt.Errorf("unsupported format %q", format)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %v", path, err)
	}
	return recs, zones, nil
}

func readCSV(raw []byte, zones map[string]*time.Location) ([]*Object, error) {
	r := csv.NewReader(bytes.NewReader(raw))
	r.FieldsPerRecord = -1
	all, err := r.ReadAll()
	if err != nil {
		return nil, err
	}
	if len(all) == 0 {
		return nil, nil
	}
	names := make([]string, len(all[0]))
	for i, h := range all[0] {
		name, loc, err := splitHeader(h)
		if err != nil {
			return nil, err
		}
		names[i] = name
		if loc != time.UTC {
			zones[name] = loc
		}
	}
	var out []*Object
	for _, rec := range all[1:] {
		o := newObject()
		for i, v := range rec {
			if i < len(names) && names[i] != "" {
				o.Set(names[i], v)
			}
		}
		out = append(out, o)
	}
	return out, nil
}

// readJSONRecords reads a JSON array of objects, one object, or JSON lines.
func readJSONRecords(raw []byte) ([]*Object, error) {
	var vals []any
	if v, err := decodeJSON(raw); err == nil {
		if arr, ok := v.([]any); ok {
			vals = arr
		} else {
			vals = []any{v}
		}
	} else if err := decodeStream(bytes.NewReader(raw), func(v any) error { vals = append(vals, v); return nil }); err != nil {
		return nil, err
	}
	out := make([]*Object, 0, len(vals))
	for i, v := range vals {
		o, ok := v.(*Object)
		if !ok {
			return nil, fmt.Errorf("record %d is not an object", i+1)
		}
		out = append(out, o)
	}
	return out, nil
}

func cleanKeys(recs []*Object, zones map[string]*time.Location) ([]*Object, error) {
	for i, r := range recs {
		o := newObject()
		for _, k := range r.Keys() {
			name, loc, err := splitHeader(k)
			if err != nil {
				return nil, err
			}
			v, _ := r.Get(k)
			o.Set(name, v)
			if loc != time.UTC {
				zones[name] = loc
			}
		}
		recs[i] = o
	}
	return recs, nil
}

var nonIdentRE = regexp.MustCompile(`[^A-Za-z0-9_]`)

// collectorFields does what the HTTP Data Collector API does to a posted record before
// it becomes a custom-table row: nested objects are flattened with "_", names are made
// identifiers, and each field gets its type suffix (_s, _d, _b, _t, _g). Where the
// schema already knows the field under another suffix, the schema's name wins.
func collectorFields(t *tableSchema, rec *Object) *Object {
	out := newObject()
	var walk func(prefix string, o *Object)
	walk = func(prefix string, o *Object) {
		for _, k := range o.Keys() {
			v, _ := o.Get(k)
			name := nonIdentRE.ReplaceAllString(k, "_")
			if prefix != "" {
				name = prefix + "_" + name
			}
			if sub, ok := v.(*Object); ok {
				walk(name, sub)
				continue
			}
			if v == nil {
				continue
			}
			suffix := "s"
			switch x := v.(type) {
			case json.Number:
				suffix = "d"
			case bool:
				suffix = "b"
			case []any:
				v = string(encodeJSON(x))
			case string:
				if guidRE.MatchString(x) {
					suffix = "g"
				} else if _, ok := parseTime(x, time.UTC); ok && !isNumber(x) {
					suffix = "t"
				}
			}
			col := name + "_" + suffix
			if _, ok := t.col(col); !ok {
				for _, s := range []string{"s", "d", "b", "t", "g"} {
					if _, ok := t.col(name + "_" + s); ok {
						col = name + "_" + s
						break
					}
				}
				if _, ok := t.col(name); ok {
					col = name
				}
			}
			out.Set(col, v)
		}
	}
	walk("", rec)
	return out
}
