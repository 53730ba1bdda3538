package api

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/rampart-soc/rampart/internal/auth"
	"github.com/rampart-soc/rampart/internal/posture/compliance"
	"github.com/rampart-soc/rampart/internal/posture/inventory"
	"github.com/rampart-soc/rampart/internal/posture/policy"
	"github.com/rampart-soc/rampart/internal/posture/service"
)

// maxPage bounds list responses.
const maxPage = 1000

// posture wraps a posture handler: 404 when the server runs without posture management.
func (s *Server) postureOn(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.posture == nil {
			writeError(w, http.StatusNotFound, "not_found", "posture management is not enabled")
			return
		}
		h(w, r)
	}
}

func (s *Server) postureRoutes() {
	s.handle("POST /api/v1/posture/resources", s.authed(auth.PermIngest, s.postureOn(s.handlePostureImport)))
	s.handle("GET /api/v1/posture/resources", s.authed(auth.PermRead, s.postureOn(s.handlePostureResources)))
	s.handle("GET /api/v1/posture/resources/{id...}", s.authed(auth.PermRead, s.postureOn(s.handlePostureResource)))
	s.handle("GET /api/v1/posture/findings", s.authed(auth.PermRead, s.postureOn(s.handlePostureFindings)))
	s.handle("GET /api/v1/posture/recommendations", s.authed(auth.PermRead, s.postureOn(s.handlePostureRecommendations)))
	s.handle("GET /api/v1/posture/policies", s.authed(auth.PermRead, s.postureOn(s.handlePosturePolicies)))
	s.handle("GET /api/v1/posture/score", s.authed(auth.PermRead, s.postureOn(s.handlePostureScore)))
	s.handle("GET /api/v1/posture/score/history", s.authed(auth.PermRead, s.postureOn(s.handlePostureHistory)))
	s.handle("GET /api/v1/posture/compliance", s.authed(auth.PermRead, s.postureOn(s.handlePostureCompliance)))
	s.handle("GET /api/v1/posture/compliance/{standard}", s.authed(auth.PermRead, s.postureOn(s.handlePostureCompliance)))
	s.handle("POST /api/v1/posture/assess", s.authed(auth.PermAdmin, s.postureOn(s.handlePostureAssess)))
	s.handle("GET /api/v1/posture/exemptions", s.authed(auth.PermRead, s.postureOn(s.handleListExemptions)))
	s.handle("PUT /api/v1/posture/exemptions/{id}", s.authed(auth.PermAdmin, s.postureOn(s.handlePutExemption)))
	s.handle("DELETE /api/v1/posture/exemptions/{id}", s.authed(auth.PermAdmin, s.postureOn(s.handleDeleteExemption)))
}

// pageParams reads offset and limit (default 100, at most maxPage).
func pageParams(r *http.Request) (offset, limit int, err error) {
	q := r.URL.Query()
	limit = 100
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > maxPage {
			return 0, 0, fmt.Errorf("limit must be 1 to %d", maxPage)
		}
	}
	if v := q.Get("offset"); v != "" {
		if offset, err = strconv.Atoi(v); err != nil || offset < 0 {
			return 0, 0, errors.New("offset must be a non-negative integer")
		}
	}
	return offset, limit, nil
}

type postureImport struct {
	Source    string                `json:"source"`
	Snapshot  bool                  `json:"snapshot"`
	Resources []*inventory.Resource `json:"resources"`
}

// handlePostureImport stores resources an importer produced (`rampart posture import`).
func (s *Server) handlePostureImport(w http.ResponseWriter, r *http.Request) {
	var in postureImport
	if err := decodeBody(r, &in); err != nil {
		writeError(w, http.StatusBadRequest, "bad_request", err.Error())
		return
	}
	if in.Source == "" || len(in.Source) > 512 {
		writeError(w, http.StatusBadRequest, "bad_request", "source (1 to 512 characters) is required")
		return
	}
	for i, res := range in.Resources {
		if res == nil || res.ID == "" || res.Type == "" || res.Provider == "" {
			writeError(w, http.StatusBadRequest, "bad_resource", fmt.Sprintf("resources[%d]: id, type and provider are required", i))
			return
		}
	}
	sum, err := s.posture.Import(r.Context(), in.Source, inventory.Result{Resources: in.Resources}, in.Snapshot)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "internal", err.Error())
		return
	}
	writeJSON(w, http.StatusOK, sum)
}

