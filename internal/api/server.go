// Package api is Rampart's HTTP API under /api/v1/, JSON in and out.
package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/pprof"
	"runtime/debug"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/rampart-soc/rampart/internal/auth"
	"github.com/rampart-soc/rampart/internal/detect"
	"github.com/rampart-soc/rampart/internal/incident"
	"github.com/rampart-soc/rampart/internal/ingest"
	"github.com/rampart-soc/rampart/internal/kql/lite"
	"github.com/rampart-soc/rampart/internal/posture/service"
	"github.com/rampart-soc/rampart/internal/rules"
	"github.com/rampart-soc/rampart/internal/store"
	"github.com/rampart-soc/rampart/internal/tables"
	"github.com/rampart-soc/rampart/internal/ti"
	"github.com/rampart-soc/rampart/internal/ti/stix"
	"github.com/rampart-soc/rampart/internal/ti/taxii"
)

// Config bounds the API.
type Config struct {
	MaxBodyBytes int64 // largest request body after decompression (default 64 MiB)
}

// Server holds what the handlers need.
type Server struct {
	cfg       Config
	log       *slog.Logger
	keys      *auth.Keys
	tables    *tables.Registry
	store     store.Store
	pipeline  *ingest.Pipeline
	incidents *incident.Service
	rules     *rules.Store
	ruleCheck rules.Checker
	reloaded  func(context.Context) error
	ti        *ti.Service
	feeds     *ti.Feeds
	kql       *lite.Engine
	posture   *service.Service
	runs      RuleRuns
	gatherer  prometheus.Gatherer
	ready     func() error
	panics    prometheus.Counter
	mux       *http.ServeMux
	patterns  []string
}

// RuleRuns is the scheduler's record of rule executions.
type RuleRuns interface {
	Runs(ctx context.Context, ruleID string, limit int) ([]detect.Run, error)
	Health(ctx context.Context, ruleID string) (*detect.RuleState, error)
}

// Deps are the subsystems the API serves.
type Deps struct {
	Log       *slog.Logger
	Keys      *auth.Keys
	Tables    *tables.Registry
	Store     store.Store
	Pipeline  *ingest.Pipeline
	Incidents *incident.Service
	Rules     *rules.Store
	// RuleCheck validates rules beyond their metadata (KQL, Sigma); nil skips it.
	RuleCheck rules.Checker
	// RulesChanged makes the detection engines load the current rules now (an import
	// answers once its rules run).
	RulesChanged func(context.Context) error
	TI           *ti.Service
	Feeds        *ti.Feeds
	KQL          *lite.Engine
	Posture      *service.Service
	// Runs reports scheduled and NRT rules' health and run history (nil: none).
	Runs     RuleRuns
	Registry *prometheus.Registry
	// Ready reports whether the server can take traffic (nil: always).
	Ready func() error
}

// New builds the API handler.
func New(cfg Config, d Deps) *Server {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 64 << 20
	}
	s := &Server{cfg: cfg, log: d.Log, keys: d.Keys, tables: d.Tables, store: d.Store, pipeline: d.Pipeline,
		incidents: d.Incidents, rules: d.Rules, ruleCheck: d.RuleCheck, reloaded: d.RulesChanged, ti: d.TI, feeds: d.Feeds, kql: d.KQL, posture: d.Posture, runs: d.Runs, gatherer: d.Registry, ready: d.Ready, mux: http.NewServeMux()}
	s.panics = prometheus.NewCounter(prometheus.CounterOpts{Name: "rampart_http_panics_total", Help: "Handler panics recovered."})
	if d.Registry != nil {
		d.Registry.MustRegister(s.panics)
	}
	s.routes()
	return s
}

