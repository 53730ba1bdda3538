package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/rampart-soc/rampart/internal/posture/compliance"
	"github.com/rampart-soc/rampart/internal/posture/inventory"
	"github.com/rampart-soc/rampart/internal/posture/policy"
	"github.com/rampart-soc/rampart/internal/posture/score"
)

// ErrNotFound is returned for an unknown resource, standard or exemption.
var ErrNotFound = errors.New("not found")

// ResourceFilter selects resources; empty fields match everything.
type ResourceFilter struct {
	Provider, Type, Account, Search string
	Offset, Limit                   int
}

// Resources lists the inventory, sorted by id, with the total before paging.
func (s *Service) Resources(f ResourceFilter) ([]*inventory.Resource, int) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []*inventory.Resource
	for _, st := range s.resources {
		r := st.res
		if (f.Provider != "" && !strings.EqualFold(r.Provider, f.Provider)) ||
			(f.Type != "" && !strings.EqualFold(r.Type, f.Type)) ||
			(f.Account != "" && !strings.EqualFold(r.Account, f.Account)) ||
			(f.Search != "" && !strings.Contains(strings.ToLower(r.ID+" "+r.Name), strings.ToLower(f.Search))) {
			continue
		}
		out = append(out, r)
	}
	inventory.SortByID(out)
	return page(out, f.Offset, f.Limit), len(out)
}

func page[T any](l []T, offset, limit int) []T {
	if offset >= len(l) {
		return nil
	}
	l = l[offset:]
	if limit > 0 && limit < len(l) {
		l = l[:limit]
	}
	return l
}

// ResourceDetail is a resource with its findings and change history.
type ResourceDetail struct {
	Resource *inventory.Resource `json:"resource"`
	Findings []policy.Finding    `json:"findings"`
	Changes  []Change            `json:"changes"`
}

// Resource returns one resource, its current findings and its last 100 changes.
func (s *Service) Resource(ctx context.Context, id string) (ResourceDetail, error) {
	s.mu.RLock()
	st, ok := s.resources[id]
	var fs []policy.Finding
	for _, f := range s.findings {
		if f.ResourceID == id {
			fs = append(fs, f)
		}
	}
	s.mu.RUnlock()
	if !ok {
		return ResourceDetail{}, fmt.Errorf("resource %q: %w", id, ErrNotFound)
	}
	ch, err := loadChanges(ctx, s.db, id, 100)
	return ResourceDetail{Resource: st.res, Findings: fs, Changes: ch}, err
}

// FindingFilter selects findings.
type FindingFilter struct {
	State, Severity, Policy, Resource, Provider string
	Offset, Limit                               int
}

// Findings lists the last assessment's findings.
func (s *Service) Findings(f FindingFilter) ([]policy.Finding, int) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []policy.Finding
	for _, x := range s.findings {
		if (f.State != "" && !strings.EqualFold(x.State, f.State)) ||
			(f.Severity != "" && !strings.EqualFold(x.Severity, f.Severity)) ||
			(f.Policy != "" && x.PolicyID != f.Policy) ||
			(f.Resource != "" && x.ResourceID != f.Resource) ||
			(f.Provider != "" && !strings.EqualFold(x.Provider, f.Provider)) {
			continue
		}
		out = append(out, x)
	}
	return page(out, f.Offset, f.Limit), len(out)
}

// Recommendation is a policy with the resources it finds unhealthy: the list view.
type Recommendation struct {
	Policy        *policy.Policy `json:"policy"`
	ScoreControl  string         `json:"scoreControl"`
	Unhealthy     int            `json:"unhealthyResources"`
	Healthy       int            `json:"healthyResources"`
	NotApplicable int            `json:"notApplicableResources"`
	Exempt        int            `json:"exemptResources"`
	Errors        int            `json:"errors"`
}

