package stix

import (
	"fmt"
	"strings"
)

// Rule names a validation rule, stable for counting and tests.
type Rule string

const (
	RuleJSON         Rule = "json"          // not a JSON object
	RuleRequired     Rule = "required"      // a required property is missing
	RuleType         Rule = "type"          // wrong JSON type for the property
	RuleTypeName     Rule = "type-name"     // malformed type name
	RuleIdentifier   Rule = "identifier"    // malformed id or reference
	RuleIDType       Rule = "id-type"       // id prefix differs from type
	RuleRefType      Rule = "ref-type"      // reference to a type not allowed here
	RuleTimestamp    Rule = "timestamp"     // unparseable or non-UTC timestamp
	RuleTimePrecise  Rule = "timestamp-ms"  // created/modified without millisecond precision
	RuleOrder        Rule = "order"         // e.g. modified before created, valid_until before valid_from
	RuleRange        Rule = "range"         // number out of range
	RuleEmpty        Rule = "non-empty"     // list must not be empty
	RuleSpecVersion  Rule = "spec-version"  // unknown spec_version
	RuleExclusive    Rule = "exclusive"     // mutually exclusive or co-required properties
	RuleValue        Rule = "value"         // value outside what the spec allows
	RulePropertyName Rule = "property-name" // custom property name breaks the naming rule
	RulePattern      Rule = "pattern"       // indicator pattern does not parse
	RuleDuplicate    Rule = "duplicate"     // same id and version twice in one input
	RuleLimit        Rule = "limit"         // input exceeds a configured limit
)

// ValidationError locates one problem: which object (index in the input,
// counting from 0, and id), which property, which rule.
type ValidationError struct {
	Index    int
	ID       string
	Type     string
	Property string // "" for object-level problems; dotted for nested
	Rule     Rule
	Msg      string
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "object %d", e.Index)
	if e.ID != "" {
		fmt.Fprintf(&b, " (%s)", e.ID)
	} else if e.Type != "" {
		fmt.Fprintf(&b, " (type %s)", e.Type)
	}
	if e.Property != "" {
		fmt.Fprintf(&b, ": property %s", e.Property)
	}
	fmt.Fprintf(&b, ": %s: %s", e.Rule, e.Msg)
	return b.String()
}
