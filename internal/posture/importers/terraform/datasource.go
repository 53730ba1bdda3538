package terraform

import (
	"encoding/json"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// renderable lists the data sources computed statically: they only transform configuration,
// and policies need their output (most IAM policies are written as aws_iam_policy_document).
var renderable = map[string]bool{"aws_iam_policy_document": true}

// dataRef resolves data.<type>.<name>.<attr> for renderable data sources.
func (s *scope) dataRef(rest hcl.Traversal) (cty.Value, bool) {
	typ, ok1 := attrName(rest)
	if !ok1 || len(rest) < 2 {
		return cty.NilVal, false
	}
	name, ok2 := attrName(rest[1:])
	if !ok2 {
		return cty.NilVal, false
	}
	key := typ + "." + name
	if s.mod.dataBlk[key] == nil {
		return cty.NilVal, false
	}
	m := s.mod.resolveMemo(s.mod.dataMemo, key, func(ds *scope) (cty.Value, bool) {
		doc := ds.policyDocument(s.mod.dataBlk[key])
		b, err := json.Marshal(doc)
		if err != nil {
			return cty.NilVal, false
		}
		js := cty.StringVal(string(b))
		return cty.ObjectVal(map[string]cty.Value{"json": js, "minified_json": js}), true
	})
	return s.fromMemo(m, rest[2:])
}

// policyDocument renders an aws_iam_policy_document block as the provider does: statements
// in order, single-element lists written as strings.
func (s *scope) policyDocument(b *hclsyntax.Block) map[string]any {
	f := fileOf(s.mod, b)
	body, _ := toGo(s.body(b.Body, f, map[string]bool{"count": true, "for_each": true, "depends_on": true, "provider": true})).(map[string]any)
	version, _ := body["version"].(string)
	if version == "" {
		version = "2012-10-17"
	}
	doc := map[string]any{"Version": version}
	if id, ok := body["policy_id"].(string); ok {
		doc["Id"] = id
	}
	var stmts []any
	for _, raw := range list(body["statement"]) {
		st, ok := raw.(map[string]any)
		if !ok {
			continue
		}
		out := map[string]any{"Effect": "Allow"}
		if e, ok := st["effect"].(string); ok {
			out["Effect"] = e
		}
		if sid, ok := st["sid"].(string); ok && sid != "" {
			out["Sid"] = sid
		}
		for from, to := range map[string]string{"actions": "Action", "not_actions": "NotAction",
			"resources": "Resource", "not_resources": "NotResource"} {
			if v := flat(st[from]); v != nil {
				out[to] = v
			}
		}
		for from, to := range map[string]string{"principals": "Principal", "not_principals": "NotPrincipal"} {
			if p := principals(st[from]); p != nil {
				out[to] = p
			}
		}
		if c := conditions(st["condition"]); c != nil {
			out["Condition"] = c
		}
		stmts = append(stmts, out)
	}
	doc["Statement"] = stmts
	return doc
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

// flat writes a one-element list as its element, as IAM JSON usually is.
func flat(v any) any {
	l := list(v)
	switch len(l) {
	case 0:
		return nil
	case 1:
		return l[0]
	}
	return l
}

func principals(v any) any {
	byType := map[string][]any{}
	for _, raw := range list(v) {
		p, _ := raw.(map[string]any)
		typ, _ := p["type"].(string)
		if typ == "*" {
			return "*"
		}
		byType[typ] = append(byType[typ], list(p["identifiers"])...)
	}
	if len(byType) == 0 {
		return nil
	}
	out := map[string]any{}
	for typ, ids := range byType {
		out[typ] = flat(ids)
	}
	return out
}

func conditions(v any) any {
	out := map[string]any{}
	for _, raw := range list(v) {
		c, _ := raw.(map[string]any)
		test, _ := c["test"].(string)
		variable, _ := c["variable"].(string)
		if test == "" || variable == "" {
			continue
		}
		m, _ := out[test].(map[string]any)
		if m == nil {
			m = map[string]any{}
			out[test] = m
		}
		m[variable] = flat(c["values"])
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
