package azpolicy

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

// Alias expansion ("billion laughs", self-referencing anchors) is bounded
// by node count and depth.
const (
	maxYAMLNodes = 1 << 22
	maxYAMLDepth = 256
)

// yamlValue converts a YAML node to a plain value. Unlike decoding into
// any, timestamps stay strings, as Azure Policy sees them in JSON.
func yamlValue(n *yaml.Node) (any, error) {
	budget := maxYAMLNodes
	return yamlConvert(n, &budget, 0)
}

func yamlConvert(n *yaml.Node, budget *int, depth int) (any, error) {
	if *budget--; *budget < 0 || depth > maxYAMLDepth {
		return nil, fmt.Errorf("YAML document too large or too deep")
	}
	depth++
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return yamlConvert(n.Content[0], budget, depth)
	case yaml.AliasNode:
		return yamlConvert(n.Alias, budget, depth)
	case yaml.SequenceNode:
		out := make([]any, len(n.Content))
		for i, c := range n.Content {
			v, err := yamlConvert(c, budget, depth)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			v, err := yamlConvert(n.Content[i+1], budget, depth)
			if err != nil {
				return nil, err
			}
			out[n.Content[i].Value] = v
		}
		return out, nil
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return nil, nil
		case "!!bool":
			var b bool
			err := n.Decode(&b)
			return b, err
		case "!!int":
			var i int64
			if err := n.Decode(&i); err != nil {
				var f float64
				err = n.Decode(&f)
				return f, err
			}
			return i, nil
		case "!!float":
			var f float64
			err := n.Decode(&f)
			return f, err
		}
		return n.Value, nil
	}
	return nil, fmt.Errorf("line %d: unsupported YAML node", n.Line)
}
