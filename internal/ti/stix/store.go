package stix

import (
	"slices"
	"sync"
)

// PutOutcome says what Store.Put did with an object.
type PutOutcome int

const (
	Inserted  PutOutcome = iota // first version of this id
	Updated                     // newer modified: replaced the current version
	Older                       // older than the current version: ignored
	Duplicate                   // same version (or an unversioned object seen again): ignored
	Revoked                     // a later version tried to un-revoke: ignored, revocation is final
)

func (p PutOutcome) String() string {
	return [...]string{"inserted", "updated", "older", "duplicate", "revoked"}[p]
}

// Store holds the current version of each object by id: the newest
// modified wins, older versions are ignored, and a revoked object stays
// revoked. It also learns marking definitions and indexes relationships
// by source. Safe for concurrent use. History is not kept here; the TAXII
// backend keeps every version it serves.
type Store struct {
	mu       sync.RWMutex
	objs     map[string]*Object
	bySource map[string][]string // source_ref → relationship ids
	marks    *Markings
}

// NewStore returns an empty store.
func NewStore() *Store {
	return &Store{objs: map[string]*Object{}, bySource: map[string][]string{}, marks: NewMarkings()}
}

// Markings returns the registry fed by the marking definitions put here.
func (s *Store) Markings() *Markings { return s.marks }

// Compare orders two versions of one object: -1 when a is older than b,
// 0 when they are the same version, 1 when a is newer.
func Compare(a, b *Object) int {
	return a.Version().Compare(b.Version())
}

// Put adds o if it is a new object or a newer version.
func (s *Store) Put(o *Object) PutOutcome {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, ok := s.objs[o.ID]
	if !ok {
		s.insert(o)
		return Inserted
	}
	switch c := Compare(o, cur); {
	case c < 0:
		return Older
	case c == 0:
		// Unversioned objects (SCOs, marking definitions) and repeats.
		return Duplicate
	case cur.Revoked && !o.Revoked:
		return Revoked
	}
	s.insert(o)
	return Updated
}

func (s *Store) insert(o *Object) {
	s.objs[o.ID] = o
	if o.Relationship != nil {
		src := o.Relationship.SourceRef
		if !slices.Contains(s.bySource[src], o.ID) {
			s.bySource[src] = append(s.bySource[src], o.ID)
		}
	}
	if o.Marking != nil {
		s.marks.Learn(o)
	}
}

// Get returns the current version of id, or nil.
func (s *Store) Get(id string) *Object {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.objs[id]
}

// Len returns the number of distinct ids.
func (s *Store) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.objs)
}

// Each calls fn for every current object, in no particular order, until
// fn returns false. fn must not call back into the store.
func (s *Store) Each(fn func(*Object) bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, o := range s.objs {
		if !fn(o) {
			return
		}
	}
}

// Related returns the objects that non-revoked relationships of type
// relType (any type when "") lead to from id: for an indicator and
// "indicates", the malware, threat actors and campaigns it indicates.
// Targets not in the store are skipped.
func (s *Store) Related(id, relType string) []*Object {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []*Object
	for _, rid := range s.bySource[id] {
		r := s.objs[rid]
		if r == nil || r.Revoked || r.Relationship.SourceRef != id ||
			relType != "" && r.Relationship.RelationshipType != relType {
			continue
		}
		if t := s.objs[r.Relationship.TargetRef]; t != nil {
			out = append(out, t)
		}
	}
	return out
}

// ImportStats counts what Import did.
type ImportStats struct {
	Read, Invalid                               int
	Inserted, Updated, Older, Duplicate, Revoke int
}

// Import puts every valid object of a read input into the store.
func (s *Store) Import(res *Result) ImportStats {
	st := ImportStats{Read: res.Read, Invalid: res.Read - len(res.Objects)}
	for _, o := range res.Objects {
		switch s.Put(o) {
		case Inserted:
			st.Inserted++
		case Updated:
			st.Updated++
		case Older:
			st.Older++
		case Duplicate:
			st.Duplicate++
		case Revoked:
			st.Revoke++
		}
	}
	return st
}
