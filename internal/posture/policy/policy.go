// Package policy is the posture policy engine: policies written as YAML data with CEL
// expressions, compiled once and evaluated over inventory resources.
//
// CEL (github.com/google/cel-go) rather than Rego: checks here are per-resource predicates
// over JSON, which CEL expresses in one line with static compilation, bounded cost and no
// evaluation side effects, and it is the language Kubernetes itself adopted for admission
// policies, so our Kubernetes users already know it.
package policy

import (
	"fmt"
	"io"
	"strings"
	"text/template"

	"cel.dev/cel-go/cel"
	"gopkg.in/yaml.v3"

	"github.com/rampart-soc/rampart/internal/posture/azpolicy"
	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

// Severities, in decreasing order.
var severities = map[string]int{"High": 3, "Medium": 2, "Low": 1}

// Providers a policy may target.
var providers = map[string]bool{"azure": true, "aws": true, "gcp": true, "kubernetes": true}

// Policy is one assessment: what it checks, why, how to fix it, and per resource type the
// CEL expressions that decide.
type Policy struct {
	ID          string              `yaml:"id" json:"id"`
	Title       string              `yaml:"title" json:"title"`
	Severity    string              `yaml:"severity" json:"severity"`
	Provider    string              `yaml:"provider" json:"provider"`
	Category    string              `yaml:"category" json:"category,omitempty"`
	Controls    []string            `yaml:"controls" json:"controls"`
	Standards   map[string][]string `yaml:"standards" json:"standards,omitempty"`
	Equivalents []string            `yaml:"equivalents" json:"equivalents,omitempty"`
	Rationale   string              `yaml:"rationale" json:"rationale,omitempty"`
	Remediation string              `yaml:"remediation" json:"remediation,omitempty"`
	QuickFix    string              `yaml:"quickFix" json:"quickFix,omitempty"`
	Rules       []*Rule             `yaml:"rules" json:"rules"`
	Source      string              `yaml:"-" json:"source,omitempty"` // file:line

	quickFix *template.Template
}

// Rule decides the policy for a set of resource types.
type Rule struct {
	Types    []string `yaml:"types" json:"types"`
	Applies  string   `yaml:"applies" json:"applies,omitempty"`
	Check    string   `yaml:"check" json:"check"`
	Evidence []string `yaml:"evidence" json:"evidence,omitempty"`

	applies cel.Program
	check   cel.Program
	azure   *azpolicy.Policy // an Azure Policy definition instead of CEL
}

// Parse reads a YAML list of policies and compiles them. source names the file in errors.
func Parse(data []byte, source string) ([]*Policy, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %v", source, err)
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	list := doc.Content[0]
	if list.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("%s:%d: expected a list of policies", source, list.Line)
	}
	var out []*Policy
	for _, n := range list.Content {
		p := &Policy{}
		where := fmt.Sprintf("%s:%d", source, n.Line)
		if err := n.Decode(p); err != nil {
			return nil, fmt.Errorf("%s: %v", where, err)
		}
		p.Source = where
		if err := p.compile(); err != nil {
			return nil, fmt.Errorf("%s: policy %q: %v", where, p.ID, err)
		}
		out = append(out, p)
	}
	return out, nil
}

func (p *Policy) compile() error {
	switch {
	case p.ID == "":
		return fmt.Errorf("id is required")
	case p.Title == "":
		return fmt.Errorf("title is required")
	case severities[p.Severity] == 0:
		return fmt.Errorf("severity %q is not High, Medium or Low", p.Severity)
	case !providers[p.Provider]:
		return fmt.Errorf("provider %q is not azure, aws, gcp or kubernetes", p.Provider)
	case len(p.Rules) == 0:
		return fmt.Errorf("at least one rule is required")
	}
	if p.QuickFix != "" {
		t, err := template.New(p.ID).Option("missingkey=error").Parse(p.QuickFix)
		if err != nil {
			return fmt.Errorf("quickFix: %v", err)
		}
		// Render once against an empty resource so a bad field name fails at load, not silently later.
		// (map keys may be missing from an empty resource; field names may not).
		probe, err := t.Clone()
		if err == nil {
			err = probe.Option("missingkey=zero").Execute(io.Discard, &inventory.Resource{})
		}
		if err != nil {
			return fmt.Errorf("quickFix: %v", err)
		}
		p.quickFix = t
	}
	for i, r := range p.Rules {
		if len(r.Types) == 0 {
			return fmt.Errorf("rule %d: types is required", i+1)
		}
		if strings.TrimSpace(r.Check) == "" {
			return fmt.Errorf("rule %d: check is required", i+1)
		}
		var err error
		if r.check, err = compileBool(r.Check); err != nil {
			return fmt.Errorf("rule %d: check: %v", i+1, err)
		}
		if strings.TrimSpace(r.Applies) != "" {
			if r.applies, err = compileBool(r.Applies); err != nil {
				return fmt.Errorf("rule %d: applies: %v", i+1, err)
			}
		}
	}
	return nil
}
