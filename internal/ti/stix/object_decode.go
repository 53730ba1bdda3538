package stix

import (
	"encoding/json"
	"time"

	"github.com/rampart-soc/rampart/internal/ti/pattern"
)

// Options tune reading and validation.
type Options struct {
	// Strict turns warnings (naming, precision, non-UTC times, unparseable
	// patterns) into errors, for `rampart ti validate`.
	Strict bool
	// SkipPatterns skips parsing stix patterns during validation; a bad
	// pattern is otherwise reported as a warning (the indicator is kept).
	SkipPatterns bool
	// MaxObjects caps the objects read from one input (0: unlimited).
	MaxObjects int
	// MaxObjectBytes caps the size of one object (0: 16 MiB).
	MaxObjectBytes int
}

func (o Options) maxObjectBytes() int {
	if o.MaxObjectBytes > 0 {
		return o.MaxObjectBytes
	}
	return 16 << 20
}

// DecodeObject reads one STIX object. index is its position in the input,
// used in errors. It returns the object (nil when invalid), the problems
// that made it invalid, and warnings about a kept object.
func DecodeObject(raw []byte, index int, opt Options) (*Object, []*ValidationError, []*ValidationError) {
	c := &checker{idx: index, stricter: opt.Strict}
	if len(raw) > opt.maxObjectBytes() {
		c.fail("", RuleLimit, "object of %d bytes exceeds %d", len(raw), opt.maxObjectBytes())
		return nil, c.errs, nil
	}
	m, err := splitObject(raw)
	if err != nil {
		c.fail("", RuleJSON, "not a JSON object: %v", err)
		return nil, c.errs, nil
	}
	typ, ok := intern(m["type"], typeNames)
	c.typ, c.id = typ, idOf(m)
	switch {
	case !ok:
		c.fail("type", RuleRequired, "required property is missing")
	case !validType(typ):
		c.fail("type", RuleTypeName, "%q is not a valid type name", typ)
	}
	if id, ok := view(m["id"]); !ok {
		c.fail("id", RuleRequired, "required property is missing")
	} else if t, _, okID := SplitID(id); !okID {
		c.fail("id", RuleIdentifier, "%q is not a STIX identifier", id)
	} else if t != typ {
		c.fail("id", RuleIDType, "id type %q differs from type %q", t, typ)
	}
	if len(c.errs) > 0 {
		return nil, c.errs, nil
	}

	o := &Object{Type: typ, ID: c.id, Original: json.RawMessage(raw), Data: json.RawMessage(raw), Confidence: -1}
	changed := false
	if isV20(typ, m) {
		upgrade(typ, m)
		o.Upgraded, changed = true, true
	}
	if !opt.Strict && c.repair(m) {
		changed = true
	}
	if changed {
		if data, err := json.Marshal(m); err == nil {
			o.Data = data
		}
	}
	c.validate(m)
	c.sortFindings()
	if len(c.errs) > 0 {
		return nil, c.errs, c.warns
	}
	o.fill(m)
	if !opt.SkipPatterns && o.Indicator != nil && o.Indicator.PatternType == "stix" {
		if _, err := o.ParsePattern(); err != nil {
			c.warn("pattern", RulePattern, "%v", err)
			if len(c.errs) > 0 {
				return nil, c.errs, c.warns
			}
		}
	}
	return o, nil, c.warns
}

// typeNames and smallValues intern strings every object repeats, so a million objects do
// not hold a million copies of "indicator" or "2.1".
var (
	typeNames = func() map[string]string {
		m := map[string]string{}
		for t := range schemas {
			m[t] = t
		}
		return m
	}()
	smallValues = map[string]string{"2.0": "2.0", "2.1": "2.1", "stix": "stix", "pcre": "pcre", "sigma": "sigma",
		"snort": "snort", "suricata": "suricata", "yara": "yara"}
)

// intern decodes a string, returning the table's copy when it has one.
func intern(raw json.RawMessage, table map[string]string) (string, bool) {
	if v, ok := view(raw); ok {
		if t, ok := table[v]; ok {
			return t, true
		}
	}
	return str(raw)
}

func idOf(m map[string]json.RawMessage) string {
	id, _ := str(m["id"])
	return id
}

