package api

import (
	"net/http"
	"path"
	"strings"
)

// handleTIImport imports STIX (bundle, envelope, objects or NDJSON; gzip accepted).
func (s *Server) handleTIImport(w http.ResponseWriter, r *http.Request) {
	if s.ti == nil {
		writeError(w, http.StatusNotFound, "not_found", "threat intelligence is not enabled")
		return
	}
	source := path.Base(r.URL.Query().Get("source"))
	if source == "." || source == "/" {
		source = "import"
	}
	res, err := s.ti.Import(r.Context(), http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes), source)
	if err != nil {
		writeError(w, http.StatusBadRequest, "bad_stix", err.Error())
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// handleTILookup tells everything known about an IP address, domain, URL, hash or email.
func (s *Server) handleTILookup(w http.ResponseWriter, r *http.Request) {
	v := strings.TrimSpace(r.URL.Query().Get("value"))
	if v == "" || len(v) > 2048 {
		writeError(w, http.StatusBadRequest, "bad_request", "value (1 to 2048 characters) is required")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"value": v, "matches": s.ti.Lookup(v)})
}

func (s *Server) handleTIStats(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.ti.Stats())
}
