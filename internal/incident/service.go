package incident

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/rampart-soc/rampart/internal/attack"
)

// ErrNotFound means there is no such incident or alert.
var ErrNotFound = errors.New("not found")

// InvalidError is a request the caller got wrong.
type InvalidError struct{ Msg string }

func (e *InvalidError) Error() string { return e.Msg }

func invalid(format string, args ...any) error {
	return &InvalidError{Msg: fmt.Sprintf(format, args...)}
}

// Sink receives the SecurityAlert and SecurityIncident rows.
type Sink interface {
	Emit(ctx context.Context, table string, rows []map[string]string) error
}

// Service stores alerts and incidents in the state database (SQL kept to what DuckDB and
// PostgreSQL both accept) and writes their rows to the event tables through sink.
type Service struct {
	db   *sql.DB
	sink Sink
	now  func() time.Time
	mu   sync.Mutex // serialises grouping and updates
}

// Open creates the state tables if needed.
func Open(ctx context.Context, db *sql.DB, sink Sink) (*Service, error) {
	stmts := []string{
		`CREATE TABLE IF NOT EXISTS rampart_incidents (
			number INTEGER PRIMARY KEY, status VARCHAR NOT NULL, severity VARCHAR NOT NULL,
			owner VARCHAR NOT NULL, title VARCHAR NOT NULL, group_key VARCHAR NOT NULL,
			created_at TIMESTAMP NOT NULL, modified_at TIMESTAMP NOT NULL, doc VARCHAR NOT NULL)`,
		`CREATE TABLE IF NOT EXISTS rampart_alerts (
			id VARCHAR PRIMARY KEY, time TIMESTAMP NOT NULL, rule_id VARCHAR NOT NULL,
			incident INTEGER NOT NULL, severity VARCHAR NOT NULL, doc VARCHAR NOT NULL)`,
	}
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s); err != nil {
			return nil, fmt.Errorf("incidents: %w", err)
		}
	}
	return &Service{db: db, sink: sink, now: func() time.Time { return time.Now().UTC() }}, nil
}

func newID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = (b[6] & 0x0f) | 0x40 // version 4
	b[8] = (b[8] & 0x3f) | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// RaiseAlert validates and stores an alert, and adds it to an incident (a matching open
