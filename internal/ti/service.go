package ti

import (
	"context"
	"database/sql"
	"encoding/json"
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
	// importMu makes imports one at a time, so the stored version of an object is the one
	// the store kept.
	importMu sync.Mutex
	// orphans are stored ids whose documents no longer load: a new version replaces them.
	orphans map[string]bool
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
	defer s.mu.RUnlock()
	var out []Match
	seen := map[string]bool{}
	for _, k := range []kind{kindIP, kindDomain, kindURL, kindHash, kindEmail} {
		for _, e := range s.idx.lookup(k, value, s.now()) {
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
		if t.Name != "" {
			names = append(names, t.Name)
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
