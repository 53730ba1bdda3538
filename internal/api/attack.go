package api

import (
	"net/http"
	"strings"

	"github.com/rampart-soc/rampart/internal/attack"
)

type coverageTechnique struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Parent string `json:"parent,omitempty"`
	Rules  int    `json:"rules"`  // enabled rules that carry the technique (or a sub-technique of it)
	Alerts int    `json:"alerts"` // recent alerts that carry it
}

type coverageTactic struct {
	ID         string              `json:"id"`
	Name       string              `json:"name"`
	Title      string              `json:"title"`
	Techniques []coverageTechnique `json:"techniques"`
}

// handleAttackCoverage returns the ATT&CK Enterprise matrix with, per technique, how many
// enabled rules and recent alerts (up to the last 1,000) carry it.
func (s *Server) handleAttackCoverage(w http.ResponseWriter, r *http.Request) {
	cat := attack.Enterprise()
	rules, err := s.rules.List(r.Context(), "")
	if err != nil {
		s.ruleError(w, err)
		return
	}
	ruleCount := map[string]int{}
	for _, rule := range rules {
		if !rule.Enabled {
			continue
		}
		seen := map[string]bool{}
		for _, t := range rule.Techniques {
			for _, id := range []string{t, strings.SplitN(t, ".", 2)[0]} {
				if !seen[id] {
					seen[id] = true
					ruleCount[id]++
				}
			}
		}
	}
	alertCount := map[string]int{}
	alerts, err := s.incidents.Alerts(r.Context(), 0, "", 1000)
	if err != nil {
		s.incidentError(w, err)
		return
	}
	for _, a := range alerts {
		seen := map[string]bool{}
		for _, t := range a.Techniques {
			for _, id := range []string{t, strings.SplitN(t, ".", 2)[0]} {
				if !seen[id] {
					seen[id] = true
					alertCount[id]++
				}
			}
		}
	}
	out := make([]coverageTactic, 0, len(cat.Tactics))
	covered := 0
	for _, tac := range cat.Tactics {
		ct := coverageTactic{ID: tac.ID, Name: tac.Name, Title: tac.Title}
		for _, t := range cat.Techniques {
			for _, short := range t.Tactics {
				if short == tac.ShortName {
					ct.Techniques = append(ct.Techniques, coverageTechnique{ID: t.ID, Name: t.Name, Parent: t.Parent, Rules: ruleCount[t.ID], Alerts: alertCount[t.ID]})
					if ruleCount[t.ID] > 0 && t.Parent == "" {
						covered++
					}
				}
			}
		}
		out = append(out, ct)
	}
	writeJSON(w, http.StatusOK, map[string]any{"version": cat.Version, "tactics": out, "coveredTechniqueCells": covered})
}
