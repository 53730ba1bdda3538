package rule

import (
	"regexp"
	"strings"
)

var (
	uuidRe = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	tagRe  = regexp.MustCompile(`^[a-z0-9_-]+\.[a-z0-9._-]+$`)
	dateRe = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	techRe = regexp.MustCompile(`^t\d{4}(\.\d{3})?$`)
)

var (
	levels   = map[string]bool{"informational": true, "low": true, "medium": true, "high": true, "critical": true}
	statuses = map[string]bool{"stable": true, "test": true, "experimental": true, "deprecated": true, "unsupported": true}
)

// Tactics are the ATT&CK enterprise tactics as Sigma tags spell them.
var Tactics = map[string]string{
	"reconnaissance":       "Reconnaissance",
	"resource-development": "ResourceDevelopment",
	"initial-access":       "InitialAccess",
	"execution":            "Execution",
	"persistence":          "Persistence",
	"privilege-escalation": "PrivilegeEscalation",
	"defense-evasion":      "DefenseEvasion",
	"credential-access":    "CredentialAccess",
	"discovery":            "Discovery",
	"lateral-movement":     "LateralMovement",
	"collection":           "Collection",
	"command-and-control":  "CommandAndControl",
	"exfiltration":         "Exfiltration",
	"impact":               "Impact",
	// ATT&CK v19 split defense-evasion; SigmaHQ already uses the new names.
	"stealth":            "Stealth",
	"defense-impairment": "DefenseImpairment",
}

// checkMeta validates the metadata shared by rules, correlations and filters.
func (p *parser) checkMeta(m *Meta, at Pos, alerting bool) {
	if strings.TrimSpace(m.Title) == "" {
		p.errf(at, "title is required")
	} else if len(m.Title) > 256 {
		p.warnf(at, "title longer than 256 characters")
	}
	if m.ID != "" && !uuidRe.MatchString(m.ID) {
		p.warnf(at, "id %q is not a UUID", m.ID)
	}
	if m.Level != "" && !levels[m.Level] {
		p.errf(at, "level %q is not one of informational, low, medium, high, critical", m.Level)
	}
	if m.Status != "" && !statuses[m.Status] {
		p.errf(at, "status %q is not one of stable, test, experimental, deprecated, unsupported", m.Status)
	}
	for _, d := range []string{m.Date, m.Modified} {
		if d != "" && !dateRe.MatchString(d) {
			p.warnf(at, "date %q is not YYYY-MM-DD", d)
		}
	}
	for _, t := range m.Tags {
		if !tagRe.MatchString(t) {
			p.warnf(at, "tag %q does not match namespace.value", t)
			continue
		}
		if strings.HasPrefix(t, "attack.") {
			v := strings.TrimPrefix(t, "attack.")
			if _, ok := Tactics[v]; !ok && !techRe.MatchString(v) && !attackOtherRe.MatchString(v) {
				p.warnf(at, "tag %q is neither an ATT&CK tactic nor technique", t)
			}
		}
	}
	if m.Taxonomy != "" && m.Taxonomy != "sigma" {
		p.warnf(at, "taxonomy %q: field names are read as the sigma taxonomy", m.Taxonomy)
	}
}

var attackOtherRe = regexp.MustCompile(`^(g|s|m|ds|a)\d{4}$`)

// Attack returns the ATT&CK tactics (Sentinel spelling, e.g. "DefenseEvasion") and
// technique ids (e.g. "T1059.001") named by the tags.
func (m *Meta) Attack() (tactics, techniques []string) {
	for _, t := range m.Tags {
		v, ok := strings.CutPrefix(t, "attack.")
		if !ok {
			continue
		}
		if name, ok := Tactics[v]; ok {
			tactics = append(tactics, name)
		} else if techRe.MatchString(v) {
			techniques = append(techniques, strings.ToUpper(v))
		}
	}
	return
}
