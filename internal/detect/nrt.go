package detect

import (
	"context"
	"errors"
	"time"

	"github.com/rampart-soc/rampart/internal/rules"
)

// IngestedQuerier runs a query over the rows ingested in (from, to]: what near-real-time
// rules read, so that each row is seen once whatever its TimeGenerated.
type IngestedQuerier interface {
	QueryIngested(ctx context.Context, query string, from, to time.Time) (*Result, error)
}

// runNRT runs every enabled NRT rule over the rows committed since its last run, up to the
// ingestion watermark (every row stamped up to it is committed, none later will be). A new
// rule starts at the current watermark; a failed run is retried over the same rows.
func (s *Scheduler) runNRT(ctx context.Context) {
	if s.Watermark == nil {
		return
	}
	iq, ok := s.query.(IngestedQuerier)
	if !ok {
		return
	}
	list, err := s.rules.List(ctx, rules.NRT)
	if err != nil {
		s.log.Error("scheduler: listing NRT rules", "err", err)
		return
	}
	wm := s.Watermark()
	for _, r := range list {
		if ctx.Err() != nil || !r.Enabled {
			continue
		}
		st, err := s.state(ctx, r.ID)
		if err != nil {
			s.log.Error("scheduler: state", "rule", r.ID, "err", err)
			continue
		}
		if st == nil {
			st = &RuleState{RuleID: r.ID, LastEnd: wm, Healthy: true}
			if err := s.saveState(ctx, st); err != nil {
				s.log.Error("scheduler: state", "rule", r.ID, "err", err)
			}
			continue
		}
		if !wm.After(st.LastEnd) || s.now().Before(st.NextAttempt) {
			continue
		}
		run := s.runNRTWindow(ctx, iq, r, st, st.LastEnd, wm)
		if err := s.saveRun(ctx, run); err != nil {
			s.log.Error("scheduler: run history", "rule", r.ID, "err", err)
		}
		if run.Status != "succeeded" {
			st.Failures++
			st.Healthy, st.LastError = false, run.Error
			st.NextAttempt = s.now().Add(min(time.Duration(1<<min(st.Failures, 6))*5*time.Second, 5*time.Minute))
			s.log.Warn("scheduler: NRT rule failed", "rule", r.ID, "failures", st.Failures, "err", run.Error)
		} else {
			st.LastEnd, st.Failures, st.Healthy, st.LastError, st.NextAttempt = wm, 0, true, "", time.Time{}
		}
		if err := s.saveState(ctx, st); err != nil {
			s.log.Error("scheduler: state", "rule", r.ID, "err", err)
		}
	}
}

func (s *Scheduler) runNRTWindow(ctx context.Context, iq IngestedQuerier, r *rules.Rule, st *RuleState, from, to time.Time) Run {
	run := Run{RuleID: r.ID, WindowStart: from, WindowEnd: to, Started: s.now(), Status: "succeeded"}
	qctx, cancel := context.WithTimeout(ctx, s.Timeout)
	defer cancel()
	res, err := func() (res *Result, err error) {
		defer func() {
			if v := recover(); v != nil {
				err = errors.New("internal error in the query engine")
			}
		}()
		return iq.QueryIngested(qctx, r.Query, from, to)
	}()
	run.DurationMs = time.Since(run.Started).Milliseconds()
	if err != nil {
		run.Status, run.Error = "failed", err.Error()
		return run
	}
	run.ResultRows = len(res.Rows)
	if !triggered(r, len(res.Rows)) || to.Before(st.Suppressed) {
		return run
	}
	for _, a := range buildAlerts(r, res, from, to, "NRT Alerts") {
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
