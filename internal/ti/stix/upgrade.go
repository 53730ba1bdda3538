package stix

import "encoding/json"

// typesFromLabels: STIX 2.0 types whose required labels became an
// open-vocabulary *_types list in 2.1.
var typesFromLabels = map[string]string{
	"indicator":    "indicator_types",
	"malware":      "malware_types",
	"threat-actor": "threat_actor_types",
	"tool":         "tool_types",
	"report":       "report_types",
}

// isV20 reports whether an object is STIX 2.0: an SDO, SRO or marking
// without spec_version (2.1 requires it there), or spec_version "2.0".
// Top-level SCOs did not exist in 2.0, so an SCO without one is 2.1.
func isV20(typ string, m map[string]json.RawMessage) bool {
	if sv, ok := str(m["spec_version"]); ok {
		return sv == "2.0"
	}
	if KindOf(typ) == KindSCO {
		return false
	}
	_, created := m["created"]
	return created
}

// upgrade rewrites a STIX 2.0 object, in place, to its 2.1 form as MITRE
// and the OASIS tools do. 2.1-only properties already present (Unit 42
// playbooks carry some) are left alone.
func upgrade(typ string, m map[string]json.RawMessage) {
	m["spec_version"] = json.RawMessage(`"2.1"`)
	if prop, ok := typesFromLabels[typ]; ok {
		if labels, has := m["labels"]; has {
			if _, done := m[prop]; !done {
				m[prop] = labels
			}
			delete(m, "labels")
		}
	}
	switch typ {
	case "malware":
		if _, ok := m["is_family"]; !ok {
			m["is_family"] = json.RawMessage(`true`)
		}
	case "indicator":
		if _, ok := m["pattern_type"]; !ok {
			m["pattern_type"] = json.RawMessage(`"stix"`)
		}
		// The pattern was written in the 2.0 grammar; say so, so later
		// readers of the 2.1 form parse it the same way.
		if _, ok := m["pattern_version"]; !ok {
			m["pattern_version"] = json.RawMessage(`"2.0"`)
		}
	case "identity":
		// identity_class was required in 2.0 and is optional in 2.1: nothing to do.
	}
}
