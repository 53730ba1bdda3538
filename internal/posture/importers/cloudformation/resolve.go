package cloudformation

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// noValue marks AWS::NoValue: the property (or list element) is removed.
type noValueT struct{}

var noValue = noValueT{}

// pseudo holds the pseudo parameters whose value does not depend on the deployment.
var pseudo = map[string]any{"AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com"}

// resolver evaluates intrinsic functions statically against one template.
type resolver struct {
	params     map[string]any // parameters with a usable Default
	paramTypes map[string]string
	mappings   map[string]any
	conditions map[string]any
	condState  map[string]int // 0 unknown yet, 1 evaluating, 2 true, 3 false, 4 undecidable
	resources  map[string]bool
	links      map[string]string // collected for the resource being resolved
}

func newResolver(root map[string]any) *resolver {
	r := &resolver{
		params: map[string]any{}, paramTypes: map[string]string{},
		condState: map[string]int{}, resources: map[string]bool{},
	}
	if ps, ok := root["Parameters"].(map[string]any); ok {
		for name, p := range ps {
			pm, _ := p.(map[string]any)
			typ, _ := pm["Type"].(string)
			r.paramTypes[name] = typ
			def, ok := pm["Default"]
			// SSM-typed parameters hold the parameter's name, not its value.
			if !ok || strings.HasPrefix(typ, "AWS::SSM::") {
				continue
			}
			if s, isStr := def.(string); isStr && (typ == "CommaDelimitedList" || strings.HasPrefix(typ, "List<")) {
				parts := []any{}
				for _, x := range strings.Split(s, ",") {
					parts = append(parts, strings.TrimSpace(x))
				}
				def = parts
			}
			r.params[name] = def
		}
	}
	r.mappings, _ = root["Mappings"].(map[string]any)
	r.conditions, _ = root["Conditions"].(map[string]any)
	if rs, ok := root["Resources"].(map[string]any); ok {
		for id := range rs {
			r.resources[id] = true
		}
	}
	return r
}

func (r *resolver) link(target, kind string) {
	if r.links != nil && r.resources[target] {
		if _, ok := r.links[target]; !ok {
			r.links[target] = kind
		}
	}
}

// resolve evaluates what it can of v; the rest stays in long form.
func (r *resolver) resolve(v any, depth int) any {
	if depth > maxDepth {
		return v
	}
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 1 {
			for k, arg := range x {
				if k == "Ref" || k == "Condition" || strings.HasPrefix(k, "Fn::") {
					return r.fn(k, arg, depth)
				}
			}
		}
		out := make(map[string]any, len(x))
		for k, e := range x {
			if rv := r.resolve(e, depth+1); rv != noValue {
				out[k] = rv
			}
		}
		return out
	case []any:
		out := make([]any, 0, len(x))
		for _, e := range x {
			if rv := r.resolve(e, depth+1); rv != noValue {
				out = append(out, rv)
			}
		}
		return out
	}
	return v
}

func (r *resolver) fn(name string, arg any, depth int) any {
	keep := func(a any) any { return map[string]any{name: a} }
	switch name {
	case "Ref":
		s, ok := arg.(string)
		if !ok {
			return keep(r.resolve(arg, depth+1))
		}
		if s == "AWS::NoValue" {
			return noValue
		}
		if v, ok := pseudo[s]; ok {
			return v
		}
		if v, ok := r.params[s]; ok {
			return v
		}
		r.link(s, "references")
		return keep(s)
	case "Condition":
		if s, ok := arg.(string); ok {
			if b, known := r.condition(s, depth); known {
				return b
			}
		}
		return keep(arg)
	case "Fn::GetAtt":
		a := r.resolve(arg, depth+1)
		switch t := a.(type) {
		case []any:
			if len(t) > 0 {
				if s, ok := t[0].(string); ok {
					r.link(s, "references")
				}
			}
		case string:
			res, _, _ := strings.Cut(t, ".")
			r.link(res, "references")
		}
		return keep(a)
	case "Fn::Sub":
		return r.sub(arg, depth)
	case "Fn::Join":
		a := r.resolve(arg, depth+1)
		if l, ok := a.([]any); ok && len(l) == 2 {
			delim, ok1 := l[0].(string)
			items, ok2 := l[1].([]any)
			if ok1 && ok2 {
				parts := make([]string, 0, len(items))
				for _, it := range items {
					s, ok := text(it)
					if !ok {
						return keep(a)
					}
					parts = append(parts, s)
				}
				return strings.Join(parts, delim)
			}
		}
		return keep(a)
	case "Fn::Select":
		a := r.resolve(arg, depth+1)
		if l, ok := a.([]any); ok && len(l) == 2 {
			if list, ok := l[1].([]any); ok {
				if i, ok := index(l[0]); ok && i < len(list) {
					return list[i]
				}
			}
		}
		return keep(a)
	case "Fn::Split":
		a := r.resolve(arg, depth+1)
		if l, ok := a.([]any); ok && len(l) == 2 {
			delim, ok1 := l[0].(string)
			s, ok2 := l[1].(string)
			if ok1 && ok2 && delim != "" {
				out := []any{}
				for _, p := range strings.Split(s, delim) {
					out = append(out, p)
				}
				return out
			}
		}
		return keep(a)
	case "Fn::If":
		l, ok := arg.([]any)
		if ok && len(l) == 3 {
			if c, ok := l[0].(string); ok {
				if b, known := r.condition(c, depth); known {
					if b {
						return r.resolve(l[1], depth+1)
					}
					return r.resolve(l[2], depth+1)
				}
			}
		}
		return keep(r.resolve(arg, depth+1))
	case "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not":
		if b, known := r.logic(name, arg, depth); known {
			return b
		}
		return keep(r.resolve(arg, depth+1))
	case "Fn::FindInMap":
		a := r.resolve(arg, depth+1)
		if l, ok := a.([]any); ok && len(l) >= 3 {
			if v, ok := r.findInMap(l); ok {
				return v
			}
		}
		return keep(a)
	}
	// Fn::Base64, Fn::GetAZs, Fn::Cidr, Fn::ImportValue, ...: arguments resolved, kept.
	return keep(r.resolve(arg, depth+1))
}

