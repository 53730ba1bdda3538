package stix

import "encoding/json"

// repair fixes, in place, the few deviations real producers commit that
// have one obvious reading, so a feed's indicators are not lost over a
// missing default: pre-standard 2.1 drafts (cti-stix-slider output) lack
// pattern_type and is_family, and Unit 42 playbooks send identity_class
// as a list. Each repair is reported as a warning; Strict mode skips
// repairs, so `rampart ti validate` still reports them as errors.
func (c *checker) repair(m map[string]json.RawMessage) bool {
	changed := false
	switch c.typ {
	case "indicator":
		if _, ok := m["pattern_type"]; !ok {
			if _, has := m["pattern"]; has {
				m["pattern_type"] = json.RawMessage(`"stix"`)
				c.warn("pattern_type", RuleRequired, "missing; assumed \"stix\"")
				changed = true
			}
		}
	case "malware":
		if _, ok := m["is_family"]; !ok {
			_, named := m["name"]
			m["is_family"], _ = json.Marshal(named)
			c.warn("is_family", RuleRequired, "missing; assumed %v", named)
			changed = true
		}
	case "identity":
		var l []string
		if raw, ok := m["identity_class"]; ok && json.Unmarshal(raw, &l) == nil {
			if len(l) > 0 {
				m["identity_class"], _ = json.Marshal(l[0])
			} else {
				delete(m, "identity_class")
			}
			c.warn("identity_class", RuleType, "a list; kept its first value")
			changed = true
		}
	}
	return changed
}