func (s *Server) routes() {
	s.handle("GET /healthz", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	}))
	s.handle("GET /readyz", s.authed(auth.PermRead, s.handleReady))
	s.handle("GET /metrics", s.authedHandler(auth.PermRead, promhttp.HandlerFor(s.gatherer, promhttp.HandlerOpts{})))
	s.handle("GET /api/v1/openapi.json", s.authed(auth.PermRead, s.handleOpenAPI))

	s.handle("POST /api/v1/ingest/{table}", s.authed(auth.PermIngest, s.handleIngest))
	s.handle("POST /api/v1/query", s.authed(auth.PermRead, s.handleQuery))

	s.handle("GET /api/v1/tables", s.authed(auth.PermRead, s.handleListTables))
	s.handle("GET /api/v1/tables/{name}", s.authed(auth.PermRead, s.handleGetTable))
	s.handle("PUT /api/v1/tables/{name}", s.authed(auth.PermAdmin, s.handlePutTable))

	s.handle("GET /api/v1/incidents", s.authed(auth.PermRead, s.handleListIncidents))
	s.handle("GET /api/v1/incidents/{number}", s.authed(auth.PermRead, s.handleGetIncident))
	s.handle("PATCH /api/v1/incidents/{number}", s.authed(auth.PermRespond, s.handlePatchIncident))
	s.handle("POST /api/v1/incidents/{number}/comments", s.authed(auth.PermRespond, s.handleAddComment))
	s.handle("POST /api/v1/incidents/{number}/tasks", s.authed(auth.PermRespond, s.handleAddTask))
	s.handle("PATCH /api/v1/incidents/{number}/tasks/{task}", s.authed(auth.PermRespond, s.handlePatchTask))
	s.handle("GET /api/v1/alerts", s.authed(auth.PermRead, s.handleListAlerts))
	s.handle("POST /api/v1/alerts", s.authed(auth.PermIngest, s.handleRaiseAlert))
	s.handle("GET /api/v1/attack/coverage", s.authed(auth.PermRead, s.handleAttackCoverage))
	s.handle("GET /api/v1/soc/metrics", s.authed(auth.PermRead, s.handleSOCMetrics))

	s.handle("GET /api/v1/rules", s.authed(auth.PermRead, s.handleListRules))
	s.handle("GET /api/v1/rules/export", s.authed(auth.PermRead, s.handleExportRules))
	s.handle("POST /api/v1/rules/import", s.authed(auth.PermAdmin, s.handleImportRules))
	s.handle("GET /api/v1/rules/{id}", s.authed(auth.PermRead, s.handleGetRule))
	s.handle("GET /api/v1/rules/{id}/versions", s.authed(auth.PermRead, s.handleRuleVersions))
	s.handle("GET /api/v1/rules/{id}/runs", s.authed(auth.PermRead, s.handleRuleRuns))
	s.handle("POST /api/v1/rules/{id}/enable", s.authed(auth.PermAdmin, s.handleSetRuleEnabled(true)))
	s.handle("POST /api/v1/rules/{id}/disable", s.authed(auth.PermAdmin, s.handleSetRuleEnabled(false)))
	s.handle("DELETE /api/v1/rules/{id}", s.authed(auth.PermAdmin, s.handleDeleteRule))

	s.handle("POST /api/v1/ti/import", s.authed(auth.PermIngest, s.handleTIImport))
	s.handle("GET /api/v1/ti/lookup", s.authed(auth.PermRead, s.handleTILookup))
	s.handle("GET /api/v1/ti/stats", s.authed(auth.PermRead, s.handleTIStats))
	s.handle("GET /api/v1/ti/feeds", s.authed(auth.PermRead, s.handleListFeeds))
	s.handle("PUT /api/v1/ti/feeds/{name}", s.authed(auth.PermAdmin, s.handlePutFeed))
	s.handle("DELETE /api/v1/ti/feeds/{name}", s.authed(auth.PermAdmin, s.handleDeleteFeed))

	if s.ti != nil {
		// TAXII 2.1: readers read the collection; ingest and admin keys may add to it.
		s.handle("/taxii2/", taxii.NewServer(taxii.ServerConfig{Backend: s.ti.TAXII(stix.TLPAmber), Auth: s.taxiiAuth,
			Prefix: "/taxii2/", Title: "Rampart TAXII", DefaultRoot: ti.TAXIIRoot}))
	}

	s.postureRoutes()

	s.handle("GET /api/v1/keys", s.authed(auth.PermAdmin, s.handleListKeys))
	s.handle("POST /api/v1/keys", s.authed(auth.PermAdmin, s.handleCreateKey))
	s.handle("DELETE /api/v1/keys/{id}", s.authed(auth.PermAdmin, s.handleDeleteKey))

	// Profiling for operators (admin only): go tool pprof -http=: with the key in a header.
	s.handle("GET /debug/pprof/", s.authed(auth.PermAdmin, pprof.Index))
	s.handle("GET /debug/pprof/profile", s.authed(auth.PermAdmin, pprof.Profile))
	s.handle("GET /debug/pprof/trace", s.authed(auth.PermAdmin, pprof.Trace))

	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "not_found", fmt.Sprintf("no endpoint %s %s", r.Method, r.URL.Path))
	})
}

