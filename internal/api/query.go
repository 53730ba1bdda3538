package api

import (
	"errors"
	"net/http"
	"time"

	"github.com/rampart-soc/rampart/internal/kql/lite"
)

type queryRequest struct {
	Query    string `json:"query"`
	Timespan string `json:"timespan,omitempty"` // ISO 8601 duration (P1D, PT1H) or 1d/1h
}

// handleQuery runs KQL: {"query", "timespan"?} → {"columns", "rows", "stats"}.
func (s *Server) handleQuery(w http.ResponseWriter, r *http.Request) {
	var req queryRequest
	if err := decodeBody(r, &req); err != nil {
		writeError(w, http.StatusBadRequest, "bad_request", err.Error())
		return
	}
	if req.Query == "" || len(req.Query) > 100_000 {
		writeError(w, http.StatusBadRequest, "bad_request", "query must be 1 to 100,000 characters")
		return
	}
	opt := lite.Options{}
	if req.Timespan != "" {
		d, err := parseTimespan(req.Timespan)
		if err != nil {
			writeError(w, http.StatusBadRequest, "bad_request", err.Error())
			return
		}
		opt.Timespan = d
	}
	res, err := s.kql.Query(r.Context(), req.Query, opt)
	if err != nil {
		var qe *lite.QueryError
		if errors.As(err, &qe) {
			writeJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]any{"code": "bad_query",
				"message": qe.Error(), "line": qe.Line, "column": qe.Column, "caret": qe.Caret}})
			return
		}
		writeError(w, http.StatusBadRequest, "query_failed", err.Error())
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func parseTimespan(s string) (time.Duration, error) {
	if d, err := isoDuration(s); err == nil {
		return d, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, errors.New("timespan must be an ISO 8601 duration such as P1D or PT1H, or a Go duration such as 24h")
	}
	return d, nil
}
