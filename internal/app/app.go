// Package app wires Rampart's subsystems into one server: each runs until the context is
// cancelled, and they stop in reverse order of start.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/rampart-soc/rampart/internal/api"
	"github.com/rampart-soc/rampart/internal/auth"
	"github.com/rampart-soc/rampart/internal/detect"
	"github.com/rampart-soc/rampart/internal/incident"
	"github.com/rampart-soc/rampart/internal/ingest"
	"github.com/rampart-soc/rampart/internal/ingest/syslog"
	"github.com/rampart-soc/rampart/internal/kql/lite"
	"github.com/rampart-soc/rampart/internal/posture/policy"
	"github.com/rampart-soc/rampart/internal/posture/service"
	"github.com/rampart-soc/rampart/internal/rules"
	"github.com/rampart-soc/rampart/internal/store/duckdb"
	"github.com/rampart-soc/rampart/internal/tables"
	"github.com/rampart-soc/rampart/internal/ti"
	"github.com/rampart-soc/rampart/internal/ti/taxii"
)

// Config is the server's configuration.
type Config struct {
	DataDir      string // "" for in-memory
	Listen       string // HTTP address
	SyslogUDP    string // "" disables
	SyslogTCP    string
	SyslogTLS    string
	TLSCert      string // for syslog over TLS
	TLSKey       string
	MaxBodyBytes int64
	// RetentionEvery is how often retention runs (default 1 h).
	RetentionEvery time.Duration
	// DemoDir, when set, holds demo JSON-lines files loaded on first start.
	DemoDir string
	// AdminKey is RAMPART_ADMIN_KEY.
	AdminKey string
	// KeyOut receives a generated admin key, printed once.
	KeyOut io.Writer
	// Threads and MemoryLimit bound DuckDB.
	Threads     int
	MemoryLimit string
	// QueueRows bounds rows accepted but not yet committed.
	QueueRows int
	// PolicyPaths are user posture policy files or folders loaded beside the built-ins.
	PolicyPaths []string
}

// Validate checks the configuration and fills defaults.
func (c *Config) Validate() error {
	if c.Listen == "" {
		c.Listen = "127.0.0.1:8080"
	}
	if c.RetentionEvery <= 0 {
		c.RetentionEvery = time.Hour
	}
	if c.SyslogTLS != "" && (c.TLSCert == "" || c.TLSKey == "") {
		return errors.New("syslog over TLS needs --tls-cert and --tls-key")
	}
	if c.AdminKey != "" && len(c.AdminKey) < auth.MinSecretLen {
		return fmt.Errorf("RAMPART_ADMIN_KEY must be at least %d characters", auth.MinSecretLen)
	}
	if c.KeyOut == nil {
		c.KeyOut = os.Stderr
	}
	return nil
}

// Server is a running Rampart.
type Server struct {
	cfg       Config
	log       *slog.Logger
	store     *duckdb.Store
	keys      *auth.Keys
	tables    *tables.Registry
	pipeline  *ingest.Pipeline
	incidents *incident.Service
	rules     *rules.Store
	rowSink   *ingest.AsyncSink
	streaming *detect.Streaming
	reload    chan struct{}
	ti        *ti.Service
	feeds     *ti.Feeds
	kql       *lite.Engine
	posture   *service.Service
	scheduler *detect.Scheduler
	reg       *prometheus.Registry
	httpLn    net.Listener
	ready     chan struct{}
	syslog    *syslog.Server // nil when no syslog listener is configured
}

// New opens storage and state; Run serves.
func New(ctx context.Context, cfg Config, log *slog.Logger) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	// A larger checkpoint threshold than DuckDB's 16MB: each checkpoint rewrites the last,
	// partly filled row group of every table appended to, which dominated ingestion cost.
	st, err := duckdb.Open(cfg.DataDir, duckdb.Options{Threads: cfg.Threads, MemoryLimit: cfg.MemoryLimit, Checkpoint: "128MB"})
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, log: log, store: st, reg: prometheus.NewRegistry(), ready: make(chan struct{})}
	if err := s.init(ctx); err != nil {
		st.Close()
		return nil, err
	}
	return s, nil
}

