package cloudformation

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// maxNodes bounds the values one template may expand to (YAML aliases can multiply a small
// document into a huge one).
const maxNodes = 500_000

// maxDepth bounds nesting, for both decoding and intrinsic resolution.
const maxDepth = 256

var errTooLarge = errors.New("template expands to too many values (YAML aliases?)")

// decoded is a template as JSON-like values plus the line of each resource.
type decoded struct {
	root  map[string]any
	lines map[string]int // logical id -> line of its key
}

// decode reads a YAML or JSON template. YAML short-form intrinsics (!Ref, !Sub, ...) become
// their long form ({"Ref": x}, {"Fn::Sub": x}).
func decode(data []byte) (*decoded, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		// JSON that YAML rejects (tabs in odd places) still decodes as JSON, without lines.
		if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '{' {
			var m map[string]any
			if jerr := json.Unmarshal(data, &m); jerr == nil {
				return &decoded{root: m, lines: map[string]int{}}, nil
			}
		}
		return nil, err
	}
	c := &converter{}
	top := &doc
	if top.Kind == yaml.DocumentNode && len(top.Content) > 0 {
		top = top.Content[0]
	}
	v, err := c.value(top, 0)
	if err != nil {
		return nil, err
	}
	root, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("line %d: template is not a mapping", top.Line)
	}
	d := &decoded{root: root, lines: map[string]int{}}
	if top.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(top.Content); i += 2 {
			if top.Content[i].Value == "Resources" && top.Content[i+1].Kind == yaml.MappingNode {
				res := top.Content[i+1]
				for j := 0; j+1 < len(res.Content); j += 2 {
					d.lines[res.Content[j].Value] = res.Content[j].Line
				}
			}
		}
	}
	return d, nil
}

type converter struct{ nodes int }

func (c *converter) value(n *yaml.Node, depth int) (any, error) {
	c.nodes++
	if c.nodes > maxNodes {
		return nil, errTooLarge
	}
	if depth > maxDepth {
		return nil, fmt.Errorf("line %d: nesting deeper than %d", n.Line, maxDepth)
	}
	tag := n.Tag
	if strings.HasPrefix(tag, "!") && !strings.HasPrefix(tag, "!!") && tag != "!" {
		inner, err := c.untagged(n, depth)
		if err != nil {
			return nil, err
		}
		return intrinsic(strings.TrimPrefix(tag, "!"), inner), nil
	}
	return c.untagged(n, depth)
}

// untagged converts a node by its kind, ignoring a custom tag.
func (c *converter) untagged(n *yaml.Node, depth int) (any, error) {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return c.value(n.Content[0], depth+1)
	case yaml.AliasNode:
		if n.Alias == nil {
			return nil, nil
		}
		return c.value(n.Alias, depth+1)
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, e := range n.Content {
			v, err := c.value(e, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, vn := n.Content[i], n.Content[i+1]
			v, err := c.value(vn, depth+1)
			if err != nil {
				return nil, err
			}
			if k.ShortTag() == "!!merge" {
				if m, ok := v.(map[string]any); ok {
					for mk, mv := range m {
						if _, have := out[mk]; !have {
							out[mk] = mv
						}
					}
				}
				continue
			}
			out[k.Value] = v
		}
		return out, nil
	case yaml.ScalarNode:
		return scalar(n), nil
	}
	return nil, nil
}

// scalar decodes a plain scalar as JSON would see it: numbers as float64, timestamps (an
// unquoted 2012-10-17 policy version) kept as the text written.
func scalar(n *yaml.Node) any {
	if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		return n.Value
	}
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		var b bool
		if n.Decode(&b) == nil {
			return b
		}
	case "!!int", "!!float":
		var f float64
		if n.Decode(&f) == nil {
			return f
		}
		if f, err := strconv.ParseFloat(n.Value, 64); err == nil {
			return f
		}
	}
	return n.Value
}

// intrinsic builds the long form of a short-form tag.
func intrinsic(name string, v any) any {
	switch name {
	case "Ref", "Condition":
		return map[string]any{name: v}
	case "GetAtt":
		if s, ok := v.(string); ok {
			res, attr, found := strings.Cut(s, ".")
			if found {
				return map[string]any{"Fn::GetAtt": []any{res, attr}}
			}
		}
	}
	return map[string]any{"Fn::" + name: v}
}
