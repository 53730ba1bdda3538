package lite

import (
	"fmt"
	"path"
	"strings"

	"github.com/rampart-soc/rampart/internal/kql/syntax"
	"github.com/rampart-soc/rampart/internal/schema"
)

func init() {
	// parse_kv reads key/value pairs into a bag: args are the text, then the options
	// pair delimiter, key/value delimiter, quote characters, greedy, regex.
	jsonUDF("parse_kv", "ssssbsj", func(a []any) any {
		text, pairD, kvD, quotes := a[0].(string), a[1].(string), a[2].(string), a[3].(string)
		if re := a[5].(string); re != "" {
			r, err := compileRegex(re)
			if err != nil {
				return nil
			}
			out := newBag()
			for _, m := range r.FindAllStringSubmatch(text, -1) {
				if len(m) >= 3 {
					out.set(strings.TrimSpace(m[1]), strings.TrimSpace(m[2]))
				}
			}
			return out
		}
		return parseKV(text, pairD, kvD, quotes, a[4].(bool))
	})
}

// parseKV splits pairs on pairD and keys from values on kvD. Quoted keys and values may
// hold the delimiters; a greedy value runs up to the pair delimiter before the next key.
func parseKV(text, pairD, kvD, quotes string, greedy bool) *bag {
	out := newBag()
	if pairD == "" || kvD == "" {
		return out
	}
	open, close := byte(0), byte(0)
	if len(quotes) == 1 {
		open, close = quotes[0], quotes[0]
	} else if len(quotes) >= 2 {
		open, close = quotes[0], quotes[1]
	}
	i := 0
	// readTo reads up to (not including) delim, or a quoted token.
	readTo := func(delim string) (s string, found, quoted bool) {
		for i < len(text) && text[i] == ' ' && delim != " " {
			i++
		}
		if open != 0 && i < len(text) && text[i] == open {
			if j := strings.IndexByte(text[i+1:], close); j >= 0 {
				s := text[i+1 : i+1+j]
				i += j + 2
				return s, true, true
			}
		}
		j := strings.Index(text[i:], delim)
		if j < 0 {
			s := text[i:]
			i = len(text)
			return s, false, false
		}
		s = text[i : i+j]
		i += j
		return s, true, false
	}
	for i < len(text) {
		key, ok, quoted := readTo(kvD)
		if !ok {
			break
		}
		if j := strings.LastIndex(key, pairD); j >= 0 && !quoted { // text without a key before it
			key = key[j+len(pairD):]
		}
		if strings.HasPrefix(text[i:], kvD) {
			i += len(kvD)
		}
		var val string
		if greedy && !(open != 0 && i < len(text) && text[i] == open) {
			end := greedyEnd(text, i, pairD, kvD)
			val, i = text[i:end], end
		} else {
			val, _, _ = readTo(pairD)
		}
		if k := strings.TrimSpace(key); k != "" {
			out.set(k, strings.TrimSpace(val))
		}
		if strings.HasPrefix(text[i:], pairD) {
			i += len(pairD)
		}
	}
	return out
}

// greedyEnd finds where a greedy value ends: before the pair delimiter that precedes
// the next key (the next kvD), or at the end.
func greedyEnd(text string, from int, pairD, kvD string) int {
	next := strings.Index(text[from:], kvD)
	if next < 0 {
		return len(text)
	}
	k := strings.LastIndex(text[from:from+next], pairD)
	if k < 0 {
		return len(text)
	}
	return from + k
}

// parseKV compiles parse-kv Expr as (Col:type, ...) with (options).
func (c *compiler) parseKv(x *syntax.ParseKvOp, in rel) (rel, error) {
	sc := scopeOf(in.cols)
	c.inCols = in.cols
	src, err := c.expr(x.Source, sc)
	if err != nil {
		return rel{}, err
	}
	opts := map[string]string{"pair_delimiter": "", "kv_delimiter": "", "quote": "", "greedy": "false", "regex": ""}
	for _, p := range x.With {
		t, err := c.expr(p.Value, scope{})
		if err != nil {
			return rel{}, err
		}
		opts[strings.ToLower(p.Name.Name)] = fmt.Sprint(t.val)
	}
	if opts["regex"] == "" && (opts["pair_delimiter"] == "" || opts["kv_delimiter"] == "") {
		return rel{}, errAt(x, "parse-kv needs pair_delimiter and kv_delimiter, or regex")
	}
	bagSQL := fmt.Sprintf("CAST(kql_parse_kv(%s, %s, %s, %s, %v, %s) AS JSON)", asString(src), sqlString(opts["pair_delimiter"]),
		sqlString(opts["kv_delimiter"]), sqlString(opts["quote"]), strings.EqualFold(opts["greedy"], "true"), sqlString(opts["regex"]))
	inner := fmt.Sprintf("SELECT *, %s AS \"__kv\" FROM (%s) AS %s", bagSQL, in.sql, c.alias())
	items := passThrough(in.cols)
	for _, cd := range x.Columns {
		typ := schema.String
		if cd.Type != nil {
			if typ, err = schema.ParseType(cd.Type.Name); err != nil {
				return rel{}, errAt(cd, "%v", err)
			}
		}
		v := typed{sql: fmt.Sprintf("json_extract(\"__kv\", %s)", sqlString("$."+jsonKey(cd.Name.Name))), typ: schema.Dynamic}
		it := selectItem{convert(v, typ).sql, Column{cd.Name.Name, typ}}
		replaced := false
		for i := range items {
			if items[i].col.Name == cd.Name.Name {
				items[i], replaced = it, true
			}
		}
		if !replaced {
			items = append(items, it)
		}
	}
	return rel{selectSQL(items, "("+inner+") AS "+c.alias()), colsOf(items)}, nil
}

// projectByNames keeps the columns named (or matched by wildcards) by constant strings and
// dynamic arrays of them; names that match nothing are ignored.
func (c *compiler) projectByNames(x *syntax.ProjectByNamesOp, in rel) (rel, error) {
	var patterns []string
	for _, e := range x.Columns {
		t, err := c.expr(e, scopeOf(in.cols))
		if err != nil {
			return rel{}, err
		}
		switch v := t.val.(type) {
		case string:
			patterns = append(patterns, v)
		default:
			raw, ok := constJSON(t)
			if !ok {
				return rel{}, errAt(e, "project-by-names takes constant names")
			}
			arr, _ := raw.([]any)
			for _, n := range arr {
				patterns = append(patterns, jsonText(n))
			}
		}
	}
	var items []selectItem
	used := map[string]bool{}
	for _, p := range patterns {
		for _, col := range in.cols {
			if ok, _ := path.Match(p, col.Name); ok && !used[col.Name] {
				used[col.Name] = true
				items = append(items, selectItem{quote(col.Name), col})
			}
		}
	}
	return rel{selectSQL(items, "("+in.sql+") AS "+c.alias()), colsOf(items)}, nil
}