func (s *Server) init(ctx context.Context) error {
	var err error
	start := time.Now()
	if s.tables, err = tables.Open(ctx, s.store, s.store.DB()); err != nil {
		return err
	}
	s.log.Info("tables ready", "tables", len(s.tables.List()), "took", time.Since(start).Round(time.Millisecond))
	if s.keys, err = auth.OpenKeys(ctx, s.store.DB()); err != nil {
		return err
	}
	secret, err := s.keys.Bootstrap(ctx, s.cfg.AdminKey)
	if err != nil {
		return err
	}
	if secret != "" {
		fmt.Fprintf(s.cfg.KeyOut, "\nCreated the first admin API key. It is shown only this once; keep it safe:\n\n    %s\n\n", secret)
	}
	s.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	s.pipeline = ingest.NewPipeline(s.store, ingest.NewMetrics(s.reg), s.log, ingest.PipelineOptions{MaxQueuedRows: s.cfg.QueueRows})
	s.rowSink = &ingest.AsyncSink{Sink: ingest.RowSink{P: s.pipeline, Tables: s.tables}, Log: s.log}
	if s.incidents, err = incident.Open(ctx, s.store.DB(), s.rowSink); err != nil {
		return err
	}
	if s.rules, err = rules.OpenStore(ctx, s.store.DB()); err != nil {
		return err
	}
	s.streaming = detect.NewStreaming(s.log, s.incidents, s.reg)
	s.pipeline.Subscribe(s.streaming.OnCommit)
	if s.ti, err = ti.Open(ctx, s.store.DB(), s.rowSink, s.incidents, s.log); err != nil {
		return err
	}
	s.pipeline.Subscribe(s.ti.OnCommit)
	s.ti.EnableRetro(s.tables, 0)
	s.kql = lite.New(s.store.DB(), s.tables)
	if s.scheduler, err = detect.NewScheduler(ctx, s.store.DB(), s.rules, kqlQuerier{s.kql}, s.incidents, s.log); err != nil {
		return err
	}
	s.scheduler.Watermark = s.pipeline.Watermark
	if s.feeds, err = s.ti.OpenFeeds(ctx, &taxii.Client{}); err != nil {
		return err
	}
	userPolicies, err := policy.LoadPaths(s.cfg.PolicyPaths...)
	if err != nil {
		return fmt.Errorf("posture policies: %w", err)
	}
	if s.posture, err = service.Open(ctx, s.store.DB(), s.rowSink, s.incidents, s.log, userPolicies...); err != nil {
		return err
	}
	// Rule changes come in bursts (an import of thousands of rules): recompile once per
	// burst, not once per rule.
	s.reload = make(chan struct{}, 1)
	s.rules.OnChange(func(*rules.Rule, bool) {
		select {
		case s.reload <- struct{}{}:
		default:
		}
	})
	return s.reloadRules(ctx)
}

// reloadLoop recompiles the running rules after changes, at most every 500 ms.
func (s *Server) reloadLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.reload:
			select {
			case <-ctx.Done():
				return
			case <-time.After(500 * time.Millisecond):
			}
			if err := s.reloadRules(ctx); err != nil && ctx.Err() == nil {
				s.log.Error("reloading rules", "err", err)
			}
		}
	}
}

// reloadRules gives the detection engines the current rules.
func (s *Server) reloadRules(ctx context.Context) error {
	all, err := s.rules.List(ctx, "")
	if err != nil {
		return err
	}
	for id, why := range s.streaming.Load(all) {
		s.log.Warn("rule does not run", "rule", id, "reason", why)
	}
	return nil
}

// Pipeline is the ingestion pipeline (streaming consumers subscribe to it).
func (s *Server) Pipeline() *ingest.Pipeline { return s.pipeline }

// Addr is the HTTP listener's address once Run has started listening (it waits).
func (s *Server) Addr() string {
	<-s.ready
	return s.httpLn.Addr().String()
}

