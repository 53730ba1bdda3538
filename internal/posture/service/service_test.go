package service

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/rampart-soc/rampart/internal/incident"
	"github.com/rampart-soc/rampart/internal/posture/inventory"
	"github.com/rampart-soc/rampart/internal/posture/policy"
	"github.com/rampart-soc/rampart/internal/store/duckdb"
)

type recorder struct {
	mu     sync.Mutex
	rows   map[string][]map[string]string
	alerts []incident.Alert
}

func (r *recorder) Emit(_ context.Context, table string, rows []map[string]string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.rows[table] = append(r.rows[table], rows...)
	return nil
}

func (r *recorder) RaiseAlert(_ context.Context, a incident.Alert) (incident.Alert, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.alerts = append(r.alerts, a)
	return a, nil
}

const testPolicies = `
- id: TEST-1
  title: Things should be encrypted
  severity: High
  provider: aws
  controls: [DP-5]
  standards: {cis-aws: ["2.1.1"]}
  remediation: Turn encryption on.
  rules:
  - types: [test:thing]
    check: "get(p, 'encrypted') == true"
    evidence: [encrypted]
`

func thing(id string, encrypted bool) *inventory.Resource {
	return &inventory.Resource{ID: id, Name: id, Provider: "aws", Type: "test:thing", Properties: map[string]any{"encrypted": encrypted}}
}

func TestServiceLifecycle(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := duckdb.Open(dir, duckdb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	user, err := policy.Parse([]byte(testPolicies), "test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{rows: map[string][]map[string]string{}}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	s, err := Open(ctx, st.DB(), rec, rec, log, user...)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := s.Import(ctx, "scan-a", inventory.Result{Resources: []*inventory.Resource{thing("a", true), thing("b", false)}}, true)
	if err != nil || sum.Created != 2 {
		t.Fatalf("import: %+v %v", sum, err)
	}
	if err := s.Assess(ctx); err != nil {
		t.Fatal(err)
	}
	fs, _ := s.Findings(FindingFilter{Policy: "TEST-1"})
	if len(fs) != 2 || fs[0].State != policy.Healthy || fs[1].State != policy.Unhealthy || fs[1].Evidence["encrypted"] != false {
		t.Fatalf("findings: %+v", fs)
	}
	if len(rec.alerts) != 0 {
		t.Errorf("the first assessment must not alert: %v", rec.alerts)
	}
	if n := len(rec.rows["SecurityRecommendation"]); n != 2 {
		t.Errorf("SecurityRecommendation rows: %d", n)
	}
	// a turns unhealthy: one alert; b disappears from the snapshot: deleted.
	sum, _ = s.Import(ctx, "scan-a", inventory.Result{Resources: []*inventory.Resource{thing("a", false)}}, true)
	if sum.Modified != 1 || sum.Deleted != 1 {
		t.Fatalf("second import: %+v", sum)
	}
	if err := s.Assess(ctx); err != nil {
		t.Fatal(err)
	}
	if len(rec.alerts) != 1 || rec.alerts[0].Product != "Posture" || rec.alerts[0].Severity != incident.High {
		t.Fatalf("alerts: %+v", rec.alerts)
	}
	sc, _ := s.Score()
	if sc.Percentage != 0 || len(sc.Controls) != 1 || sc.Controls[0].Unhealthy != 1 {
		t.Errorf("score: %+v", sc)
	}
	comp, err := s.Compliance("cis-aws-6.0")
	if err != nil || comp[0].Failed != 1 {
		t.Errorf("compliance: %+v %v", comp, err)
	}
	// An exemption moves the finding out of the score and keeps its raw state.
	ex := policy.Exemption{ID: "e1", Policy: "TEST-1", Scope: "a", Category: "Waiver", Owner: "sec", Reason: "test", Expires: time.Now().Add(time.Hour)}
	if err := s.PutExemption(ctx, ex); err != nil {
		t.Fatal(err)
	}
	if err := s.PutExemption(ctx, policy.Exemption{ID: "bad", Policy: "TEST-1", Scope: "a"}); err == nil {
		t.Error("an exemption without owner and expiry was accepted")
	}
	if err := s.Assess(ctx); err != nil {
		t.Fatal(err)
	}
	fs, _ = s.Findings(FindingFilter{Resource: "a"})
	if fs[0].State != policy.Exempt || fs[0].RawState != policy.Unhealthy {
		t.Errorf("exempt finding: %+v", fs[0])
	}
	d, err := s.Resource(ctx, "a")
	if err != nil || len(d.Changes) != 2 || d.Changes[0].Change != "modified" {
		t.Errorf("history: %+v %v", d.Changes, err)
	}
	if h, err := s.History(ctx, 30); err != nil || len(h) != 1 {
		t.Errorf("score history: %+v %v", h, err)
	}
	// Everything survives a restart.
	st.Close()
	st, err = duckdb.Open(dir, duckdb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s, err = Open(ctx, st.DB(), rec, rec, log, user...)
	if err != nil {
		t.Fatal(err)
	}
	if rs, n := s.Resources(ResourceFilter{}); n != 1 || rs[0].ID != "a" || rs[0].FirstSeen.IsZero() {
		t.Errorf("reloaded inventory: %d %+v", n, rs)
	}
	if len(s.Exemptions()) != 1 {
		t.Errorf("reloaded exemptions: %+v", s.Exemptions())
	}
}
