package k8s

import (
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

// kustomizationNames are the file names kustomize looks for, in its order.
var kustomizationNames = []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}

// maxFile bounds every file we read.
const maxFile = 32 << 20

// kustomizationFile returns the kustomization file of dir, or "".
func kustomizationFile(dir string) string {
	for _, n := range kustomizationNames {
		p := filepath.Join(dir, n)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p
		}
	}
	return ""
}

// unsupportedFields are kustomization fields we do not render; they are reported so a
// user knows the output may differ from `kustomize build`.
var unsupportedFields = []string{"vars", "replacements", "transformers", "generators", "helmCharts", "helmChartInflationGenerator", "configurations", "openapi", "crds", "validators", "sortOptions", "buildMetadata"}

// kustomizer renders kustomizations the way `kustomize build` does, for the fields most
// repositories use. Generated ConfigMap/Secret names get no content-hash suffix (references
// in the manifests use the plain name, so links still resolve).
type kustomizer struct {
	stack    []string        // absolute directories being built (cycle detection)
	consumed map[string]bool // absolute paths of files read
	errs     []inventory.ImportError
}

func newKustomizer() *kustomizer { return &kustomizer{consumed: map[string]bool{}} }

func (k *kustomizer) errorf(source, format string, args ...any) {
	k.errs = append(k.errs, inventory.ImportError{Source: source, Err: fmt.Sprintf(format, args...)})
}

// build renders the kustomization in dir. acc is non-empty only for components, which
// transform what their parent has accumulated.
func (k *kustomizer) build(dir string, acc []*object) ([]*object, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	for _, s := range k.stack {
		if s == abs {
			return nil, fmt.Errorf("kustomization cycle through %s", dir)
		}
	}
	if len(k.stack) > 32 {
		return nil, fmt.Errorf("kustomizations nested more than 32 deep")
	}
	k.stack = append(k.stack, abs)
	defer func() { k.stack = k.stack[:len(k.stack)-1] }()

	kfile := kustomizationFile(dir)
	if kfile == "" {
		return nil, fmt.Errorf("%s has no kustomization file", dir)
	}
	data, err := k.read(kfile)
	if err != nil {
		return nil, err
	}
	v, _, err := decodeYAML(data, 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", filepath.Base(kfile), err)
	}
	kz, ok := v.(map[string]any)
	if !ok {
		if v == nil {
			kz = map[string]any{}
		} else {
			return nil, fmt.Errorf("%s: kustomization is a %s, not an object", filepath.Base(kfile), typeName(v))
		}
	}
	for _, f := range unsupportedFields {
		if kz[f] != nil {
			k.errorf(kfile, "kustomization field %q is not supported; ignored", f)
		}
	}

	for _, entry := range append(strList(kz["resources"]), strList(kz["bases"])...) {
		acc = append(acc, k.resource(dir, kfile, entry)...)
	}
	for _, entry := range strList(kz["components"]) {
		p := k.join(dir, entry)
		out, err := k.build(p, acc)
		if err != nil {
			k.errorf(kfile, "component %q: %v", entry, err)
			continue
		}
		acc = out
	}
	acc = k.generate(dir, kfile, kz, acc)

	// Transformers, in kustomize's order.
	for _, e := range list(kz["patchesStrategicMerge"]) {
		acc = k.patchSMPEntry(dir, kfile, e, acc)
	}
	for i, e := range list(kz["patches"]) {
		acc = k.patchEntry(dir, kfile, i, e, acc)
	}
	if ns := str(kz["namespace"]); ns != "" {
		setNamespace(acc, ns)
	}
	prefix, suffix := scalarString(kz["namePrefix"]), scalarString(kz["nameSuffix"])
	if prefix != "" || suffix != "" {
		renameAll(acc, prefix, suffix)
	}
	if cl, ok := kz["commonLabels"].(map[string]any); ok {
		for _, o := range acc {
			addLabels(o, cl, true, true)
		}
	}
	for _, e := range list(kz["labels"]) {
		em, _ := e.(map[string]any)
		pairs, _ := em["pairs"].(map[string]any)
		sel, _ := em["includeSelectors"].(bool)
		tmpl, _ := em["includeTemplates"].(bool)
		for _, o := range acc {
			addLabels(o, pairs, sel, sel || tmpl)
		}
	}
	if ca, ok := kz["commonAnnotations"].(map[string]any); ok {
		for _, o := range acc {
			addAnnotations(o, ca)
		}
	}
	for i, e := range list(kz["patchesJson6902"]) {
		acc = k.patchEntry(dir, kfile, i, e, acc)
	}
	for _, e := range list(kz["replicas"]) {
		em, _ := e.(map[string]any)
		setReplicas(acc, str(em["name"]), em["count"])
	}
	for _, e := range list(kz["images"]) {
		if em, ok := e.(map[string]any); ok {
			setImages(acc, em)
		}
	}
	return acc, nil
}

