// Package cloudformation imports AWS CloudFormation templates (YAML, with the short-form
// intrinsic tags, or JSON) into posture inventory resources.
//
// Intrinsic functions are resolved where the template alone decides them (parameter
// defaults, static pseudo parameters, conditions, mappings, Sub/Join/Select/Split/If);
// anything else stays in long form ({"Ref": ...}, {"Fn::GetAtt": ...}). Ref, GetAtt and
// Sub references to other resources become "references" links; DependsOn "dependsOn" links.
package cloudformation

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

// maxFileSize skips files far beyond CloudFormation's own template limit (1 MB).
const maxFileSize = 16 << 20

// ImportFile imports one template; resource ids start with the file's base name.
func ImportFile(path string) inventory.Result {
	data, err := readFile(path)
	if err != nil {
		var r inventory.Result
		r.Errorf(path, "%v", err)
		return r
	}
	return ImportTemplate(data, filepath.Base(path))
}

// ImportDir imports every template under dir (.yaml, .yml, .json, .template); YAML or JSON
// files that are not templates (no Resources section) are skipped. Resource ids start with
// the file's path relative to dir.
func ImportDir(dir string) inventory.Result {
	var res inventory.Result
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			res.Errorf(p, "%v", err)
			return nil
		}
		if d.IsDir() || !d.Type().IsRegular() {
			return nil
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".yaml", ".yml", ".json", ".template":
		default:
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		data, err := readFile(p)
		if err != nil {
			res.Errorf(rel, "%v", err)
			return nil
		}
		res.Merge(importTemplate(data, rel, false))
		return nil
	})
	if err != nil {
		res.Errorf(dir, "%v", err)
	}
	return res
}

// ImportTemplate imports one template's bytes; name is used in ids, sources and errors.
func ImportTemplate(data []byte, name string) inventory.Result {
	return importTemplate(data, name, true)
}

func readFile(p string) ([]byte, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	if st.Size() > maxFileSize {
		return nil, fmt.Errorf("file of %d bytes is too large for a template", st.Size())
	}
	return os.ReadFile(p)
}

// importTemplate decodes and resolves a template. strict reports documents that are not
// templates at all; ImportDir passes false to skip unrelated YAML quietly.
func importTemplate(data []byte, name string, strict bool) inventory.Result {
	var res inventory.Result
	d, err := decode(data)
	if err != nil {
		res.Errorf(name, "%v", err)
		return res
	}
	resources, ok := d.root["Resources"].(map[string]any)
	if !ok {
		_, isCFN := d.root["AWSTemplateFormatVersion"]
		if strict || isCFN {
			res.Errorf(name, "not a CloudFormation template: no Resources mapping")
		}
		return res
	}
	rv := newResolver(d.root)
	ids := make([]string, 0, len(resources))
	for id := range resources {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		if d.lines[ids[i]] != d.lines[ids[j]] {
			return d.lines[ids[i]] < d.lines[ids[j]]
		}
		return ids[i] < ids[j]
	})
	for _, id := range ids {
		where := name
		if line := d.lines[id]; line > 0 {
			where = fmt.Sprintf("%s:%d", name, line)
		}
		if r := buildResource(rv, id, resources[id], name, where, &res); r != nil {
			res.Add(r)
		}
	}
	return res
}

// buildResource resolves one resource entry; malformed entries are reported and skipped.
func buildResource(rv *resolver, id string, raw any, file, where string, res *inventory.Result) *inventory.Resource {
	entry, ok := raw.(map[string]any)
	if !ok {
		res.Errorf(where, "resource %s: not a mapping", id)
		return nil
	}
	typ, ok := entry["Type"].(string)
	if !ok || typ == "" {
		res.Errorf(where, "resource %s: missing Type", id)
		return nil
	}
	// A resource whose Condition is statically false is not created.
	if c, ok := entry["Condition"].(string); ok {
		if b, known := rv.condition(c, 0); known && !b {
			return nil
		}
	}
	rv.links = map[string]string{}
	defer func() { rv.links = nil }()
	props := map[string]any{}
	switch p := entry["Properties"].(type) {
	case nil:
	case map[string]any:
		props, _ = rv.resolve(p, 0).(map[string]any)
	default:
		res.Errorf(where, "resource %s: Properties is not a mapping", id)
		return nil
	}
	for _, dep := range dependsOn(entry["DependsOn"]) {
		rv.link(dep, "dependsOn")
	}
	r := &inventory.Resource{
		ID:         file + ":" + id,
		Provider:   inventory.AWS,
		Type:       typ,
		Name:       id,
		Properties: props,
		Source:     where,
		Format:     "cloudformation",
		Tags:       tags(props["Tags"]),
	}
	for target, kind := range rv.links {
		if target != id {
			r.Links = append(r.Links, inventory.Link{Kind: kind, Target: file + ":" + target})
		}
	}
	sort.Slice(r.Links, func(i, j int) bool { return r.Links[i].Target < r.Links[j].Target })
	return r
}

func dependsOn(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// tags reads a Tags property: a list of {Key, Value} or, on some types, a map.
func tags(v any) map[string]string {
	out := map[string]string{}
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			m, ok := e.(map[string]any)
			if !ok {
				continue
			}
			k, ok := text(m["Key"])
			if !ok {
				continue
			}
			out[k] = describe(m["Value"])
		}
	case map[string]any:
		for k, e := range x {
			out[k] = describe(e)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
