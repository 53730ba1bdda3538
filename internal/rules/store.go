package rules

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"
)

// ErrNotFound means there is no such rule.
var ErrNotFound = errors.New("no such rule")

// Store keeps rules, every change a new version, in the state database.
type Store struct {
	db *sql.DB
	mu sync.Mutex
	// onChange is told of every change, so running engines reload the rule.
	onChange []func(*Rule, bool)
}

// Version is one stored version of a rule.
type Version struct {
	Version int       `json:"version"`
	Changed time.Time `json:"changed"`
	Actor   string    `json:"actor"`
	Action  string    `json:"action"` // created, updated, enabled, disabled, deleted
	Rule    *Rule     `json:"rule,omitempty"`
}

// OpenStore creates the rule tables if needed.
func OpenStore(ctx context.Context, db *sql.DB) (*Store, error) {
	for _, q := range []string{
		`CREATE TABLE IF NOT EXISTS rampart_rules (id VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL, enabled BOOLEAN NOT NULL, revision INTEGER NOT NULL, doc VARCHAR NOT NULL)`,
		`CREATE TABLE IF NOT EXISTS rampart_rule_versions (id VARCHAR NOT NULL, revision INTEGER NOT NULL, changed_at TIMESTAMP NOT NULL, actor VARCHAR NOT NULL, action VARCHAR NOT NULL, doc VARCHAR NOT NULL, PRIMARY KEY (id, revision))`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return nil, fmt.Errorf("rules: %w", err)
		}
	}
	return &Store{db: db}, nil
}

// OnChange registers fn to hear of every saved rule (deleted: true when removed).
func (s *Store) OnChange(fn func(r *Rule, deleted bool)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onChange = append(s.onChange, fn)
}

// rule durations are kept as text in the document; restore them on load.
func decode(doc string) (*Rule, error) {
	r := &Rule{}
	if err := json.Unmarshal([]byte(doc), r); err != nil {
		return nil, err
	}
	r.Frequency, _ = ParseDuration(r.FrequencyText)
	r.Period, _ = ParseDuration(r.PeriodText)
	r.SuppressionDuration, _ = ParseDuration(r.SuppressionText)
	return r, nil
}

// Get returns a rule.
func (s *Store) Get(ctx context.Context, id string) (*Rule, error) {
	var doc string
	err := s.db.QueryRowContext(ctx, `SELECT doc FROM rampart_rules WHERE id = ?`, id).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return decode(doc)
}

// List returns all rules sorted by id (kind "" for all kinds).
func (s *Store) List(ctx context.Context, kind Kind) ([]*Rule, error) {
	q, args := `SELECT doc FROM rampart_rules`, []any{}
	if kind != "" {
		q += ` WHERE kind = ?`
		args = append(args, string(kind))
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*Rule{}
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return nil, err
		}
		r, err := decode(doc)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Put creates or replaces a rule, recording a new revision. It returns whether the rule
// changed (re-importing an identical rule is not a new version).
func (s *Store) Put(ctx context.Context, r *Rule, actor string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, err := s.Get(ctx, r.ID)
	action := "created"
	rev := 1
	if err == nil {
		cmp := *old
		cmp.Source, cmp.Enabled = r.Source, r.Enabled
		a, _ := json.Marshal(cmp)
		b, _ := json.Marshal(r)
		if string(a) == string(b) && old.Enabled == r.Enabled {
			return false, nil
		}
		action = "updated"
		if old.Enabled != r.Enabled {
			action = map[bool]string{true: "enabled", false: "disabled"}[r.Enabled]
		}
		if err := s.db.QueryRowContext(ctx, `SELECT max(revision) + 1 FROM rampart_rule_versions WHERE id = ?`, r.ID).Scan(&rev); err != nil {
			return false, err
		}
	} else if !errors.Is(err, ErrNotFound) {
		return false, err
	}
	doc, err := json.Marshal(r)
	if err != nil {
		return false, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM rampart_rules WHERE id = ?`, r.ID); err != nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO rampart_rules (id, kind, enabled, revision, doc) VALUES (?, ?, ?, ?, ?)`, r.ID, string(r.Kind), r.Enabled, rev, string(doc)); err != nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO rampart_rule_versions (id, revision, changed_at, actor, action, doc) VALUES (?, ?, ?, ?, ?, ?)`,
		r.ID, rev, time.Now().UTC(), actor, action, string(doc)); err != nil {
		return false, err
	}
	if err := tx.Commit(); err != nil {
		return false, err
	}
	for _, fn := range s.onChange {
		fn(r, false)
	}
	return true, nil
}

// SetEnabled enables or disables a rule.
func (s *Store) SetEnabled(ctx context.Context, id string, enabled bool, actor string) (*Rule, error) {
	r, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	r.Enabled = enabled
	_, err = s.Put(ctx, r, actor)
	return r, err
}

// Delete removes a rule; its versions stay, with a "deleted" entry.
func (s *Store) Delete(ctx context.Context, id, actor string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	var rev int
	if err := s.db.QueryRowContext(ctx, `SELECT max(revision) + 1 FROM rampart_rule_versions WHERE id = ?`, id).Scan(&rev); err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM rampart_rules WHERE id = ?`, id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO rampart_rule_versions (id, revision, changed_at, actor, action, doc) VALUES (?, ?, ?, ?, ?, '{}')`,
		id, rev, time.Now().UTC(), actor, "deleted"); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	for _, fn := range s.onChange {
		fn(r, true)
	}
	return nil
}

// Versions returns a rule's history, newest first.
func (s *Store) Versions(ctx context.Context, id string) ([]Version, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT revision, changed_at, actor, action, doc FROM rampart_rule_versions WHERE id = ? ORDER BY revision DESC`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Version
	for rows.Next() {
		var v Version
		var doc string
		if err := rows.Scan(&v.Version, &v.Changed, &v.Actor, &v.Action, &doc); err != nil {
			return nil, err
		}
		if v.Action != "deleted" {
			if v.Rule, err = decode(doc); err != nil {
				return nil, err
			}
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil, ErrNotFound
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Version > out[j].Version })
	return out, rows.Err()
}
