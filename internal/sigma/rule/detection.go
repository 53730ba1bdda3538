package rule

import (
	"math"
	"strconv"
	"strings"

	"github.com/rampart-soc/rampart/internal/sigma/condition"
	"gopkg.in/yaml.v3"
)

// detection parses a `detection:` (or filter `filter:`) map. extra lists keys that
// belong to the enclosing section and are not searches (filter's `rules`).
func (p *parser) detection(n *yaml.Node, what string, condList bool, extra ...string) Detection {
	var d Detection
	sawCond := false
	p.mapping(n, what, func(key string, k, v *yaml.Node) {
		for _, e := range extra {
			if key == e {
				return
			}
		}
		switch key {
		case "condition":
			sawCond = true
			d.Conditions = p.conditions(v, condList)
			return
		case "timeframe":
			p.errf(pos(k), "timeframe belongs to the removed aggregation syntax; use a correlation rule")
			return
		}
		if !validSearchName(key) {
			p.warnf(pos(k), "search identifier %q has characters outside [A-Za-z0-9_.-]; only patterns can reference it", key)
		}
		s := &Search{Name: key, Pos: pos(k)}
		s.Groups = p.searchBody(v, key)
		d.Searches = append(d.Searches, s)
	})
	if !sawCond && n.Kind == yaml.MappingNode {
		p.errf(pos(n), "%s has no condition", what)
	}
	if sawCond {
		p.checkConditions(&d)
	}
	return d
}

func validSearchName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c == '-' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

func (p *parser) conditions(v *yaml.Node, allowList bool) []Condition {
	condAt := func(n *yaml.Node) Pos {
		at := pos(n)
		if n.Style == yaml.DoubleQuotedStyle || n.Style == yaml.SingleQuotedStyle {
			at.Col++
		}
		return at
	}
	switch v.Kind {
	case yaml.ScalarNode:
		if v.ShortTag() == "!!null" || strings.TrimSpace(v.Value) == "" {
			p.errf(pos(v), "condition is empty")
			return nil
		}
		return []Condition{{Text: v.Value, Pos: condAt(v)}}
	case yaml.SequenceNode:
		if !allowList {
			p.errf(pos(v), "condition must be a single string here")
			return nil
		}
		var out []Condition
		for _, c := range v.Content {
			if c.Kind != yaml.ScalarNode || strings.TrimSpace(c.Value) == "" {
				p.errf(pos(c), "each condition must be a non-empty string")
				continue
			}
			out = append(out, Condition{Text: c.Value, Pos: condAt(c)})
		}
		if len(out) == 0 {
			p.errf(pos(v), "condition list is empty")
		}
		return out
	}
	p.errf(pos(v), "condition must be a string or a list of strings")
	return nil
}

// checkConditions parses every condition and checks that it references searches
// that exist; unreferenced searches are worth a warning.
func (p *parser) checkConditions(d *Detection) {
	names := make([]string, len(d.Searches))
	for i, s := range d.Searches {
		names[i] = s.Name
	}
	used := map[string]bool{}
	for _, c := range d.Conditions {
		ast, err := condition.Parse(c.Text)
		if err != nil {
			at := c.Pos
			if ce, ok := err.(*condition.Error); ok && !strings.Contains(c.Text, "\n") {
				at.Col += ce.Offset
			}
			p.errf(at, "condition: %s", errMsg(err))
			continue
		}
		condition.Walk(ast, func(n condition.Node) {
			switch x := n.(type) {
			case *condition.Ident:
				if d.Search(x.Name) == nil {
					at := c.Pos
					if !strings.Contains(c.Text, "\n") {
						at.Col += x.Offset
					}
					p.errf(at, "condition references unknown search identifier %q", x.Name)
				}
				used[x.Name] = true
			case *condition.Of:
				sel := x.Select(names)
				if len(sel) == 0 && !x.Them {
					p.warnf(c.Pos, "pattern %q matches no search identifier", x.Pattern)
				}
				for _, s := range sel {
					used[s] = true
				}
			}
		})
	}
	for _, s := range d.Searches {
		if !used[s.Name] {
			p.warnf(s.Pos, "search identifier %q is not used by the condition", s.Name)
		}
	}
}

func errMsg(err error) string {
	if ce, ok := err.(*condition.Error); ok {
		return ce.Msg
	}
	return err.Error()
}

