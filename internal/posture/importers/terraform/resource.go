package terraform

import (
	"fmt"
	"math/big"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

// providerOf maps a Terraform type prefix to the inventory provider; other providers
// (random, null, tls, ...) keep their Terraform name.
func providerOf(typ string) string {
	p, _, _ := strings.Cut(typ, "_")
	switch p {
	case "aws":
		return inventory.AWS
	case "azurerm", "azuread", "azapi":
		return inventory.Azure
	case "google":
		return inventory.GCP
	case "kubernetes", "helm":
		return inventory.Kubernetes
	}
	return p
}

// emit turns every instance of every resource of the module into inventory resources.
func (m *module) emit() {
	for _, r := range m.resOrder {
		m.evalResource(r)
		for _, in := range r.instances {
			props, _ := toGo(in.value).(map[string]any)
			if props == nil {
				props = map[string]any{}
			}
			res := &inventory.Resource{
				ID:         in.id,
				Provider:   providerOf(r.typ),
				Type:       r.typ,
				Name:       r.name,
				Properties: props,
				Source:     fmt.Sprintf("%s:%d", r.file.name, r.block.DefRange().Start.Line),
				Format:     "terraform",
			}
			m.describe(res, r)
			for target, kind := range in.links {
				res.Links = append(res.Links, inventory.Link{Kind: kind, Target: target})
			}
			sort.Slice(res.Links, func(i, j int) bool { return res.Links[i].Target < res.Links[j].Target })
			if m.imp.ids[res.ID] {
				m.imp.res.Errorf(res.Source, "duplicate resource id %s", res.ID)
				continue
			}
			m.imp.ids[res.ID] = true
			m.imp.res.Add(res)
		}
	}
}

// describe fills tags, region, account and resource group from the attributes and the
// provider configuration, keeping only values that are fully known.
func (m *module) describe(res *inventory.Resource, r *resDef) {
	p := res.Properties
	tags := p["tags"]
	if tags == nil {
		tags = p["labels"]
	}
	if meta := first(p["metadata"]); meta != nil {
		res.ResourceGroup = literal(meta["namespace"])
		if tags == nil {
			tags = meta["labels"]
		}
	}
	if tm, ok := tags.(map[string]any); ok && len(tm) > 0 {
		res.Tags = map[string]string{}
		for k, v := range tm {
			res.Tags[k] = fmt.Sprint(v)
		}
	}
	prov := m.providerConfig(r)
	res.Region = literal(p["region"])
	if res.Region == "" {
		res.Region = literal(p["location"])
	}
	if res.Region == "" {
		res.Region = literal(prov["region"])
	}
	switch res.Provider {
	case inventory.GCP:
		res.Account = literal(p["project"])
		if res.Account == "" {
			res.Account = literal(prov["project"])
		}
	case inventory.Azure:
		res.ResourceGroup = literal(p["resource_group_name"])
		res.Account = literal(prov["subscription_id"])
	}
}

// providerConfig evaluates the provider block a resource uses (its `provider` argument or
// the default one for its type prefix), inherited from parent modules.
func (m *module) providerConfig(r *resDef) map[string]any {
	name, _, _ := strings.Cut(r.typ, "_")
	if a, ok := r.block.Body.Attributes["provider"]; ok {
		if t, d := hcl.AbsTraversalForExpr(a.Expr); !d.HasErrors() && len(t) >= 1 {
			name = t.RootName()
			if alias, ok := attrName(t[1:]); ok {
				name += "." + alias
			}
		}
	}
	for mod := m; mod != nil; mod = mod.parent {
		if pd, ok := mod.providers[name]; ok {
			if !pd.done {
				pd.done = true
				s := &scope{mod: mod}
				pd.attrs, _ = toGo(s.body(pd.block.Body, pd.file, nil)).(map[string]any)
			}
			return pd.attrs
		}
	}
	return nil
}

func first(v any) map[string]any {
	if l, ok := v.([]any); ok && len(l) > 0 {
		m, _ := l[0].(map[string]any)
		return m
	}
	return nil
}

// literal is a string value with nothing left unresolved.
func literal(v any) string {
	s, _ := v.(string)
	if strings.Contains(s, "${") {
		return ""
	}
	return s
}

// toGo converts a cty value to the JSON-like values inventory properties hold.
func toGo(v cty.Value) any {
	if v == cty.NilVal || v.IsNull() {
		return nil
	}
	v, _ = v.UnmarkDeep()
	if !v.IsKnown() {
		return "${unknown}"
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		return v.AsString()
	case ty == cty.Number:
		return number(v.AsBigFloat())
	case ty == cty.Bool:
		return v.True()
	case ty.IsListType() || ty.IsTupleType() || ty.IsSetType():
		out := make([]any, 0, v.LengthInt())
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			out = append(out, toGo(e))
		}
		return out
	case ty.IsMapType() || ty.IsObjectType():
		out := make(map[string]any, v.LengthInt())
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			out[k.AsString()] = toGo(e)
		}
		return out
	}
	return nil
}

func number(f *big.Float) any {
	x, _ := f.Float64()
	return x
}