// taxiiAuth maps API keys onto TAXII access.
func (s *Server) taxiiAuth(r *http.Request) (string, func(string) bool, func(string) bool, bool) {
	secret, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return "", nil, nil, false
	}
	key, ok := s.keys.Authenticate(strings.TrimSpace(secret))
	if !ok {
		return "", nil, nil, false
	}
	read := key.Role.Allows(auth.PermRead)
	write := key.Role.Allows(auth.PermIngest)
	return key.Name, func(string) bool { return read }, func(string) bool { return write }, true
}

// handle registers a route and remembers its pattern (the OpenAPI test checks them).
func (s *Server) handle(pattern string, h http.Handler) {
	s.patterns = append(s.patterns, pattern)
	s.mux.Handle(pattern, h)
}

// ServeHTTP recovers panics so that none reaches a client or stops the server.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.panics.Inc()
			s.log.Error("handler panic", "method", r.Method, "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
			writeError(w, http.StatusInternalServerError, "internal", "internal error")
		}
	}()
	s.mux.ServeHTTP(w, r)
}

type ctxKey struct{}

// KeyFrom returns the API key of an authenticated request.
func KeyFrom(ctx context.Context) (auth.Key, bool) {
	k, ok := ctx.Value(ctxKey{}).(auth.Key)
	return k, ok
}

func (s *Server) authed(p auth.Permission, h http.HandlerFunc) http.Handler {
	return s.authedHandler(p, h)
}

func (s *Server) authedHandler(p auth.Permission, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		secret, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="rampart"`)
			writeError(w, http.StatusUnauthorized, "unauthenticated", "missing API key: send 'Authorization: Bearer <key>'")
			return
		}
		key, ok := s.keys.Authenticate(strings.TrimSpace(secret))
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="rampart", error="invalid_token"`)
			writeError(w, http.StatusUnauthorized, "unauthenticated", "unknown API key")
			return
		}
		if !key.Role.Allows(p) {
			writeError(w, http.StatusForbidden, "forbidden", fmt.Sprintf("role %s may not do this", key.Role))
			return
		}
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, key)))
	})
}

func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	if s.ready != nil {
		if err := s.ready(); err != nil {
			writeError(w, http.StatusServiceUnavailable, "not_ready", err.Error())
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

// apiError is the body of every error response.
type apiError struct {
	Error errorBody `json:"error"`
}

type errorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Line    int    `json:"line,omitempty"`
	Field   string `json:"field,omitempty"`
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, apiError{Error: errorBody{Code: code, Message: msg}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// decodeBody reads a small JSON request body strictly.
func decodeBody(r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return errors.New("request body is larger than 1 MiB")
		}
		return fmt.Errorf("invalid request body: %v", err)
	}
	return nil
}

// retryAfter is the advice given with 503 answers.
const retryAfter = 1 * time.Second
