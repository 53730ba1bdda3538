package api

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path"
	"strconv"

	"github.com/rampart-soc/rampart/internal/rules"
)

func (s *Server) ruleError(w http.ResponseWriter, err error) {
	if errors.Is(err, rules.ErrNotFound) {
		writeError(w, http.StatusNotFound, "not_found", err.Error())
		return
	}
	s.log.Error("rules", "err", err)
	writeError(w, http.StatusInternalServerError, "internal", err.Error())
}

func (s *Server) handleListRules(w http.ResponseWriter, r *http.Request) {
	list, err := s.rules.List(r.Context(), rules.Kind(r.URL.Query().Get("kind")))
	if err != nil {
		s.ruleError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"rules": list})
}

func (s *Server) handleGetRule(w http.ResponseWriter, r *http.Request) {
	rule, err := s.rules.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		s.ruleError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, rule)
}

func (s *Server) handleRuleVersions(w http.ResponseWriter, r *http.Request) {
	vs, err := s.rules.Versions(r.Context(), r.PathValue("id"))
	if err != nil {
		s.ruleError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"versions": vs})
}

// handleRuleRuns returns a scheduled or NRT rule's health and recent runs.
func (s *Server) handleRuleRuns(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, err := s.rules.Get(r.Context(), id); err != nil {
		s.ruleError(w, err)
		return
	}
	if s.runs == nil {
		writeError(w, http.StatusNotFound, "not_found", "no rule scheduler in this server")
		return
	}
	limit := 100
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			writeError(w, http.StatusBadRequest, "bad_request", "limit must be 1 to 1000")
			return
		}
		limit = n
	}
	runs, err := s.runs.Runs(r.Context(), id, limit)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "internal", err.Error())
		return
	}
	health, err := s.runs.Health(r.Context(), id)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "internal", err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"health": health, "runs": runs})
}

// handleImportRules takes rule files: one file as the body (Sentinel or Sigma YAML, several
// documents allowed, or JSON lines of rule records; `name` names it in messages and .jsonl
// selects JSON lines), or many as multipart/form-data parts named by their file names.
// Valid rules are stored even when others are not; the detectors reload once at the end.
func (s *Server) handleImportRules(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<20)
	type file struct {
		name string
		data []byte
	}
	var files []file
	if mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		mr := multipart.NewReader(r.Body, params["boundary"])
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				writeError(w, http.StatusBadRequest, "bad_request", "reading multipart body: "+err.Error())
				return
			}
			data, err := io.ReadAll(part)
			if err != nil {
				writeError(w, http.StatusRequestEntityTooLarge, "too_large", "rule uploads are limited to 64 MiB")
				return
			}
			files = append(files, file{name: part.FileName(), data: data})
		}
	} else {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			writeError(w, http.StatusRequestEntityTooLarge, "too_large", "rule uploads are limited to 64 MiB")
			return
		}
		files = append(files, file{name: r.URL.Query().Get("name"), data: body})
	}
	imported, unchanged := 0, 0
	problems := []rules.Problem{}
	for _, f := range files {
		name := f.name
		if b := path.Base(name); name == "" || b == "." || b == "/" {
			name = "request.yaml"
		}
		for _, p := range rules.ParseFile(name, f.data) {
			problems = append(problems, p.Problems...)
			if p.Rule == nil {
				continue
			}
			if s.ruleCheck != nil {
				if msgs := s.ruleCheck(p.Rule); len(msgs) > 0 {
					for _, m := range msgs {
						problems = append(problems, rules.Problem{File: name, RuleID: p.Rule.ID, Message: m})
					}
					continue
				}
			}
			changed, err := s.rules.Put(r.Context(), p.Rule, actor(r))
			if err != nil {
				s.ruleError(w, err)
				return
			}
			if changed {
				imported++
			} else {
				unchanged++
			}
		}
	}
	if imported > 0 && s.reloaded != nil {
		if err := s.reloaded(r.Context()); err != nil {
			s.ruleError(w, err)
			return
		}
	}
	// 200 even with problems: each rule stands alone, and the answer lists what failed.
	writeJSON(w, http.StatusOK, map[string]any{"imported": imported, "unchanged": unchanged, "problems": problems})
}

func (s *Server) handleSetRuleEnabled(enabled bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rule, err := s.rules.SetEnabled(r.Context(), r.PathValue("id"), enabled, actor(r))
		if err != nil {
			s.ruleError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, rule)
	}
}

func (s *Server) handleDeleteRule(w http.ResponseWriter, r *http.Request) {
	if err := s.rules.Delete(r.Context(), r.PathValue("id"), actor(r)); err != nil {
		s.ruleError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleExportRules writes the rules as one multi-document YAML stream (Sentinel YAML for
// KQL rules, the original YAML for Sigma), which import reads back.
func (s *Server) handleExportRules(w http.ResponseWriter, r *http.Request) {
	list, err := s.rules.List(r.Context(), rules.Kind(r.URL.Query().Get("kind")))
	if err != nil {
		s.ruleError(w, err)
		return
	}
	out, err := rules.Export(list)
	if err != nil {
		s.ruleError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/yaml")
	w.Write(out)
}
