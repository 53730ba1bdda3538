package rules

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"gopkg.in/yaml.v3"
)

// sentinelYAML is the analytics-rule YAML of Sentinel's repository.
type sentinelYAML struct {
	ID                   string                `yaml:"id" json:"id"`
	Name                 string                `yaml:"name" json:"name"`
	Description          string                `yaml:"description" json:"description"`
	Severity             string                `yaml:"severity" json:"severity"`
	Kind                 string                `yaml:"kind" json:"kind"`
	Enabled              *bool                 `yaml:"enabled" json:"enabled"`
	QueryFrequency       string                `yaml:"queryFrequency" json:"queryFrequency"`
	QueryPeriod          string                `yaml:"queryPeriod" json:"queryPeriod"`
	TriggerOperator      string                `yaml:"triggerOperator" json:"triggerOperator"`
	TriggerThreshold     *int                  `yaml:"triggerThreshold" json:"triggerThreshold"`
	Tactics              []string              `yaml:"tactics" json:"tactics"`
	RelevantTechniques   []string              `yaml:"relevantTechniques" json:"relevantTechniques"`
	Query                string                `yaml:"query" json:"query"`
	EntityMappings       []EntityMapping       `yaml:"entityMappings" json:"entityMappings"`
	CustomDetails        map[string]string     `yaml:"customDetails" json:"customDetails"`
	AlertDetailsOverride *AlertDetailsOverride `yaml:"alertDetailsOverride" json:"alertDetailsOverride"`
	EventGrouping        *eventGrouping        `yaml:"eventGroupingSettings" json:"eventGroupingSettings"`
	SuppressionDuration  string                `yaml:"suppressionDuration" json:"suppressionDuration"`
	SuppressionEnabled   bool                  `yaml:"suppressionEnabled" json:"suppressionEnabled"`
	Version              string                `yaml:"version" json:"version"`
	Incident             *incidentConfig       `yaml:"incidentConfiguration" json:"incidentConfiguration"`
}

type eventGrouping struct {
	AggregationKind string `yaml:"aggregationKind" json:"aggregationKind"`
}

type incidentConfig struct {
	CreateIncident *bool           `yaml:"createIncident" json:"createIncident"`
	Grouping       *groupingConfig `yaml:"groupingConfiguration" json:"groupingConfiguration"`
}

type groupingConfig struct {
	Enabled              bool     `yaml:"enabled" json:"enabled"`
	ReopenClosedIncident bool     `yaml:"reopenClosedIncident" json:"reopenClosedIncident"`
	LookbackDuration     string   `yaml:"lookbackDuration" json:"lookbackDuration"`
	MatchingMethod       string   `yaml:"matchingMethod" json:"matchingMethod"`
	GroupByEntities      []string `yaml:"groupByEntities" json:"groupByEntities"`
	GroupByAlertDetails  []string `yaml:"groupByAlertDetails" json:"groupByAlertDetails"`
	GroupByCustomDetails []string `yaml:"groupByCustomDetails" json:"groupByCustomDetails"`
}

// Parsed is a rule read from a file, or the problems that kept it out.
type Parsed struct {
	Rule     *Rule
	Problems []Problem
}

// ParseFile reads the rules of one file: Sentinel analytics-rule YAML, Sigma YAML (one or
// more documents), or JSON lines of rule records (the layout of the Sentinel corpus's
// rules.jsonl). Hunting queries (records without a schedule) are skipped.
func ParseFile(name string, data []byte) []Parsed {
	if strings.HasSuffix(strings.ToLower(name), ".jsonl") {
		return parseJSONLines(name, data)
	}
	var out []Parsed
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			out = append(out, Parsed{Problems: []Problem{{File: name, Line: yamlErrLine(err), Message: "invalid YAML: " + err.Error()}}})
			break
		}
		if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
			out = append(out, Parsed{Problems: []Problem{{File: name, Line: doc.Line, Message: "expected a YAML mapping (a rule)"}}})
			continue
		}
		m := doc.Content[0]
		switch {
		case hasKey(m, "detection") && (hasKey(m, "logsource") || hasKey(m, "correlation")) || hasKey(m, "correlation") || hasKey(m, "filter"):
			out = append(out, parseSigma(name, m, data))
		case hasKey(m, "query"):
			var y sentinelYAML
			if err := m.Decode(&y); err != nil {
				out = append(out, Parsed{Problems: []Problem{{File: name, Line: yamlErrLine(err), Message: err.Error()}}})
				continue
			}
			p := fromSentinel(name, y, func(key string) int { return keyLine(m, key) })
			out = append(out, p)
		default:
			out = append(out, Parsed{Problems: []Problem{{File: name, Line: m.Line, Message: "not a rule: a Sentinel rule has a query, a Sigma rule has logsource and detection"}}})
		}
	}
	return out
}

func parseJSONLines(name string, data []byte) []Parsed {
	var out []Parsed
	for i, line := range bytes.Split(data, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		var y sentinelYAML
		dec := json.NewDecoder(bytes.NewReader(line))
		if err := dec.Decode(&y); err != nil {
			out = append(out, Parsed{Problems: []Problem{{File: name, Line: i + 1, Message: "invalid JSON rule record: " + err.Error()}}})
			continue
		}
		if y.Kind != string(Scheduled) && y.Kind != string(NRT) {
			continue // hunting queries are not analytics rules
		}
		lineNo := i + 1
		out = append(out, fromSentinel(name, y, func(string) int { return lineNo }))
	}
	return out
}

func hasKey(m *yaml.Node, key string) bool { return keyLine(m, key) > 0 }

// keyLine is the line of key in mapping m, or 0.
func keyLine(m *yaml.Node, key string) int {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i].Line
		}
	}
	return 0
}

func yamlErrLine(err error) int {
	var te *yaml.TypeError
	msg := err.Error()
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	var line int
	if i := strings.Index(msg, "line "); i >= 0 {
		fmt.Sscanf(msg[i+5:], "%d", &line)
	}
	return line
}
