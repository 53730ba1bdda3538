package policy

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Exemption waives one policy (or every policy, "*") for a resource or a scope (an id prefix:
// subscription, resource group, namespace). Owner, reason and expiry are required: an
// exemption nobody owns or reviews is how findings get lost.
type Exemption struct {
	ID       string    `json:"id"`
	Policy   string    `json:"policy"`
	Scope    string    `json:"scope"`
	Category string    `json:"category"` // Waiver or Mitigated
	Owner    string    `json:"owner"`
	Reason   string    `json:"reason"`
	Expires  time.Time `json:"expires"`
}

// Validate checks an exemption before it is stored.
func (e Exemption) Validate() error {
	var errs []error
	if e.Policy == "" {
		errs = append(errs, errors.New("policy is required (a policy id or *)"))
	}
	if e.Scope == "" {
		errs = append(errs, errors.New("scope is required (a resource id or id prefix)"))
	}
	if e.Category != "Waiver" && e.Category != "Mitigated" {
		errs = append(errs, fmt.Errorf("category %q is not Waiver or Mitigated", e.Category))
	}
	if e.Owner == "" || e.Reason == "" {
		errs = append(errs, errors.New("owner and reason are required"))
	}
	if e.Expires.IsZero() {
		errs = append(errs, errors.New("expires is required"))
	}
	return errors.Join(errs...)
}

func (e Exemption) covers(f Finding, now time.Time) bool {
	if !now.Before(e.Expires) {
		return false
	}
	if e.Policy != "*" && !strings.EqualFold(e.Policy, f.PolicyID) {
		return false
	}
	return strings.HasPrefix(strings.ToLower(f.ResourceID), strings.ToLower(e.Scope))
}

// ApplyExemptions marks findings covered by a live exemption as Exempt, keeping the raw
// verdict in RawState. Not-applicable findings are left as they are.
func ApplyExemptions(findings []Finding, exemptions []Exemption, now time.Time) {
	if len(exemptions) == 0 {
		return
	}
	for i := range findings {
		f := &findings[i]
		if f.State != Healthy && f.State != Unhealthy {
			continue
		}
		for _, e := range exemptions {
			if e.covers(*f, now) {
				f.RawState, f.State, f.Exemption = f.State, Exempt, e.ID
				break
			}
		}
	}
}