// Recommendations lists every policy that assessed something, unhealthy and severe first.
func (s *Service) Recommendations() []Recommendation {
	s.mu.RLock()
	defer s.mu.RUnlock()
	by := map[string]*Recommendation{}
	for _, f := range s.findings {
		r := by[f.PolicyID]
		if r == nil {
			p := s.set.Policy(f.PolicyID)
			r = &Recommendation{Policy: p, ScoreControl: score.ControlFor(p).Name}
			by[f.PolicyID] = r
		}
		switch f.State {
		case policy.Unhealthy:
			r.Unhealthy++
		case policy.Healthy:
			r.Healthy++
		case policy.Exempt:
			r.Exempt++
		case policy.Error:
			r.Errors++
		default:
			r.NotApplicable++
		}
	}
	out := make([]Recommendation, 0, len(by))
	for _, r := range by {
		out = append(out, *r)
	}
	sev := map[string]int{"High": 3, "Medium": 2, "Low": 1}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if (a.Unhealthy > 0) != (b.Unhealthy > 0) {
			return a.Unhealthy > 0
		}
		if sev[a.Policy.Severity] != sev[b.Policy.Severity] {
			return sev[a.Policy.Severity] > sev[b.Policy.Severity]
		}
		if a.Unhealthy != b.Unhealthy {
			return a.Unhealthy > b.Unhealthy
		}
		return a.Policy.ID < b.Policy.ID
	})
	return out
}

// Score returns the current secure score and when it was computed.
func (s *Service) Score() (score.Score, time.Time) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.score, s.assessedAt
}

// History returns the score per day (the day's last assessment) for the last days.
func (s *Service) History(ctx context.Context, days int) ([]ScorePoint, error) {
	pts, err := loadHistory(ctx, s.db, s.now().AddDate(0, 0, -days))
	if err != nil {
		return nil, err
	}
	var out []ScorePoint
	for _, p := range pts {
		if n := len(out); n > 0 && out[n-1].Time.Format(time.DateOnly) == p.Time.Format(time.DateOnly) {
			out[n-1] = p
			continue
		}
		out = append(out, p)
	}
	return out, nil
}

// Compliance returns every standard's report, or one standard's.
func (s *Service) Compliance(standard string) ([]compliance.Report, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if standard == "" {
		return s.compliance, nil
	}
	for _, r := range s.compliance {
		if r.Standard == standard {
			return []compliance.Report{r}, nil
		}
	}
	return nil, fmt.Errorf("standard %q: %w", standard, ErrNotFound)
}

// Exemptions lists the stored exemptions.
func (s *Service) Exemptions() []policy.Exemption {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return append([]policy.Exemption(nil), s.exemptions...)
}

// PutExemption validates and stores an exemption (replacing one with the same id).
func (s *Service) PutExemption(ctx context.Context, e policy.Exemption) error {
	if e.ID == "" {
		return errors.New("id is required")
	}
	if err := e.Validate(); err != nil {
		return err
	}
	if e.Policy != "*" && s.set.Policy(e.Policy) == nil {
		return fmt.Errorf("policy %q does not exist", e.Policy)
	}
	doc, _ := json.Marshal(e)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.db.ExecContext(ctx, `INSERT OR REPLACE INTO rampart_posture_exemptions VALUES (?, ?)`, e.ID, string(doc)); err != nil {
		return err
	}
	kept := s.exemptions[:0]
	for _, x := range s.exemptions {
		if x.ID != e.ID {
			kept = append(kept, x)
		}
	}
	s.exemptions = append(kept, e)
	s.trigger()
	return nil
}

// DeleteExemption removes an exemption.
func (s *Service) DeleteExemption(ctx context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, x := range s.exemptions {
		if x.ID == id {
			if _, err := s.db.ExecContext(ctx, `DELETE FROM rampart_posture_exemptions WHERE id = ?`, id); err != nil {
				return err
			}
			s.exemptions = append(s.exemptions[:i], s.exemptions[i+1:]...)
			s.trigger()
			return nil
		}
	}
	return fmt.Errorf("exemption %q: %w", id, ErrNotFound)
}
