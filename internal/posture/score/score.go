// Package score computes the secure score from assessment findings, Defender's classic
// per-control formula: a control's score is maxScore × healthy / (healthy + unhealthy) over
// the resources its policies assess, a resource being unhealthy for the control when any of
// the control's policies finds it unhealthy. Every intermediate count is returned so a score
// can be reproduced by hand.
package score

import (
	"math"
	"sort"
	"strings"

	"github.com/rampart-soc/rampart/internal/posture/policy"
)

// Control is one secure-score control with its counts.
type Control struct {
	ID                string   `json:"id"`
	Name              string   `json:"name"`
	MaxScore          float64  `json:"maxScore"`
	CurrentScore      float64  `json:"currentScore"`
	Percentage        float64  `json:"percentage"`
	PotentialIncrease float64  `json:"potentialIncrease"` // points gained by fixing every unhealthy resource
	Healthy           int      `json:"healthyResources"`
	Unhealthy         int      `json:"unhealthyResources"`
	NotApplicable     int      `json:"notApplicableResources"`
	Exempt            int      `json:"exemptResources"`
	Policies          []string `json:"policies"`
}

// Score is the overall score: Σ current / Σ max over controls that assessed something.
type Score struct {
	CurrentScore float64   `json:"currentScore"`
	MaxScore     float64   `json:"maxScore"`
	Percentage   float64   `json:"percentage"`
	Controls     []Control `json:"controls"`
}

// Compute scores findings. p looks up a finding's policy (for its controls and category).
func Compute(findings []policy.Finding, p func(id string) *policy.Policy) Score {
	type acc struct {
		c         *Control
		resources map[string]string // resource -> worst state
		policies  map[string]bool
	}
	byCtl := map[string]*acc{}
	for _, f := range findings {
		pol := p(f.PolicyID)
		if pol == nil {
			continue
		}
		def := ControlFor(pol)
		a := byCtl[def.ID]
		if a == nil {
			a = &acc{c: &Control{ID: def.ID, Name: def.Name, MaxScore: def.MaxScore},
				resources: map[string]string{}, policies: map[string]bool{}}
			byCtl[def.ID] = a
		}
		a.policies[f.PolicyID] = true
		a.resources[f.ResourceID] = worse(a.resources[f.ResourceID], f.State)
	}
	var s Score
	for _, a := range byCtl {
		c := a.c
		for _, st := range a.resources {
			switch st {
			case policy.Unhealthy:
				c.Unhealthy++
			case policy.Healthy:
				c.Healthy++
			case policy.Exempt:
				c.Exempt++
			default:
				c.NotApplicable++
			}
		}
		for id := range a.policies {
			c.Policies = append(c.Policies, id)
		}
		sort.Strings(c.Policies)
		if n := c.Healthy + c.Unhealthy; n > 0 {
			c.CurrentScore = round(c.MaxScore * float64(c.Healthy) / float64(n))
			c.PotentialIncrease = round(c.MaxScore * float64(c.Unhealthy) / float64(n))
			c.Percentage = round(100 * float64(c.Healthy) / float64(n))
			s.CurrentScore += c.CurrentScore
			s.MaxScore += c.MaxScore
		}
		s.Controls = append(s.Controls, *c)
	}
	sort.Slice(s.Controls, func(i, j int) bool {
		if s.Controls[i].MaxScore != s.Controls[j].MaxScore {
			return s.Controls[i].MaxScore > s.Controls[j].MaxScore
		}
		return s.Controls[i].ID < s.Controls[j].ID
	})
	s.CurrentScore = round(s.CurrentScore)
	if s.MaxScore > 0 {
		s.Percentage = round(100 * s.CurrentScore / s.MaxScore)
	}
	return s
}

// worse keeps the state that decides a resource's standing in a control: any unhealthy
// finding makes it unhealthy; exempt findings leave it only when nothing else is unhealthy.
func worse(prev, next string) string {
	rank := map[string]int{"": 0, policy.NotApplicable: 1, policy.Error: 1, policy.Exempt: 2, policy.Healthy: 3, policy.Unhealthy: 4}
	if rank[next] > rank[prev] {
		return next
	}
	return prev
}

func round(x float64) float64 { return math.Round(x*100) / 100 }

// Def is a secure-score control definition.
type Def struct {
	ID       string
	Name     string
	MaxScore float64
}

// Controls are Defender for Cloud's classic secure-score controls with their maximum points.
var Controls = []Def{
	{"mfa", "Enable MFA", 10},
	{"management-ports", "Secure management ports", 8},
	{"system-updates", "Apply system updates", 6},
	{"vulnerabilities", "Remediate vulnerabilities", 6},
	{"security-configurations", "Remediate security configurations", 4},
	{"access-permissions", "Manage access and permissions", 4},
	{"encryption-at-rest", "Enable encryption at rest", 4},
	{"encryption-in-transit", "Encrypt data in transit", 4},
	{"network-access", "Restrict unauthorized network access", 4},
	{"application-control", "Apply adaptive application control", 3},
	{"ddos", "Protect applications against DDoS attacks", 2},
	{"endpoint-protection", "Enable endpoint protection", 2},
	{"auditing-logging", "Enable auditing and logging", 1},
	{"best-practices", "Implement security best practices", 0},
}

func def(id string) Def {
	for _, d := range Controls {
		if d.ID == id {
			return d
		}
	}
	return Controls[len(Controls)-1]
}

// ControlFor places a policy in a score control: by what its title says first (MFA and
// management ports are named that way), then by its first benchmark control's domain.
func ControlFor(p *policy.Policy) Def {
	t := strings.ToLower(p.Title + " " + p.Category)
	switch {
	case strings.Contains(t, "mfa") || strings.Contains(t, "multi-factor") || strings.Contains(t, "multifactor"):
		return def("mfa")
	case strings.Contains(t, "management port") || strings.Contains(t, "just-in-time") ||
		strings.Contains(t, "ssh") || strings.Contains(t, "rdp") || strings.Contains(t, "3389"):
		return def("management-ports")
	case strings.Contains(t, "ddos"):
		return def("ddos")
	case strings.Contains(t, "update") && strings.Contains(t, "system"):
		return def("system-updates")
	case strings.Contains(t, "vulnerab"):
		return def("vulnerabilities")
	case strings.Contains(t, "endpoint protection") || strings.Contains(t, "antimalware"):
		return def("endpoint-protection")
	}
	for _, c := range p.Controls {
		switch {
		case c == "DP-3":
			return def("encryption-in-transit")
		case c == "DP-4" || c == "DP-5":
			return def("encryption-at-rest")
		case c == "NS-5":
			return def("ddos")
		case strings.HasPrefix(c, "NS-"):
			return def("network-access")
		case strings.HasPrefix(c, "IM-") || strings.HasPrefix(c, "PA-"):
			return def("access-permissions")
		case strings.HasPrefix(c, "LT-"):
			return def("auditing-logging")
		case c == "PV-5" || c == "PV-6":
			return def("vulnerabilities")
		case strings.HasPrefix(c, "ES-"):
			return def("endpoint-protection")
		case strings.HasPrefix(c, "PV-") || strings.HasPrefix(c, "DP-") || strings.HasPrefix(c, "AM-"):
			return def("security-configurations")
		}
	}
	return def("best-practices")
}
