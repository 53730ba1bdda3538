package terraform

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

// showDoc is the part of `terraform show -json` output (plan or state) we read.
type showDoc struct {
	FormatVersion string     `json:"format_version"`
	PlannedValues *valuesDoc `json:"planned_values"`
	Values        *valuesDoc `json:"values"`
	Configuration *struct {
		ProviderConfig map[string]providerJSON `json:"provider_config"`
		RootModule     *configModule           `json:"root_module"`
	} `json:"configuration"`
}

type valuesDoc struct {
	RootModule *stateModule `json:"root_module"`
}

type stateModule struct {
	Address      string          `json:"address"`
	Resources    []stateResource `json:"resources"`
	ChildModules []stateModule   `json:"child_modules"`
}

type stateResource struct {
	Address      string         `json:"address"`
	Mode         string         `json:"mode"`
	Type         string         `json:"type"`
	Name         string         `json:"name"`
	ProviderName string         `json:"provider_name"`
	Values       map[string]any `json:"values"`
}

type providerJSON struct {
	Name        string              `json:"name"`
	Alias       string              `json:"alias"`
	Expressions map[string]exprJSON `json:"expressions"`
}

type exprJSON struct {
	ConstantValue any      `json:"constant_value"`
	References    []string `json:"references"`
}

type configModule struct {
	Resources []struct {
		Address           string                     `json:"address"`
		Mode              string                     `json:"mode"`
		ProviderConfigKey string                     `json:"provider_config_key"`
		Expressions       map[string]json.RawMessage `json:"expressions"`
	} `json:"resources"`
	ModuleCalls map[string]struct {
		Module *configModule `json:"module"`
	} `json:"module_calls"`
}

// ImportJSON imports a `terraform show -json` plan (planned_values) or state (values)
// document; name locates it in errors and Source.
func ImportJSON(data []byte, name string) inventory.Result {
	return importJSON(data, name, map[string]bool{})
}

func importJSON(data []byte, name string, ids map[string]bool) inventory.Result {
	var res inventory.Result
	var doc showDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		res.Errorf(name, "not terraform show -json output: %v", err)
		return res
	}
	vals := doc.PlannedValues
	if vals == nil {
		vals = doc.Values
	}
	if doc.FormatVersion == "" || vals == nil || vals.RootModule == nil {
		res.Errorf(name, "not terraform show -json output: no format_version and planned_values/values")
		return res
	}
	cfg := map[string]*cfgResource{}
	regions := map[string]string{}
	if c := doc.Configuration; c != nil {
		for key, p := range c.ProviderConfig {
			if v, ok := p.Expressions["region"].ConstantValue.(string); ok {
				regions[key] = v
			}
		}
		indexConfig(c.RootModule, "", cfg)
	}
	b := &planBuilder{res: &res, name: name, ids: ids, cfg: cfg, regions: regions, byAddr: map[string][]string{}}
	b.walk(vals.RootModule, 0)
	b.link()
	return res
}

type cfgResource struct {
	providerKey string
	exprs       map[string]exprJSON
}

// indexConfig maps configuration resource addresses ("module.a.aws_x.y") to their
// expressions, which carry the references Terraform saw.
func indexConfig(m *configModule, prefix string, out map[string]*cfgResource) {
	if m == nil || len(prefix) > 4096 {
		return
	}
	for _, r := range m.Resources {
		if r.Mode != "managed" {
			continue
		}
		c := &cfgResource{providerKey: r.ProviderConfigKey, exprs: map[string]exprJSON{}}
		for k, raw := range r.Expressions {
			var e exprJSON
			if json.Unmarshal(raw, &e) == nil {
				c.exprs[k] = e
			}
		}
		out[prefix+r.Address] = c
	}
	for name, call := range m.ModuleCalls {
		indexConfig(call.Module, prefix+"module."+name+".", out)
	}
}

type planBuilder struct {
	res     *inventory.Result
	name    string
	ids     map[string]bool
	cfg     map[string]*cfgResource
	regions map[string]string
	byAddr  map[string][]string // module config path + "type.name" -> resource ids
	pending []*planRes
}

type planRes struct {
	r       *inventory.Resource
	modPath string // module config path ("module.a.") without instance keys
	cfg     *cfgResource
}

