package detect

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/rampart-soc/rampart/internal/incident"
	"github.com/rampart-soc/rampart/internal/rules"
)

// Result is a KQL query's answer as the scheduler needs it.
type Result struct {
	Columns []string
	Rows    [][]any
}

func (r *Result) row(i int) map[string]any {
	m := make(map[string]any, len(r.Columns))
	for j, c := range r.Columns {
		if j < len(r.Rows[i]) {
			m[c] = r.Rows[i][j]
		}
	}
	return m
}

// triggered applies the rule's trigger to the number of result rows.
func triggered(r *rules.Rule, n int) bool {
	switch r.TriggerOperator {
	case "lt":
		return n < r.TriggerThreshold
	case "eq":
		return n == r.TriggerThreshold
	case "ne":
		return n != r.TriggerThreshold
	}
	return n > r.TriggerThreshold
}

func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case float64:
		return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%f", x), "0"), ".")
	}
	return fmt.Sprint(v)
}

// mapEntities builds a row's entities from the rule's entity mappings.
func mapEntities(r *rules.Rule, row map[string]any) []incident.Entity {
	var out []incident.Entity
	for _, m := range r.EntityMappings {
		e := incident.Entity{"Type": strings.ToLower(m.EntityType)}
		for _, f := range m.FieldMappings {
			if v := text(row[f.ColumnName]); v != "" {
				e[f.Identifier] = v
			}
		}
		if len(e) > 1 {
			out = append(out, e)
		}
	}
	return out
}

var placeholder = regexp.MustCompile(`\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}`)

// format fills {{Column}} placeholders of alert details overrides.
func format(f string, row map[string]any) string {
	return placeholder.ReplaceAllStringFunc(f, func(m string) string {
		return text(row[placeholder.FindStringSubmatch(m)[1]])
	})
}

// alertID is stable for a rule, a window and a result, so a re-run window raises nothing twice.
func alertID(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x1f")))
	x := hex.EncodeToString(h[:16])
	return x[:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32]
}

// buildAlerts turns a triggered result into alerts per the rule's event grouping,
// details override, custom details and entity mappings.
func buildAlerts(r *rules.Rule, res *Result, windowStart, windowEnd time.Time, product string) []incident.Alert {
	base := func(row map[string]any) incident.Alert {
		a := incident.Alert{RuleID: r.ID, RuleName: r.Name, RuleVersion: r.Version, Product: product, Title: r.Name,
			Description: r.Description, Severity: incident.Severity(r.Severity), Tactics: r.Tactics, Techniques: r.Techniques,
			StartTime: windowStart, EndTime: windowEnd, Grouping: r.Grouping,
			Evidence: []incident.Evidence{{Query: r.Query, Start: windowStart.Format(time.RFC3339Nano), End: windowEnd.Format(time.RFC3339Nano)}}}
		if o := r.AlertDetailsOverride; o != nil && row != nil {
			if o.DisplayNameFormat != "" {
				if t := strings.TrimSpace(format(o.DisplayNameFormat, row)); t != "" {
					a.Title = t
				}
			}
			if o.DescriptionFormat != "" {
				a.Description = format(o.DescriptionFormat, row)
			}
			if c := o.SeverityColumnName; c != "" {
				if sev, err := incident.ParseSeverity(text(row[c])); err == nil && text(row[c]) != "" {
					a.Severity = sev
				}
			}
			if c := o.TacticsColumnName; c != "" && text(row[c]) != "" {
				a.Tactics = strings.Split(text(row[c]), ",")
			}
		}
		if len(r.CustomDetails) > 0 && row != nil {
			a.CustomDetails = map[string]string{}
			for name, col := range r.CustomDetails {
				a.CustomDetails[name] = text(row[col])
			}
		}
		if t, ok := row["TimeGenerated"].(time.Time); ok {
			a.StartTime, a.EndTime = t, t
		}
		return a
	}
	if r.AlertPerResult {
		n := min(len(res.Rows), 150) // Sentinel's cap on alerts per run
		out := make([]incident.Alert, 0, n)
		for i := 0; i < n; i++ {
			row := res.row(i)
			a := base(row)
			a.Entities = mapEntities(r, row)
			a.ID = alertID(r.ID, windowEnd.Format(time.RFC3339Nano), fmt.Sprint(i), fmt.Sprint(res.Rows[i]))
			out = append(out, a)
		}
		return out
	}
	var first map[string]any
	if len(res.Rows) > 0 {
		first = res.row(0)
	}
	a := base(first)
	a.StartTime, a.EndTime = windowStart, windowEnd
	seen := map[string]bool{}
	for i := 0; i < len(res.Rows) && len(a.Entities) < 500; i++ {
		for _, e := range mapEntities(r, res.row(i)) {
			if k := fmt.Sprint(e); !seen[k] {
				seen[k] = true
				a.Entities = append(a.Entities, e)
			}
		}
	}
	if a.CustomDetails == nil {
		a.CustomDetails = map[string]string{}
	}
	a.CustomDetails["ResultCount"] = fmt.Sprint(len(res.Rows))
	a.ID = alertID(r.ID, windowEnd.Format(time.RFC3339Nano))
	return []incident.Alert{a}
}
