package ti

import (
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rampart-soc/rampart/internal/incident"
)

// An observation's id carries where the event is stored, so an alert raised long after
// can point at every event that satisfied the pattern: table, ingestion time, row in its
// batch, and the column each object path was read from.
func eventID(table string, ingested time.Time, row int, kvs []kv) string {
	var b strings.Builder
	b.WriteString(table)
	b.WriteByte('\x1f')
	b.WriteString(ingested.UTC().Format(time.RFC3339Nano))
	b.WriteByte('\x1f')
	b.WriteString(strconv.Itoa(row))
	for _, f := range kvs {
		b.WriteByte('\x1f')
		b.WriteString(f.key)
		b.WriteByte('\x1e')
		b.WriteString(f.col)
	}
	return b.String()
}

type eventRef struct {
	table, ingested string
	cols            map[string]string // object path → column
}

func parseEventID(id string) eventRef {
	parts := strings.Split(id, "\x1f")
	r := eventRef{cols: map[string]string{}}
	if len(parts) >= 3 {
		r.table, r.ingested = parts[0], parts[1]
	}
	for _, p := range parts[min(3, len(parts)):] {
		if k, c, ok := strings.Cut(p, "\x1e"); ok {
			r.cols[k] = c
		}
	}
	return r
}

// patternAlert describes a satisfied pattern: every observable that satisfied it as an
// entity, and every event as evidence.
func (s *Service) patternAlert(h watchHit) incident.Alert {
	ind := h.w.ind
	a := s.indicatorAlert(ind)
	var ents []incident.Entity
	seen := map[string]bool{}
	var keys, tables []string
	for _, o := range h.obs {
		ref := parseEventID(o.ID)
		if !slices.Contains(tables, ref.table) {
			tables = append(tables, ref.table)
		}
		fields := make([]string, 0, len(o.Fields))
		for k := range o.Fields {
			fields = append(fields, k)
		}
		sort.Strings(fields)
		for _, k := range fields {
			for _, v := range o.Fields[k] {
				raw, _ := v.(string)
				if !h.w.satisfiedBy(k, raw) || seen[k+"\x1f"+raw] {
					continue
				}
				seen[k+"\x1f"+raw] = true
				if !slices.Contains(keys, k) {
					keys = append(keys, k)
				}
				ents = append(ents, entityFor(k, raw))
				if col := ref.cols[k]; col != "" {
					a.Evidence = append(a.Evidence, incident.Evidence{Table: ref.table, Query: fmt.Sprintf("%s | where ingestion_time() == datetime(%s) | where %s == '%s'",
						ref.table, ref.ingested, col, strings.ReplaceAll(raw, "'", "\\'"))})
				}
			}
		}
	}
	name := ind.Name
	if name == "" {
		name = ind.ID
	}
	a.RuleID, a.RuleName = "ti-pattern", "Threat intelligence pattern"
	a.Title = "Threat intelligence pattern matched: " + name
	a.Entities = ents
	if len(h.obs) > 0 {
		a.StartTime, a.EndTime = h.obs[0].Time, h.obs[len(h.obs)-1].Time
	}
	a.CustomDetails["Pattern"] = ind.Indicator.Pattern
	a.CustomDetails["ObservableKey"] = strings.Join(keys, ", ")
	a.CustomDetails["Table"] = strings.Join(tables, ", ")
	a.CustomDetails["MatchedEvents"] = strconv.Itoa(len(h.obs))
	return a
}

// satisfiedBy tells whether a value at key is one of the pattern's candidate observables
// (any value, for patterns without candidates).
func (w *watch) satisfiedBy(key, raw string) bool {
	if w.cands == nil && w.cidrs == nil {
		return true
	}
	norm := normFor(key, raw)
	if w.cands[key][norm] {
		return true
	}
	if a, err := netip.ParseAddr(norm); err == nil {
		for _, c := range w.cidrs {
			if c.Key == key && c.Prefix.Contains(a) {
				return true
			}
		}
	}
	return false
}

func kindOfKey(key string) kind {
	if isAddrKey(key) {
		return kindIP
	}
	return kindOf(key)
}

// entityFor names an observable as an alert entity.
func entityFor(key, v string) incident.Entity {
	switch kindOfKey(key) {
	case kindIP:
		return incident.Entity{"Type": "ip", "Address": v}
	case kindDomain:
		return incident.Entity{"Type": "dns", "DomainName": v}
	case kindURL:
		return incident.Entity{"Type": "url", "Url": v}
	case kindHash:
		algo := strings.Trim(key[strings.Index(key, "hashes.")+7:], "'")
		return incident.Entity{"Type": "filehash", "Algorithm": algo, "Value": v}
	case kindEmail:
		return incident.Entity{"Type": "mailbox", "MailboxPrimaryAddress": v}
	}
	return incident.Entity{"Type": "unknown", "Key": key, "Value": v}
}
