package api

import (
	"fmt"
	"net/http"

	"github.com/rampart-soc/rampart/internal/auth"
)

func (s *Server) handleListKeys(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"keys": s.keys.List()})
}

func (s *Server) handleCreateKey(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Name string `json:"name"`
		Role string `json:"role"`
	}
	if err := decodeBody(r, &req); err != nil {
		writeError(w, http.StatusBadRequest, "bad_request", err.Error())
		return
	}
	role, err := auth.ParseRole(req.Role)
	if err != nil {
		writeError(w, http.StatusBadRequest, "bad_request", err.Error())
		return
	}
	key, secret, err := s.keys.Create(r.Context(), req.Name, role, "")
	if err != nil {
		writeError(w, http.StatusBadRequest, "bad_request", err.Error())
		return
	}
	// The secret is shown only here; the server keeps its hash.
	writeJSON(w, http.StatusCreated, map[string]any{"key": key, "secret": secret})
}

func (s *Server) handleDeleteKey(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if caller, _ := KeyFrom(r.Context()); caller.ID == id {
		writeError(w, http.StatusConflict, "conflict", "a key cannot delete itself")
		return
	}
	ok, err := s.keys.Delete(r.Context(), id)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "store", err.Error())
		return
	}
	if !ok {
		writeError(w, http.StatusNotFound, "not_found", fmt.Sprintf("no key %q", id))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
