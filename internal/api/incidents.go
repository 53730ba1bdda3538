package api

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rampart-soc/rampart/internal/incident"
)

func (s *Server) incidentError(w http.ResponseWriter, err error) {
	var ie *incident.InvalidError
	switch {
	case errors.As(err, &ie):
		writeError(w, http.StatusBadRequest, "invalid", ie.Msg)
	case errors.Is(err, incident.ErrNotFound):
		writeError(w, http.StatusNotFound, "not_found", "no such incident, task or alert")
	default:
		s.log.Error("incidents", "err", err)
		writeError(w, http.StatusInternalServerError, "internal", err.Error())
	}
}

func actor(r *http.Request) string {
	if k, ok := KeyFrom(r.Context()); ok {
		return k.Name
	}
	return "unknown"
}

func pathInt(w http.ResponseWriter, r *http.Request, name string) (int, bool) {
	n, err := strconv.Atoi(r.PathValue(name))
	if err != nil || n < 1 {
		writeError(w, http.StatusBadRequest, "bad_request", name+" must be a positive number")
		return 0, false
	}
	return n, true
}

func (s *Server) handleListIncidents(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := incident.Filter{Owner: q.Get("owner"), Search: q.Get("q"), Sort: q.Get("sort"), Desc: q.Get("order") == "desc"}
	for _, st := range splitList(q.Get("status")) {
		f.Status = append(f.Status, incident.Status(st))
	}
	for _, sv := range splitList(q.Get("severity")) {
		sev, err := incident.ParseSeverity(sv)
		if err != nil {
			writeError(w, http.StatusBadRequest, "bad_request", err.Error())
			return
		}
		f.Severity = append(f.Severity, sev)
	}
	var err error
	if v := q.Get("limit"); v != "" {
		if f.Limit, err = strconv.Atoi(v); err != nil {
			writeError(w, http.StatusBadRequest, "bad_request", "limit must be a number")
			return
		}
	}
	if v := q.Get("offset"); v != "" {
		if f.Offset, err = strconv.Atoi(v); err != nil {
			writeError(w, http.StatusBadRequest, "bad_request", "offset must be a number")
			return
		}
	}
	if v := q.Get("since"); v != "" {
		if f.Since, err = time.Parse(time.RFC3339, v); err != nil {
			writeError(w, http.StatusBadRequest, "bad_request", "since must be an RFC 3339 time")
			return
		}
	}
	list, total, err := s.incidents.List(r.Context(), f)
	if err != nil {
		s.incidentError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"incidents": list, "total": total})
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func (s *Server) handleGetIncident(w http.ResponseWriter, r *http.Request) {
	n, ok := pathInt(w, r, "number")
	if !ok {
		return
	}
	inc, err := s.incidents.Get(r.Context(), n)
	if err != nil {
		s.incidentError(w, err)
		return
	}
	alerts, err := s.incidents.Alerts(r.Context(), n, "", 150)
	if err != nil {
		s.incidentError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"incident": inc, "alerts": alerts})
}

func (s *Server) handlePatchIncident(w http.ResponseWriter, r *http.Request) {
	n, ok := pathInt(w, r, "number")
	if !ok {
		return
	}
	var p incident.Patch
	if err := decodeBody(r, &p); err != nil {
		writeError(w, http.StatusBadRequest, "bad_request", err.Error())
		return
	}
	inc, err := s.incidents.Update(r.Context(), n, p, actor(r))
	if err != nil {
		s.incidentError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, inc)
}

func (s *Server) handleAddComment(w http.ResponseWriter, r *http.Request) {
	n, ok := pathInt(w, r, "number")
	if !ok {
		return
	}
	var body struct {
		Text string `json:"text"`
	}
	if err := decodeBody(r, &body); err != nil {
		writeError(w, http.StatusBadRequest, "bad_request", err.Error())
		return
	}
	inc, err := s.incidents.AddComment(r.Context(), n, actor(r), body.Text)
	if err != nil {
		s.incidentError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, inc)
}

func (s *Server) handleAddTask(w http.ResponseWriter, r *http.Request) {
	n, ok := pathInt(w, r, "number")
	if !ok {
		return
	}
	var body struct {
		Title       string `json:"title"`
		Description string `json:"description"`
	}
	if err := decodeBody(r, &body); err != nil {
		writeError(w, http.StatusBadRequest, "bad_request", err.Error())
		return
	}
	inc, err := s.incidents.AddTask(r.Context(), n, actor(r), body.Title, body.Description)
	if err != nil {
		s.incidentError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, inc)
}

func (s *Server) handlePatchTask(w http.ResponseWriter, r *http.Request) {
	n, ok := pathInt(w, r, "number")
	if !ok {
		return
	}
	task, ok := pathInt(w, r, "task")
	if !ok {
		return
	}
	var body struct {
		Status string `json:"status"`
	}
	if err := decodeBody(r, &body); err != nil {
		writeError(w, http.StatusBadRequest, "bad_request", err.Error())
		return
	}
	inc, err := s.incidents.SetTaskStatus(r.Context(), n, task, body.Status, actor(r))
	if err != nil {
		s.incidentError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, inc)
}

func (s *Server) handleListAlerts(w http.ResponseWriter, r *http.Request) {
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	alerts, err := s.incidents.Alerts(r.Context(), 0, r.URL.Query().Get("rule"), limit)
	if err != nil {
		s.incidentError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"alerts": alerts})
}

// handleRaiseAlert takes an alert from an outside product or script.
func (s *Server) handleRaiseAlert(w http.ResponseWriter, r *http.Request) {
	var a incident.Alert
	if err := decodeBody(r, &a); err != nil {
		writeError(w, http.StatusBadRequest, "bad_request", err.Error())
		return
	}
	a.ID, a.Incident = "", 0
	if a.Product == "" {
		a.Product = "API"
	}
	out, err := s.incidents.RaiseAlert(r.Context(), a)
	if err != nil {
		s.incidentError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, out)
}

func (s *Server) handleSOCMetrics(w http.ResponseWriter, r *http.Request) {
	since := time.Now().AddDate(0, 0, -30)
	if v := r.URL.Query().Get("since"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			writeError(w, http.StatusBadRequest, "bad_request", "since must be an RFC 3339 time")
			return
		}
		since = t
	}
	m, err := s.incidents.Metrics(r.Context(), since)
	if err != nil {
		s.incidentError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, m)
}
