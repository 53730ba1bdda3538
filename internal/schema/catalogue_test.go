package schema

import "testing"

func TestBuiltinCatalogue(t *testing.T) {
	tables, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	// The Sentinel corpus plus extra_tables.json: two Defender export tables and the two
	// 2025 threat-intelligence tables.
	if len(tables) != 259+2+2 {
		t.Fatalf("got %d built-in tables, want 263", len(tables))
	}
	c := NewCatalogue(tables)
	se, ok := c.Get("SecurityEvent")
	if !ok {
		t.Fatal("SecurityEvent missing")
	}
	col, ok := se.Column("EventID")
	if !ok || col.Type != Int {
		t.Fatalf("SecurityEvent.EventID = %+v, %v", col, ok)
	}
	for _, tb := range tables {
		if _, ok := tb.Column("TimeGenerated"); !ok {
			t.Errorf("%s has no TimeGenerated", tb.Name)
		}
	}
	// Names differing only by case get distinct physical columns.
	gw, _ := c.Get("GWorkspaceActivityReports")
	a, _ := gw.Column("Oldvalue")
	b, _ := gw.Column("OldValue")
	if a.Physical == b.Physical {
		t.Fatalf("case-duplicate columns share physical name %q", a.Physical)
	}
}

func TestNewTableValidation(t *testing.T) {
	cases := []struct {
		name string
		cols []Column
	}{
		{"1bad", nil},
		{"T_CL", []Column{{Name: "a\"b", Type: String}}},
		{"T_CL", []Column{{Name: "A", Type: "blob"}}},
		{"T_CL", []Column{{Name: "A", Type: String}, {Name: "A", Type: Long}}},
		{"T_CL", []Column{{Name: IngestionTimeColumn, Type: DateTime}}},
	}
	for _, tc := range cases {
		if _, err := NewTable(tc.name, tc.cols); err == nil {
			t.Errorf("NewTable(%q, %v) succeeded, want error", tc.name, tc.cols)
		}
	}
}

func TestValidColumnName(t *testing.T) {
	for name, want := range map[string]bool{"Msg": true, "_x": true, "a b": false, "": false, "9a": false} {
		if got := ValidColumnName(name); got != want {
			t.Errorf("ValidColumnName(%q) = %v", name, got)
		}
	}
}

func TestExtend(t *testing.T) {
	tb, err := NewTable("App_CL", []Column{{Name: "TimeGenerated", Type: DateTime}, {Name: "Msg", Type: String}})
	if err != nil {
		t.Fatal(err)
	}
	nt, err := Extend(tb, []Column{{Name: "Msg", Type: String}, {Name: "Count", Type: Long}})
	if err != nil {
		t.Fatal(err)
	}
	if len(nt.Columns) != 3 {
		t.Fatalf("got %d columns", len(nt.Columns))
	}
	if _, err := Extend(tb, []Column{{Name: "Msg", Type: Long}}); err == nil {
		t.Fatal("type change accepted")
	}
	if i, ok := nt.Lookup("count"); !ok || nt.Columns[i].Name != "Count" {
		t.Fatal("case-insensitive lookup failed")
	}
}