// searchBody reads a search identifier's value: a map (AND), a list of maps (OR),
// a list of scalars (keywords, OR), a single scalar keyword, or a mix of these.
func (p *parser) searchBody(v *yaml.Node, name string) [][]Item {
	switch v.Kind {
	case yaml.MappingNode:
		g := p.itemMap(v, name)
		if g == nil {
			return nil
		}
		return [][]Item{g}
	case yaml.ScalarNode:
		if v.ShortTag() == "!!null" {
			p.errf(pos(v), "search %q is empty", name)
			return nil
		}
		return [][]Item{{{Values: []Scalar{p.scalar(v)}, Pos: pos(v)}}}
	case yaml.SequenceNode:
		if len(v.Content) == 0 {
			p.errf(pos(v), "search %q is an empty list", name)
			return nil
		}
		var groups [][]Item
		var kw *Item
		for _, c := range v.Content {
			switch c.Kind {
			case yaml.MappingNode:
				if g := p.itemMap(c, name); g != nil {
					groups = append(groups, g)
				}
			case yaml.ScalarNode:
				if kw == nil {
					kw = &Item{Pos: pos(c)}
				}
				kw.Values = append(kw.Values, p.scalar(c))
			default:
				p.errf(pos(c), "search %q: list items must be maps or values", name)
			}
		}
		if kw != nil {
			groups = append(groups, []Item{*kw})
		}
		return groups
	}
	p.errf(pos(v), "search %q has an unsupported shape", name)
	return nil
}

func (p *parser) itemMap(n *yaml.Node, name string) []Item {
	if len(n.Content) == 0 {
		p.errf(pos(n), "search %q is an empty map", name)
		return nil
	}
	var items []Item
	p.mapping(n, "search "+strconv.Quote(name), func(key string, k, v *yaml.Node) {
		it := Item{Pos: pos(k)}
		parts := strings.Split(key, "|")
		it.Field = parts[0]
		for _, m := range parts[1:] {
			mod, ok := ParseModifier(m)
			if !ok {
				p.errf(pos(k), "unknown modifier %q", m)
				continue
			}
			it.Modifiers = append(it.Modifiers, mod)
		}
		switch v.Kind {
		case yaml.ScalarNode:
			it.Values = []Scalar{p.scalar(v)}
		case yaml.SequenceNode:
			if len(v.Content) == 0 {
				// An empty list behaves like null (reference implementation).
				it.Values = []Scalar{{Kind: ValNull, Pos: pos(v)}}
			}
			for _, c := range v.Content {
				if c.Kind != yaml.ScalarNode {
					p.errf(pos(c), "field %q: values must be scalars", it.Field)
					continue
				}
				it.Values = append(it.Values, p.scalar(c))
			}
		default:
			p.errf(pos(v), "field %q: value must be a scalar or a list of scalars", it.Field)
			return
		}
		for _, msg := range checkModifiers(it.Modifiers, it.Values, it.Field) {
			p.errf(pos(k), "%s: %s", key, msg)
		}
		if it.Has(ModAll) && len(it.Values) == 1 && it.Field != "" {
			p.warnf(pos(k), "%s: \"all\" with a single value has no effect", key)
		}
		for _, s := range it.Values {
			if s.Kind == ValNull && len(it.Values) > 1 {
				p.warnf(s.Pos, "null should stand alone, not inside a list")
			}
		}
		items = append(items, it)
	})
	return items
}

// scalar converts a YAML scalar, keeping YAML's own typing: unquoted numbers and
// booleans stay typed so that they match both typed and textual event values.
func (p *parser) scalar(n *yaml.Node) Scalar {
	s := Scalar{Kind: ValString, Text: n.Value, Pos: pos(n)}
	switch n.ShortTag() {
	case "!!null":
		return Scalar{Kind: ValNull, Pos: pos(n)}
	case "!!bool":
		var b bool
		if n.Decode(&b) == nil {
			s.Kind, s.Bool, s.Text = ValBool, b, strconv.FormatBool(b)
		}
	case "!!int":
		var i int64
		if n.Decode(&i) == nil {
			s.Kind, s.Int, s.Float, s.Text = ValInt, i, float64(i), strconv.FormatInt(i, 10)
		}
	case "!!float":
		var f float64
		if n.Decode(&f) == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			s.Kind, s.Float = ValFloat, f // keep the text as written: 1.10 is not 1.1 to a string field
		}
	}
	return s
}