// one per its grouping, or a new one). It returns the stored alert.
func (s *Service) RaiseAlert(ctx context.Context, a Alert) (Alert, error) {
	if strings.TrimSpace(a.Title) == "" {
		return a, invalid("an alert needs a title")
	}
	if len(a.Title) > 512 || len(a.Description) > 64<<10 || len(a.Entities) > 500 {
		return a, invalid("alert too large: title ≤ 512 characters, description ≤ 64 KiB, ≤ 500 entities")
	}
	sev, err := ParseSeverity(string(a.Severity))
	if err != nil {
		return a, invalid("%v", err)
	}
	a.Severity = sev
	tac, tech, _, err := attack.Enterprise().Normalize(a.Tactics, a.Techniques)
	if err != nil {
		return a, invalid("%v", err)
	}
	a.Tactics, a.Techniques = tac, tech
	for i, e := range a.Entities {
		if e.Type() == "" {
			return a, invalid("entity %d has no Type", i+1)
		}
	}
	if a.ID == "" {
		a.ID = newID()
	}
	now := s.now()
	if a.Time.IsZero() {
		a.Time = now
	}
	if a.StartTime.IsZero() {
		a.StartTime = a.Time
	}
	if a.EndTime.IsZero() {
		a.EndTime = a.StartTime
	}
	if a.Product == "" {
		a.Product = "Rampart"
	}
	g := DefaultGrouping()
	if a.Grouping != nil {
		g = *a.Grouping
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	// A caller that retries (a scheduled rule re-running a window after a crash) sends the
	// same alert id: the alert is stored once.
	var existing string
	if err := s.db.QueryRowContext(ctx, `SELECT doc FROM rampart_alerts WHERE id = ?`, a.ID).Scan(&existing); err == nil {
		var prev Alert
		if err := json.Unmarshal([]byte(existing), &prev); err != nil {
			return a, err
		}
		return prev, nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return a, err
	}
	var inc *Incident
	if g.CreateIncident {
		key := groupKey(a, g)
		if g.Enabled {
			if inc, err = s.findGroup(ctx, key, a.Time.Add(-g.Lookback), g.ReopenClosed); err != nil {
				return a, err
			}
		}
		if inc == nil {
			if inc, err = s.newIncident(ctx, a, key); err != nil {
				return a, err
			}
		} else {
			if inc.Status == Closed {
				inc.Status, inc.ClosedTime = Active, nil
				inc.Classification, inc.ClassificationReason, inc.ClassificationComment = "", "", ""
				inc.Timeline = append(inc.Timeline, Change{Time: now, Actor: "rampart", What: "reopened", Detail: "a matching alert arrived"})
			}
			inc.Timeline = append(inc.Timeline, Change{Time: now, Actor: "rampart", What: "alert added", Detail: a.Title})
		}
		addAlert(inc, a)
		inc.Modified = now
		a.Incident = inc.Number
	}
	doc, _ := json.Marshal(a)
	if _, err := s.db.ExecContext(ctx, `INSERT INTO rampart_alerts (id, time, rule_id, incident, severity, doc) VALUES (?, ?, ?, ?, ?, ?)`,
		a.ID, a.Time, a.RuleID, a.Incident, string(a.Severity), string(doc)); err != nil {
		return a, fmt.Errorf("store alert: %w", err)
	}
	if inc != nil {
		if err := s.save(ctx, inc); err != nil {
			return a, err
		}
	}
	if err := s.sink.Emit(ctx, "SecurityAlert", []map[string]string{alertRow(a)}); err != nil {
		return a, err
	}
	if inc != nil {
		if err := s.sink.Emit(ctx, "SecurityIncident", []map[string]string{incidentRow(inc, "rampart")}); err != nil {
			return a, err
		}
	}
	return a, nil
}

// groupKey is what alerts of one incident share under grouping g.
func groupKey(a Alert, g Grouping) string {
	parts := []string{a.RuleID}
	if a.RuleID == "" {
		parts[0] = "title:" + a.Title
	}
	entities := func(types map[string]bool) {
		var ids []string
		for _, e := range a.Entities {
			if types == nil || types[e.Type()] {
				ids = append(ids, e.identity())
			}
		}
		sort.Strings(ids)
		parts = append(parts, strings.Join(ids, ";"))
	}
	switch g.Method {
	case "AnyAlert":
	case "Selected":
		types := map[string]bool{}
		for _, t := range g.Entities {
			types[strings.ToLower(t)] = true
		}
		entities(types)
		for _, d := range g.AlertDetails {
			switch strings.ToLower(d) {
			case "displayname":
				parts = append(parts, a.Title)
			case "severity":
				parts = append(parts, string(a.Severity))
			}
		}
		for _, d := range g.CustomDetails {
			parts = append(parts, d+"="+a.CustomDetails[d])
		}
	default: // AllEntities
		entities(nil)
	}
	return strings.Join(parts, "\x1f")
}

// MaxAlerts is how many alerts one incident holds.
const MaxAlerts = 150

func (s *Service) findGroup(ctx context.Context, key string, since time.Time, reopen bool) (inc *Incident, err error) {
	q := `SELECT doc FROM rampart_incidents WHERE group_key = ? AND created_at >= ? AND status <> 'Closed' ORDER BY number DESC LIMIT 1`
	if reopen {
		q = `SELECT doc FROM rampart_incidents WHERE group_key = ? AND created_at >= ? ORDER BY number DESC LIMIT 1`
	}
	defer func() {
		// An incident holds at most MaxAlerts alerts (Sentinel's limit); then a new one opens.
		if inc != nil && len(inc.AlertIDs) >= MaxAlerts {
			inc = nil
		}
	}()
	var doc string
	err = s.db.QueryRowContext(ctx, q, key, since).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	inc = &Incident{}
	if err := json.Unmarshal([]byte(doc), inc); err != nil {
		return nil, err
	}
	inc.GroupKey = key
	return inc, nil
}

func (s *Service) newIncident(ctx context.Context, a Alert, key string) (*Incident, error) {
	var n sql.NullInt64
	if err := s.db.QueryRowContext(ctx, `SELECT max(number) FROM rampart_incidents`).Scan(&n); err != nil {
		return nil, err
	}
	now := s.now()
	return &Incident{
		Number: int(n.Int64) + 1, ID: newID(), Title: a.Title, Description: a.Description, Severity: a.Severity,
		Status: New, Labels: []string{}, Comments: []Comment{}, Tasks: []Task{},
		FirstActivity: a.StartTime, LastActivity: a.EndTime, Created: now, Modified: now, GroupKey: key,
		Timeline: []Change{{Time: now, Actor: "rampart", What: "created", Detail: a.Title}},
	}, nil
}

func addAlert(inc *Incident, a Alert) {
	inc.AlertIDs = addUnique(inc.AlertIDs, a.ID)
	inc.RuleIDs = addUnique(inc.RuleIDs, a.RuleID)
	inc.Tactics = addUnique(inc.Tactics, a.Tactics...)
	inc.Techniques = addUnique(inc.Techniques, a.Techniques...)
	inc.Products = addUnique(inc.Products, a.Product)
	inc.Severity = maxSeverity(inc.Severity, a.Severity)
	if a.StartTime.Before(inc.FirstActivity) {
		inc.FirstActivity = a.StartTime
	}
	if a.EndTime.After(inc.LastActivity) {
		inc.LastActivity = a.EndTime
	}
}

func (s *Service) save(ctx context.Context, inc *Incident) error {
	doc, err := json.Marshal(inc)
	if err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM rampart_incidents WHERE number = ?`, inc.Number); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO rampart_incidents (number, status, severity, owner, title, group_key, created_at, modified_at, doc)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, inc.Number, string(inc.Status), string(inc.Severity), inc.Owner.Name+" "+inc.Owner.Email,
		inc.Title, inc.GroupKey, inc.Created, inc.Modified, string(doc)); err != nil {
		return fmt.Errorf("store incident: %w", err)
	}
	return tx.Commit()
}

// Get returns an incident.
func (s *Service) Get(ctx context.Context, number int) (*Incident, error) {
	var doc, key string
	err := s.db.QueryRowContext(ctx, `SELECT doc, group_key FROM rampart_incidents WHERE number = ?`, number).Scan(&doc, &key)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	inc := &Incident{}
	if err := json.Unmarshal([]byte(doc), inc); err != nil {
		return nil, err
	}
	inc.GroupKey = key
	return inc, nil
}
