package detect

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/rampart-soc/rampart/internal/incident"
	"github.com/rampart-soc/rampart/internal/rules"
	"github.com/rampart-soc/rampart/internal/store/duckdb"
)

type fakeRules struct{ rs []*rules.Rule }

func (f *fakeRules) List(context.Context, rules.Kind) ([]*rules.Rule, error) { return f.rs, nil }

// fakeQuerier answers with one row per window and records the windows it saw.
type fakeQuerier struct {
	mu      sync.Mutex
	windows [][2]time.Time
	fail    bool
	rows    int
}

func (f *fakeQuerier) Query(_ context.Context, q string, from, to time.Time) (*Result, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.windows = append(f.windows, [2]time.Time{from, to})
	if f.fail {
		return nil, errors.New("table SecurityEvent: disk on fire")
	}
	res := &Result{Columns: []string{"Account", "Computer", "Sev", "c"}}
	for i := 0; i < f.rows; i++ {
		res.Rows = append(res.Rows, []any{"CONTOSO\\bob", "dc1", "High", int64(25 + i)})
	}
	return res, nil
}

type nullSink struct{}

func (nullSink) Emit(context.Context, string, []map[string]string) error { return nil }

func setup(t *testing.T) (*Scheduler, *fakeQuerier, *incident.Service, *rules.Rule, *time.Time) {
	st, err := duckdb.Open("", duckdb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ctx := context.Background()
	inc, err := incident.Open(ctx, st.DB(), nullSink{})
	if err != nil {
		t.Fatal(err)
	}
	r := &rules.Rule{ID: "r1", Name: "Brute force", Kind: rules.Scheduled, Enabled: true, Severity: "Medium", Query: "SecurityEvent",
		Frequency: time.Hour, Period: 2 * time.Hour, TriggerOperator: "gt", AlertPerResult: true,
		EntityMappings:       []rules.EntityMapping{{EntityType: "Account", FieldMappings: []rules.FieldMapping{{Identifier: "FullName", ColumnName: "Account"}}}},
		CustomDetails:        map[string]string{"Failures": "c"},
		AlertDetailsOverride: &rules.AlertDetailsOverride{DisplayNameFormat: "Brute force on {{Computer}}", SeverityColumnName: "Sev"}}
	q := &fakeQuerier{rows: 1}
	s, err := NewScheduler(ctx, st.DB(), &fakeRules{rs: []*rules.Rule{r}}, q, inc, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return now }
	return s, q, inc, r, &now
}

func TestSchedulerWindowsCatchUpAndAlerts(t *testing.T) {
	ctx := context.Background()
	s, q, inc, _, now := setup(t)
	s.RunDue(ctx) // first run: the window ending now
	if len(q.windows) != 1 || !q.windows[0][1].Equal(*now) || !q.windows[0][0].Equal(now.Add(-2*time.Hour)) {
		t.Fatalf("windows %v", q.windows)
	}
	s.RunDue(ctx) // nothing new is due
	if len(q.windows) != 1 {
		t.Fatalf("ran again early: %v", q.windows)
	}
	*now = now.Add(3*time.Hour + 10*time.Minute) // down for three windows
	s.RunDue(ctx)
	if len(q.windows) != 4 || !q.windows[3][1].Equal(time.Date(2026, 11, 23, 13, 0, 0, 0, time.UTC)) {
		t.Fatalf("catch-up windows %v", q.windows)
	}
	alerts, _ := inc.Alerts(ctx, 0, "r1", 100)
	if len(alerts) != 4 {
		t.Fatalf("%d alerts, want one per window", len(alerts))
	}
	a := alerts[0]
	if a.Title != "Brute force on dc1" || a.Severity != incident.High || a.CustomDetails["Failures"] != "25" || a.Entities[0]["FullName"] != "CONTOSO\\bob" {
		t.Fatalf("alert %+v", a)
	}
	runs, _ := s.Runs(ctx, "r1", 10)
	if len(runs) != 4 || runs[0].Alerts != 1 || runs[0].Status != "succeeded" {
		t.Fatalf("runs %+v", runs)
	}
	// A crash after raising alerts but before saving the window: the re-run raises nothing new.
	s.db.Exec(`UPDATE rampart_rule_state SET last_end = ?`, time.Date(2026, 11, 23, 11, 0, 0, 0, time.UTC))
	s.RunDue(ctx)
	if alerts, _ := inc.Alerts(ctx, 0, "r1", 100); len(alerts) != 4 {
		t.Fatalf("%d alerts after re-running windows, want 4 (no duplicates)", len(alerts))
	}
}

func TestSchedulerBacksOffFailingRule(t *testing.T) {
	ctx := context.Background()
	s, q, _, _, now := setup(t)
	q.fail = true
	s.RunDue(ctx)
	h, _ := s.Health(ctx, "r1")
	if h == nil || h.Healthy || h.Failures != 1 || h.LastError == "" || !h.NextAttempt.After(*now) {
		t.Fatalf("health after failure %+v", h)
	}
	s.RunDue(ctx) // within the backoff: not retried
	if len(q.windows) != 1 {
		t.Fatalf("retried during backoff: %d runs", len(q.windows))
	}
	q.fail = false
	*now = now.Add(time.Hour + time.Minute)
	s.RunDue(ctx)
	h, _ = s.Health(ctx, "r1")
	if !h.Healthy || h.Failures != 0 || len(q.windows) != 3 {
		t.Fatalf("after recovery %+v, %d runs (the failed window is retried, then the next)", h, len(q.windows))
	}
}

func TestTriggerAndSingleAlert(t *testing.T) {
	ctx := context.Background()
	s, q, inc, r, _ := setup(t)
	r.AlertPerResult, r.TriggerThreshold = false, 2
	q.rows = 2 // not > 2: no alert
	s.RunDue(ctx)
	if alerts, _ := inc.Alerts(ctx, 0, "r1", 10); len(alerts) != 0 {
		t.Fatalf("alerted below the threshold")
	}
	s.now = func() time.Time { return time.Date(2026, 11, 23, 11, 0, 0, 0, time.UTC) }
	q.rows = 3
	s.RunDue(ctx)
	alerts, _ := inc.Alerts(ctx, 0, "r1", 10)
	if len(alerts) != 1 || alerts[0].CustomDetails["ResultCount"] != "3" || len(alerts[0].Entities) != 1 {
		t.Fatalf("single alert %+v", alerts)
	}
}
