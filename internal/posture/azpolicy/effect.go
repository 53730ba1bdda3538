package azpolicy

import (
	"strings"
)

// The "then" block: the effect and its details.

type effectKind uint8

const (
	effAudit effectKind = iota
	effDeny
	effDisabled
	effAppend
	effModify
	effAuditIfNotExists
	effDeployIfNotExists
	effManual
	effDenyAction
	effOther // mutate, addToNetworkGroup: reported as matched
)

var effectKinds = map[string]effectKind{
	"audit":             effAudit,
	"deny":              effDeny,
	"disabled":          effDisabled,
	"append":            effAppend,
	"modify":            effModify,
	"auditifnotexists":  effAuditIfNotExists,
	"deployifnotexists": effDeployIfNotExists,
	"manual":            effManual,
	"denyaction":        effDenyAction,
	"mutate":            effOther,
	"addtonetworkgroup": effOther,
}

// compiledDetails holds the parts of then.details the effects evaluate.
type compiledDetails struct {
	raw any
	// modify
	roleDefinitionIds any
	operations        []compiledEntry
	// append
	entries []compiledEntry
	// auditIfNotExists / deployIfNotExists
	relType, relName, relGroup, relScope *template
	existence                            cond
}

// compiledEntry is a modify operation or an append entry: its keys as
// written, with "value" compiled.
type compiledEntry struct {
	raw   map[string]any
	value any
}

func (p *Policy) parseThen(v any) error {
	m, ok := v.(map[string]any)
	if !ok {
		return parseErr("\"then\" is %s, not an object", typeName(v))
	}
	var effect any
	var haveEffect bool
	for k, e := range m {
		switch strings.ToLower(k) {
		case "effect":
			effect, haveEffect = e, true
		case "details":
			p.details = e
		default:
			return parseErr("\"then\": unknown key %q", k)
		}
	}
	if !haveEffect {
		return parseErr("\"then\" has no effect")
	}
	s, ok := effect.(string)
	if !ok || s == "" {
		return parseErr("effect must be a non-empty string")
	}
	t, err := parseTemplate(s)
	if err != nil {
		return parseErr("effect: %v", err)
	}
	if t.isExpr() {
		if err := validateExpr(t.expr, false); err != nil {
			return parseErr("effect: %v", err)
		}
	} else if _, ok := effectKinds[strings.ToLower(t.lit)]; !ok {
		return parseErr("unknown effect %q", t.lit)
	}
	p.effect = t
	cd, err := p.compileDetails(p.details)
	if err != nil {
		return err
	}
	p.compiled = cd
	return nil
}

func (p *Policy) compileDetails(d any) (*compiledDetails, error) {
	cd := &compiledDetails{raw: d}
	switch x := d.(type) {
	case []any: // append
		for _, e := range x {
			ce, err := compileEntry(e, "append entry")
			if err != nil {
				return nil, err
			}
			cd.entries = append(cd.entries, ce)
		}
	case map[string]any:
		for k, v := range x {
			var err error
			switch strings.ToLower(k) {
			case "roledefinitionids":
				cd.roleDefinitionIds = v
			case "operations":
				err = p.compileOperations(cd, v)
			case "type":
				cd.relType, err = detailTemplate(k, v)
			case "name":
				cd.relName, err = detailTemplate(k, v)
			case "resourcegroupname":
				cd.relGroup, err = detailTemplate(k, v)
			case "existencescope":
				cd.relScope, err = detailTemplate(k, v)
			case "existencecondition":
				cd.existence, err = parseCond(v, 0)
			}
			if err != nil {
				return nil, err
			}
		}
	}
	return cd, nil
}

func (p *Policy) compileOperations(cd *compiledDetails, v any) error {
	ops, ok := v.([]any)
	if !ok {
		return parseErr("modify operations must be an array, not %s", typeName(v))
	}
	for _, o := range ops {
		ce, err := compileEntry(o, "modify operation")
		if err != nil {
			return err
		}
		if field, ok := lookupString(ce.raw, "field"); ok && !isExprString(field) {
			if known, ok := p.aliases.modifiable(field); known && !ok {
				return parseErr("modify: alias %s is not modifiable", field)
			}
		}
		cd.operations = append(cd.operations, ce)
	}
	return nil
}

func compileEntry(v any, what string) (compiledEntry, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return compiledEntry{}, parseErr("%s is %s, not an object", what, typeName(v))
	}
	ce := compiledEntry{raw: m}
	if val, ok := lookupKey(m, "value"); ok {
		c, err := compileDetailJSON(val)
		if err != nil {
			return compiledEntry{}, err
		}
		ce.value = c
	}
	return ce, nil
}

func detailTemplate(key string, v any) (*template, error) {
	s, ok := v.(string)
	if !ok {
		return nil, parseErr("details.%s must be a string, not %s", key, typeName(v))
	}
	c, err := compileDetailJSON(s)
	if err != nil {
		return nil, err
	}
	if t, ok := c.(*template); ok {
		return t, nil
	}
	return &template{raw: s, lit: c.(string)}, nil
}

// compileDetailJSON is compileJSON for effect details, where functions this
// package cannot run only fail if the details are evaluated.
func compileDetailJSON(v any) (any, error) {
	switch x := v.(type) {
	case string:
		t, err := parseTemplate(x)
		if err != nil {
			return nil, parseErr("%v", err)
		}
		if !t.isExpr() {
			return t.lit, nil
		}
		if err := validateExpr(t.expr, true); err != nil {
			return nil, parseErr("%v", err)
		}
		return &t, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			c, err := compileDetailJSON(e)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			c, err := compileDetailJSON(e)
			if err != nil {
				return nil, err
			}
			out[k] = c
		}
		return out, nil
	}
	return v, nil
}
