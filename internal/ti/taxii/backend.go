package taxii

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

// ErrNotFound is returned by a Backend for an unknown API root,
// collection, object or status.
var ErrNotFound = errors.New("taxii: not found")

// Record is one stored version of one object.
type Record struct {
	ID          string
	Type        string
	Version     time.Time // modified; created for marking definitions; DateAdded for SCOs
	DateAdded   time.Time // when this server stored this version, at microsecond precision (as published)
	SpecVersion string    // "2.0" or "2.1"
	Object      json.RawMessage
}

// VersionFilter is match[version]: the default (zero value) is "last".
type VersionFilter struct {
	First, Last, All bool
	Exact            []time.Time
}

func (v VersionFilter) isDefault() bool {
	return !v.First && !v.All && len(v.Exact) == 0
}

// Cursor is a position in date_added order: records strictly after it.
type Cursor struct {
	DateAdded time.Time
	ID        string
	Version   time.Time
}

// Query selects records of one collection. Filters are ANDed; values in
// one list are ORed. Results are in (date_added, id, version) order.
type Query struct {
	AddedAfter   time.Time
	IDs          []string
	Types        []string
	Versions     VersionFilter
	SpecVersions []string // empty: the latest spec version of each object
	Limit        int      // 0: no limit
	After        *Cursor  // resume after this record (pagination)
	NoBodies     bool     // manifest and versions need no object bodies
}

// Page is one page of query results.
type Page struct {
	Records []Record
	More    bool
}

// CollectionInfo is a stored collection; access is per requester and
// comes from the AuthFunc.
type CollectionInfo struct {
	ID          string
	Title       string
	Description string
	Alias       string
	MediaTypes  []string
}

// StatusRecord is a stored status and who may read it.
type StatusRecord struct {
	Owner  string
	Status Status
}

// Backend stores API roots, collections, object versions and statuses.
// Methods return ErrNotFound for unknown things. Implementations must be
// safe for concurrent use.
type Backend interface {
	// APIRoots lists API root names (URL path segments).
	APIRoots(ctx context.Context) ([]string, error)
	APIRoot(ctx context.Context, root string) (*APIRoot, error)
	Collections(ctx context.Context, root string) ([]CollectionInfo, error)
	Collection(ctx context.Context, root, id string) (*CollectionInfo, error)
	// Query returns one page of the versions selected by q.
	Query(ctx context.Context, root, collection string, q Query) (Page, error)
	// Add stores records, setting DateAdded; a version already stored is
	// a success and is not stored twice. It returns one error (or nil)
	// per record.
	Add(ctx context.Context, root, collection string, recs []Record) ([]error, error)
	// Delete removes the versions of id selected by q (IDs is set to id)
	// and returns how many were removed.
	Delete(ctx context.Context, root, collection string, q Query) (int, error)
	SaveStatus(ctx context.Context, root string, st StatusRecord) error
	LoadStatus(ctx context.Context, root, id string) (*StatusRecord, error)
}
