package detect

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/rampart-soc/rampart/internal/rules"
)

// Querier runs a rule's KQL over events whose TimeGenerated is in [from, to).
type Querier interface {
	Query(ctx context.Context, query string, from, to time.Time) (*Result, error)
}

// RuleStore lists the rules to run.
type RuleStore interface {
	List(ctx context.Context, kind rules.Kind) ([]*rules.Rule, error)
}

// Scheduler runs Scheduled rules at their frequency over their lookback. Each window runs
// once: the end of the last completed window is saved, so after downtime the missed
// windows are run in order, and alert ids are derived from rule and window so a window
// re-run after a crash raises nothing twice. A failing rule is retried with backoff and
// marked unhealthy; the others go on.
type Scheduler struct {
	db      *sql.DB
	rules   RuleStore
	query   Querier
	raiser  Raiser
	log     *slog.Logger
	now     func() time.Time
	Tick    time.Duration
	Timeout time.Duration // per query (Sentinel's: 10 minutes)
	// MaxCatchUp bounds how many missed windows of one rule are replayed after downtime.
	MaxCatchUp int
	// Watermark is the ingestion watermark NRT rules read up to (nil: NRT rules do not run).
	Watermark func() time.Time

	mu sync.Mutex
}

// RuleState is a rule's scheduling record.
type RuleState struct {
	RuleID      string    `json:"ruleId"`
	LastEnd     time.Time `json:"lastWindowEnd"`
	Failures    int       `json:"consecutiveFailures"`
	NextAttempt time.Time `json:"nextAttempt"`
	Healthy     bool      `json:"healthy"`
	LastError   string    `json:"lastError,omitempty"`
	Suppressed  time.Time `json:"suppressedUntil"`
}

// Run is one execution of a rule over one window.
type Run struct {
	RuleID      string    `json:"ruleId"`
	WindowStart time.Time `json:"windowStart"`
	WindowEnd   time.Time `json:"windowEnd"`
	Started     time.Time `json:"started"`
	DurationMs  int64     `json:"durationMs"`
	Status      string    `json:"status"` // succeeded, failed
	ResultRows  int       `json:"resultRows"`
	Alerts      int       `json:"alerts"`
	Error       string    `json:"error,omitempty"`
}

// NewScheduler creates the scheduler's tables if needed.
func NewScheduler(ctx context.Context, db *sql.DB, rs RuleStore, q Querier, raiser Raiser, log *slog.Logger) (*Scheduler, error) {
	for _, stmt := range []string{
		`CREATE TABLE IF NOT EXISTS rampart_rule_state (rule_id VARCHAR PRIMARY KEY, last_end TIMESTAMP NOT NULL, failures INTEGER NOT NULL,
			next_attempt TIMESTAMP NOT NULL, healthy BOOLEAN NOT NULL, last_error VARCHAR NOT NULL, suppressed_until TIMESTAMP NOT NULL)`,
		`CREATE TABLE IF NOT EXISTS rampart_rule_runs (rule_id VARCHAR NOT NULL, window_start TIMESTAMP NOT NULL, window_end TIMESTAMP NOT NULL,
			started TIMESTAMP NOT NULL, duration_ms BIGINT NOT NULL, status VARCHAR NOT NULL, result_rows INTEGER NOT NULL, alerts INTEGER NOT NULL, error VARCHAR NOT NULL)`,
	} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			return nil, fmt.Errorf("scheduler: %w", err)
		}
	}
	return &Scheduler{db: db, rules: rs, query: q, raiser: raiser, log: log, now: func() time.Time { return time.Now().UTC() },
		Tick: 10 * time.Second, Timeout: 10 * time.Minute, MaxCatchUp: 288}, nil
}