func (s *Server) handlePostureResources(w http.ResponseWriter, r *http.Request) {
	off, lim, err := pageParams(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, "bad_request", err.Error())
		return
	}
	q := r.URL.Query()
	list, total := s.posture.Resources(service.ResourceFilter{Provider: q.Get("provider"), Type: q.Get("type"),
		Account: q.Get("account"), Search: q.Get("search"), Offset: off, Limit: lim})
	writeJSON(w, http.StatusOK, map[string]any{"total": total, "resources": list})
}

func (s *Server) handlePostureResource(w http.ResponseWriter, r *http.Request) {
	d, err := s.posture.Resource(r.Context(), r.PathValue("id"))
	if err != nil {
		postureError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

func (s *Server) handlePostureFindings(w http.ResponseWriter, r *http.Request) {
	off, lim, err := pageParams(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, "bad_request", err.Error())
		return
	}
	q := r.URL.Query()
	if st := q.Get("state"); st != "" && !validState(st) {
		writeError(w, http.StatusBadRequest, "bad_request", "state must be Healthy, Unhealthy, NotApplicable, Exempt or Error")
		return
	}
	list, total := s.posture.Findings(service.FindingFilter{State: q.Get("state"), Severity: q.Get("severity"),
		Policy: q.Get("policy"), Resource: q.Get("resource"), Provider: q.Get("provider"), Offset: off, Limit: lim})
	writeJSON(w, http.StatusOK, map[string]any{"total": total, "findings": list})
}

func validState(s string) bool {
	for _, v := range []string{policy.Healthy, policy.Unhealthy, policy.NotApplicable, policy.Exempt, policy.Error} {
		if strings.EqualFold(s, v) {
			return true
		}
	}
	return false
}

func (s *Server) handlePostureRecommendations(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"recommendations": s.posture.Recommendations()})
}

func (s *Server) handlePosturePolicies(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"policies": s.posture.Policies().Policies})
}

func (s *Server) handlePostureScore(w http.ResponseWriter, r *http.Request) {
	sc, at := s.posture.Score()
	writeJSON(w, http.StatusOK, map[string]any{"assessedAt": at, "score": sc})
}

func (s *Server) handlePostureHistory(w http.ResponseWriter, r *http.Request) {
	days := 30
	if v := r.URL.Query().Get("days"); v != "" {
		d, err := strconv.Atoi(v)
		if err != nil || d < 1 || d > 3650 {
			writeError(w, http.StatusBadRequest, "bad_request", "days must be 1 to 3650")
			return
		}
		days = d
	}
	h, err := s.posture.History(r.Context(), days)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "internal", err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"history": h})
}

// handlePostureCompliance reports standards; ?format=csv exports rows.
func (s *Server) handlePostureCompliance(w http.ResponseWriter, r *http.Request) {
	reps, err := s.posture.Compliance(r.PathValue("standard"))
	if err != nil {
		postureError(w, err)
		return
	}
	switch r.URL.Query().Get("format") {
	case "", "json":
		writeJSON(w, http.StatusOK, map[string]any{"standards": reps})
	case "csv":
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="compliance.csv"`)
		if err := compliance.WriteCSV(w, reps); err != nil {
			s.log.Warn("compliance csv", "err", err)
		}
	default:
		writeError(w, http.StatusBadRequest, "bad_request", "format must be json or csv")
	}
}

func (s *Server) handlePostureAssess(w http.ResponseWriter, r *http.Request) {
	if err := s.posture.Assess(r.Context()); err != nil {
		writeError(w, http.StatusInternalServerError, "internal", err.Error())
		return
	}
	sc, at := s.posture.Score()
	writeJSON(w, http.StatusOK, map[string]any{"assessedAt": at, "score": sc})
}

func (s *Server) handleListExemptions(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"exemptions": s.posture.Exemptions()})
}

func (s *Server) handlePutExemption(w http.ResponseWriter, r *http.Request) {
	var e policy.Exemption
	if err := decodeBody(r, &e); err != nil {
		writeError(w, http.StatusBadRequest, "bad_request", err.Error())
		return
	}
	e.ID = r.PathValue("id")
	if err := s.posture.PutExemption(r.Context(), e); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_exemption", err.Error())
		return
	}
	writeJSON(w, http.StatusOK, e)
}

func (s *Server) handleDeleteExemption(w http.ResponseWriter, r *http.Request) {
	if err := s.posture.DeleteExemption(r.Context(), r.PathValue("id")); err != nil {
		postureError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func postureError(w http.ResponseWriter, err error) {
	if errors.Is(err, service.ErrNotFound) {
		writeError(w, http.StatusNotFound, "not_found", err.Error())
		return
	}
	writeError(w, http.StatusInternalServerError, "internal", err.Error())
}
