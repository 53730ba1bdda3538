package rule

import "time"

// Kind tells which of the three Sigma document types a document is.
type Kind uint8

const (
	KindRule Kind = iota
	KindCorrelation
	KindFilter
)

func (k Kind) String() string {
	switch k {
	case KindCorrelation:
		return "correlation"
	case KindFilter:
		return "filter"
	}
	return "rule"
}

// Document is one YAML document of a Sigma file; exactly one of the pointers is set.
type Document struct {
	Kind        Kind
	Rule        *Rule
	Correlation *Correlation
	Filter      *Filter
	Pos         Pos
}

// ID returns the id of whichever document this is.
func (d *Document) ID() string {
	switch d.Kind {
	case KindCorrelation:
		return d.Correlation.ID
	case KindFilter:
		return d.Filter.ID
	}
	return d.Rule.ID
}

// Meta holds the descriptive fields shared by every document type.
type Meta struct {
	Title          string
	ID             string
	Name           string
	Status         string
	Description    string
	Author         string
	License        string
	Taxonomy       string
	Date           string
	Modified       string
	Level          string
	References     []string
	Tags           []string
	FalsePositives []string
	Fields         []string
	Scope          []string
	Related        []Related
	Source         string // file the document came from
}

// Related links a rule to another rule (derived, obsolete, merged, renamed, similar).
type Related struct {
	ID   string
	Type string
}

// LogSource says which events a rule reads.
type LogSource struct {
	Product    string
	Category   string
	Service    string
	Definition string
}

// IsZero reports whether no routing key is set.
func (l LogSource) IsZero() bool { return l.Product == "" && l.Category == "" && l.Service == "" }

// Contains reports whether every key l sets is equal in o (unset keys are wildcards).
func (l LogSource) Contains(o LogSource) bool {
	return (l.Product == "" || l.Product == o.Product) &&
		(l.Category == "" || l.Category == o.Category) &&
		(l.Service == "" || l.Service == o.Service)
}

func (l LogSource) String() string {
	s := ""
	add := func(k, v string) {
		if v == "" {
			return
		}
		if s != "" {
			s += " "
		}
		s += k + "=" + v
	}
	add("product", l.Product)
	add("category", l.Category)
	add("service", l.Service)
	if s == "" {
		return "(empty logsource)"
	}
	return s
}

// Rule is a detection rule.
type Rule struct {
	Meta
	LogSource LogSource
	Detection Detection
	Pos       Pos
}

// Detection holds the named searches and the condition(s).
type Detection struct {
	Searches   []*Search // in file order
	Conditions []Condition
}

// Search returns the named search or nil.
func (d *Detection) Search(name string) *Search {
	for _, s := range d.Searches {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// Condition is one condition string with where it starts.
type Condition struct {
	Text string
	Pos  Pos
}

// Search is a named search identifier: an OR over groups, each group an AND of items.
type Search struct {
	Name   string
	Groups [][]Item
	Pos    Pos
}

// Item is one `Field|mod|mod: values` entry; Field is empty for keyword searches.
type Item struct {
	Field     string
	Modifiers []Modifier
	Values    []Scalar
	Pos       Pos
}

// Has reports whether the item carries modifier m.
func (it *Item) Has(m Modifier) bool {
	for _, x := range it.Modifiers {
		if x == m {
			return true
		}
	}
	return false
}

// ValueKind is the YAML type of a detection value.
type ValueKind uint8

const (
	ValString ValueKind = iota
	ValInt
	ValFloat
	ValBool
	ValNull
)

// Scalar is one detection value as typed by YAML.
type Scalar struct {
	Kind  ValueKind
	Text  string // string value, or canonical text of a number/bool
	Int   int64
	Float float64
	Bool  bool
	Pos   Pos
}

// CorrelationType names the correlation aggregation.
type CorrelationType string

const (
	EventCount      CorrelationType = "event_count"
	ValueCount      CorrelationType = "value_count"
	Temporal        CorrelationType = "temporal"
	TemporalOrdered CorrelationType = "temporal_ordered"
	ValueSum        CorrelationType = "value_sum"
	ValueAvg        CorrelationType = "value_avg"
	ValuePercentile CorrelationType = "value_percentile"
)

// Correlation is a meta-rule over the matches of other rules.
type Correlation struct {
	Meta
	Type      CorrelationType
	Rules     []string
	GroupBy   []string
	Timespan  time.Duration
	Condition []Comparison // ANDed; empty means the type's default
	Field     []string     // for value_* types
	// Percentile is the optional `percentile:` key of value_percentile.
	Percentile float64
	Aliases    map[string]map[string]string // alias -> rule id/name -> field
	Generate   bool
	Pos        Pos
}

// Comparison is one `op: threshold` of a correlation condition.
type Comparison struct {
	Op    string // gt, gte, lt, lte, eq, neq
	Value float64
}

// Holds reports whether x satisfies the comparison.
func (c Comparison) Holds(x float64) bool {
	switch c.Op {
	case "gt":
		return x > c.Value
	case "gte":
		return x >= c.Value
	case "lt":
		return x < c.Value
	case "lte":
		return x <= c.Value
	case "eq":
		return x == c.Value
	case "neq":
		return x != c.Value
	}
	return false
}

// Filter is a meta filter that narrows other rules.
type Filter struct {
	Meta
	LogSource LogSource
	Rules     []string // ids or names; empty with Any=true means every rule
	Any       bool
	Detection Detection
	Pos       Pos
}
