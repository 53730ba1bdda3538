package policy

import (
	"encoding/json"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/rampart-soc/rampart/internal/posture/azpolicy"
	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

// anyAzure is the type key of rules that see every Azure resource.
const anyAzure = "azure:*"

// ParseAzurePolicy wraps an Azure Policy definition (JSON, as exported from Azure or the
// built-ins repository) as a policy evaluated by the Azure Policy interpreter. It applies to
// the resource types its rule names with `field: type` conditions, or to every Azure
// resource when it names none. Audit-like effects that match make a resource unhealthy.
func ParseAzurePolicy(data []byte, source string) (*Policy, error) {
	ap, err := azpolicy.ParseDefinition(data, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", source, err)
	}
	var doc any
	_ = json.Unmarshal(data, &doc)
	id := ap.Name
	if id == "" {
		id = strings.TrimSuffix(path.Base(source), path.Ext(source))
	}
	title := ap.DisplayName
	if title == "" {
		title = id
	}
	types := typeConditions(doc, nil)
	if len(types) == 0 {
		types = []string{anyAzure}
	}
	return &Policy{ID: id, Title: title, Severity: "Medium", Provider: "azure", Category: "Azure Policy",
		Equivalents: []string{ap.Name}, Source: source,
		Rules: []*Rule{{Types: types, azure: ap}}}, nil
}

// typeConditions collects the values of {"field": "type", "equals"|"in"|"like": ...}.
func typeConditions(v any, out []string) []string {
	switch x := v.(type) {
	case map[string]any:
		if f, _ := x["field"].(string); strings.EqualFold(f, "type") {
			if s, ok := x["equals"].(string); ok && !strings.ContainsAny(s, "[*") {
				out = append(out, strings.ToLower(s))
			}
			if l, ok := x["in"].([]any); ok {
				for _, e := range l {
					if s, ok := e.(string); ok && !strings.ContainsAny(s, "[*") {
						out = append(out, strings.ToLower(s))
					}
				}
			}
		}
		for k, e := range x {
			if k != "then" && k != "details" {
				out = typeConditions(e, out)
			}
		}
	case []any:
		for _, e := range x {
			out = typeConditions(e, out)
		}
	}
	return out
}

// evalAzure runs an Azure Policy definition on an ARM-shaped resource.
func evalAzure(ap *azpolicy.Policy, res *inventory.Resource, inv *index) (string, error) {
	in := azpolicy.Input{Resource: res.Properties, Related: func(q azpolicy.RelatedQuery) ([]map[string]any, error) {
		return inv.related(res, q), nil
	}}
	r, err := ap.Evaluate(in)
	if err != nil {
		return "", err
	}
	if !r.Match {
		return Healthy, nil
	}
	switch strings.ToLower(r.Effect) {
	case "audit", "deny", "auditifnotexists", "deployifnotexists", "modify", "append", "denyaction":
		return Unhealthy, nil
	}
	return NotApplicable, nil
}

// index is what one assessment run shares: its time, and the resources an *IfNotExists
// effect looks for.
type index struct {
	now    time.Time
	byType map[string][]*inventory.Resource
}

func newIndex(rs []*inventory.Resource) *index {
	ix := &index{byType: map[string][]*inventory.Resource{}}
	for _, r := range rs {
		if r.Provider == inventory.Azure {
			t := strings.ToLower(r.Type)
			ix.byType[t] = append(ix.byType[t], r)
		}
	}
	return ix
}

func (ix *index) related(res *inventory.Resource, q azpolicy.RelatedQuery) []map[string]any {
	var out []map[string]any
	for _, r := range ix.byType[strings.ToLower(q.Type)] {
		if q.Name != "" && !strings.EqualFold(r.Name, q.Name) && !strings.HasSuffix(strings.ToLower(r.Name), "/"+strings.ToLower(q.Name)) {
			continue
		}
		sameScope := strings.EqualFold(r.Account, res.Account)
		if q.ExistenceScope != "subscription" {
			rg := q.ResourceGroupName
			if rg == "" {
				rg = res.ResourceGroup
			}
			sameScope = sameScope && strings.EqualFold(r.ResourceGroup, rg)
		}
		// Child resources (diagnostic settings, extensions) live under their parent's id.
		if sameScope || strings.HasPrefix(strings.ToLower(r.ID), strings.ToLower(res.ID)+"/") {
			out = append(out, r.Properties)
		}
	}
	return out
}
