// Package pipeline maps Sigma logsources and field names onto Rampart's tables.
//
// A pipeline is data (sentinel.yml, embedded): for each logsource, the tables whose
// rows the rule reads, the row conditions that select the logsource's events in
// that table (`where`), and how Sigma field names become column paths.
package pipeline

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/rampart-soc/rampart/internal/sigma/rule"
	"gopkg.in/yaml.v3"
)

//go:embed sentinel.yml
var sentinelYAML []byte

// Pipeline is a loaded field-mapping pipeline.
type Pipeline struct {
	Name    string
	Tables  map[string]*Table
	Sources []*Source
}

// Table describes how Sigma field names resolve in one table.
type Table struct {
	Name        string
	Columns     []string
	Fields      map[string]string
	Prefixes    map[string]string
	FoldColumns bool
	Default     string
	Passthrough bool
	// Extra marks a Sentinel table absent from the schema snapshot Rampart's
	// catalogue is generated from.
	Extra bool

	prefixOrder []string // longest prefix first
	columns     map[string]bool
	folded      map[string]string
}

// Source maps one logsource to the targets it reads.
type Source struct {
	LogSource rule.LogSource
	Targets   []*Target
}

// Target is one table a logsource reads, with the rows it covers.
type Target struct {
	Table  *Table
	Where  []Cond
	Fields map[string]string
}

// Cond restricts a target to rows whose column equals one of the values.
type Cond struct {
	Column string
	Values []rule.Scalar
}

var (
	defaultOnce sync.Once
	defaultP    *Pipeline
)

// Default returns the built-in Sentinel pipeline.
func Default() *Pipeline {
	defaultOnce.Do(func() {
		p, err := Load(sentinelYAML)
		if err != nil {
			panic("pipeline: embedded sentinel.yml: " + err.Error())
		}
		defaultP = p
	})
	return defaultP
}

type fileYAML struct {
	Name   string `yaml:"name"`
	Tables map[string]struct {
		Columns     []string          `yaml:"columns"`
		Fields      map[string]string `yaml:"fields"`
		Prefixes    map[string]string `yaml:"prefixes"`
		FoldColumns bool              `yaml:"fold_columns"`
		Default     string            `yaml:"default"`
		Passthrough bool              `yaml:"passthrough"`
		Extra       bool              `yaml:"extra"`
	} `yaml:"tables"`
	Sources []struct {
		LogSource map[string]string `yaml:"logsource"`
		Sysmon    []int             `yaml:"sysmon"`
		Where     map[string]any    `yaml:"where"`
		Targets   []struct {
			Table  string            `yaml:"table"`
			Where  map[string]any    `yaml:"where"`
			Fields map[string]string `yaml:"fields"`
		} `yaml:"targets"`
	} `yaml:"sources"`
	WindowsChannels map[string][]string `yaml:"windows_channels"`
}

const sysmonChannel = "Microsoft-Windows-Sysmon/Operational"

// Load reads a pipeline definition.
func Load(data []byte) (*Pipeline, error) {
	var f fileYAML
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, err
	}
	p := &Pipeline{Name: f.Name, Tables: map[string]*Table{}}
	for name, t := range f.Tables {
		tb := &Table{Name: name, Columns: t.Columns, Fields: t.Fields, Prefixes: t.Prefixes,
			FoldColumns: t.FoldColumns, Default: t.Default, Passthrough: t.Passthrough, Extra: t.Extra,
			columns: map[string]bool{}, folded: map[string]string{}}
		for pre := range t.Prefixes {
			tb.prefixOrder = append(tb.prefixOrder, pre)
		}
		sort.Slice(tb.prefixOrder, func(i, j int) bool {
			a, b := tb.prefixOrder[i], tb.prefixOrder[j]
			return len(a) > len(b) || len(a) == len(b) && a < b
		})
		for _, c := range t.Columns {
			tb.columns[c] = true
			tb.folded[strings.ToLower(c)] = c
		}
		p.Tables[name] = tb
	}
	seen := map[rule.LogSource]bool{}
	for i, s := range f.Sources {
		ls, err := logsource(s.LogSource)
		if err != nil {
			return nil, fmt.Errorf("sources[%d]: %w", i, err)
		}
		if seen[ls] {
			return nil, fmt.Errorf("sources[%d]: logsource %s listed twice", i, ls)
		}
		seen[ls] = true
		src := &Source{LogSource: ls}
		if len(s.Sysmon) > 0 {
			ids := make([]any, len(s.Sysmon))
			for k, id := range s.Sysmon {
				ids[k] = id
			}
			where := map[string]any{"Channel": sysmonChannel, "EventID": ids}
			for k, v := range s.Where {
				where[k] = v
			}
			t, err := p.target("WindowsEvent", where, nil)
			if err != nil {
				return nil, fmt.Errorf("sources[%d]: %w", i, err)
			}
			src.Targets = append(src.Targets, t)
		}
		for _, tg := range s.Targets {
			t, err := p.target(tg.Table, tg.Where, tg.Fields)
			if err != nil {
				return nil, fmt.Errorf("sources[%d]: %w", i, err)
			}
			src.Targets = append(src.Targets, t)
		}
		if len(src.Targets) == 0 {
			return nil, fmt.Errorf("sources[%d]: no targets", i)
		}
		p.Sources = append(p.Sources, src)
	}
	services := make([]string, 0, len(f.WindowsChannels))
	for s := range f.WindowsChannels {
		services = append(services, s)
	}
	sort.Strings(services)
	for _, svc := range services {
		ls := rule.LogSource{Product: "windows", Service: svc}
		if seen[ls] {
			continue // an explicit source wins
		}
		chans := make([]any, len(f.WindowsChannels[svc]))
		for k, c := range f.WindowsChannels[svc] {
			chans[k] = c
		}
		t, err := p.target("WindowsEvent", map[string]any{"Channel": chans}, nil)
		if err != nil {
			return nil, err
		}
		p.Sources = append(p.Sources, &Source{LogSource: ls, Targets: []*Target{t}})
	}
	return p, nil
}

