package rule

import (
	"regexp"
	"strconv"
	"time"

	"gopkg.in/yaml.v3"
)

var timespanRe = regexp.MustCompile(`^(\d+)([smhdwMy])$`)

// ParseTimespan reads `<int><unit>`: s, m, h, d per the specification, plus w, M, y.
func ParseTimespan(s string) (time.Duration, bool) {
	m := timespanRe.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	n, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil || n <= 0 || n > 1<<31 {
		return 0, false
	}
	unit := map[string]time.Duration{
		"s": time.Second, "m": time.Minute, "h": time.Hour, "d": 24 * time.Hour,
		"w": 7 * 24 * time.Hour, "M": 2629746 * time.Second, "y": 31556952 * time.Second,
	}[m[2]]
	return time.Duration(n) * unit, true
}

func (p *parser) correlation(root *yaml.Node) *Correlation {
	c := &Correlation{Pos: pos(root)}
	c.Source = p.file
	var body *yaml.Node
	p.mapping(root, "correlation rule", func(key string, k, v *yaml.Node) {
		if p.meta(&c.Meta, key, k, v) {
			return
		}
		switch key {
		case "correlation":
			body = v
		case "generate":
			c.Generate = p.boolean(v, "generate")
		}
	})
	p.checkMeta(&c.Meta, pos(root), true)
	if body == nil {
		return c
	}
	var sawTimespan, sawGroup bool
	var condNode *yaml.Node
	p.mapping(body, "correlation", func(key string, k, v *yaml.Node) {
		switch key {
		case "type":
			c.Type = CorrelationType(p.str(v, "type"))
		case "rules":
			c.Rules = p.strList(v, "rules")
		case "group-by":
			sawGroup = true
			c.GroupBy = p.strList(v, "group-by")
		case "timespan", "timeframe":
			sawTimespan = true
			d, ok := ParseTimespan(p.str(v, key))
			if !ok {
				p.errf(pos(v), "timespan %q is not <number><s|m|h|d>", v.Value)
			}
			c.Timespan = d
		case "condition":
			condNode = v
		case "aliases":
			c.Aliases = p.aliases(v)
		case "generate":
			c.Generate = p.boolean(v, "generate")
		default:
			p.warnf(pos(k), "unknown correlation key %q", key)
		}
	})
	switch c.Type {
	case EventCount, ValueCount, Temporal, TemporalOrdered, ValueSum, ValueAvg, ValuePercentile:
	case "":
		p.errf(pos(body), "correlation has no type")
	default:
		p.errf(pos(body), "unknown correlation type %q", c.Type)
	}
	if len(c.Rules) == 0 {
		p.errf(pos(body), "correlation references no rules")
	}
	if !sawTimespan {
		p.errf(pos(body), "correlation has no timespan")
	}
	if !sawGroup {
		p.warnf(pos(body), "correlation has no group-by; all matches form one group")
	}
	if condNode != nil {
		p.correlationCondition(c, condNode)
	}
	switch c.Type {
	case EventCount:
		if len(c.Condition) == 0 {
			p.errf(pos(body), "event_count needs a condition")
		}
	case ValueCount, ValueSum, ValueAvg, ValuePercentile:
		if len(c.Condition) == 0 {
			p.errf(pos(body), "%s needs a condition", c.Type)
		}
		if len(c.Field) == 0 {
			p.errf(pos(body), "%s needs condition.field", c.Type)
		}
	case Temporal, TemporalOrdered:
		if len(c.Rules) < 2 {
			p.warnf(pos(body), "%s over fewer than two rules", c.Type)
		}
	}
	for alias, m := range c.Aliases {
		for ref := range m {
			found := false
			for _, r := range c.Rules {
				if r == ref {
					found = true
				}
			}
			if !found {
				p.errf(pos(body), "alias %q maps rule %q, which the correlation does not reference", alias, ref)
			}
		}
	}
	return c
}

func (p *parser) correlationCondition(c *Correlation, n *yaml.Node) {
	p.mapping(n, "correlation condition", func(key string, k, v *yaml.Node) {
		switch key {
		case "gt", "gte", "lt", "lte", "eq", "neq":
			f, err := strconv.ParseFloat(v.Value, 64)
			if v.Kind != yaml.ScalarNode || err != nil {
				p.errf(pos(v), "condition %s needs a number", key)
				return
			}
			c.Condition = append(c.Condition, Comparison{Op: key, Value: f})
		case "field":
			c.Field = p.strList(v, "condition field")
		case "percentile":
			f, err := strconv.ParseFloat(v.Value, 64)
			if err != nil || f < 0 || f > 100 {
				p.errf(pos(v), "percentile must be a number from 0 to 100")
			}
			c.Percentile = f
		default:
			p.errf(pos(k), "unknown correlation condition key %q", key)
		}
	})
	if len(c.Condition) > 2 {
		p.errf(pos(n), "a correlation condition takes one comparison, or two for a range")
	}
}

func (p *parser) aliases(n *yaml.Node) map[string]map[string]string {
	out := map[string]map[string]string{}
	p.mapping(n, "aliases", func(alias string, k, v *yaml.Node) {
		m := map[string]string{}
		p.mapping(v, "alias "+strconv.Quote(alias), func(ref string, k2, v2 *yaml.Node) {
			m[ref] = p.str(v2, "alias field")
		})
		out[alias] = m
	})
	return out
}

func (p *parser) boolean(n *yaml.Node, what string) bool {
	var b bool
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" || n.Decode(&b) != nil {
		p.errf(pos(n), "%s must be true or false", what)
	}
	return b
}
