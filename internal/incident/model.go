// Package incident holds alerts and the incidents that group them: grouping by rule
// settings and shared entities, the New → Active → Closed lifecycle, comments, tasks and a
// timeline. Every alert is also a row of SecurityAlert and every incident change a row of
// SecurityIncident, as in Sentinel, so KQL sees them.
package incident

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Severity of alerts and incidents, in Sentinel's spelling.
type Severity string

// Severities from least to most severe.
const (
	Informational Severity = "Informational"
	Low           Severity = "Low"
	Medium        Severity = "Medium"
	High          Severity = "High"
)

var severityRank = map[Severity]int{Informational: 0, Low: 1, Medium: 2, High: 3}

// ParseSeverity accepts Sentinel's severities case-insensitively (and Sigma's levels).
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "informational", "info", "":
		return Informational, nil
	case "low":
		return Low, nil
	case "medium":
		return Medium, nil
	case "high", "critical":
		return High, nil
	}
	return "", fmt.Errorf("unknown severity %q (want Informational, Low, Medium or High)", s)
}

func maxSeverity(a, b Severity) Severity {
	if severityRank[b] > severityRank[a] {
		return b
	}
	return a
}

// Status of an incident.
type Status string

// The lifecycle.
const (
	New    Status = "New"
	Active Status = "Active"
	Closed Status = "Closed"
)

// Classifications a closed incident carries.
var classifications = map[string]bool{"TruePositive": true, "BenignPositive": true, "FalsePositive": true, "Undetermined": true}

// Entity is a Sentinel entity: {"Type": "account", "Name": ..., "NTDomain": ...}.
type Entity map[string]any

// Type is the entity's type, lower-cased.
func (e Entity) Type() string {
	t, _ := e["Type"].(string)
	return strings.ToLower(t)
}

// identity is a stable text for comparing entities: type and sorted identifier values.
func (e Entity) identity() string {
	keys := make([]string, 0, len(e))
	for k := range e {
		if k != "Type" && !strings.HasPrefix(k, "$") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(e.Type())
	for _, k := range keys {
		fmt.Fprintf(&b, "|%s=%v", k, e[k])
	}
	return strings.ToLower(b.String())
}

// Evidence points at the events an alert was raised on.
type Evidence struct {
	Table string   `json:"table"`
	Query string   `json:"query,omitempty"` // a KQL query that returns the events
	Start string   `json:"start,omitempty"`
	End   string   `json:"end,omitempty"`
	IDs   []string `json:"ids,omitempty"`
}

// Grouping is a rule's incident settings (Sentinel's incidentConfiguration).
type Grouping struct {
	CreateIncident bool          `json:"createIncident"`
	Enabled        bool          `json:"enabled"`
	Lookback       time.Duration `json:"lookback"`
	// Method: AllEntities, AnyAlert or Selected.
	Method        string   `json:"matchingMethod"`
	Entities      []string `json:"groupByEntities,omitempty"`
	AlertDetails  []string `json:"groupByAlertDetails,omitempty"` // DisplayName, Severity
	CustomDetails []string `json:"groupByCustomDetails,omitempty"`
	ReopenClosed  bool     `json:"reopenClosedIncident"`
}

// DefaultGrouping groups alerts of a rule that share all their entities within 5 hours.
func DefaultGrouping() Grouping {
	return Grouping{CreateIncident: true, Enabled: true, Lookback: 5 * time.Hour, Method: "AllEntities"}
}

// Alert is a detection's finding.
type Alert struct {
	ID            string            `json:"id"`
	Time          time.Time         `json:"time"`
	RuleID        string            `json:"ruleId,omitempty"`
	RuleName      string            `json:"ruleName,omitempty"`
	RuleVersion   int               `json:"ruleVersion,omitempty"`
	Product       string            `json:"product"` // component: "Scheduled Alerts", "NRT Alerts", "Sigma", "Threat Intelligence", "Posture", ...
	Title         string            `json:"title"`
	Description   string            `json:"description,omitempty"`
	Severity      Severity          `json:"severity"`
	Tactics       []string          `json:"tactics,omitempty"`
	Techniques    []string          `json:"techniques,omitempty"`
	Entities      []Entity          `json:"entities,omitempty"`
	CustomDetails map[string]string `json:"customDetails,omitempty"`
	Evidence      []Evidence        `json:"evidence,omitempty"`
	// StartTime and EndTime span the events the alert is about (for time to detect).
	StartTime   time.Time `json:"startTime"`
	EndTime     time.Time `json:"endTime"`
	Remediation string    `json:"remediation,omitempty"`
	Incident    int       `json:"incident,omitempty"` // the incident it joined
	Grouping    *Grouping `json:"grouping,omitempty"` // nil: DefaultGrouping
}

// Owner of an incident.
type Owner struct {
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
}

// Comment on an incident.
type Comment struct {
	Time   time.Time `json:"time"`
	Author string    `json:"author"`
	Text   string    `json:"text"`
}

// Task is a to-do on an incident.
type Task struct {
	ID          int       `json:"id"`
	Title       string    `json:"title"`
	Description string    `json:"description,omitempty"`
	Status      string    `json:"status"` // New or Completed
	Created     time.Time `json:"created"`
	Author      string    `json:"author"`
}

// Change is one entry of an incident's timeline.
type Change struct {
	Time   time.Time `json:"time"`
	Actor  string    `json:"actor"`
	What   string    `json:"what"`
	Detail string    `json:"detail,omitempty"`
}

// Incident groups alerts for an analyst to work.
type Incident struct {
	Number                int        `json:"number"`
	ID                    string     `json:"id"`
	Title                 string     `json:"title"`
	Description           string     `json:"description,omitempty"`
	Severity              Severity   `json:"severity"`
	Status                Status     `json:"status"`
	Classification        string     `json:"classification,omitempty"`
	ClassificationReason  string     `json:"classificationReason,omitempty"`
	ClassificationComment string     `json:"classificationComment,omitempty"`
	Owner                 Owner      `json:"owner"`
	Labels                []string   `json:"labels"`
	AlertIDs              []string   `json:"alertIds"`
	RuleIDs               []string   `json:"ruleIds"`
	Tactics               []string   `json:"tactics"`
	Techniques            []string   `json:"techniques"`
	Products              []string   `json:"products"`
	Comments              []Comment  `json:"comments"`
	Tasks                 []Task     `json:"tasks"`
	Timeline              []Change   `json:"timeline"`
	FirstActivity         time.Time  `json:"firstActivityTime"`
	LastActivity          time.Time  `json:"lastActivityTime"`
	Created               time.Time  `json:"createdTime"`
	Modified              time.Time  `json:"lastModifiedTime"`
	ClosedTime            *time.Time `json:"closedTime,omitempty"`
	GroupKey              string     `json:"-"`
}

func addUnique(list []string, items ...string) []string {
	for _, it := range items {
		if it == "" {
			continue
		}
		found := false
		for _, x := range list {
			if x == it {
				found = true
				break
			}
		}
		if !found {
			list = append(list, it)
		}
	}
	return list
}
