package k8s

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// document is one YAML/JSON document of a manifest stream.
type document struct {
	Line  int            // 1-based line of the document start in its file
	Index int            // 0-based document index in the file
	Obj   map[string]any // decoded object, nil when Err is set or the document is not an object
	Val   any            // decoded value of any type
	Err   error          // syntax error
	Empty bool           // only comments / whitespace / null
}

// maxNodes bounds alias expansion so a "billion laughs" document cannot exhaust memory.
const maxNodes = 1 << 20

// splitDocuments cuts a YAML stream at "---" / "..." marker lines ourselves rather than
// using yaml.Decoder, because the decoder cannot resume after a syntax error and one bad
// document must not lose the rest of the file.
func splitDocuments(data []byte) (chunks [][]byte, starts []int) {
	lines := bytes.SplitAfter(data, []byte("\n"))
	var cur []byte
	start := 1
	flush := func(next int) {
		chunks = append(chunks, cur)
		starts = append(starts, start)
		cur = nil
		start = next
	}
	for i, ln := range lines {
		switch {
		case isMarker(ln, "---"):
			if len(bytes.TrimSpace(cur)) > 0 || len(chunks) > 0 {
				flush(i + 1)
			} else {
				cur, start = nil, i+1
			}
			// Keep content after the marker ("--- {a: 1}"), blanking the marker so columns hold.
			cur = append(cur, append(bytes.Repeat([]byte(" "), 3), ln[3:]...)...)
		case isMarker(ln, "..."):
			cur = append(cur, '\n')
		default:
			cur = append(cur, ln...)
		}
	}
	flush(0)
	return chunks, starts
}

// firstContentLine is the 0-based line of the first non-blank, non-comment line.
func firstContentLine(chunk []byte) int {
	for i, ln := range bytes.Split(chunk, []byte("\n")) {
		t := bytes.TrimSpace(ln)
		if len(t) > 0 && t[0] != '#' {
			return i
		}
	}
	return 0
}

func isMarker(ln []byte, m string) bool {
	if !bytes.HasPrefix(ln, []byte(m)) {
		return false
	}
	rest := ln[len(m):]
	return len(rest) == 0 || rest[0] == ' ' || rest[0] == '\t' || rest[0] == '\n' || rest[0] == '\r'
}

// decodeStream decodes every document of a YAML (or JSON) stream.
func decodeStream(data []byte) []document {
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
		if docs, ok := decodeJSONStream(trimmed); ok {
			return docs
		}
	}
	chunks, starts := splitDocuments(data)
	docs := make([]document, 0, len(chunks))
	for i, c := range chunks {
		d := document{Line: starts[i], Index: len(docs)}
		v, line, empty, err := decodeYAMLAt(c, starts[i]-1)
		if line > 0 {
			d.Line = line
		} else {
			d.Line = starts[i] + firstContentLine(c)
		}
		switch {
		case err != nil:
			d.Err = err
		case empty:
			d.Empty = true
		default:
			d.Val = v
			d.Obj, _ = v.(map[string]any)
		}
		if d.Empty && i > 0 && i == len(chunks)-1 {
			continue // trailing "---"
		}
		docs = append(docs, d)
	}
	return docs
}

// decodeJSONStream reads one or more concatenated JSON values. It reports false when the
// input is not valid JSON so the caller can retry it as YAML (which reports positions).
func decodeJSONStream(data []byte) ([]document, bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var docs []document
	for {
		off := dec.InputOffset()
		var v any
		if err := dec.Decode(&v); err != nil {
			if err == io.EOF {
				break
			}
			return nil, false
		}
		line := 1 + bytes.Count(data[:off], []byte("\n"))
		if off < int64(len(data)) {
			// InputOffset points before leading whitespace of the next value.
			rest := data[off:]
			line += bytes.Count(rest[:len(rest)-len(bytes.TrimLeft(rest, " \t\r\n"))], []byte("\n"))
		}
		d := document{Line: line, Index: len(docs)}
		v = fromJSON(v)
		d.Val = v
		d.Obj, _ = v.(map[string]any)
		d.Empty = v == nil
		docs = append(docs, d)
	}
	return docs, true
}

// fromJSON turns json.Number into float64 (the model's number type).
func fromJSON(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = fromJSON(e)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = fromJSON(e)
		}
		return x
	case json.Number:
		f, err := x.Float64()
		if err != nil {
			return x.String()
		}
		return f
	}
	return v
}