func logsource(m map[string]string) (rule.LogSource, error) {
	var ls rule.LogSource
	for k, v := range m {
		switch k {
		case "product":
			ls.Product = v
		case "category":
			ls.Category = v
		case "service":
			ls.Service = v
		default:
			return ls, fmt.Errorf("unknown logsource key %q", k)
		}
	}
	return ls, nil
}

func (p *Pipeline) target(table string, where map[string]any, fields map[string]string) (*Target, error) {
	tb, ok := p.Tables[table]
	if !ok {
		return nil, fmt.Errorf("unknown table %q", table)
	}
	t := &Target{Table: tb, Fields: fields}
	cols := make([]string, 0, len(where))
	for c := range where {
		cols = append(cols, c)
	}
	sort.Strings(cols)
	for _, c := range cols {
		cond := Cond{Column: c}
		vals, ok := where[c].([]any)
		if !ok {
			vals = []any{where[c]}
		}
		for _, v := range vals {
			cond.Values = append(cond.Values, scalar(v))
		}
		t.Where = append(t.Where, cond)
	}
	return t, nil
}

func scalar(v any) rule.Scalar {
	switch x := v.(type) {
	case int:
		return rule.Scalar{Kind: rule.ValInt, Int: int64(x), Float: float64(x), Text: fmt.Sprint(x)}
	case bool:
		return rule.Scalar{Kind: rule.ValBool, Bool: x, Text: fmt.Sprint(x)}
	}
	return rule.Scalar{Kind: rule.ValString, Text: fmt.Sprint(v)}
}

// Resolve returns the targets of a logsource: the source whose product, category
// and service all equal the rule's.
func (p *Pipeline) Resolve(ls rule.LogSource) ([]*Target, bool) {
	key := rule.LogSource{Product: ls.Product, Category: ls.Category, Service: ls.Service}
	for _, s := range p.Sources {
		if s.LogSource == key {
			return s.Targets, true
		}
	}
	return nil, false
}

// Field maps a Sigma field name to a column path of the target's table.
func (t *Target) Field(name string) (string, error) {
	if c, ok := t.Fields[name]; ok {
		return c, nil
	}
	return t.Table.Field(name)
}

// Field maps a Sigma field name to a column path of the table.
func (tb *Table) Field(name string) (string, error) {
	if c, ok := tb.Fields[name]; ok {
		return c, nil
	}
	for _, from := range tb.prefixOrder {
		if rest, ok := strings.CutPrefix(name, from); ok && rest != "" {
			return tb.column(tb.Prefixes[from] + rest)
		}
	}
	return tb.column(name)
}

func (tb *Table) column(path string) (string, error) {
	head, rest, dotted := strings.Cut(path, ".")
	if tb.columns[head] {
		return path, nil
	}
	if tb.FoldColumns {
		if c, ok := tb.folded[strings.ToLower(head)]; ok {
			if dotted {
				return c + "." + rest, nil
			}
			return c, nil
		}
	}
	if tb.Default != "" {
		return tb.Default + path, nil
	}
	if tb.Passthrough {
		return path, nil
	}
	return "", fmt.Errorf("field %q has no column in table %s", path, tb.Name)
}

// HasColumn reports whether the table declares the column.
func (tb *Table) HasColumn(c string) bool { return tb.columns[c] }
