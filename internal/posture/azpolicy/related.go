package azpolicy

import (
	"strings"
)

// InventoryLookup answers RelatedQuery from a list of ARM resources, the way
// Azure finds the resources an *IfNotExists effect checks: children and
// extension resources of the evaluated resource when details.type names
// one, otherwise resources of that type in the evaluated resource's
// resource group (or subscription, for existenceScope "subscription").
func InventoryLookup(inventory []map[string]any) func(RelatedQuery) ([]map[string]any, error) {
	return func(q RelatedQuery) ([]map[string]any, error) {
		var ofType []map[string]any
		for _, r := range inventory {
			if t, _ := lookupString(r, "type"); strings.EqualFold(t, q.Type) && nameMatches(r, q.Name) {
				ofType = append(ofType, r)
			}
		}
		id, _ := lookupString(q.Resource, "id")
		evalType, _ := lookupString(q.Resource, "type")
		under := func(r map[string]any) bool {
			rid, _ := lookupString(r, "id")
			return id != "" && len(rid) > len(id) && strings.EqualFold(rid[:len(id)+1], id+"/")
		}
		var out []map[string]any
		isChild := evalType != "" && len(q.Type) > len(evalType) && strings.EqualFold(q.Type[:len(evalType)+1], evalType+"/")
		for _, r := range ofType {
			if under(r) {
				out = append(out, r)
			}
		}
		if len(out) > 0 || isChild {
			return out, nil
		}
		sub, rg := idScope(id)
		if q.ResourceGroupName != "" {
			rg = q.ResourceGroupName
		}
		for _, r := range ofType {
			rid, _ := lookupString(r, "id")
			rsub, rrg := idScope(rid)
			if !strings.EqualFold(rsub, sub) {
				continue
			}
			if strings.EqualFold(q.ExistenceScope, "subscription") || strings.EqualFold(rrg, rg) {
				out = append(out, r)
			}
		}
		return out, nil
	}
}

// nameMatches compares a related resource's name with details.name, which
// may be the full "parent/child" name or just the last segment.
func nameMatches(r map[string]any, want string) bool {
	if want == "" {
		return true
	}
	name, _ := lookupString(r, "name")
	if strings.EqualFold(name, want) {
		return true
	}
	last := want[strings.LastIndexByte(want, '/')+1:]
	return strings.EqualFold(name, last) || strings.HasSuffix(strings.ToLower(name), "/"+strings.ToLower(last))
}
