package stix

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unsafe"
)

// checker accumulates the problems of one object.
type checker struct {
	idx      int
	id, typ  string
	errs     []*ValidationError
	warns    []*ValidationError
	stricter bool // Options.Strict: warnings become errors
}

func (c *checker) fail(prop string, rule Rule, format string, args ...any) {
	c.errs = append(c.errs, &ValidationError{Index: c.idx, ID: c.id, Type: c.typ, Property: prop, Rule: rule, Msg: fmt.Sprintf(format, args...)})
}

func (c *checker) warn(prop string, rule Rule, format string, args ...any) {
	if c.stricter {
		c.fail(prop, rule, format, args...)
		return
	}
	c.warns = append(c.warns, &ValidationError{Index: c.idx, ID: c.id, Type: c.typ, Property: prop, Rule: rule, Msg: fmt.Sprintf(format, args...)})
}

// sortFindings orders errors and warnings by property: validation walks the members of a
// map, and reports must not change from run to run.
func (c *checker) sortFindings() {
	for _, l := range [][]*ValidationError{c.errs, c.warns} {
		if len(l) > 1 {
			slices.SortStableFunc(l, func(a, b *ValidationError) int { return strings.Compare(a.Property, b.Property) })
		}
	}
}

// validate checks the 2.1 form of an object (m) against its type's
// schema and the cross-property rules of the spec.
func (c *checker) validate(m map[string]json.RawMessage) {
	s, known := schemas[c.typ]
	if !known {
		c.validateCustom(m)
		return
	}
	for _, name := range s.required {
		if raw, ok := m[name]; (!ok || isNull(raw)) && !(name == "spec_version" && s.kind == KindSCO) {
			c.fail(name, RuleRequired, "required property is missing")
		}
	}
	for name, raw := range m {
		p, ok := s.props[name]
		switch {
		case !ok && !propertyNameOK(name):
			c.warn(name, RulePropertyName, "custom property names must be 3–250 characters of a–z, 0–9 and _")
		case ok && !isNull(raw):
			c.checkProp(name, p, raw)
		}
	}
	if sv, ok := view(m["spec_version"]); ok && sv != "2.1" {
		c.fail("spec_version", RuleSpecVersion, "must be \"2.1\", got %q", sv)
	}
	if s.kind != KindSCO {
		c.timeOrder(m, "created", "modified", false, "modified must not be earlier than created")
		if c.typ != "marking-definition" { // markings have only created
			c.precision(m, "created")
			c.precision(m, "modified")
		}
	}
	c.typeRules(m)
}

// validateCustom checks what every object has: id, and timestamps when present.
func (c *checker) validateCustom(m map[string]json.RawMessage) {
	for _, name := range []string{"created", "modified"} {
		if raw, ok := m[name]; ok {
			c.checkProp(name, opt(pTime), raw)
		}
	}
	c.timeOrder(m, "created", "modified", false, "modified must not be earlier than created")
	if raw, ok := m["object_marking_refs"]; ok {
		c.checkProp("object_marking_refs", refs("marking-definition"), raw)
	}
	if raw, ok := m["granular_markings"]; ok {
		c.checkProp("granular_markings", opt(pGranular), raw)
	}
}

func (c *checker) typeRules(m map[string]json.RawMessage) {
	switch c.typ {
	case "indicator":
		c.timeOrder(m, "valid_from", "valid_until", true, "valid_until must be later than valid_from")
	case "observed-data":
		c.timeOrder(m, "first_observed", "last_observed", false, "last_observed must not be earlier than first_observed")
		_, objs := m["objects"]
		_, refs := m["object_refs"]
		if objs == refs {
			c.fail("object_refs", RuleExclusive, "exactly one of objects and object_refs is required")
		}
	case "malware":
		if b, ok := boolean(m["is_family"]); ok && b {
			if _, ok := m["name"]; !ok {
				c.fail("name", RuleRequired, "name is required when is_family is true")
			}
		}
		c.timeOrder(m, "first_seen", "last_seen", false, "last_seen must not be earlier than first_seen")
	case "campaign", "intrusion-set", "threat-actor", "infrastructure", "sighting":
		c.timeOrder(m, "first_seen", "last_seen", false, "last_seen must not be earlier than first_seen")
	case "relationship":
		c.timeOrder(m, "start_time", "stop_time", true, "stop_time must be later than start_time")
		if rt, ok := str(m["relationship_type"]); ok && !validRelType(rt) {
			c.warn("relationship_type", RuleValue, "should be lower case a–z, 0–9 and '-'")
		}
	case "marking-definition":
		c.markingRules(m)
	case "location":
		_, lat := m["latitude"]
		_, lon := m["longitude"]
		_, region := m["region"]
		_, country := m["country"]
		if lat != lon {
			c.fail("latitude", RuleExclusive, "latitude and longitude go together")
		}
		if !lat && !region && !country {
			c.fail("region", RuleRequired, "one of region, country, or latitude and longitude is required")
		}
	case "opinion":
		if v, ok := str(m["opinion"]); ok && !slices.Contains([]string{"strongly-disagree", "disagree", "neutral", "agree", "strongly-agree"}, v) {
			c.fail("opinion", RuleValue, "%q is not in opinion-enum", v)
		}
	case "malware-analysis":
		_, res := m["result"]
		_, scos := m["analysis_sco_refs"]
		if !res && !scos {
			c.fail("result", RuleRequired, "one of result and analysis_sco_refs is required")
		}
	case "network-traffic":
		_, src := m["src_ref"]
		_, dst := m["dst_ref"]
		if !src && !dst {
			c.fail("src_ref", RuleRequired, "one of src_ref and dst_ref is required")
		}
	case "artifact":
		_, bin := m["payload_bin"]
		_, url := m["url"]
		_, hashes := m["hashes"]
		if bin && url {
			c.fail("payload_bin", RuleExclusive, "payload_bin and url are mutually exclusive")
		}
		if url && !hashes {
			c.fail("hashes", RuleRequired, "hashes is required with url")
		}
	}
}

