// Package rules holds detection rules as data: Sentinel analytics rules (Scheduled and
// NRT, KQL) and Sigma rules, their validation with file and line, import and export,
// and versioned storage.
package rules

import (
	"strconv"
	"time"

	"github.com/rampart-soc/rampart/internal/incident"
)

// Kind of rule.
type Kind string

// Rule kinds.
const (
	Scheduled Kind = "Scheduled" // KQL on a schedule over a lookback
	NRT       Kind = "NRT"       // KQL over each newly ingested batch
	Sigma     Kind = "Sigma"     // Sigma, matched as events stream in
)

// FieldMapping maps a result column to an entity identifier.
type FieldMapping struct {
	Identifier string `json:"identifier" yaml:"identifier"`
	ColumnName string `json:"columnName" yaml:"columnName"`
}

// EntityMapping is Sentinel's entityMappings item.
type EntityMapping struct {
	EntityType    string         `json:"entityType" yaml:"entityType"`
	FieldMappings []FieldMapping `json:"fieldMappings" yaml:"fieldMappings"`
}

// AlertDetailsOverride takes alert properties from result columns.
type AlertDetailsOverride struct {
	DisplayNameFormat  string `json:"alertDisplayNameFormat,omitempty" yaml:"alertDisplayNameFormat"`
	DescriptionFormat  string `json:"alertDescriptionFormat,omitempty" yaml:"alertDescriptionFormat"`
	SeverityColumnName string `json:"alertSeverityColumnName,omitempty" yaml:"alertSeverityColumnName"`
	TacticsColumnName  string `json:"alertTacticsColumnName,omitempty" yaml:"alertTacticsColumnName"`
}

// Rule is a detection rule.
type Rule struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Description string   `json:"description,omitempty"`
	Kind        Kind     `json:"kind"`
	Enabled     bool     `json:"enabled"`
	Version     int      `json:"version"`
	Severity    string   `json:"severity"`
	Tactics     []string `json:"tactics,omitempty"`
	Techniques  []string `json:"techniques,omitempty"`

	// KQL rules.
	Query            string        `json:"query,omitempty"`
	Frequency        time.Duration `json:"-"`
	Period           time.Duration `json:"-"`
	FrequencyText    string        `json:"queryFrequency,omitempty"`
	PeriodText       string        `json:"queryPeriod,omitempty"`
	TriggerOperator  string        `json:"triggerOperator,omitempty"` // gt, lt, eq, ne
	TriggerThreshold int           `json:"triggerThreshold"`
	// AlertPerResult raises one alert per result row instead of one for all rows.
	AlertPerResult       bool                  `json:"alertPerResult,omitempty"`
	EntityMappings       []EntityMapping       `json:"entityMappings,omitempty"`
	CustomDetails        map[string]string     `json:"customDetails,omitempty"` // detail name → column
	AlertDetailsOverride *AlertDetailsOverride `json:"alertDetailsOverride,omitempty"`
	SuppressionDuration  time.Duration         `json:"-"`
	SuppressionText      string                `json:"suppressionDuration,omitempty"`
	Grouping             *incident.Grouping    `json:"incidentConfiguration,omitempty"`

	// Sigma rules keep their YAML.
	Sigma string `json:"sigma,omitempty"`

	// Source is where the rule was imported from ("file:line"), for messages.
	Source string `json:"source,omitempty"`
}

// Problem is one thing wrong with a rule file.
type Problem struct {
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
	RuleID  string `json:"ruleId,omitempty"`
	Message string `json:"message"`
	// Warning problems do not keep the rule out.
	Warning bool `json:"warning,omitempty"`
}

func (p Problem) String() string {
	loc := p.File
	if p.Line > 0 {
		loc = loc + ":" + strconv.Itoa(p.Line)
	}
	msg := p.Message
	if p.Warning {
		msg = "warning: " + msg
	}
	if p.RuleID != "" {
		return loc + ": rule " + p.RuleID + ": " + msg
	}
	return loc + ": " + msg
}
