package sigma

import (
	"time"

	"github.com/rampart-soc/rampart/internal/sigma/correlation"
)

// CorrelationMatch turns a rule match on an event of a table into the input of
// the correlation engine: group-by and condition fields are Sigma field names,
// mapped here to the table's columns through the rule's pipeline target.
func CorrelationMatch(r *Rule, table string, ev Event, at time.Time) correlation.Match {
	var target *Target
	for _, t := range r.Targets {
		if t.Table == table {
			target = t
			break
		}
	}
	return correlation.Match{
		RuleID:   r.ID,
		RuleName: r.Name,
		Time:     at,
		Field: func(name string) (string, bool) {
			if target == nil {
				return "", false
			}
			col, err := target.Field(name)
			if err != nil {
				return "", false
			}
			v, ok := ev.Get(col)
			if !ok || !v.Scalar() {
				return "", false
			}
			return v.Str, true
		},
	}
}
