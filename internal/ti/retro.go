package ti

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/rampart-soc/rampart/internal/schema"
	"github.com/rampart-soc/rampart/internal/store/duckdb"
	"github.com/rampart-soc/rampart/internal/ti/stix"
)

// Tables lists the event tables (the live catalogue).
type Tables interface{ List() []*schema.Table }

// RetroDays is how far back a newly imported indicator is matched against stored events.
const defaultRetroDays = 14

// EnableRetro makes imports match their new indicators against the events stored in the
// last days days (0: 14), in the background, once per import.
func (s *Service) EnableRetro(tables Tables, days int) {
	if days <= 0 {
		days = defaultRetroDays
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onImport = append(s.onImport, func(objs []*stix.Object) {
		var inds []*stix.Object
		for _, o := range objs {
			if o.Type == "indicator" && !o.Revoked {
				inds = append(inds, o)
			}
		}
		if len(inds) > 0 {
			go func() {
				n, err := s.Retro(context.Background(), tables.List(), inds, time.Duration(days)*24*time.Hour)
				if err != nil {
					s.log.Error("retroactive indicator matching", "err", err)
				} else if n > 0 {
					s.log.Info("retroactive indicator matching raised alerts", "alerts", n)
				}
			}()
		}
	})
}

// Retro matches indicators against stored events of the lookback, one query per table
// column with all the values at once, and raises an alert per indicator and value found.
func (s *Service) Retro(ctx context.Context, tables []*schema.Table, inds []*stix.Object, lookback time.Duration) (int, error) {
	x := newIndex()
	for _, o := range inds {
		x.add(o)
	}
	if x.n == 0 {
		return 0, nil
	}
	since := s.now().Add(-lookback)
	raised := 0
	seen := map[string]bool{} // one alert per indicator and value
	for _, t := range tables {
		tg, ok := t.Column("TimeGenerated")
		if !ok || tg.Type != schema.DateTime {
			continue
		}
		for k, idxs := range s.columns(t) {
			values := x.exact[k]
			if len(values) == 0 { // CIDR indicators are matched as events arrive, not retroactively
				continue
			}
			list := make([]any, 0, len(values))
			ph := make([]string, 0, len(values))
			for v := range values {
				list = append(list, v)
				ph = append(ph, "?")
			}
			for _, ci := range idxs {
				col := t.Columns[ci]
				q := fmt.Sprintf(`SELECT * FROM %s WHERE %s >= ? AND lower(%s) IN (%s) LIMIT 1000`,
					duckdb.Quote(t.Name), duckdb.Quote(tg.Physical), duckdb.Quote(col.Physical), strings.Join(ph, ","))
				rows, err := s.db.QueryContext(ctx, q, append([]any{since}, list...)...)
				if err != nil {
					return raised, fmt.Errorf("%s.%s: %w", t.Name, col.Name, err)
				}
				names, _ := rows.Columns()
				for rows.Next() {
					vals := make([]any, len(names))
					ptrs := make([]any, len(names))
					for i := range vals {
						ptrs[i] = &vals[i]
					}
					if err := rows.Scan(ptrs...); err != nil {
						rows.Close()
						return raised, err
					}
					row := map[string]any{}
					for i, n := range names {
						switch v := vals[i].(type) {
						case time.Time:
							row[n] = v.UTC().Format(time.RFC3339Nano)
						default:
							row[n] = v
						}
					}
					v, _ := row[col.Physical].(string)
					var found []entry
					x.slots(k, normalize(k, v), func(sl slot) { found = append(found, sl.entry(normalize(k, v))) })
					for _, e := range found {
						key := e.ind.ID + "\x1f" + normalize(k, v)
						if seen[key] {
							continue
						}
						seen[key] = true
						h := &tiHit{e: e, value: v, column: col.Name, count: 1}
						evidence := fmt.Sprintf("%s | where TimeGenerated >= datetime(%s) | where %s =~ '%s'", t.Name, since.Format(time.RFC3339), col.Name, strings.ReplaceAll(v, "'", "\\'"))
						a := s.alert(t.Name, row, h, since, evidence)
						a.RuleID, a.RuleName, a.Product = "ti-map-retro", "Threat intelligence map (retroactive)", "Threat Intelligence"
						if _, err := s.raiser.RaiseAlert(ctx, a); err == nil {
							raised++
						}
					}
				}
				rows.Close()
			}
		}
	}
	return raised, nil
}