// fill copies the decoded properties of a valid 2.1 object.
func (o *Object) fill(m map[string]json.RawMessage) {
	o.SpecVersion, _ = intern(m["spec_version"], smallValues)
	o.Created = tm(m["created"])
	o.Modified = tm(m["modified"])
	o.Revoked, _ = boolean(m["revoked"])
	if raw, ok := m["confidence"]; ok {
		var n float64
		if json.Unmarshal(raw, &n) == nil {
			o.Confidence = int(n)
		}
	}
	o.CreatedByRef, _ = str(m["created_by_ref"])
	o.Lang, _ = str(m["lang"])
	o.Name, _ = str(m["name"])
	o.Description, _ = str(m["description"])
	o.Value, _ = str(m["value"])
	unmarshal(m["labels"], &o.Labels)
	unmarshal(m["aliases"], &o.Aliases)
	if s, ok := schemas[o.Type]; ok && s.typesProp != "" {
		unmarshal(m[s.typesProp], &o.Types)
	}
	unmarshal(m["object_marking_refs"], &o.ObjectMarkingRefs)
	unmarshal(m["granular_markings"], &o.GranularMarkings)
	unmarshal(m["external_references"], &o.ExternalReferences)
	unmarshal(m["kill_chain_phases"], &o.KillChainPhases)
	unmarshal(m["object_refs"], &o.ObjectRefs)

	switch o.Type {
	case "indicator":
		ind := &Indicator{ValidFrom: tm(m["valid_from"]), ValidUntil: tm(m["valid_until"])}
		ind.Pattern, _ = str(m["pattern"])
		ind.PatternType, _ = intern(m["pattern_type"], smallValues)
		ind.PatternVersion, _ = intern(m["pattern_version"], smallValues)
		o.Indicator = ind
	case "relationship":
		r := &Relationship{StartTime: tm(m["start_time"]), StopTime: tm(m["stop_time"])}
		r.RelationshipType, _ = str(m["relationship_type"])
		r.SourceRef, _ = str(m["source_ref"])
		r.TargetRef, _ = str(m["target_ref"])
		o.Relationship = r
	case "sighting":
		s := &Sighting{FirstSeen: tm(m["first_seen"]), LastSeen: tm(m["last_seen"]), Count: -1}
		s.SightingOfRef, _ = str(m["sighting_of_ref"])
		unmarshal(m["observed_data_refs"], &s.ObservedDataRefs)
		unmarshal(m["where_sighted_refs"], &s.WhereSightedRefs)
		if raw, ok := m["count"]; ok {
			unmarshal(raw, &s.Count)
		}
		o.Sighting = s
	case "marking-definition":
		md := &MarkingDefinition{TLP: markingTLP(o.ID, m)}
		md.DefinitionType, _ = str(m["definition_type"])
		if md.DefinitionType == "statement" {
			var d struct {
				Statement string `json:"statement"`
			}
			unmarshal(m["definition"], &d)
			md.Statement = d.Statement
		}
		if md.DefinitionType == "" && md.TLP != TLPUnknown {
			md.DefinitionType = "tlp"
		}
		o.Marking = md
	}
}

// ParsePattern parses an indicator's stix pattern with the grammar of its
// pattern_version (or spec version). Not cached: a million parsed
// patterns do not belong in every Object.
func (o *Object) ParsePattern() (*pattern.Pattern, error) {
	if o.Indicator == nil {
		return nil, errNotIndicator
	}
	v := o.SpecVersion
	if pv := o.Indicator.PatternVersion; pv == "2.0" || pv == "2.1" {
		v = pv
	}
	return pattern.ParseVersion(o.Indicator.Pattern, v)
}

type constError string

func (e constError) Error() string { return string(e) }

const errNotIndicator = constError("stix: not an indicator")

func tm(raw json.RawMessage) time.Time {
	s, ok := view(raw)
	if !ok {
		return time.Time{}
	}
	t, _, _ := ParseTime(s)
	return t
}

// unmarshal decodes an optional property that validation has checked.
func unmarshal(raw json.RawMessage, dst any) {
	if len(raw) > 0 {
		_ = json.Unmarshal(raw, dst)
	}
}
