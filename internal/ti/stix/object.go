package stix

import (
	"encoding/json"
	"time"
)

// Kind is the STIX category of an object type.
type Kind int

const (
	KindCustom Kind = iota // unknown or custom type (x-…, vendor types)
	KindSDO
	KindSRO
	KindSCO
	KindSMO
)

func (k Kind) String() string {
	return [...]string{"custom", "sdo", "sro", "sco", "smo"}[k]
}

// KindOf classifies a type name.
func KindOf(typ string) Kind {
	if s, ok := schemas[typ]; ok {
		return s.kind
	}
	return KindCustom
}

// Object is one STIX object as read: the commonly needed properties
// decoded, the rest left in the JSON.
type Object struct {
	Type        string
	ID          string
	SpecVersion string // "2.1" after upgrade; as given for SCOs ("" allowed)
	Upgraded    bool   // converted from STIX 2.0 on input

	Created  time.Time // zero for SCOs
	Modified time.Time // zero for SCOs and marking definitions
	Revoked  bool
	// Confidence is 0–100, or -1 when the object carries none.
	Confidence   int
	CreatedByRef string
	Lang         string

	Name        string
	Description string
	Labels      []string
	// Types is the type's open-vocabulary list: indicator_types,
	// malware_types, threat_actor_types, tool_types, report_types, …
	Types   []string
	Aliases []string

	ObjectMarkingRefs  []string
	GranularMarkings   []GranularMarking
	ExternalReferences []ExternalReference
	KillChainPhases    []KillChainPhase
	// ObjectRefs: report, grouping, note, opinion and observed-data.
	ObjectRefs []string
	// Value is the value property of simple SCOs (ipv4-addr, domain-name,
	// url, email-addr, mac-addr, …).
	Value string

	Indicator    *Indicator
	Relationship *Relationship
	Sighting     *Sighting
	Marking      *MarkingDefinition

	// Original is the object exactly as received; Data is its STIX 2.1
	// form, the same bytes unless Upgraded.
	Original json.RawMessage
	Data     json.RawMessage
}

// Version is the object's version timestamp: modified, else created
// (marking definitions). Zero for SCOs, which are not versioned.
func (o *Object) Version() time.Time {
	if !o.Modified.IsZero() {
		return o.Modified
	}
	return o.Created
}

// Kind returns the object's category.
func (o *Object) Kind() Kind { return KindOf(o.Type) }

// Property decodes one top-level property of the 2.1 form into dst and
// reports whether it was present. For properties Object does not decode.
func (o *Object) Property(name string, dst any) (bool, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(o.Data, &m); err != nil {
		return false, err
	}
	raw, ok := m[name]
	if !ok {
		return false, nil
	}
	return true, json.Unmarshal(raw, dst)
}

// GranularMarking marks the properties named by Selectors.
type GranularMarking struct {
	MarkingRef string   `json:"marking_ref,omitempty"`
	Lang       string   `json:"lang,omitempty"`
	Selectors  []string `json:"selectors"`
}

// ExternalReference points outside STIX (ATT&CK ids, CVEs, reports).
type ExternalReference struct {
	SourceName  string            `json:"source_name"`
	Description string            `json:"description,omitempty"`
	URL         string            `json:"url,omitempty"`
	Hashes      map[string]string `json:"hashes,omitempty"`
	ExternalID  string            `json:"external_id,omitempty"`
}

// KillChainPhase is one (kill chain, phase) pair.
type KillChainPhase struct {
	KillChainName string `json:"kill_chain_name"`
	PhaseName     string `json:"phase_name"`
}

// Indicator holds the indicator-specific properties.
type Indicator struct {
	Pattern        string
	PatternType    string
	PatternVersion string
	ValidFrom      time.Time
	ValidUntil     time.Time // zero: no end
}

// Relationship holds the relationship-specific properties.
type Relationship struct {
	RelationshipType string
	SourceRef        string
	TargetRef        string
	StartTime        time.Time
	StopTime         time.Time
}

// Sighting holds the sighting-specific properties.
type Sighting struct {
	SightingOfRef    string
	ObservedDataRefs []string
	WhereSightedRefs []string
	FirstSeen        time.Time
	LastSeen         time.Time
	Count            int // -1 when absent
}

// MarkingDefinition holds the marking-specific properties; TLP is set
// when the definition is a TLP 1.0 or 2.0 level.
type MarkingDefinition struct {
	DefinitionType string
	Statement      string
	TLP            TLP
}

// ActiveAt reports whether an indicator may be used for detection at t:
// not revoked, and t in [valid_from, valid_until). Other objects are
// active unless revoked.
func (o *Object) ActiveAt(t time.Time) bool {
	if o.Revoked {
		return false
	}
	if o.Indicator == nil {
		return true
	}
	if !o.Indicator.ValidFrom.IsZero() && t.Before(o.Indicator.ValidFrom) {
		return false
	}
	return o.Indicator.ValidUntil.IsZero() || t.Before(o.Indicator.ValidUntil)
}

// Expired reports whether an indicator's valid_until has passed at t.
func (o *Object) Expired(t time.Time) bool {
	return o.Indicator != nil && !o.Indicator.ValidUntil.IsZero() && !t.Before(o.Indicator.ValidUntil)
}
