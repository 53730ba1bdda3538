package ti

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/rampart-soc/rampart/internal/incident"
	"github.com/rampart-soc/rampart/internal/schema"
	"github.com/rampart-soc/rampart/internal/store"
	"github.com/rampart-soc/rampart/internal/ti/stix"
)

// Sink stores rows in tables (the ThreatIntelligenceIndicator, ThreatIntelIndicators and
// ThreatIntelObjects copies KQL reads).
type Sink interface {
	Emit(ctx context.Context, table string, rows []map[string]string) error
}

// Raiser takes alerts.
type Raiser interface {
	RaiseAlert(ctx context.Context, a incident.Alert) (incident.Alert, error)
}

// Service keeps threat intelligence and matches it against events.
type Service struct {
	db     *sql.DB
	sink   Sink
	raiser Raiser
	log    *slog.Logger
	now    func() time.Time

	mu    sync.RWMutex
	objs  *stix.Store
	idx   *index
	watch *watches // indicators whose patterns need more than an observable lookup
	cols  map[*schema.Table]map[kind][]int
	queue chan []*store.Batch
	done  chan struct{}
	// onImport hears of every object an import added or changed (TAXII publishing).
	onImport []func([]*stix.Object)
}

// Open creates the state table if needed and loads the stored objects.
func Open(ctx context.Context, db *sql.DB, sink Sink, raiser Raiser, log *slog.Logger) (*Service, error) {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS rampart_ti_objects (id VARCHAR PRIMARY KEY, type VARCHAR NOT NULL, modified VARCHAR NOT NULL, doc VARCHAR NOT NULL)`); err != nil {
		return nil, fmt.Errorf("threat intelligence: %w", err)
	}
	s := &Service{db: db, sink: sink, raiser: raiser, log: log, now: func() time.Time { return time.Now().UTC() },
		objs: stix.NewStore(), idx: newIndex(), cols: map[*schema.Table]map[kind][]int{},
		queue: make(chan []*store.Batch, 256), done: make(chan struct{})}
	s.watch = newWatches(WatchOptions{}, time.Now)
	rows, err := db.QueryContext(ctx, `SELECT doc FROM rampart_ti_objects`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var docs bytes.Buffer
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return nil, err
		}
		docs.WriteString(doc)
		docs.WriteByte('\n')
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if docs.Len() > 0 {
		res, err := stix.Read(&docs, stix.Options{})
		if err != nil {
			return nil, fmt.Errorf("threat intelligence: stored objects: %w", err)
		}
		for _, o := range res.Objects {
			s.objs.Put(o)
		}
	}
	s.reindex()
	return s, nil
}

// reindex rebuilds the observable index from the live indicators and watches the patterns
// it cannot hold (keeping the state of those unchanged).
func (s *Service) reindex() {
	x := newIndex()
	live := map[string]bool{}
	s.objs.Each(func(o *stix.Object) bool {
		if o.Type != "indicator" || o.Revoked || o.Indicator.PatternType != "stix" {
			return true
		}
		p, err := o.ParsePattern()
		if err != nil {
			return true
		}
		if obs := p.Observables(); len(obs) > 0 {
			x.addObservables(o, obs)
		} else if err := s.watch.put(o, p); err != nil {
			s.log.Warn("threat intelligence pattern not watched", "indicator", o.ID, "err", err)
		} else {
			live[o.ID] = true
		}
		return true
	})
	for _, id := range s.watch.ids() {
		if !live[id] {
			s.watch.remove(id)
		}
	}
	s.mu.Lock()
	s.idx = x
	s.mu.Unlock()
}

// ImportResult reports an import.
type ImportResult struct {
	stix.ImportStats
	Indicators int                     `json:"indicators"` // new or updated indicators
	Indexed    int                     `json:"indexedObservables"`
	Errors     []*stix.ValidationError `json:"errors"`
	Warnings   []*stix.ValidationError `json:"warnings"`
}

// Import reads STIX (bundles, envelopes, objects, NDJSON; 2.0 upgraded; gzip accepted),
// keeps the newest version of each object, persists what changed and writes indicator rows.
func (s *Service) Import(ctx context.Context, r io.Reader, source string) (*ImportResult, error) {
	return s.importFrom(ctx, r, source, "Import")
}

// importFrom is Import with the LastUpdateMethod the 2025 tables record (API import, TAXII
// feed, TAXII POST).
func (s *Service) importFrom(ctx context.Context, r io.Reader, source, method string) (*ImportResult, error) {
	res, err := stix.Read(r, stix.Options{})
	if err != nil {
		return nil, err
	}
	out := &ImportResult{Errors: res.Errors, Warnings: res.Warnings}
	out.Read, out.Invalid = res.Read, res.Read-len(res.Objects)
	var changed []*stix.Object
	for _, o := range res.Objects {
		switch s.objs.Put(o) {
		case stix.Inserted:
			out.Inserted++
			changed = append(changed, o)
		case stix.Updated:
			out.Updated++
			changed = append(changed, o)
		case stix.Older:
			out.Older++
		case stix.Duplicate:
			out.Duplicate++
		case stix.Revoked:
			out.Revoke++
			changed = append(changed, o)
		}
	}
	var rows, indRows, objRows []map[string]string
	ropt := stix.RowOptions{Now: s.now(), Provider: source, Markings: s.objs.Markings(), Store: s.objs, UpdateMethod: method}
	for _, o := range changed {
		if _, err := s.db.ExecContext(ctx, `DELETE FROM rampart_ti_objects WHERE id = ?`, o.ID); err != nil {
			return nil, err
		}
		if _, err := s.db.ExecContext(ctx, `INSERT INTO rampart_ti_objects (id, type, modified, doc) VALUES (?, ?, ?, ?)`,
			o.ID, o.Type, o.Version().Format(time.RFC3339Nano), string(o.Original)); err != nil {
			return nil, err
		}
		if o.Type == "indicator" {
			out.Indicators++
			if row, err := stix.SentinelIndicatorRow(o, ropt); err == nil {
				rows = append(rows, row)
			}
			if r, err := stix.ThreatIntelIndicatorRows(o, ropt); err == nil {
				indRows = append(indRows, r...)
			}
		} else {
			objRows = append(objRows, stix.ThreatIntelObjectRow(o, ropt))
		}
	}
	for _, t := range []struct {
		table string
		rows  []map[string]string
	}{{"ThreatIntelligenceIndicator", rows}, {"ThreatIntelIndicators", indRows}, {"ThreatIntelObjects", objRows}} {
		if len(t.rows) > 0 {
			if err := s.sink.Emit(ctx, t.table, t.rows); err != nil {
				return nil, err
			}
		}
	}
	s.reindex()
	s.mu.RLock()
	out.Indexed = s.idx.n
	hooks := s.onImport
	s.mu.RUnlock()
	for _, fn := range hooks {
		fn(changed)
	}
	return out, nil
}

// Match is an indicator that matches a value.
type Match struct {
	Indicator  json.RawMessage `json:"indicator"`
	Key        string          `json:"key"`
	Value      string          `json:"value"`
	Confidence int             `json:"confidence"`
	Related    []string        `json:"related,omitempty"` // names of malware, actors... it indicates
}

// Lookup tells what is known about an IP address, domain, URL, file hash or email address.
func (s *Service) Lookup(value string) []Match {
	s.mu.RLock()
	x := s.idx
	s.mu.RUnlock()
	var out []Match
	seen := map[string]bool{}
	for _, k := range []kind{kindIP, kindDomain, kindURL, kindHash, kindEmail} {
		for _, e := range x.lookup(k, value, s.now()) {
			if seen[e.ind.ID+e.obs.Key] {
				continue
			}
			seen[e.ind.ID+e.obs.Key] = true
			out = append(out, Match{Indicator: e.ind.Original, Key: e.obs.Key, Value: e.obs.Value, Confidence: e.ind.Confidence, Related: s.relatedNames(e.ind)})
		}
	}
	return out
}

func (s *Service) relatedNames(o *stix.Object) []string {
	var names []string
	for _, t := range s.objs.Related(o.ID, "indicates") {
		var name string
		if ok, _ := t.Property("name", &name); ok && name != "" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// Stats counts what is held.
func (s *Service) Stats() map[string]int {
	counts := map[string]int{}
	s.objs.Each(func(o *stix.Object) bool {
		counts[o.Type]++
		return true
	})
	s.mu.RLock()
	counts["indexedObservables"] = s.idx.n
	s.mu.RUnlock()
	return counts
}
