// Package k8s imports Kubernetes manifests into the posture inventory: multi-document
// YAML, JSON, `kubectl get -o json` lists and kustomize directories (rendered, one set of
// resources per overlay). Helm templates are reported, not rendered.
package k8s

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

// helmError is the message for unrendered chart templates.
const helmError = "helm template not rendered; run helm template first"

// Parse imports one manifest stream. source names it in IDs, Source fields and errors.
func Parse(data []byte, source string) inventory.Result {
	var res inventory.Result
	objs, errs := parseObjects(data, source)
	res.Errors = append(res.Errors, errs...)
	entries := toEntries(objs, source, true)
	link(entries)
	collect(&res, entries)
	return res
}

// ImportFile imports one manifest file, or renders the kustomization when path is a
// kustomization file.
func ImportFile(path string) inventory.Result {
	var res inventory.Result
	for _, n := range kustomizationNames {
		if filepath.Base(path) == n {
			dir := filepath.Dir(path)
			return renderOnly(dir, filepath.Base(absOr(dir)))
		}
	}
	data, err := readLimited(path)
	if err != nil {
		res.Errorf(path, "%v", err)
		return res
	}
	if chartTemplate(path) && bytes.Contains(data, []byte("{{")) {
		res.Errorf(path, "%s", helmError)
		return res
	}
	objs, errs := parseObjects(data, path)
	res.Errors = append(res.Errors, errs...)
	entries := toEntries(objs, filepath.Base(path), true)
	link(entries)
	collect(&res, entries)
	return res
}

func renderOnly(dir, scope string) inventory.Result {
	var res inventory.Result
	k := newKustomizer()
	objs, err := k.build(dir, nil)
	res.Errors = append(res.Errors, k.errs...)
	if err != nil {
		res.Errorf(dir, "kustomization: %v", err)
	}
	entries := toEntries(objs, scope, false)
	link(entries)
	collect(&res, entries)
	return res
}

// ImportDir walks dir. Every kustomization directory is rendered on its own (its scope
// is its path, so overlays do not collide); files read by a kustomization, and files
// beside one, are not imported again. Chart templates with {{ }} are reported. Other
// .yaml/.yml/.json files are imported; those holding no Kubernetes object at all are
// skipped silently (CI configs, values files, tool output).
func ImportDir(dir string) inventory.Result {
	var res inventory.Result
	var files, kdirs []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			res.Errorf(p, "%v", err)
			return nil
		}
		if d.IsDir() {
			if p != dir && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			if kustomizationFile(p) != "" {
				kdirs = append(kdirs, p)
			}
			return nil
		}
		if d.Type().IsRegular() && manifestExt(p) {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		res.Errorf(dir, "%v", err)
	}

	var entries []*entry
	k := newKustomizer()
	kdirSet := map[string]bool{}
	for _, kd := range kdirs {
		kdirSet[kd] = true
		objs, err := k.build(kd, nil)
		if err != nil {
			res.Errorf(kd, "kustomization: %v", err)
		}
		entries = append(entries, toEntries(objs, scopeOf(dir, kd), false)...)
	}
	res.Errors = append(res.Errors, k.errs...)

	for _, f := range files {
		if kdirSet[filepath.Dir(f)] || k.consumed[absOr(f)] {
			continue
		}
		rel := scopeOf(dir, f)
		if chart := chartDir(f, dir); chart != "" {
			inChart, _ := filepath.Rel(chart, f)
			if !strings.HasPrefix(inChart, "templates"+string(filepath.Separator)) &&
				!strings.HasPrefix(inChart, "crds"+string(filepath.Separator)) {
				continue // Chart.yaml, values*.yaml, ...
			}
		}
		data, err := readLimited(f)
		if err != nil {
			res.Errorf(f, "%v", err)
			continue
		}
		if chartDir(f, dir) != "" && bytes.Contains(data, []byte("{{")) {
			res.Errorf(f, "%s", helmError)
			continue
		}
		objs, errs := parseObjects(data, f)
		if len(objs) == 0 && !hasObject(data) {
			continue // not a Kubernetes manifest
		}
		res.Errors = append(res.Errors, errs...)
		entries = append(entries, toEntries(objs, rel, true)...)
	}
	link(entries)
	collect(&res, entries)
	return res
}

// hasObject reports whether any document decodes to something with apiVersion and kind;
// files where none does (and that parse) are not manifests.
func hasObject(data []byte) bool {
	docs := decodeStream(data)
	for _, d := range docs {
		if d.Err != nil {
			return true // malformed: report it
		}
		if d.Obj != nil && (looksLikeObject(d.Obj) || isKustomization(d.Obj)) {
			return true
		}
		for _, it := range list(d.Val) {
			if m, ok := it.(map[string]any); ok && looksLikeObject(m) {
				return true
			}
		}
	}
	return false
}

func manifestExt(p string) bool {
	switch strings.ToLower(filepath.Ext(p)) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return false
}

// chartDir returns the nearest directory at or below root holding a Chart.yaml above p.
func chartDir(p, root string) string {
	rootAbs := absOr(root)
	for d := filepath.Dir(p); ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "Chart.yaml")); err == nil {
			return d
		}
		if absOr(d) == rootAbs || filepath.Dir(d) == d {
			return ""
		}
	}
}

// chartTemplate reports a file in the templates/ directory of a chart.
func chartTemplate(p string) bool {
	for d := filepath.Dir(p); filepath.Dir(d) != d; d = filepath.Dir(d) {
		if filepath.Base(d) == "templates" {
			if _, err := os.Stat(filepath.Join(filepath.Dir(d), "Chart.yaml")); err == nil {
				return true
			}
		}
	}
	return false
}

func scopeOf(root, p string) string {
	rel, err := filepath.Rel(root, p)
	if err != nil || rel == "." {
		return filepath.Base(absOr(p))
	}
	return filepath.ToSlash(rel)
}

func absOr(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

func readLimited(p string) ([]byte, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	if st.Size() > maxFile {
		return nil, fmt.Errorf("file larger than %d bytes", maxFile)
	}
	return os.ReadFile(p)
}

// toEntries builds resources, giving repeated IDs within a scope a "~N" suffix so IDs
// stay unique (the same object defined twice in one file).
func toEntries(objs []*object, scope string, plain bool) []*entry {
	seen := map[string]int{}
	out := make([]*entry, 0, len(objs))
	for _, o := range objs {
		r := o.resource(scope)
		seen[r.ID]++
		if n := seen[r.ID]; n > 1 {
			r.ID = fmt.Sprintf("%s~%d", r.ID, n)
		}
		out = append(out, &entry{res: r, scope: scope, plain: plain})
	}
	return out
}

func collect(res *inventory.Result, entries []*entry) {
	rs := make([]*inventory.Resource, 0, len(entries))
	for _, e := range entries {
		rs = append(rs, e.res)
	}
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].ID < rs[j].ID })
	res.Add(rs...)
}
