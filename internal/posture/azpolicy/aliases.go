package azpolicy

import (
	"fmt"
	"strings"
)

// Aliases is a catalogue of Azure Policy aliases: alias name to ARM property
// path, optionally per API version.
// The same alias name can exist under several resource types with
// different paths (Microsoft.Compute/imagePublisher on virtual machines and
// on scale sets), so aliases are keyed by type first.
type Aliases struct {
	byType map[string]map[string]*alias // lower-case type, then alias name
	byName map[string][]*alias          // lower-case alias name, every type
}

type alias struct {
	name       string
	defPath    path
	versioned  []versionedPath
	modifiable bool
}

type versionedPath struct {
	apiVersions []string
	p           path
}

// LoadAliases reads an alias catalogue in the shape printed by
// `az provider list --expand resourceTypes/aliases`: an array of providers
// (or {"value": [...]}, or one provider), each with resourceTypes[].aliases[].
func LoadAliases(data []byte) (*Aliases, error) {
	doc, err := decodeJSON(data)
	if err != nil {
		return nil, fmt.Errorf("alias catalogue: %w", err)
	}
	a := &Aliases{byType: map[string]map[string]*alias{}, byName: map[string][]*alias{}}
	if err := a.add(doc); err != nil {
		return nil, err
	}
	return a, nil
}

// Len returns the number of aliases in the catalogue.
func (a *Aliases) Len() int {
	if a == nil {
		return 0
	}
	n := 0
	for _, m := range a.byType {
		n += len(m)
	}
	return n
}

func (a *Aliases) add(doc any) error {
	var providers []any
	switch x := doc.(type) {
	case []any:
		providers = x
	case map[string]any:
		if v, ok := lookupKey(x, "value"); ok {
			arr, ok := v.([]any)
			if !ok {
				return fmt.Errorf("alias catalogue: value is not an array")
			}
			providers = arr
		} else {
			providers = []any{x}
		}
	default:
		return fmt.Errorf("alias catalogue: expected an array of providers, got %s", typeName(doc))
	}
	for _, pv := range providers {
		prov, ok := pv.(map[string]any)
		if !ok {
			return fmt.Errorf("alias catalogue: provider is %s, not an object", typeName(pv))
		}
		ns, _ := lookupString(prov, "namespace")
		rts, _ := lookupKey(prov, "resourceTypes")
		rtList, _ := rts.([]any)
		for _, rtv := range rtList {
			rt, _ := rtv.(map[string]any)
			typ, _ := lookupString(rt, "resourceType")
			typ = strings.ToLower(ns + "/" + typ)
			als, _ := lookupKey(rt, "aliases")
			alList, _ := als.([]any)
			for _, av := range alList {
				am, ok := av.(map[string]any)
				if !ok {
					continue
				}
				if err := a.addAlias(typ, am); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func (a *Aliases) addAlias(typ string, am map[string]any) error {
	name, _ := lookupString(am, "name")
	if name == "" {
		return fmt.Errorf("alias catalogue: alias without a name")
	}
	al := &alias{name: name}
	if meta, ok := lookupKey(am, "defaultMetadata"); ok {
		al.modifiable = hasAttribute(meta, "Modifiable")
	}
	paths, _ := lookupKey(am, "paths")
	pathList, _ := paths.([]any)
	for _, pv := range pathList {
		pm, _ := pv.(map[string]any)
		ps, _ := lookupString(pm, "path")
		if ps == "" {
			continue
		}
		p, err := parsePath(ps)
		if err != nil {
			return fmt.Errorf("alias %s: %w", name, err)
		}
		vp := versionedPath{p: p}
		vs, _ := lookupKey(pm, "apiVersions")
		vl, _ := vs.([]any)
		for _, v := range vl {
			if s, ok := v.(string); ok {
				vp.apiVersions = append(vp.apiVersions, s)
			}
		}
		al.versioned = append(al.versioned, vp)
	}
	if dp, _ := lookupString(am, "defaultPath"); dp != "" {
		p, err := parsePath(dp)
		if err != nil {
			return fmt.Errorf("alias %s: %w", name, err)
		}
		al.defPath = p
	} else if len(al.versioned) > 0 {
		al.defPath = al.versioned[0].p
	} else {
		return fmt.Errorf("alias %s: no path", name)
	}
	key := strings.ToLower(name)
	if a.byType[typ] == nil {
		a.byType[typ] = map[string]*alias{}
	}
	if _, dup := a.byType[typ][key]; !dup {
		a.byName[key] = append(a.byName[key], al)
	}
	a.byType[typ][key] = al
	return nil
}

func hasAttribute(meta any, attr string) bool {
	m, ok := meta.(map[string]any)
	if !ok {
		return false
	}
	s, _ := lookupString(m, "attributes")
	for _, part := range strings.Split(s, ",") {
		if strings.EqualFold(strings.TrimSpace(part), attr) {
			return true
		}
	}
	return false
}

func lookupString(m map[string]any, key string) (string, bool) {
	v, ok := lookupKey(m, key)
	if !ok {
		return "", false
	}
	s, ok := v.(string)
	return s, ok
}

// lookup finds an alias for a resource type, falling back to the alias of
// that name on any type (the first loaded) when the type has none.
func (a *Aliases) lookup(resType, name string) *alias {
	if a == nil {
		return nil
	}
	key := strings.ToLower(name)
	if al := a.byType[strings.ToLower(resType)][key]; al != nil {
		return al
	}
	if all := a.byName[key]; len(all) > 0 {
		return all[0]
	}
	return nil
}

// modifiable reports whether any type declares the alias modifiable.
func (a *Aliases) modifiable(name string) (known, ok bool) {
	if a == nil {
		return false, false
	}
	all := a.byName[strings.ToLower(name)]
	for _, al := range all {
		if al.modifiable {
			return true, true
		}
	}
	return len(all) > 0, false
}

// pathFor picks the path that applies to a resource of the given API
// version: the versioned path listing it, else the default path.
func (al *alias) pathFor(apiVersion string) path {
	if apiVersion != "" {
		for _, vp := range al.versioned {
			for _, v := range vp.apiVersions {
				if strings.EqualFold(v, apiVersion) {
					return vp.p
				}
			}
		}
	}
	return al.defPath
}
