package rule

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"

	"gopkg.in/yaml.v3"
)

// Limits that keep hostile input from costing much; real rules are far below them.
const (
	maxFileSize  = 4 << 20
	maxNodes     = 200_000
	maxDocuments = 1000
)

// ParseFile reads and parses a Sigma file.
func ParseFile(path string) ([]*Document, Problems) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, Problems{{File: path, Msg: err.Error()}}
	}
	return Parse(data, path)
}

// Parse parses every YAML document of a Sigma file. It returns the documents that
// parsed (possibly with warnings) and every problem found; a document with an error
// is still returned when its structure could be read, so callers can report more.
// Callers should treat Problems.HasErrors() as "do not use".
func Parse(data []byte, source string) ([]*Document, Problems) {
	p := &parser{file: source}
	if len(data) > maxFileSize {
		p.errf(Pos{}, "file larger than %d bytes", maxFileSize)
		return nil, p.probs
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var docs []*Document
	for i := 0; ; i++ {
		if i >= maxDocuments {
			p.errf(Pos{}, "more than %d YAML documents", maxDocuments)
			break
		}
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			p.yamlErr(err)
			break
		}
		if n.Kind == 0 || (n.Kind == yaml.DocumentNode && len(n.Content) == 0) {
			continue
		}
		root := &n
		if root.Kind == yaml.DocumentNode {
			root = root.Content[0]
		}
		if !p.checkTree(root) {
			continue
		}
		if d := p.document(root); d != nil {
			docs = append(docs, d)
		}
	}
	if len(docs) == 0 && !p.probs.HasErrors() {
		p.errf(Pos{}, "no Sigma document in file")
	}
	return docs, p.probs
}

type parser struct {
	file  string
	probs Problems
}

func pos(n *yaml.Node) Pos { return Pos{Line: n.Line, Col: n.Column} }

func (p *parser) errf(at Pos, format string, args ...any) {
	p.probs = append(p.probs, &Problem{File: p.file, Line: at.Line, Col: at.Col, Msg: fmt.Sprintf(format, args...)})
}

func (p *parser) warnf(at Pos, format string, args ...any) {
	p.probs = append(p.probs, &Problem{File: p.file, Line: at.Line, Col: at.Col, Severity: SevWarning, Msg: fmt.Sprintf(format, args...)})
}

var yamlLineRe = regexp.MustCompile(`line (\d+)`)

func (p *parser) yamlErr(err error) {
	at := Pos{}
	if m := yamlLineRe.FindStringSubmatch(err.Error()); m != nil {
		at.Line, _ = strconv.Atoi(m[1])
	}
	p.errf(at, "invalid YAML: %v", err)
}

// checkTree rejects aliases (Sigma never needs them and they allow exponential
// expansion) and absurdly large trees before any interpretation.
func (p *parser) checkTree(root *yaml.Node) bool {
	count := 0
	ok := true
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if !ok {
			return
		}
		count++
		if count > maxNodes || depth > 64 {
			p.errf(pos(n), "document too large or too deeply nested")
			ok = false
			return
		}
		if n.Kind == yaml.AliasNode {
			p.errf(pos(n), "YAML aliases are not supported in Sigma rules")
			ok = false
			return
		}
		for _, c := range n.Content {
			walk(c, depth+1)
		}
	}
	walk(root, 0)
	return ok
}

// mapping iterates a mapping node's key/value pairs, reporting duplicate keys.
func (p *parser) mapping(n *yaml.Node, what string, fn func(key string, k, v *yaml.Node)) bool {
	if n.Kind != yaml.MappingNode {
		p.errf(pos(n), "%s must be a map", what)
		return false
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			p.errf(pos(k), "%s: keys must be scalars", what)
			continue
		}
		if seen[k.Value] {
			p.errf(pos(k), "%s: duplicate key %q", what, k.Value)
			continue
		}
		seen[k.Value] = true
		fn(k.Value, k, v)
	}
	return true
}

func (p *parser) str(n *yaml.Node, what string) string {
	if n.Kind != yaml.ScalarNode {
		p.errf(pos(n), "%s must be a string", what)
		return ""
	}
	if n.ShortTag() == "!!null" {
		return ""
	}
	return n.Value
}