// decodeYAML parses one document; lineOffset is added to reported line numbers.
func decodeYAML(chunk []byte, lineOffset int) (v any, empty bool, err error) {
	v, _, empty, err = decodeYAMLAt(chunk, lineOffset)
	return v, empty, err
}

// decodeYAMLAt also returns the line of the document's first token (0 when unknown).
func decodeYAMLAt(chunk []byte, lineOffset int) (v any, line int, empty bool, err error) {
	var root yaml.Node
	if err := yaml.Unmarshal(chunk, &root); err != nil {
		return nil, 0, false, shiftLines(err, lineOffset)
	}
	if root.Kind == 0 || len(root.Content) == 0 {
		return nil, 0, true, nil
	}
	c := converter{lineOffset: lineOffset}
	line = root.Content[0].Line + lineOffset
	v, err = c.convert(root.Content[0], 0)
	if err != nil {
		return nil, line, false, err
	}
	return v, line, v == nil, nil
}

// shiftLines rewrites "line N" in yaml.v3 messages to the line in the whole file.
func shiftLines(err error, off int) error {
	msg := err.Error()
	if off == 0 {
		return errors.New(msg)
	}
	var b strings.Builder
	for {
		i := strings.Index(msg, "line ")
		if i < 0 {
			b.WriteString(msg)
			break
		}
		j := i + 5
		for j < len(msg) && msg[j] >= '0' && msg[j] <= '9' {
			j++
		}
		n, convErr := strconv.Atoi(msg[i+5 : j])
		if convErr != nil {
			b.WriteString(msg[:j])
		} else {
			b.WriteString(msg[:i+5] + strconv.Itoa(n+off))
		}
		msg = msg[j:]
	}
	return errors.New(b.String())
}

type converter struct {
	lineOffset int
	nodes      int
}

// convert maps a yaml.Node to JSON-shaped values: objects with string keys, float64
// numbers, and strings for everything that is not a number, bool or null.
func (c *converter) convert(n *yaml.Node, depth int) (any, error) {
	c.nodes++
	if c.nodes > maxNodes {
		return nil, fmt.Errorf("line %d: document too large (more than %d nodes after alias expansion)", n.Line+c.lineOffset, maxNodes)
	}
	if depth > 200 {
		return nil, fmt.Errorf("line %d: document nested too deeply", n.Line+c.lineOffset)
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return c.convert(n.Content[0], depth+1)
	case yaml.AliasNode:
		if n.Alias == nil {
			return nil, fmt.Errorf("line %d: unknown alias", n.Line+c.lineOffset)
		}
		return c.convert(n.Alias, depth+1)
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, e := range n.Content {
			v, err := c.convert(e, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
				if err := c.merge(out, val, depth); err != nil {
					return nil, err
				}
				continue
			}
			if k.Kind != yaml.ScalarNode {
				return nil, fmt.Errorf("line %d: mapping key is not a scalar%s", k.Line+c.lineOffset, helmHint(k))
			}
			v, err := c.convert(val, depth+1)
			if err != nil {
				return nil, err
			}
			out[k.Value] = v
		}
		return out, nil
	case yaml.ScalarNode:
		return c.scalar(n)
	}
	return nil, fmt.Errorf("line %d: unsupported YAML node", n.Line+c.lineOffset)
}

// merge applies a "<<" merge key: keys already present win.
func (c *converter) merge(out map[string]any, val *yaml.Node, depth int) error {
	srcs := []*yaml.Node{val}
	if val.Kind == yaml.SequenceNode {
		srcs = val.Content
	}
	for _, s := range srcs {
		v, err := c.convert(s, depth+1)
		if err != nil {
			return err
		}
		m, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("line %d: merge key value is not a mapping", s.Line+c.lineOffset)
		}
		for k, e := range m {
			if _, exists := out[k]; !exists {
				out[k] = e
			}
		}
	}
	return nil
}

func (c *converter) scalar(n *yaml.Node) (any, error) {
	switch n.ShortTag() {
	case "!!null":
		return nil, nil
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			return n.Value, nil
		}
		return b, nil
	case "!!int", "!!float":
		var f float64
		if err := n.Decode(&f); err != nil {
			return n.Value, nil
		}
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return n.Value, nil // JSON has no such numbers
		}
		return f, nil
	}
	return n.Value, nil
}

// helmHint adds a pointer to helm when a key looks like an unrendered template.
func helmHint(n *yaml.Node) string {
	if n.Kind == yaml.MappingNode && n.Style&yaml.FlowStyle != 0 {
		return " (unrendered {{ }} template?)"
	}
	return ""
}

func typeName(v any) string {
	switch v.(type) {
	case []any:
		return "list"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}
