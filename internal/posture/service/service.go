// Package service runs posture management inside the server: it keeps the inventory with
// its change history, re-assesses on every inventory change and on a schedule, keeps the
// secure score history, writes findings to KQL tables and raises an alert when a
// high-severity finding turns unhealthy.
package service

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/rampart-soc/rampart/internal/incident"
	"github.com/rampart-soc/rampart/internal/posture/compliance"
	"github.com/rampart-soc/rampart/internal/posture/inventory"
	"github.com/rampart-soc/rampart/internal/posture/policy"
	"github.com/rampart-soc/rampart/internal/posture/score"
)

// Sink stores rows in tables (SecurityRecommendation, SecureScores, ...).
type Sink interface {
	Emit(ctx context.Context, table string, rows []map[string]string) error
}

// Raiser takes alerts.
type Raiser interface {
	RaiseAlert(ctx context.Context, a incident.Alert) (incident.Alert, error)
}

// Interval is how often the server re-assesses without an inventory change.
const Interval = 10 * time.Minute

// Service is the server's posture state.
type Service struct {
	db     *sql.DB
	sink   Sink
	raiser Raiser
	log    *slog.Logger
	now    func() time.Time

	mu         sync.RWMutex
	set        *policy.Set
	resources  map[string]*stored
	exemptions []policy.Exemption
	findings   []policy.Finding
	states     map[string]stateSince // resource|policy -> state and since when
	score      score.Score
	compliance []compliance.Report
	assessedAt time.Time
	seeded     bool // the first assessment after start raises no alerts

	kick chan struct{}
}

type stateSince struct {
	state string
	since time.Time
	first time.Time
}

// Open loads the stored inventory and exemptions and compiles the policies (built-ins plus
// the given user policies).
func Open(ctx context.Context, db *sql.DB, sink Sink, raiser Raiser, log *slog.Logger, user ...*policy.Policy) (*Service, error) {
	if err := createSchema(ctx, db); err != nil {
		return nil, err
	}
	set, err := policy.Builtin()
	if err != nil {
		return nil, fmt.Errorf("posture: built-in policies: %w", err)
	}
	for _, p := range user {
		if set.Policy(p.ID) != nil {
			return nil, fmt.Errorf("posture: user policy %s (%s) reuses a built-in id", p.ID, p.Source)
		}
	}
	if len(user) > 0 {
		if set, err = policy.NewSet(append(append([]*policy.Policy{}, set.Policies...), user...)...); err != nil {
			return nil, err
		}
	}
	s := &Service{db: db, sink: sink, raiser: raiser, log: log, now: func() time.Time { return time.Now().UTC() },
		set: set, states: map[string]stateSince{}, kick: make(chan struct{}, 1)}
	if s.resources, err = loadResources(ctx, db); err != nil {
		return nil, err
	}
	if s.exemptions, err = loadExemptions(ctx, db); err != nil {
		return nil, err
	}
	return s, nil
}

// Policies returns the compiled policy set.
func (s *Service) Policies() *policy.Set { return s.set }

// ImportSummary says what an import changed.
type ImportSummary struct {
	Source    string                  `json:"source"`
	Created   int                     `json:"created"`
	Modified  int                     `json:"modified"`
	Unchanged int                     `json:"unchanged"`
	Deleted   int                     `json:"deleted"`
	Errors    []inventory.ImportError `json:"errors,omitempty"`
}

// Import stores an importer's result under a source name. With snapshot set, resources
// the source reported before and not now are deleted. The import is durable when Import
// returns; assessment follows in the background.
func (s *Service) Import(ctx context.Context, source string, r inventory.Result, snapshot bool) (ImportSummary, error) {
	now := s.now()
	sum := ImportSummary{Source: source, Errors: r.Errors}
	s.mu.Lock()
	defer s.mu.Unlock()
	var upserts []*stored
	var changes []Change
	seen := map[string]bool{}
	for _, res := range r.Resources {
		if res.ID == "" || seen[res.ID] {
			sum.Errors = append(sum.Errors, inventory.ImportError{Source: res.Source, Err: "resource without a unique id: " + res.ID})
			continue
		}
		seen[res.ID] = true
		h, err := hashOf(res)
		if err != nil {
			sum.Errors = append(sum.Errors, inventory.ImportError{Source: res.Source, Err: err.Error()})
			continue
		}
		prev := s.resources[res.ID]
		res.LastSeen = now
		switch {
		case prev == nil:
			res.FirstSeen = now
			changes = append(changes, Change{now, res.ID, "created", source, h})
			sum.Created++
		case prev.hash != h:
			res.FirstSeen = prev.res.FirstSeen
			changes = append(changes, Change{now, res.ID, "modified", source, h})
			sum.Modified++
		default:
			res.FirstSeen = prev.res.FirstSeen
			sum.Unchanged++
		}
		upserts = append(upserts, &stored{res: res, source: source, hash: h})
	}
	var deleted []string
	if snapshot {
		for id, st := range s.resources {
			if st.source == source && !seen[id] {
				deleted = append(deleted, id)
				changes = append(changes, Change{now, id, "deleted", source, st.hash})
			}
		}
		sort.Strings(deleted)
		sum.Deleted = len(deleted)
	}
	if err := saveImport(ctx, s.db, upserts, deleted, changes); err != nil {
		return sum, fmt.Errorf("posture: saving import: %w", err)
	}
	for _, st := range upserts {
		s.resources[st.res.ID] = st
	}
	for _, id := range deleted {
		delete(s.resources, id)
	}
	if sum.Created+sum.Modified+sum.Deleted > 0 {
		s.trigger()
	}
	return sum, nil
}

// hashOf fingerprints what an assessment reads of a resource (not its seen times).
func hashOf(r *inventory.Resource) (string, error) {
	c := *r
	c.FirstSeen, c.LastSeen = time.Time{}, time.Time{}
	b, err := json.Marshal(&c)
	if err != nil {
		return "", fmt.Errorf("resource %s: %v", r.ID, err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:12]), nil
}

func (s *Service) trigger() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// Run re-assesses after inventory changes (debounced) and every Interval until ctx ends.
func (s *Service) Run(ctx context.Context) {
	if err := s.Assess(ctx); err != nil {
		s.log.Error("posture assessment", "err", err)
	}
	t := time.NewTicker(Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.kick:
			// Let a burst of imports settle before assessing.
			select {
			case <-ctx.Done():
				return
			case <-time.After(2 * time.Second):
			}
		}
		if err := s.Assess(ctx); err != nil {
			s.log.Error("posture assessment", "err", err)
		}
	}
}
