package api

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/rampart-soc/rampart/internal/ingest"
)

var acceptedTypes = map[string]bool{
	"application/json": true, "application/x-ndjson": true, "application/ndjson": true,
	"application/jsonl": true, "application/x-jsonlines": true, "application/jsonlines": true,
}

// handleIngest stores a JSON array or NDJSON body in a table, all or nothing, and answers
// only once the rows are durable.
func (s *Server) handleIngest(w http.ResponseWriter, r *http.Request) {
	m := s.pipeline.Metrics()
	name := r.PathValue("table")
	t, ok := s.tables.Get(name)
	if !ok {
		m.Rejects.WithLabelValues("unknown_table").Inc()
		writeError(w, http.StatusNotFound, "unknown_table", fmt.Sprintf("no table %q (create custom tables with PUT /api/v1/tables/{name}, names ending in _CL)", name))
		return
	}
	ct, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || !acceptedTypes[ct] {
		m.Rejects.WithLabelValues("content_type").Inc()
		writeError(w, http.StatusUnsupportedMediaType, "unsupported_media_type",
			fmt.Sprintf("Content-Type %q is not accepted: send application/json (an array) or application/x-ndjson", r.Header.Get("Content-Type")))
		return
	}
	body, status, err := s.readBody(r)
	if err != nil {
		code := "bad_body"
		switch status {
		case http.StatusRequestEntityTooLarge:
			code = "too_large"
		case http.StatusUnsupportedMediaType:
			code = "unsupported_media_type"
		}
		m.Rejects.WithLabelValues(code).Inc()
		writeError(w, status, code, err.Error())
		return
	}
	batch, err := ingest.DecodeJSON(t, body, time.Now())
	if err != nil {
		m.Rejects.WithLabelValues("malformed").Inc()
		var fe *ingest.FieldError
		eb := errorBody{Code: "malformed", Message: err.Error()}
		if errors.As(err, &fe) {
			eb.Line, eb.Field = fe.Line, fe.Field
		}
		writeJSON(w, http.StatusBadRequest, apiError{Error: eb})
		return
	}
	if err := s.pipeline.Submit(r.Context(), batch); err != nil {
		switch {
		case errors.Is(err, ingest.ErrOverloaded), errors.Is(err, ingest.ErrStopped):
			w.Header().Set("Retry-After", strconv.Itoa(int(retryAfter.Seconds())))
			writeError(w, http.StatusServiceUnavailable, "overloaded", err.Error())
		default:
			s.log.Error("ingest commit failed", "table", name, "err", err)
			writeError(w, http.StatusInternalServerError, "store", "rows could not be stored: "+err.Error())
		}
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"table": t.Name, "rows": batch.Len()})
}

// readBody reads the body, gunzipping it if needed, bounded by MaxBodyBytes.
func (s *Server) readBody(r *http.Request) ([]byte, int, error) {
	limit := s.cfg.MaxBodyBytes
	var rd io.Reader = http.MaxBytesReader(nil, r.Body, limit)
	switch r.Header.Get("Content-Encoding") {
	case "", "identity":
	case "gzip":
		zr, err := gzip.NewReader(rd)
		if err != nil {
			return nil, http.StatusBadRequest, fmt.Errorf("invalid gzip body: %v", err)
		}
		defer zr.Close()
		rd = zr
	default:
		return nil, http.StatusUnsupportedMediaType, fmt.Errorf("Content-Encoding %q is not supported (gzip is)", r.Header.Get("Content-Encoding"))
	}
	var buf bytes.Buffer
	if r.ContentLength > 0 && r.ContentLength <= limit {
		buf.Grow(int(r.ContentLength))
	}
	n, err := io.Copy(&buf, io.LimitReader(rd, limit+1))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, http.StatusRequestEntityTooLarge, fmt.Errorf("request body is larger than %d bytes", limit)
		}
		return nil, http.StatusBadRequest, fmt.Errorf("reading body: %v", err)
	}
	if n > limit {
		return nil, http.StatusRequestEntityTooLarge, fmt.Errorf("decompressed body is larger than %d bytes", limit)
	}
	return buf.Bytes(), http.StatusOK, nil
}
