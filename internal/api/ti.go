package api

import (
	"errors"
	"net/http"
	"path"
	"strings"

	"github.com/rampart-soc/rampart/internal/ti"
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

func (s *Server) handleListFeeds(w http.ResponseWriter, r *http.Request) {
	list, err := s.feeds.List(r.Context())
	if err != nil {
		writeError(w, http.StatusInternalServerError, "internal", err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"feeds": list})
}

func (s *Server) handlePutFeed(w http.ResponseWriter, r *http.Request) {
	var c ti.FeedConfig
	if err := decodeBody(r, &c); err != nil {
		writeError(w, http.StatusBadRequest, "bad_request", err.Error())
		return
	}
	c.Name = r.PathValue("name")
	if err := s.feeds.Put(r.Context(), c); err != nil {
		var ie *ti.InvalidError
		if errors.As(err, &ie) {
			writeError(w, http.StatusBadRequest, "invalid_feed", ie.Msg)
			return
		}
		writeError(w, http.StatusInternalServerError, "internal", err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"name": c.Name})
}

func (s *Server) handleDeleteFeed(w http.ResponseWriter, r *http.Request) {
	if err := s.feeds.Delete(r.Context(), r.PathValue("name")); err != nil {
		if errors.Is(err, ti.ErrNotFound) {
			writeError(w, http.StatusNotFound, "not_found", err.Error())
			return
		}
		writeError(w, http.StatusInternalServerError, "internal", err.Error())
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