func (c *checker) markingRules(m map[string]json.RawMessage) {
	if _, ok := m["modified"]; ok {
		c.warn("modified", RuleValue, "marking definitions are not versioned")
	}
	_, dt := m["definition_type"]
	_, def := m["definition"]
	_, ext := m["extensions"]
	switch {
	case dt != def:
		c.fail("definition", RuleExclusive, "definition_type and definition go together")
	case !dt && !ext:
		c.fail("definition_type", RuleRequired, "definition_type and definition, or extensions, are required")
	case dt:
		t, _ := str(m["definition_type"])
		var d map[string]json.RawMessage
		_ = json.Unmarshal(m["definition"], &d)
		switch t {
		case "tlp":
			v, _ := str(d["tlp"])
			if TLPFromName(v) == TLPUnknown {
				c.fail("definition.tlp", RuleValue, "%q is not a TLP level", v)
			}
		case "statement":
			if _, ok := str(d["statement"]); !ok {
				c.fail("definition.statement", RuleRequired, "statement marking needs a statement string")
			}
		}
	}
}

func (c *checker) checkProp(name string, p prop, raw json.RawMessage) {
	switch p.kind {
	case pString: // raw is valid JSON: a string starts with a quote (no copy to check it)
		if len(raw) == 0 || raw[0] != '"' {
			c.fail(name, RuleType, "must be a string")
		}
	case pBool:
		if _, ok := boolean(raw); !ok {
			c.fail(name, RuleType, "must be true or false")
		}
	case pInt, pNumber:
		f, err := strconv.ParseFloat(string(bytes.TrimSpace(raw)), 64)
		if err != nil || (raw[0] < '0' || raw[0] > '9') && raw[0] != '-' {
			c.fail(name, RuleType, "must be a number")
			return
		}
		if p.kind == pInt && f != math.Trunc(f) {
			c.fail(name, RuleType, "must be an integer")
			return
		}
		if f < float64(p.min) || f > float64(p.max) {
			c.fail(name, RuleRange, "must be between %d and %d", p.min, p.max)
		}
	case pTime:
		c.checkTime(name, raw)
	case pStrings:
		var l []string
		if json.Unmarshal(raw, &l) != nil {
			c.fail(name, RuleType, "must be a list of strings")
		} else if p.nonEmpty && len(l) == 0 {
			c.fail(name, RuleEmpty, "must not be empty")
		}
	case pRef:
		s, ok := str(raw)
		if !ok {
			c.fail(name, RuleType, "must be an identifier string")
			return
		}
		c.checkRef(name, p, s)
	case pRefs:
		var l []string
		if json.Unmarshal(raw, &l) != nil {
			c.fail(name, RuleType, "must be a list of identifiers")
			return
		}
		if p.nonEmpty && len(l) == 0 {
			c.fail(name, RuleEmpty, "must not be empty")
		}
		for i, s := range l {
			if !c.checkRef(fmt.Sprintf("%s[%d]", name, i), p, s) {
				return // one error per list is enough
			}
		}
	case pKillChain:
		var l []map[string]json.RawMessage
		if json.Unmarshal(raw, &l) != nil {
			c.fail(name, RuleType, "must be a list of kill-chain-phase objects")
			return
		}
		for i, k := range l {
			for _, f := range []string{"kill_chain_name", "phase_name"} {
				if _, ok := str(k[f]); !ok {
					c.fail(fmt.Sprintf("%s[%d].%s", name, i, f), RuleRequired, "required string is missing")
				}
			}
		}
	case pExtRefs:
		var l []map[string]json.RawMessage
		if json.Unmarshal(raw, &l) != nil {
			c.fail(name, RuleType, "must be a list of external-reference objects")
			return
		}
		for i, r := range l {
			if _, ok := str(r["source_name"]); !ok {
				c.fail(fmt.Sprintf("%s[%d].source_name", name, i), RuleRequired, "required string is missing")
			}
			if h, ok := r["hashes"]; ok {
				c.checkProp(fmt.Sprintf("%s[%d].hashes", name, i), opt(pHashes), h)
			}
		}
	case pGranular:
		var l []map[string]json.RawMessage
		if json.Unmarshal(raw, &l) != nil {
			c.fail(name, RuleType, "must be a list of granular-marking objects")
			return
		}
		for i, g := range l {
			at := fmt.Sprintf("%s[%d]", name, i)
			var sel []string
			if json.Unmarshal(g["selectors"], &sel) != nil || len(sel) == 0 {
				c.fail(at+".selectors", RuleRequired, "a non-empty list of selectors is required")
			}
			_, mr := g["marking_ref"]
			_, lang := g["lang"]
			if mr == lang {
				c.fail(at+".marking_ref", RuleExclusive, "exactly one of marking_ref and lang is required")
			} else if mr {
				s, _ := str(g["marking_ref"])
				c.checkRef(at+".marking_ref", ref("marking-definition"), s)
			}
		}
	case pDict:
		if len(raw) == 0 || raw[0] != '{' {
			c.fail(name, RuleType, "must be an object")
		}
	case pList:
		if len(raw) == 0 || raw[0] != '[' {
			c.fail(name, RuleType, "must be a list")
		}
	case pHashes:
		var h map[string]string
		if json.Unmarshal(raw, &h) != nil {
			c.fail(name, RuleType, "must be a dictionary of hash strings")
		} else if len(h) == 0 {
			c.fail(name, RuleEmpty, "must not be empty")
		}
	}
}