// Run checks for due windows every Tick until ctx ends.
func (s *Scheduler) Run(ctx context.Context) error {
	t := time.NewTicker(s.Tick)
	defer t.Stop()
	for {
		s.RunDue(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// RunDue runs every window that is due now, for every enabled Scheduled rule, and every
// NRT rule over what was ingested since its last run.
func (s *Scheduler) RunDue(ctx context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.runNRT(ctx)
	list, err := s.rules.List(ctx, rules.Scheduled)
	if err != nil {
		s.log.Error("scheduler: listing rules", "err", err)
		return
	}
	for _, r := range list {
		if ctx.Err() != nil {
			return
		}
		if r.Enabled && r.Frequency > 0 {
			s.runRule(ctx, r)
		}
	}
}

func (s *Scheduler) runRule(ctx context.Context, r *rules.Rule) {
	now := s.now()
	st, err := s.state(ctx, r.ID)
	if err != nil {
		s.log.Error("scheduler: state", "rule", r.ID, "err", err)
		return
	}
	if st == nil { // a new rule starts with the window ending now
		st = &RuleState{RuleID: r.ID, LastEnd: now.Add(-r.Frequency), Healthy: true}
	}
	if now.Before(st.NextAttempt) {
		return
	}
	// Catch up on missed windows, oldest first, but not forever.
	missed := int(now.Sub(st.LastEnd) / r.Frequency)
	if missed > s.MaxCatchUp {
		skip := missed - s.MaxCatchUp
		s.log.Warn("scheduler: rule was down too long; oldest windows skipped", "rule", r.ID, "skipped", skip)
		st.LastEnd = st.LastEnd.Add(time.Duration(skip) * r.Frequency)
	}
	for end := st.LastEnd.Add(r.Frequency); !end.After(now); end = end.Add(r.Frequency) {
		run := s.runWindow(ctx, r, st, end.Add(-r.Period), end)
		if err := s.saveRun(ctx, run); err != nil {
			s.log.Error("scheduler: run history", "rule", r.ID, "err", err)
		}
		if run.Status != "succeeded" {
			st.Failures++
			st.Healthy = false
			st.LastError = run.Error
			backoff := time.Duration(1<<min(st.Failures, 6)) * 30 * time.Second // 1 min … 32 min
			st.NextAttempt = now.Add(min(backoff, time.Hour))
			s.log.Warn("scheduler: rule failed", "rule", r.ID, "failures", st.Failures, "retry", st.NextAttempt, "err", run.Error)
			break
		}
		st.LastEnd, st.Failures, st.Healthy, st.LastError, st.NextAttempt = end, 0, true, "", time.Time{}
	}
	if err := s.saveState(ctx, st); err != nil {
		s.log.Error("scheduler: state", "rule", r.ID, "err", err)
	}
}

func (s *Scheduler) runWindow(ctx context.Context, r *rules.Rule, st *RuleState, from, to time.Time) Run {
	run := Run{RuleID: r.ID, WindowStart: from, WindowEnd: to, Started: s.now(), Status: "succeeded"}
	qctx, cancel := context.WithTimeout(ctx, s.Timeout)
	defer cancel()
	res, err := s.safeQuery(qctx, r.Query, from, to)
	run.DurationMs = time.Since(run.Started).Milliseconds()
	if err != nil {
		run.Status, run.Error = "failed", err.Error()
		return run
	}
	run.ResultRows = len(res.Rows)
	if !triggered(r, len(res.Rows)) || to.Before(st.Suppressed) {
		return run
	}
	for _, a := range buildAlerts(r, res, from, to, "Scheduled Alerts") {
		if _, err := s.raiser.RaiseAlert(ctx, a); err != nil {
			run.Status, run.Error = "failed", "raising alert: "+err.Error()
			return run
		}
		run.Alerts++
	}
	if r.SuppressionDuration > 0 {
		st.Suppressed = to.Add(r.SuppressionDuration)
	}
	return run
}

// safeQuery keeps a panic in the query engine from stopping the scheduler.
func (s *Scheduler) safeQuery(ctx context.Context, q string, from, to time.Time) (res *Result, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("internal error in the query engine: %v", v)
		}
	}()
	return s.query.Query(ctx, q, from, to)
}

func (s *Scheduler) state(ctx context.Context, id string) (*RuleState, error) {
	st := &RuleState{RuleID: id}
	err := s.db.QueryRowContext(ctx, `SELECT last_end, failures, next_attempt, healthy, last_error, suppressed_until FROM rampart_rule_state WHERE rule_id = ?`, id).
		Scan(&st.LastEnd, &st.Failures, &st.NextAttempt, &st.Healthy, &st.LastError, &st.Suppressed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return st, err
}

func (s *Scheduler) saveState(ctx context.Context, st *RuleState) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM rampart_rule_state WHERE rule_id = ?`, st.RuleID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO rampart_rule_state VALUES (?, ?, ?, ?, ?, ?, ?)`,
		st.RuleID, st.LastEnd, st.Failures, st.NextAttempt, st.Healthy, st.LastError, st.Suppressed); err != nil {
		return err
	}
	return tx.Commit()
}

func (s *Scheduler) saveRun(ctx context.Context, r Run) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO rampart_rule_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.RuleID, r.WindowStart, r.WindowEnd, r.Started, r.DurationMs, r.Status, r.ResultRows, r.Alerts, r.Error)
	return err
}

// Runs returns a rule's recent runs, newest first.
func (s *Scheduler) Runs(ctx context.Context, ruleID string, limit int) ([]Run, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	rows, err := s.db.QueryContext(ctx, fmt.Sprintf(`SELECT rule_id, window_start, window_end, started, duration_ms, status, result_rows, alerts, error
		FROM rampart_rule_runs WHERE rule_id = ? ORDER BY window_end DESC, started DESC LIMIT %d`, limit), ruleID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Run{}
	for rows.Next() {
		var r Run
		if err := rows.Scan(&r.RuleID, &r.WindowStart, &r.WindowEnd, &r.Started, &r.DurationMs, &r.Status, &r.ResultRows, &r.Alerts, &r.Error); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Health returns the scheduling state of a rule (nil if it never ran).
func (s *Scheduler) Health(ctx context.Context, ruleID string) (*RuleState, error) {
	return s.state(ctx, ruleID)
}
