package ti

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/rampart-soc/rampart/internal/attack"
	"github.com/rampart-soc/rampart/internal/detect"
	"github.com/rampart-soc/rampart/internal/incident"
	"github.com/rampart-soc/rampart/internal/schema"
	"github.com/rampart-soc/rampart/internal/store"
	"github.com/rampart-soc/rampart/internal/ti/stix"
)

// OnCommit is the pipeline subscriber: batches are matched on Run's goroutine.
func (s *Service) OnCommit(batches []*store.Batch) {
	s.mu.RLock()
	empty := s.idx.n == 0
	s.mu.RUnlock()
	if empty && s.watch.len() == 0 {
		return
	}
	select {
	case s.queue <- batches:
	case <-s.done:
	}
}

// Run matches queued batches until ctx ends.
func (s *Service) Run(ctx context.Context) error {
	defer close(s.done)
	for {
		select {
		case <-ctx.Done():
			return nil
		case bs := <-s.queue:
			for _, b := range bs {
				if b.Table.Name != "ThreatIntelligenceIndicator" && b.Table.Name != "SecurityAlert" && b.Table.Name != "SecurityIncident" {
					s.match(ctx, b)
				}
			}
		}
	}
}

// columns returns, per kind, the indexes of the table's columns that hold observables.
func (s *Service) columns(t *schema.Table) map[kind][]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.cols[t]; ok {
		return c
	}
	c := map[kind][]int{}
	for k, names := range observableColumns {
		for _, n := range names {
			if col, ok := t.Column(n); ok && (col.Type == schema.String) {
				i, _ := t.Lookup(n)
				c[k] = append(c[k], i)
			}
		}
	}
	s.cols[t] = c
	return c
}

type tiHit struct {
	e      entry
	value  string
	column string
	row    int
	count  int
}

const (
	maxTIAlertsPerBatch      = 100
	maxPatternAlertsPerBatch = 100
)

func (s *Service) match(ctx context.Context, b *store.Batch) {
	cols := s.columns(b.Table)
	if len(cols) == 0 {
		return
	}
	now := s.now()
	want := map[int]colKeys{}
	for k, idxs := range cols {
		for _, i := range idxs {
			want[i] = columnKeys(k, b.Table.Columns[i].Name)
		}
	}
	watching := s.watch.len() > 0
	tg, hasTime := b.Table.Lookup("TimeGenerated")
	hits := map[string]*tiHit{}
	var patternHits []watchHit
	var kvs []kv
	s.mu.RLock() // imports update the index in place
	x := s.idx
	for r := 0; r < b.Len(); r++ {
		kvs = kvs[:0]
		evTime := b.IngestionTime
		for _, c := range b.Row(r) {
			if hasTime && int(c.Col) == tg {
				if t, ok := c.Val.(time.Time); ok {
					evTime = t
				}
				continue
			}
			ck, ok := want[int(c.Col)]
			if !ok {
				continue
			}
			v, _ := c.Val.(string)
			if v == "" {
				continue
			}
			k := ck.kind
			if watching {
				kvs = ck.keysOf(b.Table.Columns[c.Col].Name, v, kvs)
			}
			for _, e := range x.lookup(k, v, now) {
				key := e.ind.ID + "\x1f" + normalize(k, v)
				h := hits[key]
				if h == nil {
					if len(hits) >= maxTIAlertsPerBatch {
						continue
					}
					h = &tiHit{e: e, value: v, column: b.Table.Columns[c.Col].Name, row: r}
					hits[key] = h
				}
				h.count++
			}
		}
		if watching && len(kvs) > 0 && len(patternHits) < maxPatternAlertsPerBatch {
			ev := &event{id: eventID(b.Table.Name, b.IngestionTime, r, kvs), time: evTime, kvs: kvs}
			patternHits = append(patternHits, s.watch.observe(ev, now)...)
		}
	}
	s.mu.RUnlock()
	if watching {
		s.watch.sweep()
	}
	keys := make([]string, 0, len(hits))
	for k := range hits {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		h := hits[k]
		evidence := fmt.Sprintf("%s | where ingestion_time() == datetime(%s) | where %s == '%s'",
			b.Table.Name, b.IngestionTime.Format(time.RFC3339Nano), h.column, strings.ReplaceAll(h.value, "'", "\\'"))
		if _, err := s.raiser.RaiseAlert(ctx, s.alert(b.Table.Name, detect.RowMap(b, h.row), h, b.IngestionTime, evidence)); err != nil {
			s.log.Error("threat intelligence alert", "err", err)
		}
	}
	for _, h := range patternHits {
		if _, err := s.raiser.RaiseAlert(ctx, s.patternAlert(h)); err != nil {
			s.log.Error("threat intelligence pattern alert", "err", err)
		}
	}
}

// alert describes a match: the observable as an entity, and what the indicator tells.
func (s *Service) alert(table string, row map[string]any, h *tiHit, fallback time.Time, evidence string) incident.Alert {
	a := s.indicatorAlert(h.e.ind)
	ents := detect.EntitiesOf(row)
	if k := kindOf(h.e.obs.Key); k != 0 {
		ents = append(ents, entityFor(h.e.obs.Key, h.value))
	}
	ts := fallback
	if t, ok := row["TimeGenerated"].(string); ok {
		if p, err := time.Parse(time.RFC3339Nano, t); err == nil {
			ts = p
		}
	}
	title := "Threat intelligence match: " + h.value
	if h.e.ind.Name != "" {
		title += " (" + h.e.ind.Name + ")"
	}
	a.Title, a.Entities, a.StartTime, a.EndTime = title, ents, ts, ts
	a.CustomDetails["ObservableKey"] = h.e.obs.Key
	a.CustomDetails["Column"] = h.column
	a.CustomDetails["Table"] = table
	a.CustomDetails["MatchedEvents"] = fmt.Sprint(h.count)
	a.Evidence = []incident.Evidence{{Table: table, Query: evidence}}
	return a
}

// indicatorAlert is what every alert on an indicator tells: its description, severity from
// its confidence, ATT&CK tactics and techniques, threat types and what it indicates.
func (s *Service) indicatorAlert(ind *stix.Object) incident.Alert {
	var types []string
	ind.Property("indicator_types", &types)
	sev := incident.Medium
	if ind.Confidence >= 80 {
		sev = incident.High
	} else if ind.Confidence >= 0 && ind.Confidence < 30 {
		sev = incident.Low
	}
	var tactics, techniques []string
	for _, p := range ind.KillChainPhases {
		if t, ok := attack.Enterprise().Tactic(p.PhaseName); ok && strings.Contains(strings.ToLower(p.KillChainName), "mitre") {
			tactics = append(tactics, t.Name)
		}
	}
	for _, r := range ind.ExternalReferences {
		if strings.EqualFold(r.SourceName, "mitre-attack") && strings.HasPrefix(r.ExternalID, "T") {
			techniques = append(techniques, r.ExternalID)
		}
	}
	return incident.Alert{
		RuleID: "ti-map", RuleName: "Threat intelligence map", Product: "Threat Intelligence",
		Description: ind.Description, Severity: sev, Tactics: tactics, Techniques: techniques,
		CustomDetails: map[string]string{"IndicatorId": ind.ID, "ThreatTypes": strings.Join(types, ","),
			"Confidence": fmt.Sprint(ind.Confidence), "Related": strings.Join(s.relatedNames(ind), ", ")},
	}
}