// Run serves until ctx is cancelled, then shuts down in order: listeners stop taking
// work, the pipeline commits what it accepted, storage closes.
func (s *Server) Run(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen %s: %w", s.cfg.Listen, err)
	}
	s.httpLn = ln

	apiSrv := api.New(api.Config{MaxBodyBytes: s.cfg.MaxBodyBytes}, api.Deps{
		Log: s.log, Keys: s.keys, Tables: s.tables, Store: s.store, Pipeline: s.pipeline, Incidents: s.incidents, Rules: s.rules, RulesChanged: s.reloadRules, TI: s.ti, Feeds: s.feeds, KQL: s.kql, Posture: s.posture, Runs: s.scheduler, Registry: s.reg,
	})
	httpSrv := &http.Server{Handler: apiSrv, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelWarn)}

	pipeCtx, stopPipe := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	pipeDone := make(chan error, 1)
	go func() { pipeDone <- s.pipeline.Run(pipeCtx) }()

	bgCtx, stopBg := context.WithCancel(ctx)
	wg.Add(8)
	go func() { defer wg.Done(); s.posture.Run(bgCtx) }()
	go func() { defer wg.Done(); s.scheduler.Run(bgCtx) }()
	go func() { defer wg.Done(); s.reloadLoop(bgCtx) }()
	go func() { defer wg.Done(); s.ti.Run(bgCtx) }()
	go func() { defer wg.Done(); s.feeds.Run(bgCtx) }()
	go func() { defer wg.Done(); s.retentionLoop(bgCtx) }()
	go func() { defer wg.Done(); s.rowSink.Run(bgCtx) }()
	go func() { defer wg.Done(); s.streaming.Run(bgCtx) }()
	if err := s.startSyslog(bgCtx, &wg); err != nil {
		stopBg()
		stopPipe()
		ln.Close()
		return err
	}
	close(s.ready)
	if s.cfg.DemoDir != "" {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.loadDemo(bgCtx, s.cfg.DemoDir); err != nil {
				s.log.Error("demo data", "err", err)
			}
		}()
	}

	httpErr := make(chan error, 1)
	go func() { httpErr <- httpSrv.Serve(ln) }()
	s.log.Info("rampart serving", "http", ln.Addr().String(), "data", s.cfg.DataDir)

	var runErr error
	select {
	case <-ctx.Done():
	case err := <-httpErr:
		runErr = err
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	_ = httpSrv.Shutdown(shutCtx)
	stopBg()
	wg.Wait()
	stopPipe()
	<-pipeDone
	if err := s.store.Checkpoint(context.Background()); err != nil {
		s.log.Warn("checkpoint at shutdown", "err", err)
	}
	if err := s.store.Close(); err != nil && runErr == nil {
		runErr = err
	}
	s.log.Info("rampart stopped")
	return runErr
}

func (s *Server) retentionLoop(ctx context.Context) {
	t := time.NewTicker(s.cfg.RetentionEvery)
	defer t.Stop()
	for {
		n, err := s.tables.EnforceRetention(ctx, time.Now())
		if err != nil && ctx.Err() == nil {
			s.log.Error("retention", "err", err)
		} else if n > 0 {
			s.log.Info("retention removed old rows", "rows", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// kqlQuerier runs scheduled rules' queries over their window.
type kqlQuerier struct{ e *lite.Engine }

func (q kqlQuerier) Query(ctx context.Context, query string, from, to time.Time) (*detect.Result, error) {
	res, err := q.e.Query(ctx, query, lite.Options{Now: to, Window: lite.Window{From: from, To: to}})
	if err != nil {
		return nil, err
	}
	return detectResult(res), nil
}

// QueryIngested runs an NRT rule's query over the rows ingested in (from, to].
func (q kqlQuerier) QueryIngested(ctx context.Context, query string, from, to time.Time) (*detect.Result, error) {
	res, err := q.e.Query(ctx, query, lite.Options{Now: to, Window: lite.Window{From: from, To: to, Ingested: true}})
	if err != nil {
		return nil, err
	}
	return detectResult(res), nil
}

func detectResult(res *lite.Result) *detect.Result {
	out := &detect.Result{Rows: res.Rows}
	for _, c := range res.Columns {
		out.Columns = append(out.Columns, c.Name)
	}
	return out
}
