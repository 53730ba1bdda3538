package incident

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/rampart-soc/rampart/internal/store/duckdb"
)

type captureSink struct {
	mu   sync.Mutex
	rows map[string][]map[string]string
}

func (c *captureSink) Emit(_ context.Context, table string, rows []map[string]string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.rows[table] = append(c.rows[table], rows...)
	return nil
}

func newService(t *testing.T) (*Service, *captureSink) {
	st, err := duckdb.Open("", duckdb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	sink := &captureSink{rows: map[string][]map[string]string{}}
	s, err := Open(context.Background(), st.DB(), sink)
	if err != nil {
		t.Fatal(err)
	}
	return s, sink
}

func alert(rule string, entities ...Entity) Alert {
	return Alert{RuleID: rule, RuleName: "Brute force", Title: "Brute force against " + rule, Severity: "Medium",
		Tactics: []string{"CredentialAccess"}, Techniques: []string{"T1110"}, Entities: entities, Product: "Scheduled Alerts"}
}

var bob = Entity{"Type": "account", "Name": "bob", "NTDomain": "CONTOSO"}
var dc1 = Entity{"Type": "host", "HostName": "dc1"}

func TestGroupingAndLifecycle(t *testing.T) {
	ctx := context.Background()
	s, sink := newService(t)
	a1, err := s.RaiseAlert(ctx, alert("r1", bob, dc1))
	if err != nil {
		t.Fatal(err)
	}
	if again, err := s.RaiseAlert(ctx, a1); err != nil || again.Incident != 1 {
		t.Fatalf("re-raising an alert: %+v, %v", again, err)
	}
	a2, _ := s.RaiseAlert(ctx, alert("r1", dc1, bob)) // same entities, other order
	a3, _ := s.RaiseAlert(ctx, alert("r1", bob))      // different entity set
	a4, _ := s.RaiseAlert(ctx, alert("r2", bob, dc1)) // other rule
	if a1.Incident != 1 || a2.Incident != 1 || a3.Incident != 2 || a4.Incident != 3 {
		t.Fatalf("incidents %d %d %d %d, want 1 1 2 3", a1.Incident, a2.Incident, a3.Incident, a4.Incident)
	}
	inc, err := s.Get(ctx, 1)
	if err != nil || len(inc.AlertIDs) != 2 || inc.Status != New || inc.Severity != Medium {
		t.Fatalf("incident 1 = %+v, %v", inc, err)
	}
	// Closing needs a classification.
	closed := "Closed"
	if _, err := s.Update(ctx, 1, Patch{Status: &closed}, "ann"); err == nil {
		t.Fatal("closed without classification")
	}
	active, fp, high := "Active", "FalsePositive", "high"
	if _, err := s.Update(ctx, 1, Patch{Status: &active, Owner: &Owner{Name: "Ann", Email: "ann@contoso.com"}, Severity: &high}, "ann"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddComment(ctx, 1, "ann", "looked at the logon events"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddTask(ctx, 1, "ann", "reset bob's password", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetTaskStatus(ctx, 1, 1, "Completed", "ann"); err != nil {
		t.Fatal(err)
	}
	inc, err = s.Update(ctx, 1, Patch{Status: &closed, Classification: &fp}, "ann")
	if err != nil || inc.Status != Closed || inc.ClosedTime == nil || inc.Severity != High {
		t.Fatalf("close = %+v, %v", inc, err)
	}
	if len(inc.Timeline) < 6 || len(inc.Comments) != 1 || inc.Tasks[0].Status != "Completed" {
		t.Fatalf("timeline %d, comments %d, tasks %+v", len(inc.Timeline), len(inc.Comments), inc.Tasks)
	}
	// A matching alert after closing opens a new incident unless the rule reopens.
	a5, _ := s.RaiseAlert(ctx, alert("r1", bob, dc1))
	if a5.Incident != 4 {
		t.Fatalf("alert after close joined incident %d, want a new one (4)", a5.Incident)
	}
	s.Update(ctx, 4, Patch{Status: &closed, Classification: &fp}, "ann")
	g := DefaultGrouping()
	g.ReopenClosed = true
	al := alert("r1", bob, dc1)
	al.Grouping = &g
	a6, _ := s.RaiseAlert(ctx, al)
	if inc, _ := s.Get(ctx, a6.Incident); a6.Incident != 4 || inc.Status != Active || inc.Classification != "" {
		t.Fatalf("reopen: alert in %d, incident %+v", a6.Incident, inc)
	}
	// Rows for KQL: one SecurityAlert per alert, one SecurityIncident per change.
	if n := len(sink.rows["SecurityAlert"]); n != 6 {
		t.Errorf("%d SecurityAlert rows, want 6", n)
	}
	if n := len(sink.rows["SecurityIncident"]); n < 12 {
		t.Errorf("%d SecurityIncident rows", n)
	}
	row := sink.rows["SecurityAlert"][0]
	if row["Tactics"] != "CredentialAccess" || row["AlertSeverity"] != "Medium" || row["CompromisedEntity"] != "dc1" {
		t.Errorf("SecurityAlert row %v", row)
	}
	m, err := s.Metrics(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Alerts != 6 || m.Incidents != 4 || m.OpenIncidents != 3 {
		t.Errorf("metrics %+v", m)
	}
	for _, r := range m.Rules {
		if r.RuleID == "r1" && (r.Alerts != 5 || r.Closed != 1 || r.FPRate != 1) {
			t.Errorf("r1 quality %+v", r)
		}
	}
}

func TestSelectedGroupingAndWindow(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t)
	g := Grouping{CreateIncident: true, Enabled: true, Lookback: time.Hour, Method: "Selected", Entities: []string{"Account"}}
	a := alert("r1", bob, dc1)
	a.Grouping = &g
	b := alert("r1", bob, Entity{"Type": "host", "HostName": "ws7"})
	b.Grouping = &g
	x, _ := s.RaiseAlert(ctx, a)
	y, _ := s.RaiseAlert(ctx, b)
	if x.Incident != y.Incident {
		t.Fatalf("same account, other host: incidents %d and %d", x.Incident, y.Incident)
	}
	// Outside the lookback window: a new incident.
	c := alert("r1", bob)
	c.Grouping = &g
	s.now = func() time.Time { return time.Now().Add(3 * time.Hour) }
	c.Time = time.Now().Add(3 * time.Hour)
	z, _ := s.RaiseAlert(ctx, c)
	if z.Incident == x.Incident {
		t.Fatal("alert outside the lookback joined the old incident")
	}
}

func TestValidationAndListing(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t)
	bad := alert("r1", bob)
	bad.Techniques = []string{"T99"}
	var ie *InvalidError
	if _, err := s.RaiseAlert(ctx, bad); !errors.As(err, &ie) {
		t.Fatalf("unknown technique: %v", err)
	}
	if _, err := s.RaiseAlert(ctx, Alert{Severity: "Low"}); !errors.As(err, &ie) {
		t.Fatalf("no title: %v", err)
	}
	if _, err := s.RaiseAlert(ctx, Alert{Title: "x", Severity: "Severe"}); !errors.As(err, &ie) {
		t.Fatalf("bad severity: %v", err)
	}
	for i, sev := range []string{"Low", "High", "Medium", "High"} {
		a := alert("r", Entity{"Type": "ip", "Address": "10.0.0." + string(rune('1'+i))})
		a.Severity = Severity(sev)
		if _, err := s.RaiseAlert(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	list, total, err := s.List(ctx, Filter{Severity: []Severity{High}, Sort: "number", Desc: true})
	if err != nil || total != 2 || len(list) != 2 || list[0].Number != 4 {
		t.Fatalf("list = %d of %d, %v", len(list), total, err)
	}
	list, total, _ = s.List(ctx, Filter{Sort: "severity", Desc: true, Limit: 1, Offset: 2})
	if total != 4 || len(list) != 1 || list[0].Severity != Medium {
		t.Fatalf("paged by severity: %+v of %d", list, total)
	}
	if _, _, err := s.List(ctx, Filter{Sort: "color"}); !errors.As(err, &ie) {
		t.Fatal("bad sort accepted")
	}
	if _, err := s.Get(ctx, 99); !errors.Is(err, ErrNotFound) {
		t.Fatal("missing incident")
	}
}
