package lite

import (
	"database/sql/driver"
	"fmt"
	"regexp"
	"strings"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/rampart-soc/rampart/internal/kql/syntax"
	"github.com/rampart-soc/rampart/internal/schema"
)

func init() {
	// parse_groups matches a parse pattern's regex and returns its named groups p0, p1, ...
	// as a JSON array of strings, or null when the text does not match.
	addUDF(udf{name: "parse_groups", in: []duckdb.Type{vc, vc}, out: vc, fn: func(a []driver.Value) (any, error) {
		re, err := compileRegex(str(a[1]))
		if err != nil {
			return nil, err
		}
		m := re.FindStringSubmatch(str(a[0]))
		if m == nil {
			return nil, nil
		}
		var out []any
		for i := 0; ; i++ {
			k := re.SubexpIndex(fmt.Sprintf("p%d", i))
			if k < 0 {
				break
			}
			out = append(out, m[k])
		}
		return toJSON(out), nil
	}})
}

type parseCol struct {
	name string
	typ  schema.Type
}

// parseRegex builds the regex of a parse pattern. Simple and relaxed modes escape the
// literals and match columns lazily (the last one to the end); regex mode takes the
// literals as regex and matches greedily unless flags has U.
func parseRegex(x *syntax.ParseOp, kind, flags string) (string, []parseCol, error) {
	var b strings.Builder
	if flags != "" {
		b.WriteString("(?" + flags + ")")
	}
	b.WriteString("^")
	star, col := ".*?", "(.*?)"
	if kind == "regex" {
		star, col = ".*", "(.*)"
	}
	var cols []parseCol
	for i, p := range x.Pattern {
		last := i == len(x.Pattern)-1
		switch e := p.(type) {
		case *syntax.Literal:
			s, _ := e.Value.(string)
			if kind == "regex" {
				b.WriteString(s)
			} else {
				b.WriteString(regexp.QuoteMeta(s))
			}
		case *syntax.Wildcard:
			b.WriteString(star)
		case *syntax.ColumnDecl:
			typ := schema.String
			if e.Type != nil {
				t, err := schema.ParseType(e.Type.Name)
				if err != nil {
					return "", nil, errAt(e, "%v", err)
				}
				typ = t
			}
			g := col
			if last && kind != "regex" {
				g = "(.*)"
			}
			// numbers match as numbers; relaxed mode falls back to any text (then null)
			num := ""
			switch {
			case isInt(typ):
				num = `\-?\d+`
			case typ == schema.Real:
				num = `\-?\d+(?:\.\d*)?(?:[eE][\-+]?\d+)?`
			}
			switch {
			case num != "" && kind == "relaxed":
				g = "(" + num + "|" + g[1:]
			case num != "":
				g = "(" + num + ")"
			}
			fmt.Fprintf(&b, "(?P<p%d>%s)", len(cols), g[1:len(g)-1])
			cols = append(cols, parseCol{e.Name.Name, typ})
		case *syntax.Ident:
			g := col
			if last && kind != "regex" {
				g = "(.*)"
			}
			fmt.Fprintf(&b, "(?P<p%d>%s)", len(cols), g[1:len(g)-1])
			cols = append(cols, parseCol{e.Name, schema.String})
		default:
			return "", nil, errAt(p, "parse patterns take strings, columns and *")
		}
	}
	if _, err := regexp.Compile(b.String()); err != nil {
		return "", nil, errAt(x, "the parse pattern is not a valid regular expression: %v", err)
	}
	return b.String(), cols, nil
}

// parse extracts columns from a string with a pattern (parse-where keeps matching rows).
func (c *compiler) parse(x *syntax.ParseOp, in rel) (rel, error) {
	sc := scopeOf(in.cols)
	c.inCols = in.cols
	kind, flags := "simple", ""
	for _, p := range x.Params {
		switch strings.ToLower(p.Name.Name) {
		case "kind":
			kind = strings.ToLower(paramValue(p))
		case "flags":
			flags = paramValue(p)
		}
	}
	if kind != "simple" && kind != "regex" && kind != "relaxed" {
		return rel{}, errAt(x, "parse kind %q is not supported (simple, regex or relaxed)", kind)
	}
	src, err := c.expr(x.Source, sc)
	if err != nil {
		return rel{}, err
	}
	re, cols, err := parseRegex(x, kind, flags)
	if err != nil {
		return rel{}, err
	}
	groups := fmt.Sprintf("CAST(kql_parse_groups(%s, %s) AS JSON)", asString(src), sqlString(re))
	inner := fmt.Sprintf("SELECT *, %s AS \"__pg\" FROM (%s) AS %s", groups, in.sql, c.alias())
	vals := make([]typed, len(cols))
	var ok []string // the typed columns that converted
	for i, col := range cols {
		raw := typed{sql: fmt.Sprintf("json_extract_string(\"__pg\", '$[%d]')", i), typ: schema.String}
		v := raw
		if col.typ != schema.String {
			v = convert(typed{sql: "nullif(trim(" + raw.sql + "), '')", typ: schema.String}, col.typ)
			ok = append(ok, "("+v.sql+" IS NOT NULL)")
		} else {
			v.sql = "coalesce(" + v.sql + ", '')"
		}
		vals[i] = v
	}
	matched := "(\"__pg\" IS NOT NULL)"
	if kind == "simple" && len(ok) > 0 { // simple: a value that does not convert fails the row
		matched = "(\"__pg\" IS NOT NULL AND " + strings.Join(ok, " AND ") + ")"
	}
	items := passThrough(in.cols)
	for i, col := range cols {
		v := vals[i]
		s := fmt.Sprintf("(CASE WHEN %s THEN %s ELSE %s END)", matched, v.sql, nullOf(col.typ).sql)
		it := selectItem{s, Column{col.name, col.typ}}
		replaced := false
		for j := range items {
			if items[j].col.Name == col.name {
				items[j], replaced = it, true
			}
		}
		if !replaced {
			items = append(items, it)
		}
	}
	q := selectSQL(items, "("+inner+") AS "+c.alias())
	if x.Where {
		q += " WHERE " + matched
	}
	return rel{q, colsOf(items)}, nil
}