func (k *kustomizer) join(dir, entry string) string {
	if filepath.IsAbs(entry) {
		return filepath.Clean(entry)
	}
	return filepath.Join(dir, entry)
}

// read loads a file once recorded as consumed (so a directory walk does not import it
// again as a plain manifest).
func (k *kustomizer) read(p string) ([]byte, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	if st.Size() > maxFile {
		return nil, fmt.Errorf("%s: file larger than %d bytes", p, maxFile)
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	if abs, err := filepath.Abs(p); err == nil {
		k.consumed[abs] = true
	}
	return data, nil
}

// restricted applies kustomize's default load restriction: files must sit inside the
// kustomization's directory (bases, being directories, may live anywhere).
func restricted(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

func (k *kustomizer) resource(dir, kfile, entry string) []*object {
	p := k.join(dir, entry)
	st, err := os.Stat(p)
	if err != nil {
		if isRemote(entry) {
			k.errorf(kfile, "resource %q: remote resources are not fetched; render with kustomize build first", entry)
		} else {
			k.errorf(kfile, "resource %q: %v", entry, err)
		}
		return nil
	}
	if st.IsDir() {
		objs, err := k.build(p, nil)
		if err != nil {
			k.errorf(kfile, "resource %q: %v", entry, err)
		}
		return objs
	}
	if restricted(dir, p) {
		k.errorf(kfile, "resource %q: file is outside the kustomization directory (kustomize's load restriction)", entry)
		return nil
	}
	data, err := k.read(p)
	if err != nil {
		k.errorf(kfile, "resource %q: %v", entry, err)
		return nil
	}
	objs, errs := parseObjects(data, p)
	k.errs = append(k.errs, errs...)
	return objs
}

func isRemote(entry string) bool {
	return strings.Contains(entry, "://") || strings.HasPrefix(entry, "github.com/") ||
		strings.HasPrefix(entry, "git@") || strings.Contains(entry, "?ref=")
}

// generate adds configMapGenerator and secretGenerator output.
func (k *kustomizer) generate(dir, kfile string, kz map[string]any, acc []*object) []*object {
	opts, _ := kz["generatorOptions"].(map[string]any)
	for _, gen := range []struct{ field, kind string }{{"configMapGenerator", "ConfigMap"}, {"secretGenerator", "Secret"}} {
		for i, e := range list(kz[gen.field]) {
			em, ok := e.(map[string]any)
			name := str(em["name"])
			if !ok || name == "" {
				k.errorf(kfile, "%s entry %d has no name", gen.field, i)
				continue
			}
			data := k.generatorData(dir, kfile, gen.field, em)
			if gen.kind == "Secret" {
				for key, val := range data {
					data[key] = base64.StdEncoding.EncodeToString([]byte(val.(string)))
				}
			}
			ns := str(em["namespace"])
			switch behavior := str(em["behavior"]); behavior {
			case "merge", "replace":
				var found *object
				for _, o := range acc {
					if o.kind() == gen.kind && (o.name() == name || o.Origin == name) && (ns == "" || o.namespace() == ns) {
						found = o
					}
				}
				if found == nil {
					k.errorf(kfile, "%s %q: behavior %s but no %s of that name", gen.field, name, behavior, gen.kind)
					continue
				}
				old, _ := found.Obj["data"].(map[string]any)
				if behavior == "replace" || old == nil {
					old = map[string]any{}
				}
				for key, val := range data {
					old[key] = val
				}
				found.Obj["data"] = old
			default:
				meta := map[string]any{"name": name}
				if ns != "" {
					meta["namespace"] = ns
				}
				obj := map[string]any{"apiVersion": "v1", "kind": gen.kind, "metadata": meta, "data": data}
				if gen.kind == "Secret" {
					t := str(em["type"])
					if t == "" {
						t = "Opaque"
					}
					obj["type"] = t
				}
				o := &object{Obj: obj, File: kfile, Line: 1, Origin: name, OrigNS: ns}
				for _, src := range []map[string]any{opts, mapOf(em["options"])} {
					if l, ok := src["labels"].(map[string]any); ok {
						addLabels(o, l, false, false)
					}
					if a, ok := src["annotations"].(map[string]any); ok {
						addAnnotations(o, a)
					}
				}
				acc = append(acc, o)
			}
		}
	}
	return acc
}

// generatorData reads literals, files and env files of one generator entry.
func (k *kustomizer) generatorData(dir, kfile, field string, em map[string]any) map[string]any {
	data := map[string]any{}
	for _, lit := range strList(em["literals"]) {
		key, val, ok := strings.Cut(lit, "=")
		if !ok {
			k.errorf(kfile, "%s %q: literal %q is not key=value", field, str(em["name"]), lit)
			continue
		}
		data[key] = unquote(val)
	}
	for _, f := range strList(em["files"]) {
		key, path, ok := strings.Cut(f, "=")
		if !ok {
			key, path = filepath.Base(f), f
		}
		if b, ok := k.readInside(dir, kfile, field, path); ok {
			data[key] = string(b)
		}
	}
	envs := strList(em["envs"])
	if e := str(em["env"]); e != "" {
		envs = append(envs, e)
	}
	for _, f := range envs {
		b, ok := k.readInside(dir, kfile, field, f)
		if !ok {
			continue
		}
		for _, line := range strings.Split(string(b), "\n") {
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			if key, val, ok := strings.Cut(line, "="); ok {
				data[key] = unquote(val)
			}
		}
	}
	return data
}

func (k *kustomizer) readInside(dir, kfile, field, rel string) ([]byte, bool) {
	p := k.join(dir, rel)
	if restricted(dir, p) {
		k.errorf(kfile, "%s: file %q is outside the kustomization directory", field, rel)
		return nil, false
	}
	b, err := k.read(p)
	if err != nil {
		k.errorf(kfile, "%s: %v", field, err)
		return nil, false
	}
	return b, true
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '\'' && s[len(s)-1] == '\'') {
		return s[1 : len(s)-1]
	}
	return s
}

// patchContent returns the decoded documents of a patch given as a path or inline text.
func (k *kustomizer) patchContent(dir, kfile, path, inline string) ([]any, string, bool) {
	src, data := kfile, []byte(inline)
	if path != "" {
		p := k.join(dir, path)
		if restricted(dir, p) {
			k.errorf(kfile, "patch %q is outside the kustomization directory", path)
			return nil, "", false
		}
		b, err := k.read(p)
		if err != nil {
			k.errorf(kfile, "patch %q: %v", path, err)
			return nil, "", false
		}
		src, data = p, b
	}
	chunks, starts := splitDocuments(data)
	var docs []any
	for i, c := range chunks {
		v, empty, err := decodeYAML(c, starts[i]-1)
		if err != nil {
			k.errorf(src, "patch: %v", err)
			return nil, "", false
		}
		if !empty {
			docs = append(docs, v)
		}
	}
	return docs, src, true
}

// patchSMPEntry applies one patchesStrategicMerge entry (a path or an inline patch).
func (k *kustomizer) patchSMPEntry(dir, kfile string, e any, acc []*object) []*object {
	s, ok := e.(string)
	if !ok {
		k.errorf(kfile, "patchesStrategicMerge entry is a %s, not a string", typeName(e))
		return acc
	}
	path, inline := s, ""
	if strings.Contains(s, "\n") {
		path, inline = "", s
	} else if _, err := os.Stat(k.join(dir, s)); err != nil && strings.Contains(s, ":") {
		path, inline = "", s
	}
	docs, src, ok := k.patchContent(dir, kfile, path, inline)
	if !ok {
		return acc
	}
	for _, d := range docs {
		acc = k.smp(src, d, nil, acc)
	}
	return acc
}

// patchEntry applies one entry of patches / patchesJson6902.
func (k *kustomizer) patchEntry(dir, kfile string, i int, e any, acc []*object) []*object {
	em, ok := e.(map[string]any)
	if !ok {
		k.errorf(kfile, "patch %d is a %s, not an object", i, typeName(e))
		return acc
	}
	docs, src, ok := k.patchContent(dir, kfile, str(em["path"]), str(em["patch"]))
	if !ok {
		return acc
	}
	var sel *selector
	if t, ok := em["target"].(map[string]any); ok {
		sel = newSelector(t)
	}
	for _, d := range docs {
		switch x := d.(type) {
		case []any:
			if sel == nil {
				k.errorf(src, "JSON 6902 patch has no target")
				continue
			}
			n := 0
			for _, o := range acc {
				if !sel.matches(o) {
					continue
				}
				n++
				if err := jsonPatch(o.Obj, x); err != nil {
					k.errorf(src, "JSON 6902 patch on %s/%s: %v", o.kind(), o.name(), err)
				}
			}
			if n == 0 {
				k.errorf(src, "JSON 6902 patch: no resource matches target %s", sel)
			}
		case map[string]any:
			acc = k.smp(src, x, sel, acc)
		default:
			k.errorf(src, "patch is a %s, neither an object nor a list of operations", typeName(d))
		}
	}
	return acc
}

// smp applies a strategic-merge patch to the target objects: those the selector picks,
// or the one the patch names by kind, name and (optional) namespace.
func (k *kustomizer) smp(src string, d any, sel *selector, acc []*object) []*object {
	patch, ok := d.(map[string]any)
	if !ok {
		k.errorf(src, "strategic merge patch is a %s, not an object", typeName(d))
		return acc
	}
	pkind := str(patch["kind"])
	pmeta, _ := patch["metadata"].(map[string]any)
	pname, pns := str(pmeta["name"]), str(pmeta["namespace"])
	if sel == nil && (pkind == "" || pname == "") {
		k.errorf(src, "strategic merge patch needs kind and metadata.name")
		return acc
	}
	out := acc[:0:0]
	n := 0
	for _, o := range acc {
		var hit bool
		if sel != nil {
			hit = sel.matches(o)
		} else {
			hit = o.kind() == pkind && (o.name() == pname || o.Origin == pname) &&
				(pns == "" || o.namespace() == pns || o.OrigNS == pns)
		}
		if !hit {
			out = append(out, o)
			continue
		}
		n++
		p := patch
		if sel != nil {
			// A targeted patch must not rename its targets.
			p = deepCopy(patch).(map[string]any)
			if pm, ok := p["metadata"].(map[string]any); ok {
				delete(pm, "name")
				delete(pm, "namespace")
			}
		}
		if merged := strategicMerge(o.Obj, p); merged != nil {
			o.Obj = merged
			out = append(out, o)
		}
	}
	if n == 0 {
		target := pkind + "/" + pname
		if sel != nil {
			target = sel.String()
		}
		k.errorf(src, "strategic merge patch: no resource matches %s", target)
	}
	return out
}

// selector is a kustomize patch target.
type selector struct {
	group, version, kind, name, namespace, labels, annotations string
}

func newSelector(t map[string]any) *selector {
	return &selector{str(t["group"]), str(t["version"]), str(t["kind"]), str(t["name"]), str(t["namespace"]),
		str(t["labelSelector"]), str(t["annotationSelector"])}
}

func (s *selector) String() string {
	return fmt.Sprintf("{group:%q version:%q kind:%q name:%q namespace:%q}", s.group, s.version, s.kind, s.name, s.namespace)
}

func (s *selector) matches(o *object) bool {
	group, version := "", o.apiVersion()
	if g, v, ok := strings.Cut(version, "/"); ok {
		group, version = g, v
	}
	return matchRe(s.group, group) && matchRe(s.version, version) && matchRe(s.kind, o.kind()) &&
		(matchRe(s.name, o.name()) || matchRe(s.name, o.Origin)) &&
		(matchRe(s.namespace, o.namespace()) || matchRe(s.namespace, o.OrigNS)) &&
		matchLabels(s.labels, mapOf(o.meta()["labels"])) && matchLabels(s.annotations, mapOf(o.meta()["annotations"]))
}

// matchRe matches kustomize target fields, which are anchored regular expressions.
func matchRe(pattern, v string) bool {
	if pattern == "" || pattern == v {
		return true
	}
	re, err := regexp.Compile("^(?:" + pattern + ")$")
	return err == nil && re.MatchString(v)
}

// matchLabels evaluates equality-based selectors: "a=b,c!=d,e,!f".
func matchLabels(sel string, labels map[string]any) bool {
	for _, term := range strings.Split(sel, ",") {
		term = strings.TrimSpace(term)
		if term == "" {
			continue
		}
		if k, v, ok := strings.Cut(term, "!="); ok {
			if scalarString(labels[strings.TrimSpace(k)]) == strings.TrimSpace(v) {
				return false
			}
			continue
		}
		if k, v, ok := strings.Cut(strings.Replace(term, "==", "=", 1), "="); ok {
			lv, has := labels[strings.TrimSpace(k)]
			if !has || scalarString(lv) != strings.TrimSpace(v) {
				return false
			}
			continue
		}
		if strings.HasPrefix(term, "!") {
			if _, has := labels[term[1:]]; has {
				return false
			}
			continue
		}
		if _, has := labels[term]; !has {
			return false
		}
	}
	return true
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

func mapOf(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func strList(v any) []string {
	var out []string
	for _, e := range list(v) {
		if s := scalarString(e); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// sortedKeys keeps transforms deterministic.
func sortedKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
