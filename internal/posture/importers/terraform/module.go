package terraform

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

// srcFile is one parsed .tf file. name is relative to the import root, with forward slashes.
type srcFile struct {
	name string
	src  []byte
	body *hclsyntax.Body
}

// attrDef is a named expression (local, output, module input) and the file it lives in.
type attrDef struct {
	attr *hclsyntax.Attribute
	file *srcFile
}

// memo caches an evaluated named value with the links its evaluation produced, so a second
// use of a local still links its user to the resources the local references.
type memo struct {
	val   cty.Value
	links []string
	busy  bool
	done  bool
}

// resDef is one `resource` block; instances are filled when it is first evaluated.
type resDef struct {
	typ, name string
	block     *hclsyntax.Block
	file      *srcFile
	mod       *module

	state     int // 0 new, 1 evaluating, 2 done
	keyed     bool
	instances []*instance
}

// instance is one expanded resource (a count index or for_each key, or the only one).
type instance struct {
	key   cty.Value // cty.NilVal when the resource is not expanded
	id    string
	value cty.Value // object of attributes and blocks, used by references
	props map[string]any
	links map[string]string // target id -> kind
}

// providerDef is a provider configuration block, keyed "aws" or "aws.alias".
type providerDef struct {
	block *hclsyntax.Block
	file  *srcFile
	attrs map[string]any
	done  bool
}

// callDef is a `module` block.
type callDef struct {
	name   string
	block  *hclsyntax.Block
	file   *srcFile
	child  *module
	loaded bool
}

// module is one directory of .tf files being evaluated.
type module struct {
	imp    *importer
	dir    string // OS directory, "" for in-memory sources
	rel    string // path relative to the import root ("." for the root)
	prefix string // ID prefix ("" for the root module)
	parent *module
	call   *callDef // the call that instantiated this module (nil for the root)
	depth  int

	files     []*srcFile
	vars      map[string]*hclsyntax.Block
	tfvars    map[string]cty.Value
	varMemo   map[string]*memo
	locals    map[string]*attrDef
	localMemo map[string]*memo
	outputs   map[string]*attrDef
	outMemo   map[string]*memo
	resources map[string]*resDef // "type.name"
	dataBlk   map[string]*hclsyntax.Block
	dataMemo  map[string]*memo
	resOrder  []*resDef
	types     map[string]bool
	providers map[string]*providerDef
	calls     map[string]*callDef
	callOrder []*callDef
}

func newModule(imp *importer, dir, rel, prefix string) *module {
	return &module{
		imp: imp, dir: dir, rel: rel, prefix: prefix,
		vars: map[string]*hclsyntax.Block{}, tfvars: map[string]cty.Value{}, varMemo: map[string]*memo{},
		locals: map[string]*attrDef{}, localMemo: map[string]*memo{},
		outputs: map[string]*attrDef{}, outMemo: map[string]*memo{},
		resources: map[string]*resDef{}, types: map[string]bool{},
		dataBlk: map[string]*hclsyntax.Block{}, dataMemo: map[string]*memo{},
		providers: map[string]*providerDef{}, calls: map[string]*callDef{},
	}
}

// parseFile parses one .tf file; syntax errors are recorded and the file is skipped.
func (m *module) parseFile(name string, src []byte) {
	p := hclparse.NewParser()
	f, diags := p.ParseHCL(src, name)
	if diags.HasErrors() {
		m.imp.diagErrors(name, diags)
		return
	}
	body, ok := f.Body.(*hclsyntax.Body)
	if !ok {
		m.imp.res.Errorf(name, "not native HCL syntax")
		return
	}
	sf := &srcFile{name: name, src: src, body: body}
	m.files = append(m.files, sf)
	m.collect(sf)
}

