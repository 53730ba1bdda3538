package service

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/rampart-soc/rampart/internal/posture/inventory"
	"github.com/rampart-soc/rampart/internal/posture/policy"
)

// The service keeps its state in the embedded database beside the event tables.
var schemaSQL = []string{
	`CREATE TABLE IF NOT EXISTS rampart_posture_resources (id VARCHAR PRIMARY KEY, source VARCHAR NOT NULL, hash VARCHAR NOT NULL, doc VARCHAR NOT NULL)`,
	`CREATE TABLE IF NOT EXISTS rampart_posture_changes (time TIMESTAMP NOT NULL, resource VARCHAR NOT NULL, change VARCHAR NOT NULL, source VARCHAR NOT NULL, hash VARCHAR NOT NULL)`,
	`CREATE TABLE IF NOT EXISTS rampart_posture_exemptions (id VARCHAR PRIMARY KEY, doc VARCHAR NOT NULL)`,
	`CREATE TABLE IF NOT EXISTS rampart_posture_scores (time TIMESTAMP NOT NULL, percentage DOUBLE NOT NULL, doc VARCHAR NOT NULL)`,
}

func createSchema(ctx context.Context, db *sql.DB) error {
	for _, q := range schemaSQL {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("posture: %w", err)
		}
	}
	return nil
}

type stored struct {
	res    *inventory.Resource
	source string
	hash   string
}

func loadResources(ctx context.Context, db *sql.DB) (map[string]*stored, error) {
	rows, err := db.QueryContext(ctx, `SELECT source, hash, doc FROM rampart_posture_resources`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]*stored{}
	for rows.Next() {
		var st stored
		var doc string
		if err := rows.Scan(&st.source, &st.hash, &doc); err != nil {
			return nil, err
		}
		st.res = &inventory.Resource{}
		if err := json.Unmarshal([]byte(doc), st.res); err != nil {
			return nil, fmt.Errorf("posture: stored resource: %w", err)
		}
		out[st.res.ID] = &st
	}
	return out, rows.Err()
}

// Change is one inventory change: created, modified or deleted.
type Change struct {
	Time     time.Time `json:"time"`
	Resource string    `json:"resource"`
	Change   string    `json:"change"`
	Source   string    `json:"source"`
	Hash     string    `json:"hash"`
}

// saveImport writes an import's upserts, deletions and change records in one transaction,
// so an acknowledged import is whole after a crash.
func saveImport(ctx context.Context, db *sql.DB, upserts []*stored, deleted []string, changes []Change) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, st := range upserts {
		doc, err := json.Marshal(st.res)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO rampart_posture_resources VALUES (?, ?, ?, ?)`,
			st.res.ID, st.source, st.hash, string(doc)); err != nil {
			return err
		}
	}
	for _, id := range deleted {
		if _, err := tx.ExecContext(ctx, `DELETE FROM rampart_posture_resources WHERE id = ?`, id); err != nil {
			return err
		}
	}
	for _, c := range changes {
		if _, err := tx.ExecContext(ctx, `INSERT INTO rampart_posture_changes VALUES (?, ?, ?, ?, ?)`,
			c.Time, c.Resource, c.Change, c.Source, c.Hash); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func loadChanges(ctx context.Context, db *sql.DB, resource string, limit int) ([]Change, error) {
	rows, err := db.QueryContext(ctx, `SELECT time, resource, change, source, hash FROM rampart_posture_changes
		WHERE resource = ? ORDER BY time DESC LIMIT ?`, resource, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Change
	for rows.Next() {
		var c Change
		if err := rows.Scan(&c.Time, &c.Resource, &c.Change, &c.Source, &c.Hash); err != nil {
			return nil, err
		}
		c.Time = c.Time.UTC()
		out = append(out, c)
	}
	return out, rows.Err()
}

func loadExemptions(ctx context.Context, db *sql.DB) ([]policy.Exemption, error) {
	rows, err := db.QueryContext(ctx, `SELECT doc FROM rampart_posture_exemptions ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []policy.Exemption
	for rows.Next() {
		var doc string
		var e policy.Exemption
		if err := rows.Scan(&doc); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(doc), &e); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// ScorePoint is one entry of the score history.
type ScorePoint struct {
	Time         time.Time `json:"time"`
	Percentage   float64   `json:"percentage"`
	CurrentScore float64   `json:"currentScore"`
	MaxScore     float64   `json:"maxScore"`
}

func loadHistory(ctx context.Context, db *sql.DB, since time.Time) ([]ScorePoint, error) {
	rows, err := db.QueryContext(ctx, `SELECT time, doc FROM rampart_posture_scores WHERE time >= ? ORDER BY time`, since)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ScorePoint
	for rows.Next() {
		var t time.Time
		var doc string
		if err := rows.Scan(&t, &doc); err != nil {
			return nil, err
		}
		var p ScorePoint
		if err := json.Unmarshal([]byte(doc), &p); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