func (r *resolver) findInMap(l []any) (any, bool) {
	name, ok1 := l[0].(string)
	k1, ok2 := text(l[1])
	k2, ok3 := text(l[2])
	if ok1 && ok2 && ok3 {
		if m, ok := r.mappings[name].(map[string]any); ok {
			if top, ok := m[k1].(map[string]any); ok {
				if v, ok := top[k2]; ok {
					return v, true
				}
			}
		}
	}
	if len(l) == 4 { // the language extension's {DefaultValue: x}
		if d, ok := l[3].(map[string]any); ok {
			if v, ok := d["DefaultValue"]; ok {
				return v, ok1 && ok2 && ok3
			}
		}
	}
	return nil, false
}

// condition evaluates a named condition; known is false when it depends on the deployment.
func (r *resolver) condition(name string, depth int) (bool, bool) {
	switch r.condState[name] {
	case 1, 4:
		return false, false
	case 2:
		return true, true
	case 3:
		return false, true
	}
	expr, ok := r.conditions[name]
	if !ok {
		return false, false
	}
	r.condState[name] = 1
	v := r.resolve(expr, depth+1)
	b, isBool := v.(bool)
	switch {
	case !isBool:
		r.condState[name] = 4
		return false, false
	case b:
		r.condState[name] = 2
	default:
		r.condState[name] = 3
	}
	return b, true
}

func (r *resolver) logic(name string, arg any, depth int) (bool, bool) {
	l, ok := arg.([]any)
	if !ok {
		return false, false
	}
	vals := make([]any, len(l))
	for i, e := range l {
		vals[i] = r.resolve(e, depth+1)
	}
	switch name {
	case "Fn::Equals":
		if len(vals) != 2 {
			return false, false
		}
		a, ok1 := text(vals[0])
		b, ok2 := text(vals[1])
		if !ok1 || !ok2 {
			return false, false
		}
		return a == b, true
	case "Fn::Not":
		if len(vals) != 1 {
			return false, false
		}
		b, ok := vals[0].(bool)
		return !b, ok
	}
	all := name == "Fn::And"
	for _, v := range vals {
		b, ok := v.(bool)
		if !ok {
			return false, false
		}
		if all && !b {
			return false, true
		}
		if !all && b {
			return true, true
		}
	}
	return all, true
}

// sub substitutes ${Name} variables of Fn::Sub; what cannot be substituted is kept.
func (r *resolver) sub(arg any, depth int) any {
	var str string
	vars := map[string]any{}
	switch a := arg.(type) {
	case string:
		str = a
	case []any:
		if len(a) != 2 {
			return map[string]any{"Fn::Sub": r.resolve(arg, depth+1)}
		}
		s, ok := a[0].(string)
		if !ok {
			return map[string]any{"Fn::Sub": r.resolve(arg, depth+1)}
		}
		str = s
		if m, ok := r.resolve(a[1], depth+1).(map[string]any); ok {
			vars = m
		}
	default:
		return map[string]any{"Fn::Sub": r.resolve(arg, depth+1)}
	}
	// plain is the result if everything resolves; kept stays a valid Fn::Sub string.
	var plain, kept strings.Builder
	complete := true
	for {
		i := strings.Index(str, "${")
		if i < 0 {
			plain.WriteString(str)
			kept.WriteString(str)
			break
		}
		plain.WriteString(str[:i])
		kept.WriteString(str[:i])
		rest := str[i+2:]
		end := strings.IndexByte(rest, '}')
		if end < 0 {
			plain.WriteString(str[i:])
			kept.WriteString(str[i:])
			break
		}
		body := rest[:end]
		str = rest[end+1:]
		if strings.HasPrefix(body, "!") { // ${!Literal}
			plain.WriteString("${" + body[1:] + "}")
			kept.WriteString("${" + body + "}")
			continue
		}
		name := strings.TrimSpace(body)
		if v, ok := r.subVar(name, vars); ok {
			plain.WriteString(v)
			kept.WriteString(v)
			continue
		}
		complete = false
		kept.WriteString("${" + name + "}")
	}
	if complete {
		return plain.String()
	}
	if len(vars) > 0 {
		return map[string]any{"Fn::Sub": []any{kept.String(), vars}}
	}
	return map[string]any{"Fn::Sub": kept.String()}
}

func (r *resolver) subVar(name string, vars map[string]any) (string, bool) {
	if v, ok := vars[name]; ok {
		return text(v)
	}
	if v, ok := pseudo[name]; ok {
		return text(v)
	}
	if v, ok := r.params[name]; ok {
		return text(v) // list parameters cannot be substituted
	}
	res, _, _ := strings.Cut(name, ".")
	r.link(res, "references")
	return "", false
}

// text renders a resolved scalar as CloudFormation would in a string context.
func text(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case bool:
		return strconv.FormatBool(x), true
	case json.Number:
		return x.String(), true
	}
	return "", false
}

func index(v any) (int, bool) {
	switch x := v.(type) {
	case float64:
		if x >= 0 && x == float64(int(x)) {
			return int(x), true
		}
	case string:
		i, err := strconv.Atoi(strings.TrimSpace(x))
		return i, err == nil && i >= 0
	}
	return 0, false
}

// describe renders any value for a tag.
func describe(v any) string {
	if s, ok := text(v); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