func (c *checker) checkRef(name string, p prop, s string) bool {
	typ, _, ok := SplitID(s)
	if !ok {
		c.fail(name, RuleIdentifier, "%q is not a STIX identifier", s)
		return false
	}
	if p.refTypes != nil && !slices.Contains(p.refTypes, typ) {
		c.fail(name, RuleRefType, "may not refer to a %s", typ)
		return false
	}
	if slices.Contains(p.notTypes, typ) {
		c.fail(name, RuleRefType, "may not refer to a %s", typ)
		return false
	}
	return true
}

func (c *checker) checkTime(name string, raw json.RawMessage) (time.Time, bool) {
	s, ok := view(raw)
	if !ok {
		c.fail(name, RuleType, "must be a timestamp string")
		return time.Time{}, false
	}
	t, strict, err := ParseTime(s)
	if err != nil {
		c.fail(name, RuleTimestamp, "%q is not an RFC 3339 timestamp", s)
		return time.Time{}, false
	}
	if !strict {
		c.warn(name, RuleTimestamp, "%q should be UTC with a Z suffix", s)
	}
	return t, true
}

func (c *checker) precision(m map[string]json.RawMessage, name string) {
	if s, ok := view(m[name]); ok && !hasMillis(s) {
		c.warn(name, RuleTimePrecise, "%q should have millisecond precision", s)
	}
}

// timeOrder checks a <= b (or a < b when strict) when both parse.
func (c *checker) timeOrder(m map[string]json.RawMessage, a, b string, strict bool, msg string) {
	sa, ok1 := view(m[a])
	sb, ok2 := view(m[b])
	if !ok1 || !ok2 {
		return
	}
	ta, _, e1 := ParseTime(sa)
	tb, _, e2 := ParseTime(sb)
	if e1 != nil || e2 != nil {
		return
	}
	if tb.Before(ta) || strict && tb.Equal(ta) {
		c.fail(b, RuleOrder, "%s", msg)
	}
}

func validRelType(s string) bool {
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if !(ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9' || ch == '-') {
			return false
		}
	}
	return s != ""
}

func isNull(raw json.RawMessage) bool { return string(raw) == "null" }

func str(raw json.RawMessage) (string, bool) {
	if len(raw) < 2 || raw[0] != '"' {
		return "", false
	}
	// Fast path: raw comes from an already validated document, so a
	// string without escapes is its own content.
	if bytes.IndexByte(raw, '\\') < 0 && raw[len(raw)-1] == '"' {
		return string(raw[1 : len(raw)-1]), true
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

// view is str without the copy, for a value used and dropped at once (timestamps parsed,
// names compared): the string shares raw's bytes, which nobody modifies, and must not be
// kept. Messages that quote it copy it (fmt). Escaped strings are decoded into a copy.
func view(raw json.RawMessage) (string, bool) {
	if len(raw) >= 2 && raw[0] == '"' && raw[len(raw)-1] == '"' && bytes.IndexByte(raw, '\\') < 0 {
		return unsafe.String(&raw[1], len(raw)-2), true
	}
	return str(raw)
}

func boolean(raw json.RawMessage) (bool, bool) {
	switch string(raw) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}
