package ti

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/rampart-soc/rampart/internal/schema"
	"github.com/rampart-soc/rampart/internal/store"
	"github.com/rampart-soc/rampart/internal/ti/pattern"
	"github.com/rampart-soc/rampart/internal/ti/stix"
)

// Open creates the state table if needed and loads the stored objects.
func Open(ctx context.Context, db *sql.DB, sink Sink, raiser Raiser, log *slog.Logger) (*Service, error) {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS rampart_ti_objects (id VARCHAR PRIMARY KEY, type VARCHAR NOT NULL, modified VARCHAR NOT NULL, doc VARCHAR NOT NULL)`); err != nil {
		return nil, fmt.Errorf("threat intelligence: %w", err)
	}
	s := newService(db, sink, raiser, log)
	if err := s.load(ctx); err != nil {
		return nil, fmt.Errorf("threat intelligence: stored objects: %w", err)
	}
	return s, nil
}

func newService(db *sql.DB, sink Sink, raiser Raiser, log *slog.Logger) *Service {
	return &Service{db: db, sink: sink, raiser: raiser, log: log, now: func() time.Time { return time.Now().UTC() },
		objs: stix.NewStore(), idx: newIndex(), watch: newWatches(WatchOptions{}, time.Now), cols: map[*schema.Table]map[kind][]int{},
		queue: make(chan []*store.Batch, 256), done: make(chan struct{}), orphans: map[string]bool{}}
}

// load reads the stored documents through a pipe, so a million of them are never held as
// one text, and indexes them like an import that persists nothing.
func (s *Service) load(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, `SELECT id, doc FROM rampart_ti_objects`)
	if err != nil {
		return err
	}
	defer rows.Close()
	pr, pw := io.Pipe()
	var ids []string
	written := make(chan struct{})
	go func() {
		defer close(written)
		var err error
		for rows.Next() {
			var id, doc string
			if err = rows.Scan(&id, &doc); err != nil {
				break
			}
			ids = append(ids, id)
			if _, err = io.WriteString(pw, doc+"\n"); err != nil {
				break
			}
		}
		if err == nil {
			err = rows.Err()
		}
		pw.CloseWithError(err)
	}()
	var objs []*stix.Object
	var parsed []*pattern.Pattern
	var bad []int
	_, err = stix.Stream(pr, stix.Options{SkipPatterns: true}, func(it stix.Item) error {
		if it.Object == nil {
			bad = append(bad, it.Index)
			return nil
		}
		if s.objs.Put(it.Object) != stix.Inserted {
			return nil
		}
		p, _ := parseIndicator(it.Object)
		objs, parsed = append(objs, it.Object), append(parsed, p)
		return nil
	})
	pr.Close()
	<-written
	if err != nil && !errors.Is(err, stix.ErrEmpty) {
		return err
	}
	for _, i := range bad {
		if i < len(ids) {
			s.orphans[ids[i]] = true
			s.log.Warn("threat intelligence: a stored object no longer loads; a new version will replace it", "id", ids[i])
		}
	}
	s.mu.Lock()
	for i, o := range objs {
		s.applyLocked(nil, o, parsed[i])
	}
	s.mu.Unlock()
	return nil
}

// parseIndicator parses a STIX-pattern indicator's pattern once for validation, the index,
// the watches and the rows; nil for other objects.
func parseIndicator(o *stix.Object) (*pattern.Pattern, error) {
	if o.Indicator == nil || o.Indicator.PatternType != "stix" {
		return nil, nil
	}
	return o.ParsePattern()
}

// applyLocked brings the index and the watches up to date with a new current version o of
// an object (s.mu held): the observables of old, the version it replaces, go; its own come.
func (s *Service) applyLocked(old, o *stix.Object, p *pattern.Pattern) {
	if old != nil && old.Indicator != nil && !old.Revoked {
		if op, err := parseIndicator(old); err == nil && op != nil {
			s.idx.remove(old, op.Observables())
		}
	}
	if o.Indicator == nil {
		return
	}
	if o.Revoked || p == nil {
		s.watch.remove(o.ID)
		return
	}
	if obs := p.Observables(); len(obs) > 0 {
		s.idx.addObservables(o, obs)
		s.watch.remove(o.ID)
	} else if err := s.watch.put(o, p); err != nil {
		s.log.Warn("threat intelligence pattern not watched", "indicator", o.ID, "err", err)
	}
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

// changedObj is a new current version and its parsed pattern (indicators).
type changedObj struct {
	o       *stix.Object
	p       *pattern.Pattern
	existed bool // a stored row may hold an older version
}

// rowsOf lists the objects.
func rowsOf(changed []changedObj) []*stix.Object {
	list := make([]*stix.Object, len(changed))
	for i, c := range changed {
		list[i] = c.o
	}
	return list
}

// importFrom is Import with the LastUpdateMethod the 2025 tables record (API import, TAXII
// feed, TAXII POST). Objects are decoded once; a pattern is parsed once.
func (s *Service) importFrom(ctx context.Context, r io.Reader, source, method string) (*ImportResult, error) {
	s.importMu.Lock()
	defer s.importMu.Unlock()
	b, err := s.read(r)
	if err != nil {
		return nil, err
	}
	list := rowsOf(b.changed)
	existed := make(map[*stix.Object]bool, len(b.changed))
	for _, c := range b.changed {
		existed[c.o] = c.existed
	}
	if err := s.persist(ctx, list, func(o *stix.Object) bool { return existed[o] }); err != nil {
		return nil, err
	}
	for _, c := range b.changed {
		delete(s.orphans, c.o.ID)
	}
	if err := s.emitRows(ctx, b.changed, source, method); err != nil {
		return nil, err
	}
	s.apply(b)
	s.mu.RLock()
	hooks := s.onImport
	s.mu.RUnlock()
	for _, fn := range hooks {
		fn(list)
	}
	return b.out, nil
}

// importBatch is an input read into the store: what changed, and what it replaced.
type importBatch struct {
	out     *ImportResult
	changed []changedObj
	before  map[string]*stix.Object // the version current before this import, per updated id
}

// read streams an input into the store, validating each object and parsing each pattern.
func (s *Service) read(r io.Reader) (*importBatch, error) {
	b := &importBatch{out: &ImportResult{}, before: map[string]*stix.Object{}}
	out := b.out
	_, err := stix.Stream(r, stix.Options{SkipPatterns: true}, func(it stix.Item) error {
		out.Read++
		out.Errors = append(out.Errors, it.Errors...)
		out.Warnings = append(out.Warnings, it.Warnings...)
		o := it.Object
		if o == nil {
			out.Invalid++
			return nil
		}
		p, perr := parseIndicator(o)
		if perr != nil { // kept, not matchable, and said so (as stix.DecodeObject would)
			out.Warnings = append(out.Warnings, &stix.ValidationError{Index: it.Index, ID: o.ID, Type: o.Type,
				Property: "pattern", Rule: stix.RulePattern, Msg: perr.Error()})
		}
		cur := s.objs.Get(o.ID)
		switch s.objs.Put(o) {
		case stix.Inserted:
			out.Inserted++
			b.changed = append(b.changed, changedObj{o, p, s.orphans[o.ID]})
		case stix.Updated:
			out.Updated++
			b.changed = append(b.changed, changedObj{o, p, true})
			if _, ok := b.before[o.ID]; !ok {
				b.before[o.ID] = cur
			}
		case stix.Older:
			out.Older++
		case stix.Duplicate:
			out.Duplicate++
		case stix.Revoked: // an attempt to un-revoke: the revoked version stays
			out.Revoke++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, c := range b.changed {
		if c.o.Indicator != nil {
			out.Indicators++
		}
	}
	return b, nil
}

// apply updates the index and the watches with the batch's current versions.
func (s *Service) apply(b *importBatch) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range b.changed {
		if s.objs.Get(c.o.ID) == c.o { // the last version of an id in this input
			s.applyLocked(b.before[c.o.ID], c.o, c.p)
		}
	}
	b.out.Indexed = s.idx.n
}

// emitRows writes the changed objects' rows: ThreatIntelligenceIndicator (legacy) and
// ThreatIntelIndicators for indicators, ThreatIntelObjects for the rest.
func (s *Service) emitRows(ctx context.Context, changed []changedObj, source, method string) error {
	var legacy, inds, objs []map[string]string
	opt := stix.RowOptions{Now: s.now(), Provider: source, Markings: s.objs.Markings(), Store: s.objs, UpdateMethod: method}
	for _, c := range changed {
		opt.Parsed = c.p
		if c.o.Indicator == nil {
			objs = append(objs, stix.ThreatIntelObjectRow(c.o, opt))
			continue
		}
		if row, err := stix.SentinelIndicatorRow(c.o, opt); err == nil {
			legacy = append(legacy, row)
		}
		if rows, err := stix.ThreatIntelIndicatorRows(c.o, opt); err == nil {
			inds = append(inds, rows...)
		}
	}
	for _, t := range []struct {
		table string
		rows  []map[string]string
	}{{"ThreatIntelligenceIndicator", legacy}, {"ThreatIntelIndicators", inds}, {"ThreatIntelObjects", objs}} {
		if len(t.rows) > 0 {
			if err := s.sink.Emit(ctx, t.table, t.rows); err != nil {
				return err
			}
		}
	}
	return nil
}
