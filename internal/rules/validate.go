package rules

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/rampart-soc/rampart/internal/attack"
	"github.com/rampart-soc/rampart/internal/incident"
)

// Sentinel's limits on scheduled rules.
const (
	minFrequency = 5 * time.Minute
	maxPeriod    = 14 * 24 * time.Hour
	maxQueryLen  = 10000
)

var idRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$`)

// fromSentinel turns a Sentinel rule record into a Rule, checking it the way Sentinel's
// own validation does; line gives the line of a top-level key for messages.
func fromSentinel(file string, y sentinelYAML, line func(key string) int) Parsed {
	var probs []Problem
	bad := func(key, format string, args ...any) {
		l := line(key)
		if l == 0 { // the key is missing: point at the rule
			l = line("id")
		}
		probs = append(probs, Problem{File: file, Line: l, RuleID: y.ID, Message: fmt.Sprintf(format, args...)})
	}
	r := &Rule{ID: strings.TrimSpace(y.ID), Name: strings.TrimSpace(y.Name), Description: strings.TrimSpace(y.Description),
		Query: y.Query, CustomDetails: y.CustomDetails, AlertDetailsOverride: y.AlertDetailsOverride, Enabled: true, Version: 1,
		Source: fmt.Sprintf("%s:%d", file, line("id"))}
	if y.Enabled != nil {
		r.Enabled = *y.Enabled
	}
	if !idRE.MatchString(r.ID) {
		bad("id", "id %q must be 1-128 letters, digits, '.', '_', ':' or '-' (Sentinel uses a GUID)", y.ID)
	}
	if r.Name == "" {
		bad("name", "name is required")
	}
	switch strings.ToLower(y.Kind) {
	case "scheduled", "":
		r.Kind = Scheduled
	case "nrt":
		r.Kind = NRT
	default:
		bad("kind", "kind %q is not supported (Scheduled or NRT)", y.Kind)
	}
	sev, err := incident.ParseSeverity(y.Severity)
	if err != nil || y.Severity == "" {
		bad("severity", "severity %q: want Informational, Low, Medium or High", y.Severity)
	}
	r.Severity = string(sev)
	if strings.TrimSpace(y.Query) == "" {
		bad("query", "query is required")
	} else if len(y.Query) > maxQueryLen {
		bad("query", "query is %d characters; Sentinel allows %d", len(y.Query), maxQueryLen)
	}
	if r.Kind == Scheduled {
		if r.Frequency, err = ParseDuration(y.QueryFrequency); err != nil {
			bad("queryFrequency", "queryFrequency: %v", err)
		} else if r.Frequency < minFrequency || r.Frequency > maxPeriod {
			bad("queryFrequency", "queryFrequency %s must be between 5m and 14d", y.QueryFrequency)
		}
		if r.Period, err = ParseDuration(y.QueryPeriod); err != nil {
			bad("queryPeriod", "queryPeriod: %v", err)
		} else if r.Period < minFrequency || r.Period > maxPeriod {
			bad("queryPeriod", "queryPeriod %s must be between 5m and 14d", y.QueryPeriod)
		} else if r.Frequency > r.Period {
			bad("queryPeriod", "queryPeriod %s is shorter than queryFrequency %s", y.QueryPeriod, y.QueryFrequency)
		}
		r.FrequencyText, r.PeriodText = FormatDuration(r.Frequency), FormatDuration(r.Period)
	}
	switch strings.ToLower(y.TriggerOperator) {
	case "gt", "greaterthan", "":
		r.TriggerOperator = "gt"
	case "lt", "lessthan":
		r.TriggerOperator = "lt"
	case "eq", "equal":
		r.TriggerOperator = "eq"
	case "ne", "notequal":
		r.TriggerOperator = "ne"
	default:
		bad("triggerOperator", "triggerOperator %q: want gt, lt, eq or ne", y.TriggerOperator)
	}
	if y.TriggerThreshold != nil {
		r.TriggerThreshold = *y.TriggerThreshold
		if r.TriggerThreshold < 0 || r.TriggerThreshold > 10000 {
			bad("triggerThreshold", "triggerThreshold %d must be between 0 and 10000", r.TriggerThreshold)
		}
	}
	tac, tech, warnings, err := attack.Enterprise().Normalize(y.Tactics, y.RelevantTechniques)
	r.Tactics, r.Techniques = tac, tech
	if err != nil {
		bad("relevantTechniques", "%v", err)
	}
	var warns []Problem
	for _, w := range warnings {
		warns = append(warns, Problem{File: file, Line: line("tactics"), RuleID: y.ID, Message: w, Warning: true})
	}
	if len(y.EntityMappings) > 10 {
		bad("entityMappings", "%d entity mappings; Sentinel allows 10", len(y.EntityMappings))
	}
	for i, m := range y.EntityMappings {
		if len(m.FieldMappings) == 0 || len(m.FieldMappings) > 3 {
			bad("entityMappings", "entity mapping %d (%s) needs 1 to 3 field mappings", i+1, m.EntityType)
		}
		em := EntityMapping{}
		for _, f := range m.FieldMappings {
			typ, id, ok := entityType(m.EntityType, f.Identifier)
			switch {
			case typ == "":
				bad("entityMappings", "entity mapping %d: unknown entity type %q", i+1, m.EntityType)
			case !ok:
				bad("entityMappings", "entity mapping %d: %s has no identifier %q", i+1, typ, f.Identifier)
			case strings.TrimSpace(f.ColumnName) == "":
				bad("entityMappings", "entity mapping %d: %s.%s has no columnName", i+1, typ, id)
			}
			em.EntityType = typ
			em.FieldMappings = append(em.FieldMappings, FieldMapping{Identifier: id, ColumnName: strings.TrimSpace(f.ColumnName)})
		}
		r.EntityMappings = append(r.EntityMappings, em)
	}
	if len(y.CustomDetails) > 20 {
		bad("customDetails", "%d custom details; Sentinel allows 20", len(y.CustomDetails))
	}
	if y.EventGrouping != nil {
		switch y.EventGrouping.AggregationKind {
		case "AlertPerResult":
			r.AlertPerResult = true
		case "SingleAlert", "":
		default:
			bad("eventGroupingSettings", "aggregationKind %q: want SingleAlert or AlertPerResult", y.EventGrouping.AggregationKind)
		}
	}
	if y.SuppressionEnabled && y.SuppressionDuration != "" {
		if r.SuppressionDuration, err = ParseDuration(y.SuppressionDuration); err != nil {
			bad("suppressionDuration", "suppressionDuration: %v", err)
		}
		r.SuppressionText = FormatDuration(r.SuppressionDuration)
	}
	if v := strings.Split(y.Version, ".")[0]; v != "" {
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			r.Version = n
		}
	}
	if y.Incident != nil {
		g := incident.DefaultGrouping()
		g.Enabled = false
		if y.Incident.CreateIncident != nil {
			g.CreateIncident = *y.Incident.CreateIncident
		}
		if gc := y.Incident.Grouping; gc != nil {
			g.Enabled, g.ReopenClosed = gc.Enabled, gc.ReopenClosedIncident
			g.Entities, g.AlertDetails, g.CustomDetails = gc.GroupByEntities, gc.GroupByAlertDetails, gc.GroupByCustomDetails
			switch gc.MatchingMethod {
			case "AllEntities", "AnyAlert", "Selected":
				g.Method = gc.MatchingMethod
			case "":
			default:
				bad("incidentConfiguration", "matchingMethod %q: want AllEntities, AnyAlert or Selected", gc.MatchingMethod)
			}
			if gc.LookbackDuration != "" {
				if g.Lookback, err = ParseDuration(gc.LookbackDuration); err != nil {
					bad("incidentConfiguration", "lookbackDuration: %v", err)
				}
			}
		}
		r.Grouping = &g
	}
	if len(probs) > 0 {
		return Parsed{Problems: append(probs, warns...)}
	}
	return Parsed{Rule: r, Problems: warns}
}

// sigmaMeta is what the rule store needs from a Sigma rule; the Sigma engine compiles it.
type sigmaMeta struct {
	ID     string   `yaml:"id"`
	Title  string   `yaml:"title"`
	Name   string   `yaml:"name"`
	Level  string   `yaml:"level"`
	Status string   `yaml:"status"`
	Desc   string   `yaml:"description"`
	Tags   []string `yaml:"tags"`
}

func parseSigma(file string, m *yaml.Node, data []byte) Parsed {
	var meta sigmaMeta
	if err := m.Decode(&meta); err != nil {
		return Parsed{Problems: []Problem{{File: file, Line: yamlErrLine(err), Message: err.Error()}}}
	}
	src, err := yaml.Marshal(m)
	if err != nil {
		return Parsed{Problems: []Problem{{File: file, Line: m.Line, Message: err.Error()}}}
	}
	var probs []Problem
	if meta.ID == "" {
		meta.ID = meta.Name
	}
	if !idRE.MatchString(meta.ID) {
		probs = append(probs, Problem{File: file, Line: keyLine(m, "id"), Message: fmt.Sprintf("Sigma rule id %q is missing or invalid", meta.ID)})
	}
	sev := incident.Medium
	if meta.Level != "" {
		if s, err := incident.ParseSeverity(meta.Level); err == nil {
			sev = s
		}
	}
	var tactics, techniques []string
	for _, t := range meta.Tags {
		t = strings.ToLower(t)
		rest, ok := strings.CutPrefix(t, "attack.")
		if !ok {
			continue
		}
		if strings.HasPrefix(rest, "t") && len(rest) >= 5 && rest[1] >= '0' && rest[1] <= '9' {
			if _, ok := attack.Enterprise().Technique(rest); ok {
				techniques = append(techniques, strings.ToUpper(rest))
			}
		} else if tac, ok := attack.Enterprise().Tactic(strings.ReplaceAll(rest, "_", "-")); ok {
			tactics = append(tactics, tac.Name)
		}
	}
	if len(probs) > 0 {
		return Parsed{Problems: probs}
	}
	title := meta.Title
	if title == "" {
		title = meta.Name
	}
	return Parsed{Rule: &Rule{ID: meta.ID, Name: title, Description: meta.Desc, Kind: Sigma, Enabled: true, Version: 1,
		Severity: string(sev), Tactics: tactics, Techniques: techniques, Sigma: string(src), Source: fmt.Sprintf("%s:%d", file, m.Line)}}
}
