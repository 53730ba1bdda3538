package rules

import (
	"strconv"

	"gopkg.in/yaml.v3"
)

// ToYAML writes a rule in its own format: Sigma rules as their YAML, KQL rules as
// Sentinel analytics-rule YAML; Export joins them into one multi-document stream that
// import reads back unchanged.
func ToYAML(r *Rule) ([]byte, error) {
	if r.Kind == Sigma {
		return []byte(r.Sigma), nil
	}
	y := sentinelYAML{ID: r.ID, Name: r.Name, Description: r.Description, Severity: r.Severity, Kind: string(r.Kind),
		QueryFrequency: r.FrequencyText, QueryPeriod: r.PeriodText, TriggerOperator: r.TriggerOperator,
		Tactics: r.Tactics, RelevantTechniques: r.Techniques, Query: r.Query, EntityMappings: r.EntityMappings,
		CustomDetails: r.CustomDetails, AlertDetailsOverride: r.AlertDetailsOverride, Version: strconv.Itoa(r.Version) + ".0.0"}
	enabled := r.Enabled
	y.Enabled = &enabled
	th := r.TriggerThreshold
	y.TriggerThreshold = &th
	if r.AlertPerResult {
		y.EventGrouping = &eventGrouping{AggregationKind: "AlertPerResult"}
	}
	if r.SuppressionText != "" {
		y.SuppressionEnabled, y.SuppressionDuration = true, r.SuppressionText
	}
	if g := r.Grouping; g != nil {
		create := g.CreateIncident
		y.Incident = &incidentConfig{CreateIncident: &create}
		y.Incident.Grouping = &groupingConfig{g.Enabled, g.ReopenClosed, FormatDuration(g.Lookback), g.Method, g.Entities, g.AlertDetails, g.CustomDetails}
	}
	return yaml.Marshal(y)
}

// Export writes rules as one multi-document YAML stream.
func Export(rs []*Rule) ([]byte, error) {
	var out []byte
	for i, r := range rs {
		b, err := ToYAML(r)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			out = append(out, "---\n"...)
		}
		out = append(out, b...)
	}
	return out, nil
}