// strList accepts a list of scalars, or a single scalar as a one-element list.
func (p *parser) strList(n *yaml.Node, what string) []string {
	switch n.Kind {
	case yaml.ScalarNode:
		if n.ShortTag() == "!!null" {
			return nil
		}
		return []string{n.Value}
	case yaml.SequenceNode:
		out := make([]string, 0, len(n.Content))
		for _, c := range n.Content {
			if c.Kind != yaml.ScalarNode {
				p.errf(pos(c), "%s: items must be strings", what)
				continue
			}
			out = append(out, c.Value)
		}
		return out
	}
	p.errf(pos(n), "%s must be a list of strings", what)
	return nil
}

func has(n *yaml.Node, key string) bool {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return true
		}
	}
	return false
}

func (p *parser) document(root *yaml.Node) *Document {
	if root.Kind != yaml.MappingNode {
		p.errf(pos(root), "a Sigma document must be a map")
		return nil
	}
	switch {
	case has(root, "correlation"):
		c := p.correlation(root)
		return &Document{Kind: KindCorrelation, Correlation: c, Pos: pos(root)}
	case has(root, "filter") && !has(root, "detection"):
		f := p.filter(root)
		return &Document{Kind: KindFilter, Filter: f, Pos: pos(root)}
	}
	r := p.rule(root)
	return &Document{Kind: KindRule, Rule: r, Pos: pos(root)}
}

// meta reads a key shared by all document types; it returns false for other keys.
func (p *parser) meta(m *Meta, key string, k, v *yaml.Node) bool {
	switch key {
	case "title":
		m.Title = p.str(v, key)
	case "id":
		m.ID = p.str(v, key)
	case "name":
		m.Name = p.str(v, key)
	case "status":
		m.Status = p.str(v, key)
	case "description":
		m.Description = p.str(v, key)
	case "author":
		m.Author = p.str(v, key)
	case "license":
		m.License = p.str(v, key)
	case "taxonomy":
		m.Taxonomy = p.str(v, key)
	case "date":
		m.Date = p.str(v, key)
	case "modified":
		m.Modified = p.str(v, key)
	case "level":
		m.Level = p.str(v, key)
	case "references":
		m.References = p.strList(v, key)
	case "tags":
		m.Tags = p.strList(v, key)
	case "falsepositives":
		m.FalsePositives = p.strList(v, key)
	case "fields":
		m.Fields = p.strList(v, key)
	case "scope":
		m.Scope = p.strList(v, key)
	case "related":
		m.Related = p.related(v)
	default:
		return false
	}
	return true
}

func (p *parser) related(n *yaml.Node) []Related {
	if n.Kind != yaml.SequenceNode {
		p.errf(pos(n), "related must be a list of {id, type}")
		return nil
	}
	var out []Related
	for _, c := range n.Content {
		var r Related
		p.mapping(c, "related entry", func(key string, k, v *yaml.Node) {
			switch key {
			case "id":
				r.ID = p.str(v, "related id")
			case "type":
				r.Type = p.str(v, "related type")
			}
		})
		switch r.Type {
		case "derived", "obsolete", "merged", "renamed", "similar":
		default:
			p.errf(pos(c), "related type %q is not one of derived, obsolete, merged, renamed, similar", r.Type)
		}
		if r.ID == "" {
			p.errf(pos(c), "related entry without id")
		}
		out = append(out, r)
	}
	return out
}

func (p *parser) logsource(n *yaml.Node) LogSource {
	var l LogSource
	p.mapping(n, "logsource", func(key string, k, v *yaml.Node) {
		switch key {
		case "product":
			l.Product = p.str(v, "logsource product")
		case "category":
			l.Category = p.str(v, "logsource category")
		case "service":
			l.Service = p.str(v, "logsource service")
		case "definition":
			l.Definition = p.str(v, "logsource definition")
		default:
			p.warnf(pos(k), "unknown logsource key %q", key)
		}
	})
	return l
}

func (p *parser) rule(root *yaml.Node) *Rule {
	r := &Rule{Pos: pos(root)}
	r.Source = p.file
	var sawLS, sawDet bool
	p.mapping(root, "rule", func(key string, k, v *yaml.Node) {
		if p.meta(&r.Meta, key, k, v) {
			return
		}
		switch key {
		case "logsource":
			sawLS = true
			r.LogSource = p.logsource(v)
		case "detection":
			sawDet = true
			r.Detection = p.detection(v, "detection", true)
		}
		// Other keys are custom fields, which the specification allows.
	})
	if !sawLS {
		p.errf(pos(root), "rule has no logsource")
	}
	if !sawDet {
		p.errf(pos(root), "rule has no detection")
	}
	p.checkMeta(&r.Meta, pos(root), true)
	return r
}