func (b *planBuilder) walk(m *stateModule, depth int) {
	if depth > maxModuleDepth*4 {
		return
	}
	modPath := stripKeys(m.Address)
	if modPath != "" {
		modPath += "."
	}
	for i, sr := range m.Resources {
		if sr.Mode != "" && sr.Mode != "managed" {
			continue
		}
		where := fmt.Sprintf("%s:%s", b.name, sr.Address)
		if sr.Type == "" || sr.Address == "" {
			b.res.Errorf(fmt.Sprintf("%s:resources[%d]", b.name, i), "resource without type or address")
			continue
		}
		id := sr.Address
		if m.Address != "" {
			id = m.Address + ":" + strings.TrimPrefix(sr.Address, m.Address+".")
		}
		if b.ids[id] {
			b.res.Errorf(where, "duplicate resource id %s", id)
			continue
		}
		b.ids[id] = true
		props := sr.Values
		if props == nil {
			props = map[string]any{}
		}
		name := sr.Name
		if name == "" {
			name = sr.Address
		}
		r := &inventory.Resource{
			ID: id, Provider: providerOf(sr.Type), Type: sr.Type, Name: name,
			Properties: props, Source: where, Format: "terraform",
		}
		cfgAddr := modPath + sr.Type + "." + sr.Name
		c := b.cfg[cfgAddr]
		fillUnknown(props, c)
		b.describe(r, c)
		b.byAddr[cfgAddr] = append(b.byAddr[cfgAddr], id)
		b.pending = append(b.pending, &planRes{r: r, modPath: modPath, cfg: c})
	}
	for i := range m.ChildModules {
		b.walk(&m.ChildModules[i], depth+1)
	}
}

// fillUnknown shows attributes whose value is only known after apply as the reference they
// come from, as the HCL importer does ("${aws_s3_bucket.b.id}").
func fillUnknown(props map[string]any, c *cfgResource) {
	if c == nil {
		return
	}
	for k, e := range c.exprs {
		if v, ok := props[k]; ok && v != nil {
			continue
		}
		if len(e.References) > 0 {
			props[k] = "${" + e.References[0] + "}"
		}
	}
}

func (b *planBuilder) describe(r *inventory.Resource, c *cfgResource) {
	p := r.Properties
	if tm, ok := p["tags"].(map[string]any); ok && len(tm) > 0 {
		r.Tags = map[string]string{}
		for k, v := range tm {
			r.Tags[k] = fmt.Sprint(v)
		}
	} else if tm, ok := p["labels"].(map[string]any); ok && len(tm) > 0 {
		r.Tags = map[string]string{}
		for k, v := range tm {
			r.Tags[k] = fmt.Sprint(v)
		}
	}
	r.Region = literal(p["region"])
	if r.Region == "" {
		r.Region = literal(p["location"])
	}
	if r.Region == "" && c != nil {
		r.Region = b.regions[c.providerKey]
	}
	switch r.Provider {
	case inventory.GCP:
		r.Account = literal(p["project"])
	case inventory.Azure:
		r.ResourceGroup = literal(p["resource_group_name"])
	}
}

// link turns configuration references into links between the resources of one module.
func (b *planBuilder) link() {
	for _, pr := range b.pending {
		targets := map[string]bool{}
		if pr.cfg != nil {
			for _, e := range pr.cfg.exprs {
				for _, ref := range e.References {
					parts := strings.SplitN(stripKeys(ref), ".", 3)
					if len(parts) < 2 || parts[0] == "var" || parts[0] == "local" || parts[0] == "data" || parts[0] == "module" {
						continue
					}
					for _, id := range b.byAddr[pr.modPath+parts[0]+"."+parts[1]] {
						if id != pr.r.ID {
							targets[id] = true
						}
					}
				}
			}
		}
		for t := range targets {
			pr.r.Links = append(pr.r.Links, inventory.Link{Kind: "references", Target: t})
		}
		sort.Slice(pr.r.Links, func(i, j int) bool { return pr.r.Links[i].Target < pr.r.Links[j].Target })
		b.res.Add(pr.r)
	}
}

// stripKeys removes instance keys from an address: module.a[0].aws_x.y["k"] -> module.a.aws_x.y.
func stripKeys(addr string) string {
	var sb strings.Builder
	depth := 0
	inStr := false
	for i := 0; i < len(addr); i++ {
		c := addr[i]
		switch {
		case inStr:
			if c == '\\' {
				i++
			} else if c == '"' {
				inStr = false
			}
		case c == '"' && depth > 0:
			inStr = true
		case c == '[':
			depth++
		case c == ']':
			if depth > 0 {
				depth--
			}
		case depth == 0:
			sb.WriteByte(c)
		}
	}
	return sb.String()
}
