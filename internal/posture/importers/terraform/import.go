package terraform

import (
	"bytes"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

// maxModuleDepth bounds nested module calls (and catches modules that call themselves).
const maxModuleDepth = 16

// maxFileSize skips files no hand-written configuration reaches.
const maxFileSize = 32 << 20

// sourceFS reads module directories: the OS for ImportDir, a map for tests and fuzzing.
// Paths are slash-separated.
type sourceFS interface {
	list(dir string) ([]string, error) // file names (not paths) in dir
	read(name string) ([]byte, error)
}

type osFS struct{}

func (osFS) list(dir string) ([]string, error) {
	ents, err := os.ReadDir(filepath.FromSlash(dir))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range ents {
		if e.Type().IsRegular() {
			out = append(out, e.Name())
		}
	}
	return out, nil
}

func (osFS) read(name string) ([]byte, error) {
	st, err := os.Stat(filepath.FromSlash(name))
	if err != nil {
		return nil, err
	}
	if st.Size() > maxFileSize {
		return nil, os.ErrInvalid
	}
	return os.ReadFile(filepath.FromSlash(name))
}

// mapFS is an in-memory tree: slash paths to contents.
type mapFS map[string][]byte

func (m mapFS) list(dir string) ([]string, error) {
	dir = path.Clean(dir)
	var out []string
	for name := range m {
		if path.Dir(path.Clean(name)) == dir {
			out = append(out, path.Base(name))
		}
	}
	sort.Strings(out)
	return out, nil
}

func (m mapFS) read(name string) ([]byte, error) {
	for k, v := range m {
		if path.Clean(k) == path.Clean(name) {
			return v, nil
		}
	}
	return nil, os.ErrNotExist
}

// ImportDir imports the Terraform module in dir (its .tf files, terraform.tfvars and
// *.auto.tfvars, and local child modules) plus any `terraform show -json` documents there.
func ImportDir(dir string) inventory.Result {
	return importTree(osFS{}, filepath.ToSlash(dir), nil)
}

// ImportFile imports one .tf file as a module of its own, or one `terraform show -json`
// plan or state document.
func ImportFile(p string) inventory.Result {
	data, err := osFS{}.read(filepath.ToSlash(p))
	if err != nil {
		var r inventory.Result
		r.Errorf(p, "%v", err)
		return r
	}
	base := filepath.Base(p)
	if strings.HasSuffix(base, ".json") {
		return ImportJSON(data, base)
	}
	return importTree(osFS{}, filepath.ToSlash(filepath.Dir(p)), []string{filepath.Base(p)})
}

// ImportSources imports an in-memory module: file names (slash paths relative to the root)
// to contents. Child modules are looked up among the same names.
func ImportSources(files map[string][]byte) inventory.Result {
	return importTree(mapFS(files), ".", nil)
}

// importTree imports the root module in dir; only lists the files to take (nil: all).
func importTree(fsys sourceFS, dir string, only []string) inventory.Result {
	imp := &importer{fs: fsys, ids: map[string]bool{}}
	root := newModule(imp, dir, ".", "")
	names, err := fsys.list(dir)
	if err != nil {
		imp.res.Errorf(dir, "%v", err)
		return imp.res
	}
	if only != nil {
		names = only
	}
	sort.Strings(names)
	tfvars := map[string][]byte{}
	for _, name := range names {
		isVars := name == "terraform.tfvars" || name == "terraform.tfvars.json" ||
			strings.HasSuffix(name, ".auto.tfvars") || strings.HasSuffix(name, ".auto.tfvars.json")
		isJSON := strings.HasSuffix(name, ".json") && !isVars && !strings.HasSuffix(name, ".tf.json")
		if !strings.HasSuffix(name, ".tf") && !isVars && !isJSON {
			continue
		}
		data, err := fsys.read(path.Join(dir, name))
		if err != nil {
			imp.res.Errorf(name, "%v", err)
			continue
		}
		switch {
		case isVars:
			tfvars[name] = data
		case isJSON:
			// Only `terraform show -json` output; other JSON files are not ours.
			if looksLikeShowJSON(data) {
				imp.res.Merge(importJSON(data, name, imp.ids))
			}
		default:
			root.parseFile(name, data)
		}
	}
	root.loadTfvars(tfvars)
	imp.run(root)
	return imp.res
}

// run imports a module, then the child modules its calls name.
func (imp *importer) run(m *module) {
	m.emit()
	for _, c := range m.callOrder {
		if child := m.child(c.name); child != nil {
			imp.run(child)
		}
	}
}

// child loads the module a `module` block calls, when its source is a local path.
func (m *module) child(name string) *module {
	c := m.calls[name]
	if c == nil {
		return nil
	}
	if c.loaded {
		return c.child
	}
	c.loaded = true
	a, ok := c.block.Body.Attributes["source"]
	if !ok {
		return nil
	}
	v, d := a.Expr.Value(nil)
	if d.HasErrors() || !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
		return nil
	}
	src := v.AsString()
	if !strings.HasPrefix(src, "./") && !strings.HasPrefix(src, "../") {
		return nil // registry, git and other remote sources are not fetched
	}
	where := c.file.name + ":" + itoa(c.block.DefRange().Start.Line)
	if m.depth+1 > maxModuleDepth {
		m.imp.res.Errorf(where, "module %s: nesting deeper than %d modules", name, maxModuleDepth)
		return nil
	}
	dir := path.Join(m.dir, src)
	rel := path.Join(m.rel, src)
	for p := m; p != nil; p = p.parent {
		if p.dir == dir {
			m.imp.res.Errorf(where, "module %s: calls itself through %s", name, src)
			return nil
		}
	}
	names, err := m.imp.fs.list(dir)
	if err != nil {
		m.imp.res.Errorf(where, "module %s: %v", name, err)
		return nil
	}
	prefix := rel + ":"
	for _, other := range m.imp.modules {
		if other.prefix == prefix {
			prefix = rel + "[" + m.address() + "module." + name + "]:"
		}
	}
	child := newModule(m.imp, dir, rel, prefix)
	child.parent, child.call, child.depth = m, c, m.depth+1
	m.imp.modules = append(m.imp.modules, child)
	for _, n := range names {
		if !strings.HasSuffix(n, ".tf") {
			continue
		}
		data, err := m.imp.fs.read(path.Join(dir, n))
		if err != nil {
			m.imp.res.Errorf(path.Join(rel, n), "%v", err)
			continue
		}
		child.parseFile(path.Join(rel, n), data)
	}
	c.child = child
	return child
}

// address is the module's Terraform address prefix ("module.a.module.b.").
func (m *module) address() string {
	if m.call == nil || m.parent == nil {
		return ""
	}
	return m.parent.address() + "module." + m.call.name + "."
}

// parseRef parses a reference written as a string ("aws_iam_role.r"), as old configs do.
func parseRef(s string) (hcl.Traversal, bool) {
	t, d := hclsyntax.ParseTraversalAbs([]byte(s), "", hcl.InitialPos)
	return t, !d.HasErrors()
}

// looksLikeShowJSON is a cheap test for `terraform show -json` output.
func looksLikeShowJSON(data []byte) bool {
	head := data
	if len(head) > 4096 {
		head = head[:4096]
	}
	return bytes.Contains(head, []byte(`"format_version"`)) &&
		(bytes.Contains(data, []byte(`"planned_values"`)) || bytes.Contains(data, []byte(`"values"`)))
}
