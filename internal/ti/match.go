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
)

// OnCommit is the pipeline subscriber: batches are matched on Run's goroutine.
func (s *Service) OnCommit(batches []*store.Batch) {
	s.mu.RLock()
	empty := s.idx.n == 0
	s.mu.RUnlock()
	if empty {
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

const maxTIAlertsPerBatch = 100

func (s *Service) match(ctx context.Context, b *store.Batch) {
	cols := s.columns(b.Table)
	if len(cols) == 0 {
		return
	}
	s.mu.RLock()
	x := s.idx
	s.mu.RUnlock()
	now := s.now()
	want := map[int]kind{}
	for k, idxs := range cols {
		for _, i := range idxs {
			want[i] = k
		}
	}
	hits := map[string]*tiHit{}
	for r := 0; r < b.Len(); r++ {
		for _, c := range b.Row(r) {
			k, ok := want[int(c.Col)]
			if !ok {
				continue
			}
			v, _ := c.Val.(string)
			if v == "" {
				continue
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
}

// alert describes a match: the observable as an entity, and what the indicator tells.
func (s *Service) alert(table string, row map[string]any, h *tiHit, fallback time.Time, evidence string) incident.Alert {
	ents := detect.EntitiesOf(row)
	switch kindOf(h.e.obs.Key) {
	case kindIP:
		ents = append(ents, incident.Entity{"Type": "ip", "Address": h.value})
	case kindDomain:
		ents = append(ents, incident.Entity{"Type": "dns", "DomainName": h.value})
	case kindURL:
		ents = append(ents, incident.Entity{"Type": "url", "Url": h.value})
	case kindHash:
		algo := strings.Trim(strings.TrimPrefix(h.e.obs.Key[strings.Index(h.e.obs.Key, "hashes.")+7:], "'"), "'")
		ents = append(ents, incident.Entity{"Type": "filehash", "Algorithm": algo, "Value": h.value})
	case kindEmail:
		ents = append(ents, incident.Entity{"Type": "mailbox", "MailboxPrimaryAddress": h.value})
	}
	ind := h.e.ind
	var name, desc string
	ind.Property("name", &name)
	ind.Property("description", &desc)
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
	ts := fallback
	if t, ok := row["TimeGenerated"].(string); ok {
		if p, err := time.Parse(time.RFC3339Nano, t); err == nil {
			ts = p
		}
	}
	title := "Threat intelligence match: " + h.value
	if name != "" {
		title += " (" + name + ")"
	}
	return incident.Alert{
		RuleID: "ti-map", RuleName: "Threat intelligence map", Product: "Threat Intelligence", Title: title,
		Description: desc, Severity: sev, Tactics: tactics, Techniques: techniques, Entities: ents, StartTime: ts, EndTime: ts,
		CustomDetails: map[string]string{"IndicatorId": ind.ID, "ObservableKey": h.e.obs.Key, "Column": h.column, "Table": table,
			"ThreatTypes": strings.Join(types, ","), "Confidence": fmt.Sprint(ind.Confidence), "MatchedEvents": fmt.Sprint(h.count),
			"Related": strings.Join(s.relatedNames(ind), ", ")},
		Evidence: []incident.Evidence{{Table: table, Query: evidence}},
	}
}
