package lite

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/rampart-soc/rampart/internal/kql/syntax"
	"github.com/rampart-soc/rampart/internal/schema"
)

// evaluate runs a plugin; bag_unpack is the one supported.
func (c *compiler) evaluate(x *syntax.EvaluateOp, in rel) (rel, error) {
	switch x.Call.Name() {
	case "bag_unpack":
		return c.bagUnpack(x, in)
	}
	return rel{}, errAt(x.Call, "plugin %s() is not supported yet by the query engine", x.Call.Name())
}

// bagUnpack turns the properties of a dynamic column into columns. Its columns depend on
// the data: an output schema (: (*, Name:string)) fixes them, otherwise the engine reads
// the property names and types from the input first.
func (c *compiler) bagUnpack(x *syntax.EvaluateOp, in rel) (rel, error) {
	sc := scopeOf(in.cols)
	c.inCols = in.cols
	var bagExpr syntax.Expr
	prefix, conflict := "", "error"
	ignored := map[string]bool{}
	pos := 0
	for _, a := range x.Call.Args {
		name, val := "", a
		if na, ok := a.(*syntax.NamedArg); ok {
			name, val = na.Name.Name, na.Value
		} else {
			name = []string{"column", "prefix", "columnsConflict", "ignoredProperties"}[min(pos, 3)]
			pos++
		}
		if name == "column" {
			bagExpr = val
			continue
		}
		t, err := c.expr(val, sc)
		if err != nil {
			return rel{}, err
		}
		switch name {
		case "prefix", "OutputColumnPrefix":
			prefix, _ = t.val.(string)
		case "columnsConflict":
			conflict, _ = t.val.(string)
		case "ignoredProperties":
			raw, _ := t.val.(json.RawMessage)
			if v, err := parseJSON(string(raw)); err == nil {
				if arr, ok := v.([]any); ok {
					for _, k := range arr {
						ignored[jsonText(k)] = true
					}
				}
			}
		}
	}
	if bagExpr == nil {
		return rel{}, errAt(x.Call, "bag_unpack() needs a dynamic column")
	}
	bag, err := c.expr(bagExpr, sc)
	if err != nil {
		return rel{}, err
	}
	bagName := ""
	if id, ok := bagExpr.(*syntax.Ident); ok {
		bagName = id.Name
	}
	type prop struct {
		key string
		typ schema.Type
	}
	var props []prop
	var declared []Column
	star := -1
	if x.Schema != nil {
		for i, cd := range x.Schema.Columns {
			if i == x.Schema.StarAt && x.Schema.Star {
				star = len(declared)
			}
			typ := schema.Dynamic
			if cd.Type != nil {
				if t, err := schema.ParseType(cd.Type.Name); err == nil {
					typ = t
				}
			}
			declared = append(declared, Column{cd.Name.Name, typ})
		}
		if x.Schema.Star && star < 0 {
			star = len(declared)
		}
	} else {
		if c.probe == nil {
			return rel{}, errAt(x, "bag_unpack() without an output schema needs the data; give one: evaluate bag_unpack(col) : (*, Name:string)")
		}
		q := fmt.Sprintf("SELECT je.key, string_agg(DISTINCT json_type(je.value), ',') FROM (SELECT %s AS b FROM (%s) AS %s) AS t, json_each(t.b) AS je WHERE json_type(t.b) = 'OBJECT' GROUP BY je.key", bag.sql, in.sql, c.alias())
		rows, err := c.probe(q)
		if err != nil {
			return rel{}, errAt(x, "bag_unpack(): %v", err)
		}
		for _, r := range rows {
			k := fmt.Sprint(r[0])
			if !ignored[k] {
				props = append(props, prop{k, jsonTypes(fmt.Sprint(r[1]))})
			}
		}
		sort.Slice(props, func(i, j int) bool { return props[i].key < props[j].key })
	}
	extract := func(key string, typ schema.Type) string {
		v := typed{sql: fmt.Sprintf("json_extract(%s, %s)", bag.sql, sqlString("$."+jsonKey(key))), typ: schema.Dynamic}
		return convert(v, typ).sql
	}
	var items []selectItem
	if x.Schema != nil {
		for i, col := range declared {
			if i == star {
				for _, ic := range in.cols {
					if ic.Name != bagName && !hasColumn(declared, ic.Name) {
						items = append(items, selectItem{quote(ic.Name), ic})
					}
				}
			}
			if _, ok := sc[col.Name]; ok && col.Name != bagName && star >= 0 {
				items = append(items, selectItem{quote(col.Name), Column{col.Name, sc[col.Name]}})
				continue
			}
			items = append(items, selectItem{extract(col.Name, col.Type), col})
		}
		if star == len(declared) {
			for _, ic := range in.cols {
				if ic.Name != bagName && !hasColumn(declared, ic.Name) {
					items = append(items, selectItem{quote(ic.Name), ic})
				}
			}
		}
		return rel{selectSQL(items, "("+in.sql+") AS "+c.alias()), colsOf(items)}, nil
	}
	newName := map[string]bool{}
	for _, p := range props {
		newName[prefix+p.key] = true
	}
	for _, ic := range in.cols {
		if ic.Name == bagName {
			continue
		}
		if newName[ic.Name] {
			switch strings.ToLower(conflict) {
			case "replace_source": // the property's value takes the column's place
				for _, p := range props {
					if prefix+p.key == ic.Name {
						items = append(items, selectItem{extract(p.key, p.typ), Column{ic.Name, p.typ}})
					}
				}
				newName[ic.Name] = false
				continue
			case "keep_source":
				newName[ic.Name] = false
			default:
				return rel{}, errAt(x, "bag_unpack(): property %q is already a column (columnsConflict='replace_source' or 'keep_source' decides)", ic.Name)
			}
		}
		items = append(items, selectItem{quote(ic.Name), ic})
	}
	for _, p := range props {
		if newName[prefix+p.key] {
			items = append(items, selectItem{extract(p.key, p.typ), Column{prefix + p.key, p.typ}})
		}
	}
	return rel{selectSQL(items, "("+in.sql+") AS "+c.alias()), colsOf(items)}, nil
}

func hasColumn(cols []Column, name string) bool {
	for _, c := range cols {
		if c.Name == name {
			return true
		}
	}
	return false
}

// jsonTypes is the KQL type of a property from the JSON types its values take.
func jsonTypes(list string) schema.Type {
	kinds := map[string]bool{}
	for _, k := range strings.Split(list, ",") {
		if k != "NULL" && k != "" {
			kinds[k] = true
		}
	}
	switch {
	case len(kinds) == 0:
		return schema.Dynamic
	case len(kinds) == 1 && kinds["VARCHAR"]:
		return schema.String
	case len(kinds) == 1 && kinds["BOOLEAN"]:
		return schema.Bool
	}
	onlyNumbers, real := true, false
	for k := range kinds {
		switch k {
		case "BIGINT", "UBIGINT":
		case "DOUBLE":
			real = true
		default:
			onlyNumbers = false
		}
	}
	switch {
	case onlyNumbers && real:
		return schema.Real
	case onlyNumbers:
		return schema.Long
	}
	return schema.Dynamic
}
