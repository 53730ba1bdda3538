package schema

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// System columns every stored table carries besides its schema columns.
const (
	// IngestionTimeColumn records when the row was accepted; KQL's ingestion_time() reads it.
	IngestionTimeColumn = "_IngestionTime"
	// AdditionalFieldsColumn keeps, as a JSON object, the input fields a table has no column
	// for, so that nothing sent is silently lost.
	AdditionalFieldsColumn = "_AdditionalFields"
)

// DefaultRetentionDays applies to tables without their own retention.
const DefaultRetentionDays = 90

// Column is one column of a table. Physical is the storage column name; it differs from
// Name only where two names differ by case alone (storage identifiers are case-insensitive).
type Column struct {
	Name     string `json:"name"`
	Type     Type   `json:"type"`
	Physical string `json:"-"`
}

// Table describes one table. Tables are immutable once published in a Catalogue; changes
// produce a new *Table.
type Table struct {
	Name    string   `json:"name"`
	Columns []Column `json:"columns"`
	// Custom is true for user-defined `_CL` tables.
	Custom bool `json:"custom"`
	// FunctionOutput marks names Sentinel's validator declares as tables although they are
	// parser functions (ASIM and solution parsers).
	FunctionOutput bool `json:"functionOutput,omitempty"`
	RetentionDays  int  `json:"retentionDays"`

	byName  map[string]int // exact name -> index
	byLower map[string]int // lower-cased name -> index, first wins
}

var tableNameRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,62}$`)
var columnNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,127}$`)

// ValidColumnName reports whether name is acceptable for a new custom column. Built-in
// schemas carry a few names outside this rule (with spaces or brackets); they are kept.
func ValidColumnName(name string) bool { return columnNameRE.MatchString(name) }

func looseColumnName(name string) bool {
	if name == "" || len(name) > 128 {
		return false
	}
	for _, r := range name {
		if r < 0x20 || r == '"' || r == 0x7f {
			return false
		}
	}
	return true
}

// ValidTableName reports whether name can be a table name.
func ValidTableName(name string) bool { return tableNameRE.MatchString(name) }

// NewTable builds a table, assigning physical names and indexes. It rejects duplicate
// column names, invalid names and reserved system names.
func NewTable(name string, cols []Column) (*Table, error) {
	if !ValidTableName(name) {
		return nil, fmt.Errorf("invalid table name %q: letters, digits and '_', starting with a letter, at most 63 characters", name)
	}
	t := &Table{Name: name, Columns: make([]Column, len(cols)), RetentionDays: DefaultRetentionDays}
	t.byName = make(map[string]int, len(cols))
	t.byLower = make(map[string]int, len(cols))
	physLower := map[string]bool{strings.ToLower(IngestionTimeColumn): true, strings.ToLower(AdditionalFieldsColumn): true}
	for i, c := range cols {
		if !looseColumnName(c.Name) {
			return nil, fmt.Errorf("table %s: invalid column name %q", name, c.Name)
		}
		if c.Name == IngestionTimeColumn || c.Name == AdditionalFieldsColumn {
			return nil, fmt.Errorf("table %s: column name %q is reserved", name, c.Name)
		}
		if _, dup := t.byName[c.Name]; dup {
			return nil, fmt.Errorf("table %s: duplicate column %q", name, c.Name)
		}
		if _, err := ParseType(string(c.Type)); err != nil {
			return nil, fmt.Errorf("table %s column %s: %v", name, c.Name, err)
		}
		phys := c.Name
		for n := 2; physLower[strings.ToLower(phys)]; n++ {
			phys = c.Name + "__" + strconv.Itoa(n)
		}
		physLower[strings.ToLower(phys)] = true
		c.Physical = phys
		t.Columns[i] = c
		t.byName[c.Name] = i
		if _, ok := t.byLower[strings.ToLower(c.Name)]; !ok {
			t.byLower[strings.ToLower(c.Name)] = i
		}
	}
	return t, nil
}

// Lookup finds a column by exact name, then case-insensitively (sources disagree on case).
func (t *Table) Lookup(name string) (int, bool) {
	if i, ok := t.byName[name]; ok {
		return i, true
	}
	i, ok := t.byLower[strings.ToLower(name)]
	return i, ok
}

// Column returns the column with the exact name.
func (t *Table) Column(name string) (Column, bool) {
	i, ok := t.byName[name]
	if !ok {
		return Column{}, false
	}
	return t.Columns[i], true
}

// IsCustomName reports whether name follows the custom-table convention.
func IsCustomName(name string) bool { return strings.HasSuffix(name, "_CL") }

// LookupBytes is Lookup for a name held in bytes, without allocating on the exact path.
func (t *Table) LookupBytes(name []byte) (int, bool) {
	if i, ok := t.byName[string(name)]; ok {
		return i, true
	}
	i, ok := t.byLower[string(bytes.ToLower(name))]
	return i, ok
}
