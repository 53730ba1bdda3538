package taxii

import (
	"context"
	"slices"
	"sync"
	"time"
)

// MemoryBackend is an in-memory Backend for tests and small deployments.
type MemoryBackend struct {
	mu    sync.RWMutex
	roots map[string]*memRoot
	names []string
	now   func() time.Time
	last  time.Time // last date_added handed out, to keep it increasing
}

type memRoot struct {
	info     APIRoot
	colls    []*memColl
	statuses map[string]StatusRecord
}

type memColl struct {
	info    CollectionInfo
	records []Record
	have    map[string]bool // versionKey of every record, to skip re-posts
}

func versionKey(r Record) string {
	return r.ID + "|" + r.Version.UTC().Format(time.RFC3339Nano) + "|" + r.SpecVersion
}

// NewMemoryBackend returns an empty backend; now (nil: time.Now) stamps
// date_added.
func NewMemoryBackend(now func() time.Time) *MemoryBackend {
	if now == nil {
		now = time.Now
	}
	return &MemoryBackend{roots: map[string]*memRoot{}, now: now}
}

// AddAPIRoot creates or replaces an API root's information.
func (m *MemoryBackend) AddAPIRoot(name string, info APIRoot) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r, ok := m.roots[name]; ok {
		r.info = info
		return
	}
	m.roots[name] = &memRoot{info: info, statuses: map[string]StatusRecord{}}
	m.names = append(m.names, name)
}

// AddCollection creates a collection in an existing API root.
func (m *MemoryBackend) AddCollection(root string, c CollectionInfo) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.roots[root]
	if !ok {
		return ErrNotFound
	}
	r.colls = append(r.colls, &memColl{info: c, have: map[string]bool{}})
	return nil
}

// Load stores records with the date_added they carry, for fixtures and
// migrations.
func (m *MemoryBackend) Load(root, collection string, recs ...Record) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, err := m.coll(root, collection)
	if err != nil {
		return err
	}
	for _, r := range recs {
		c.have[versionKey(r)] = true
	}
	c.records = append(c.records, recs...)
	return nil
}

// StoreStatus stores a status as if a POST had produced it.
func (m *MemoryBackend) StoreStatus(root string, st StatusRecord) error {
	return m.SaveStatus(context.Background(), root, st)
}

func (m *MemoryBackend) coll(root, id string) (*memColl, error) {
	r, ok := m.roots[root]
	if !ok {
		return nil, ErrNotFound
	}
	for _, c := range r.colls {
		if c.info.ID == id || c.info.Alias != "" && c.info.Alias == id {
			return c, nil
		}
	}
	return nil, ErrNotFound
}

func (m *MemoryBackend) APIRoots(context.Context) ([]string, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return slices.Clone(m.names), nil
}

func (m *MemoryBackend) APIRoot(_ context.Context, root string) (*APIRoot, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	r, ok := m.roots[root]
	if !ok {
		return nil, ErrNotFound
	}
	info := r.info
	return &info, nil
}

func (m *MemoryBackend) Collections(_ context.Context, root string) ([]CollectionInfo, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	r, ok := m.roots[root]
	if !ok {
		return nil, ErrNotFound
	}
	out := make([]CollectionInfo, len(r.colls))
	for i, c := range r.colls {
		out[i] = c.info
	}
	return out, nil
}

func (m *MemoryBackend) Collection(_ context.Context, root, id string) (*CollectionInfo, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	c, err := m.coll(root, id)
	if err != nil {
		return nil, err
	}
	info := c.info
	return &info, nil
}

func (m *MemoryBackend) Query(_ context.Context, root, collection string, q Query) (Page, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	c, err := m.coll(root, collection)
	if err != nil {
		return Page{}, err
	}
	return Select(c.records, q), nil
}

func (m *MemoryBackend) Add(_ context.Context, root, collection string, recs []Record) ([]error, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, err := m.coll(root, collection)
	if err != nil {
		return nil, err
	}
	// Microseconds: the precision date_added is published with, so an
	// added_after echoed from X-TAXII-Date-Added-Last excludes it.
	now := m.now().UTC().Truncate(time.Microsecond)
	if !now.After(m.last) {
		now = m.last.Add(time.Microsecond)
	}
	m.last = now
	errs := make([]error, len(recs))
	for _, r := range recs {
		if !r.Version.IsZero() && c.have[versionKey(r)] {
			continue
		}
		r.DateAdded = now
		if r.Version.IsZero() {
			r.Version = now // SCOs: the version is when we got it
		}
		c.have[versionKey(r)] = true
		c.records = append(c.records, r)
	}
	return errs, nil
}

func (m *MemoryBackend) Delete(_ context.Context, root, collection string, q Query) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, err := m.coll(root, collection)
	if err != nil {
		return 0, err
	}
	q.Limit, q.After = 0, nil
	gone := Select(c.records, q).Records
	before := len(c.records)
	drop := map[string]bool{}
	for _, g := range gone {
		drop[versionKey(g)] = true
		delete(c.have, versionKey(g))
	}
	c.records = slices.DeleteFunc(c.records, func(r Record) bool { return drop[versionKey(r)] })
	return before - len(c.records), nil
}

func (m *MemoryBackend) SaveStatus(_ context.Context, root string, st StatusRecord) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.roots[root]
	if !ok {
		return ErrNotFound
	}
	r.statuses[st.Status.ID] = st
	return nil
}

func (m *MemoryBackend) LoadStatus(_ context.Context, root, id string) (*StatusRecord, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	r, ok := m.roots[root]
	if !ok {
		return nil, ErrNotFound
	}
	st, ok := r.statuses[id]
	if !ok {
		return nil, ErrNotFound
	}
	return &st, nil
}
