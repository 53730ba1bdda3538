package policy

import (
	"bytes"

	"cel.dev/cel-go/cel"

	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

// Assessment states.
const (
	Healthy       = "Healthy"
	Unhealthy     = "Unhealthy"
	NotApplicable = "NotApplicable"
	Error         = "Error"
	Exempt        = "Exempt" // an exemption covers it; RawState keeps the verdict
)

// Finding is one policy's verdict on one resource.
type Finding struct {
	ResourceID   string         `json:"resource"`
	ResourceType string         `json:"resourceType"`
	ResourceName string         `json:"resourceName"`
	Provider     string         `json:"provider"`
	PolicyID     string         `json:"policy"`
	Title        string         `json:"title"`
	State        string         `json:"state"`
	Severity     string         `json:"severity"`
	Controls     []string       `json:"controls"`
	Evidence     map[string]any `json:"evidence,omitempty"`
	QuickFix     string         `json:"quickFix,omitempty"`
	Error        string         `json:"error,omitempty"`
	RawState     string         `json:"rawState,omitempty"`  // the verdict before an exemption
	Exemption    string         `json:"exemption,omitempty"` // the exemption's id
}

// Missing marks an evidence path the resource does not have.
const Missing = "<missing>"

// Assess resolves the resources' links, evaluates every applicable rule on every resource in
// parallel, and returns the findings sorted by resource then policy. NotApplicable verdicts from an `applies`
// expression are included; resource types no policy names produce nothing.
func (s *Set) Assess(resources []*inventory.Resource) []Finding {
	inventory.Resolve(resources)
	ix := newIndex(resources)
	ix.now = time.Now().UTC()
	workers := runtime.GOMAXPROCS(0)
	chunks := make([][]Finding, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(resources); i += workers {
				chunks[w] = s.assessOne(resources[i], ix, chunks[w])
			}
		}(w)
	}
	wg.Wait()
	n := 0
	for _, c := range chunks {
		n += len(c)
	}
	out := make([]Finding, 0, n)
	for _, c := range chunks {
		out = append(out, c...)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].ResourceID != out[j].ResourceID {
			return out[i].ResourceID < out[j].ResourceID
		}
		return out[i].PolicyID < out[j].PolicyID
	})
	return out
}

// AssessOne evaluates the set's policies on one resource.
func (s *Set) AssessOne(res *inventory.Resource) []Finding {
	ix := newIndex([]*inventory.Resource{res})
	ix.now = time.Now().UTC()
	return s.assessOne(res, ix, nil)
}

func (s *Set) assessOne(res *inventory.Resource, ix *index, out []Finding) []Finding {
	rules := s.byType[strings.ToLower(res.Type)]
	if res.Provider == inventory.Azure {
		rules = append(rules[:len(rules):len(rules)], s.byType[anyAzure]...)
	}
	if len(rules) == 0 {
		return out
	}
	vars := map[string]any{"p": res.Properties, "r": resourceMap(res), "related": relatedList(res), "now": ix.now}
	seen := map[*Policy]bool{}
	for _, tr := range rules {
		if seen[tr.policy] {
			continue // one verdict per policy: the first rule naming the type decides
		}
		seen[tr.policy] = true
		out = append(out, evaluate(tr.policy, tr.rule, res, vars, ix))
	}
	return out
}

func evaluate(p *Policy, r *Rule, res *inventory.Resource, vars map[string]any, ix *index) Finding {
	f := Finding{ResourceID: res.ID, ResourceType: res.Type, ResourceName: res.Name, Provider: res.Provider,
		PolicyID: p.ID, Title: p.Title, Severity: p.Severity, Controls: p.Controls}
	if r.azure != nil {
		st, err := evalAzure(r.azure, res, ix)
		if err != nil {
			f.State, f.Error = Error, err.Error()
		} else {
			f.State = st
		}
		return f
	}
	if r.applies != nil {
		ok, err := evalBool(r.applies, vars)
		if err != nil {
			f.State, f.Error = Error, "applies: "+err.Error()
			return f
		}
		if !ok {
			f.State = NotApplicable
			return f
		}
	}
	ok, err := evalBool(r.check, vars)
	switch {
	case err != nil:
		f.State, f.Error = Error, "check: "+err.Error()
	case ok:
		f.State = Healthy
	default:
		f.State = Unhealthy
		f.Evidence = evidence(res, r.Evidence)
		f.QuickFix = p.renderQuickFix(res)
	}
	return f
}

func evalBool(prg cel.Program, vars map[string]any) (bool, error) {
	v, _, err := prg.Eval(vars)
	if err != nil {
		return false, err
	}
	b, ok := v.Value().(bool)
	if !ok {
		return false, fmt.Errorf("expression yielded %v, not a bool", v.Type())
	}
	return b, nil
}

func resourceMap(res *inventory.Resource) map[string]any {
	tags := map[string]any{}
	for k, v := range res.Tags {
		tags[k] = v
	}
	return map[string]any{"id": res.ID, "name": res.Name, "type": res.Type, "provider": res.Provider,
		"account": res.Account, "resourceGroup": res.ResourceGroup, "region": res.Region, "format": res.Format,
		"tags": tags, "properties": res.Properties}
}

func relatedList(res *inventory.Resource) []any {
	rel := res.Related()
	out := make([]any, 0, len(rel))
	for _, x := range rel {
		out = append(out, map[string]any{"kind": x.Kind, "id": x.Resource.ID, "type": x.Resource.Type,
			"name": x.Resource.Name, "properties": x.Resource.Properties})
	}
	return out
}

func evidence(res *inventory.Resource, paths []string) map[string]any {
	if len(paths) == 0 {
		return nil
	}
	ev := make(map[string]any, len(paths))
	for _, p := range paths {
		if v, ok := res.Get(p); ok {
			ev[p] = v
		} else {
			ev[p] = Missing
		}
	}
	return ev
}

func (p *Policy) renderQuickFix(res *inventory.Resource) string {
	if p.quickFix == nil {
		return ""
	}
	var b bytes.Buffer
	if err := p.quickFix.Execute(&b, res); err != nil {
		return ""
	}
	return b.String()
}