// collect indexes the top-level blocks of a file.
func (m *module) collect(f *srcFile) {
	for _, b := range f.body.Blocks {
		where := fmt.Sprintf("%s:%d", f.name, b.DefRange().Start.Line)
		switch b.Type {
		case "resource":
			if len(b.Labels) != 2 || b.Labels[0] == "" || b.Labels[1] == "" {
				m.imp.res.Errorf(where, "resource block needs a non-empty type and name label, got %q", b.Labels)
				continue
			}
			key := b.Labels[0] + "." + b.Labels[1]
			if _, dup := m.resources[key]; dup {
				m.imp.res.Errorf(where, "duplicate resource %s", key)
				continue
			}
			r := &resDef{typ: b.Labels[0], name: b.Labels[1], block: b, file: f, mod: m}
			m.resources[key] = r
			m.resOrder = append(m.resOrder, r)
			m.types[r.typ] = true
		case "variable":
			if len(b.Labels) == 1 {
				m.vars[b.Labels[0]] = b
			}
		case "locals":
			for name, a := range b.Body.Attributes {
				m.locals[name] = &attrDef{attr: a, file: f}
			}
		case "output":
			if len(b.Labels) == 1 {
				if a, ok := b.Body.Attributes["value"]; ok {
					m.outputs[b.Labels[0]] = &attrDef{attr: a, file: f}
				}
			}
		case "provider":
			if len(b.Labels) != 1 {
				continue
			}
			key := b.Labels[0]
			if a, ok := b.Body.Attributes["alias"]; ok {
				if v, d := a.Expr.Value(nil); !d.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
					key += "." + v.AsString()
				}
			}
			m.providers[key] = &providerDef{block: b, file: f}
		case "data":
			if len(b.Labels) == 2 && renderable[b.Labels[0]] {
				m.dataBlk[b.Labels[0]+"."+b.Labels[1]] = b
			}
		case "module":
			if len(b.Labels) == 1 {
				c := &callDef{name: b.Labels[0], block: b, file: f}
				if _, dup := m.calls[c.name]; dup {
					m.imp.res.Errorf(where, "duplicate module %s", c.name)
					continue
				}
				m.calls[c.name] = c
				m.callOrder = append(m.callOrder, c)
			}
		}
	}
}

// loadTfvars applies terraform.tfvars then *.auto.tfvars (lexical order), as Terraform does.
func (m *module) loadTfvars(files map[string][]byte) {
	var names []string
	for n := range files {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return tfvarsRank(names[i]) < tfvarsRank(names[j]) })
	for _, name := range names {
		src := files[name]
		p := hclparse.NewParser()
		var f *hcl.File
		var diags hcl.Diagnostics
		if strings.HasSuffix(name, ".json") {
			f, diags = p.ParseJSON(src, name)
		} else {
			f, diags = p.ParseHCL(src, name)
		}
		if diags.HasErrors() {
			m.imp.diagErrors(name, diags)
			continue
		}
		attrs, diags := f.Body.JustAttributes()
		if diags.HasErrors() {
			m.imp.diagErrors(name, diags)
		}
		for k, a := range attrs {
			v, d := a.Expr.Value(&hcl.EvalContext{Functions: functions()})
			if d.HasErrors() || !v.IsWhollyKnown() {
				m.imp.diagErrors(name, d)
				continue
			}
			m.tfvars[k] = v
		}
	}
}

// tfvarsRank orders terraform.tfvars(.json) before *.auto.tfvars(.json), then by name.
func tfvarsRank(name string) string {
	base := path.Base(name)
	if strings.HasPrefix(base, "terraform.tfvars") {
		return "0" + base
	}
	return "1" + base
}

// importer holds the state of one ImportDir/ImportFile call.
type importer struct {
	res     inventory.Result
	fs      sourceFS
	modules []*module
	ids     map[string]bool
}

// diagErrors records HCL diagnostics as import errors located at file:line:col.
func (imp *importer) diagErrors(name string, diags hcl.Diagnostics) {
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		src := name
		if d.Subject != nil {
			src = fmt.Sprintf("%s:%d:%d", name, d.Subject.Start.Line, d.Subject.Start.Column)
		}
		msg := d.Summary
		if d.Detail != "" {
			msg += ": " + d.Detail
		}
		imp.res.Errorf(src, "%s", msg)
	}
}
