package azpolicy

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
)

// Policy is a compiled policy definition, safe for concurrent evaluation.
type Policy struct {
	Name        string // definition name (a GUID for built-ins), if given
	DisplayName string
	// Mode is "All", "Indexed" or a resource provider data mode such as
	// "Microsoft.Kubernetes.Data", whose rules target data-plane objects
	// this package does not model.
	Mode       string
	Parameters map[string]Parameter

	cond     cond
	effect   template
	details  any // then.details as written
	compiled *compiledDetails
	aliases  *Aliases

	names     sync.Map // field name -> *parsedName
	nameCount atomic.Int64
}

// Parameter is a declared policy parameter.
type Parameter struct {
	Type          string
	DefaultValue  any
	HasDefault    bool
	AllowedValues []any
}

// ErrParse wraps every error ParseDefinition and ParseRule return.
var ErrParse = errors.New("invalid policy")

// ParseDefinition compiles a policy definition: the ARM resource
// ({"properties": {...}}) or its properties object. aliases may be nil.
func ParseDefinition(data []byte, aliases *Aliases) (*Policy, error) {
	doc, err := decodeJSON(data)
	if err != nil {
		return nil, parseErr("%v", err)
	}
	m, ok := doc.(map[string]any)
	if !ok {
		return nil, parseErr("definition is %s, not an object", typeName(doc))
	}
	p := &Policy{aliases: aliases}
	if _, ok := lookupKey(m, "policyRule"); !ok {
		if props, ok := lookupKey(m, "properties"); ok {
			pm, ok := props.(map[string]any)
			if !ok {
				return nil, parseErr("properties is %s, not an object", typeName(props))
			}
			p.Name, _ = lookupString(m, "name")
			m = pm
		}
	}
	p.DisplayName, _ = lookupString(m, "displayName")
	p.Mode, _ = lookupString(m, "mode")
	if err := p.parseParameters(m); err != nil {
		return nil, err
	}
	r, ok := lookupKey(m, "policyRule")
	if !ok {
		return nil, parseErr("definition has no policyRule")
	}
	if err := p.parseRule(r); err != nil {
		return nil, err
	}
	return p, nil
}

// ParseRule compiles a bare policy rule ({"if": ..., "then": ...}).
func ParseRule(data []byte, aliases *Aliases) (*Policy, error) {
	doc, err := decodeJSON(data)
	if err != nil {
		return nil, parseErr("%v", err)
	}
	p := &Policy{aliases: aliases}
	if err := p.parseRule(doc); err != nil {
		return nil, err
	}
	return p, nil
}

func parseErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrParse, fmt.Sprintf(format, args...))
}

func (p *Policy) parseParameters(m map[string]any) error {
	raw, ok := lookupKey(m, "parameters")
	if !ok || raw == nil {
		return nil
	}
	pm, ok := raw.(map[string]any)
	if !ok {
		return parseErr("parameters is %s, not an object", typeName(raw))
	}
	p.Parameters = make(map[string]Parameter, len(pm))
	for name, dv := range pm {
		d, ok := dv.(map[string]any)
		if !ok {
			return parseErr("parameter %q is %s, not an object", name, typeName(dv))
		}
		var par Parameter
		par.Type, _ = lookupString(d, "type")
		par.DefaultValue, par.HasDefault = lookupKey(d, "defaultValue")
		if av, ok := lookupKey(d, "allowedValues"); ok {
			par.AllowedValues, _ = av.([]any)
		}
		p.Parameters[name] = par
	}
	return nil
}

func (p *Policy) parseRule(doc any) error {
	m, ok := doc.(map[string]any)
	if !ok {
		return parseErr("policy rule is %s, not an object", typeName(doc))
	}
	var ifv, thenv any
	var haveIf, haveThen bool
	for k, v := range m {
		switch strings.ToLower(k) {
		case "if":
			ifv, haveIf = v, true
		case "then":
			thenv, haveThen = v, true
		default:
			return parseErr("policy rule: unknown key %q", k)
		}
	}
	if !haveIf {
		return parseErr("policy rule has no \"if\"")
	}
	if !haveThen {
		return parseErr("policy rule has no \"then\"")
	}
	c, err := parseCond(ifv, 0)
	if err != nil {
		return err
	}
	p.cond = c
	return p.parseThen(thenv)
}

// resolveParams merges supplied values over declared defaults. Names match
// case-insensitively, as in ARM.
func (p *Policy) resolveParams(given map[string]any) map[string]any {
	out := make(map[string]any, len(p.Parameters)+len(given))
	for name, par := range p.Parameters {
		if par.HasDefault {
			out[name] = par.DefaultValue
		}
	}
	for k, v := range given {
		name := k
		for declared := range p.Parameters {
			if strings.EqualFold(declared, k) {
				name = declared
			}
		}
		out[name] = normalize(v)
	}
	return out
}
