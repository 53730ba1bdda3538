package schema

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"sync"
)

//go:embed builtin.json
var builtinJSON []byte

// extraJSON holds tables the Sentinel schema corpus (and so builtin.json) lacks, written by
// hand from Microsoft's table reference: Defender for Cloud's continuous-export tables
// (SecureScores, SecureScoreControls) and Sentinel's 2025 threat-intelligence tables
// (ThreatIntelIndicators, ThreatIntelObjects).
//
//go:embed extra_tables.json
var extraJSON []byte

type builtinTable struct {
	Name           string      `json:"name"`
	Columns        [][2]string `json:"columns"`
	FunctionOutput bool        `json:"functionOutput"`
}

// Builtin returns the built-in Sentinel tables, freshly built.
func Builtin() ([]*Table, error) {
	var raw, extra []builtinTable
	if err := json.Unmarshal(builtinJSON, &raw); err != nil {
		return nil, fmt.Errorf("built-in catalogue: %w", err)
	}
	if err := json.Unmarshal(extraJSON, &extra); err != nil {
		return nil, fmt.Errorf("built-in catalogue: extra_tables.json: %w", err)
	}
	raw = append(raw, extra...)
	out := make([]*Table, 0, len(raw))
	for _, r := range raw {
		cols := make([]Column, len(r.Columns))
		for i, c := range r.Columns {
			cols[i] = Column{Name: c[0], Type: Type(c[1])}
		}
		t, err := NewTable(r.Name, cols)
		if err != nil {
			return nil, fmt.Errorf("built-in catalogue: %w", err)
		}
		t.FunctionOutput = r.FunctionOutput
		out = append(out, t)
	}
	return out, nil
}

// Catalogue is the set of tables known to the server, safe for concurrent use.
type Catalogue struct {
	mu     sync.RWMutex
	tables map[string]*Table
}

// NewCatalogue returns a catalogue holding the given tables.
func NewCatalogue(tables []*Table) *Catalogue {
	c := &Catalogue{tables: make(map[string]*Table, len(tables))}
	for _, t := range tables {
		c.tables[t.Name] = t
	}
	return c
}

// Get returns the table with the exact name.
func (c *Catalogue) Get(name string) (*Table, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	t, ok := c.tables[name]
	return t, ok
}

// Put publishes a table, replacing any table of the same name.
func (c *Catalogue) Put(t *Table) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.tables[t.Name] = t
}

// List returns all tables sorted by name.
func (c *Catalogue) List() []*Table {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]*Table, 0, len(c.tables))
	for _, t := range c.tables {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Extend returns a copy of t with the extra columns appended; existing columns must keep
// their types (a stored column cannot change type).
func Extend(t *Table, extra []Column) (*Table, error) {
	cols := append([]Column(nil), t.Columns...)
	for _, c := range extra {
		if old, ok := t.Column(c.Name); ok {
			if old.Type != c.Type {
				return nil, fmt.Errorf("table %s: column %s is %s and cannot become %s", t.Name, c.Name, old.Type, c.Type)
			}
			continue
		}
		cols = append(cols, Column{Name: c.Name, Type: c.Type})
	}
	nt, err := NewTable(t.Name, cols)
	if err != nil {
		return nil, err
	}
	nt.Custom, nt.FunctionOutput, nt.RetentionDays = t.Custom, t.FunctionOutput, t.RetentionDays
	return nt, nil
}
