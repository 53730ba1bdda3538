package azpolicy

import (
	"strings"
)

// Conditions of a policy rule's "if" (and of existenceCondition).

type cond interface {
	eval(c *evalCtx) (bool, error)
}

type allOfCond []cond
type anyOfCond []cond
type notCond struct{ c cond }

// leafCond is field/value/count <operator> <value>.
type leafCond struct {
	field *template  // "field": a path, alias or expression
	value any        // "value": compiled JSON
	count *countSpec // "count"
	op    opKind
	rhs   any // compiled JSON
}

type countSpec struct {
	field *template // field count: an array alias ending in [*]
	value any       // value count: compiled JSON array
	name  string    // value count: name for current()
	where cond      // nil counts every member
}

// maxCondDepth bounds nesting of allOf/anyOf/not/count.
const maxCondDepth = 512

func parseCond(v any, depth int) (cond, error) {
	if depth > maxCondDepth {
		return nil, parseErr("conditions nested more than %d deep", maxCondDepth)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, parseErr("condition is %s, not an object", typeName(v))
	}
	if len(m) == 0 {
		return nil, parseErr("empty condition")
	}
	var logical, lhs, opKey string
	var opCount int
	for k := range m {
		lk := strings.ToLower(k)
		switch lk {
		case "allof", "anyof", "not":
			if logical != "" {
				return nil, parseErr("condition has both %q and %q", logical, k)
			}
			logical = k
		case "field", "value", "count":
			if lhs != "" {
				return nil, parseErr("condition has both %q and %q", lhs, k)
			}
			lhs = k
		default:
			if _, ok := opNames[lk]; !ok {
				return nil, parseErr("unknown condition key %q", k)
			}
			opKey = k
			opCount++
		}
	}
	if logical != "" {
		if len(m) != 1 {
			return nil, parseErr("%q must be the only key of its condition", logical)
		}
		return parseLogical(logical, m[logical], depth)
	}
	if lhs == "" {
		return nil, parseErr("condition needs field, value, count, allOf, anyOf or not")
	}
	if opCount != 1 {
		if opCount == 0 {
			return nil, parseErr("condition on %q has no operator", lhs)
		}
		return nil, parseErr("condition on %q has %d operators", lhs, opCount)
	}
	lc := &leafCond{op: opNames[strings.ToLower(opKey)]}
	rhs, err := compileJSON(m[opKey])
	if err != nil {
		return nil, err
	}
	if err := checkOperand(lc.op, opKey, rhs); err != nil {
		return nil, err
	}
	lc.rhs = rhs
	switch strings.ToLower(lhs) {
	case "field":
		t, err := parseFieldTemplate(m[lhs], false)
		if err != nil {
			return nil, err
		}
		lc.field = t
	case "value":
		if lc.value, err = compileJSON(m[lhs]); err != nil {
			return nil, err
		}
	case "count":
		if lc.count, err = parseCount(m[lhs], depth); err != nil {
			return nil, err
		}
	}
	return lc, nil
}

func parseLogical(key string, v any, depth int) (cond, error) {
	if strings.EqualFold(key, "not") {
		c, err := parseCond(v, depth+1)
		if err != nil {
			return nil, err
		}
		return notCond{c}, nil
	}
	arr, ok := v.([]any)
	if !ok {
		return nil, parseErr("%q must be an array, not %s", key, typeName(v))
	}
	list := make([]cond, len(arr))
	for i, e := range arr {
		c, err := parseCond(e, depth+1)
		if err != nil {
			return nil, err
		}
		list[i] = c
	}
	if strings.EqualFold(key, "allOf") {
		return allOfCond(list), nil
	}
	return anyOfCond(list), nil
}

func parseCount(v any, depth int) (*countSpec, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, parseErr("count is %s, not an object", typeName(v))
	}
	cs := &countSpec{}
	var haveField, haveValue, haveName bool
	for k, e := range m {
		switch strings.ToLower(k) {
		case "field":
			t, err := parseFieldTemplate(e, true)
			if err != nil {
				return nil, err
			}
			cs.field, haveField = t, true
		case "value":
			cv, err := compileJSON(e)
			if err != nil {
				return nil, err
			}
			cs.value, haveValue = cv, true
		case "name":
			s, ok := e.(string)
			if !ok || s == "" {
				return nil, parseErr("count name must be a non-empty string")
			}
			cs.name, haveName = s, true
		case "where":
			w, err := parseCond(e, depth+1)
			if err != nil {
				return nil, err
			}
			cs.where = w
		default:
			return nil, parseErr("unknown count key %q", k)
		}
	}
	switch {
	case haveField == haveValue:
		return nil, parseErr("count needs exactly one of field and value")
	case haveName && haveField:
		return nil, parseErr("count name applies only to value count")
	}
	return cs, nil
}

// parseFieldTemplate checks a "field" operand: a string naming a property
// path or alias, or an expression that computes one.
func parseFieldTemplate(v any, forCount bool) (*template, error) {
	s, ok := v.(string)
	if !ok {
		return nil, parseErr("field must be a string, not %s", typeName(v))
	}
	t, err := parseTemplate(s)
	if err != nil {
		return nil, parseErr("%v", err)
	}
	if t.isExpr() {
		if err := validateExpr(t.expr, false); err != nil {
			return nil, parseErr("%v", err)
		}
		return &t, nil
	}
	if _, err := resolvePathSyntax(t.lit); err != nil {
		return nil, parseErr("%v", err)
	}
	if forCount && !strings.HasSuffix(t.lit, "[*]") {
		return nil, parseErr("count field %q must end with [*]", t.lit)
	}
	return &t, nil
}

// resolvePathSyntax validates a literal field name. Aliases (names with a
// '/') are resolved later against the catalogue.
func resolvePathSyntax(name string) (path, error) {
	if strings.Contains(name, "/") {
		return nil, nil
	}
	return parsePath(name)
}

// checkOperand rejects literal operands an operator can never accept.
func checkOperand(op opKind, key string, rhs any) error {
	if _, isTmpl := rhs.(*template); isTmpl {
		return nil
	}
	switch op {
	case opExists:
		if _, err := existsFlag(rhs); err != nil {
			return parseErr("%s: %v", key, err)
		}
	case opIn, opNotIn:
		if _, ok := rhs.([]any); !ok {
			return parseErr("%s needs an array, not %s", key, typeName(rhs))
		}
	case opLike, opNotLike, opMatch, opNotMatch, opMatchInsensitively, opNotMatchInsensitively:
		if _, ok := rhs.(string); !ok {
			return parseErr("%s needs a string pattern, not %s", key, typeName(rhs))
		}
	}
	return nil
}

// compileJSON parses the expressions in a JSON operand; strings that are
// expressions become *template, escaped "[[" strings lose one bracket.
func compileJSON(v any) (any, error) {
	switch x := v.(type) {
	case string:
		t, err := parseTemplate(x)
		if err != nil {
			return nil, parseErr("%v", err)
		}
		if !t.isExpr() {
			return t.lit, nil
		}
		if err := validateExpr(t.expr, false); err != nil {
			return nil, parseErr("%v", err)
		}
		return &t, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			c, err := compileJSON(e)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			c, err := compileJSON(e)
			if err != nil {
				return nil, err
			}
			out[k] = c
		}
		return out, nil
	}
	return v, nil
}
