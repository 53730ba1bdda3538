package service

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rampart-soc/rampart/internal/incident"
	"github.com/rampart-soc/rampart/internal/posture/compliance"
	"github.com/rampart-soc/rampart/internal/posture/inventory"
	"github.com/rampart-soc/rampart/internal/posture/policy"
	"github.com/rampart-soc/rampart/internal/posture/score"
)

// Assess evaluates every policy on the whole inventory, then publishes what changed.
func (s *Service) Assess(ctx context.Context) error {
	s.mu.RLock()
	rs := make([]*inventory.Resource, 0, len(s.resources))
	for _, st := range s.resources {
		rs = append(rs, st.res)
	}
	ex := append([]policy.Exemption(nil), s.exemptions...)
	s.mu.RUnlock()

	now := s.now()
	findings := s.set.Assess(rs)
	policy.ApplyExemptions(findings, ex, now)
	sc := score.Compute(findings, s.set.Policy)
	comp := compliance.Evaluate(findings, s.set.Policy)

	s.mu.Lock()
	var changed []policy.Finding
	var raise []policy.Finding
	next := make(map[string]stateSince, len(findings))
	for _, f := range findings {
		k := f.ResourceID + "|" + f.PolicyID
		prev, had := s.states[k]
		cur := stateSince{state: f.State, since: now, first: now}
		if had {
			cur.first = prev.first
			if prev.state == f.State {
				cur.since = prev.since
			}
		}
		next[k] = cur
		if !had || prev.state != f.State {
			changed = append(changed, f)
			if s.seeded && f.State == policy.Unhealthy && f.Severity == "High" {
				raise = append(raise, f)
			}
		}
	}
	s.states, s.findings, s.score, s.compliance, s.assessedAt, s.seeded = next, findings, sc, comp, now, true
	states := s.states
	s.mu.Unlock()

	var errs []error
	if err := s.emitRecommendations(ctx, changed, states, now); err != nil {
		errs = append(errs, err)
	}
	if err := s.emitScores(ctx, sc, comp, now); err != nil {
		errs = append(errs, err)
	}
	for _, f := range raise {
		if _, err := s.raiser.RaiseAlert(ctx, s.alertFor(f, now)); err != nil {
			errs = append(errs, fmt.Errorf("raising alert for %s on %s: %w", f.PolicyID, f.ResourceID, err))
		}
	}
	p := ScorePoint{Time: now, Percentage: sc.Percentage, CurrentScore: sc.CurrentScore, MaxScore: sc.MaxScore}
	doc, _ := json.Marshal(p)
	if _, err := s.db.ExecContext(ctx, `INSERT INTO rampart_posture_scores VALUES (?, ?, ?)`, now, p.Percentage, string(doc)); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return fmt.Errorf("posture: %v", errs)
	}
	return nil
}

func (s *Service) alertFor(f policy.Finding, now time.Time) incident.Alert {
	p := s.set.Policy(f.PolicyID)
	ev, _ := json.Marshal(f.Evidence)
	details := map[string]string{"Policy": f.PolicyID, "ResourceType": f.ResourceType, "Evidence": string(ev)}
	if f.QuickFix != "" {
		details["QuickFix"] = f.QuickFix
	}
	return incident.Alert{
		Time: now, StartTime: now, EndTime: now,
		RuleID: "posture:" + f.PolicyID, RuleName: f.Title, Product: "Posture",
		Title:       f.Title + " (" + f.ResourceName + ")",
		Description: p.Rationale, Remediation: p.Remediation,
		Severity:      incident.High,
		Entities:      []incident.Entity{{"Type": "azure-resource", "ResourceId": f.ResourceID}},
		CustomDetails: details,
	}
}

func (s *Service) emitRecommendations(ctx context.Context, changed []policy.Finding, states map[string]stateSince, now time.Time) error {
	if len(changed) == 0 {
		return nil
	}
	ts := now.Format(time.RFC3339Nano)
	rows := make([]map[string]string, 0, len(changed))
	for _, f := range changed {
		p := s.set.Policy(f.PolicyID)
		st := states[f.ResourceID+"|"+f.PolicyID]
		extra, _ := json.Marshal(map[string]any{"evidence": f.Evidence, "controls": f.Controls, "quickFix": f.QuickFix,
			"rawState": f.RawState, "exemption": f.Exemption, "error": f.Error, "resourceType": f.ResourceType, "provider": f.Provider})
		rows = append(rows, map[string]string{
			"TimeGenerated": ts, "RecommendationId": f.PolicyID, "RecommendationName": f.PolicyID,
			"RecommendationDisplayName": f.Title, "ProviderName": "Rampart", "Description": p.Rationale,
			"RemediationDescription": p.Remediation, "RecommendationState": f.State,
			"RecommendationSeverity": f.Severity, "AssessedResourceId": f.ResourceID,
			"FirstEvaluationDate": st.first.Format(time.RFC3339Nano), "StatusChangeDate": ts,
			"RecommendationAdditionalData": string(extra), "IsSnapshot": "false", "Type": "SecurityRecommendation",
			"NotApplicableReason": naReason(f),
		})
	}
	return s.sink.Emit(ctx, "SecurityRecommendation", rows)
}

func naReason(f policy.Finding) string {
	switch f.State {
	case policy.NotApplicable:
		return "The policy's applicability condition is false for this resource"
	case policy.Error:
		return f.Error
	}
	return ""
}

func (s *Service) emitScores(ctx context.Context, sc score.Score, comp []compliance.Report, now time.Time) error {
	ts := now.Format(time.RFC3339Nano)
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	if err := s.sink.Emit(ctx, "SecureScores", []map[string]string{{
		"TimeGenerated": ts, "InitiativeName": "Rampart built-in policies", "PercentageScore": f(sc.Percentage / 100),
		"CurrentScore": f(sc.CurrentScore), "MaxScore": f(sc.MaxScore), "IsSnapshot": "true", "Type": "SecureScores"}}); err != nil {
		return err
	}
	rows := make([]map[string]string, 0, len(sc.Controls))
	for _, c := range sc.Controls {
		rows = append(rows, map[string]string{"TimeGenerated": ts, "InitiativeName": "Rampart built-in policies",
			"ControlId": c.ID, "ControlName": c.Name, "PercentageScore": f(c.Percentage / 100),
			"CurrentScore": f(c.CurrentScore), "MaxScore": f(c.MaxScore), "HealthyResources": strconv.Itoa(c.Healthy),
			"UnhealthyResources": strconv.Itoa(c.Unhealthy), "NotApplicableResources": strconv.Itoa(c.NotApplicable),
			"IsSnapshot": "true", "Type": "SecureScoreControls"})
	}
	if len(rows) > 0 {
		if err := s.sink.Emit(ctx, "SecureScoreControls", rows); err != nil {
			return err
		}
	}
	rows = rows[:0]
	for _, r := range comp {
		for _, c := range r.Controls {
			if c.State == compliance.NotAssessed {
				continue
			}
			rows = append(rows, map[string]string{"TimeGenerated": ts, "ComplianceStandard": r.Standard,
				"ComplianceControl": c.ID, "RecommendationId": strings.Join(c.Policies, ","),
				"PassedResources": strconv.Itoa(c.Healthy), "FailedResources": strconv.Itoa(c.Unhealthy),
				"SkippedResources": strconv.Itoa(c.Exempt), "State": c.State, "IsSnapshot": "true",
				"Type": "SecurityRegulatoryCompliance"})
		}
	}
	if len(rows) == 0 {
		return nil
	}
	return s.sink.Emit(ctx, "SecurityRegulatoryCompliance", rows)
}
