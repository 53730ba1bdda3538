package lite

import (
	"database/sql/driver"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/duckdb/duckdb-go/v2"
)

var regexCache sync.Map // pattern → *regexp.Regexp or error

// compileRegex compiles an RE2 pattern (Kusto's dialect too), cached.
func compileRegex(p string) (*regexp.Regexp, error) {
	if v, ok := regexCache.Load(p); ok {
		if re, ok := v.(*regexp.Regexp); ok {
			return re, nil
		}
		return nil, v.(error)
	}
	re, err := regexp.Compile(p)
	if err != nil {
		err = fmt.Errorf("invalid regular expression %q: %v", p, err)
		regexCache.Store(p, err)
		return nil, err
	}
	regexCache.Store(p, re)
	return re, nil
}

var (
	vc = duckdb.TYPE_VARCHAR
	bi = duckdb.TYPE_BIGINT
)

func str(v driver.Value) string {
	s, _ := v.(string)
	return s
}

func i64(v driver.Value) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int32:
		return int64(x)
	}
	return 0
}

// kustoRewrite turns a Kusto rewrite pattern (\1 for groups) into Go's ($1).
func kustoRewrite(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '$':
			b.WriteString("$$")
		case s[i] == '\\' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			b.WriteString("${" + string(s[i+1]) + "}")
			i++
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

func init() {
	addUDF(udf{name: "replace_regex", in: []duckdb.Type{vc, vc, vc}, out: vc, fn: func(a []driver.Value) (any, error) {
		re, err := compileRegex(str(a[1]))
		if err != nil {
			return nil, err
		}
		return re.ReplaceAllString(str(a[0]), kustoRewrite(str(a[2]))), nil
	}})
	trim := func(name string, start, end bool) {
		addUDF(udf{name: name, in: []duckdb.Type{vc, vc}, out: vc, fn: func(a []driver.Value) (any, error) {
			p, s := str(a[0]), str(a[1])
			if start {
				re, err := compileRegex("^(?:" + p + ")+")
				if err != nil {
					return nil, err
				}
				s = re.ReplaceAllString(s, "")
			}
			if end {
				re, err := compileRegex("(?:" + p + ")+$")
				if err != nil {
					return nil, err
				}
				s = re.ReplaceAllString(s, "")
			}
			return s, nil
		}})
	}
	trim("trim", true, true)
	trim("trim_start", true, false)
	trim("trim_end", false, true)
	// indexof searches src[start : start+length+1] (Kusto's range includes its end); a
	// negative start counts from the end for indexof and is invalid (null) for indexof_regex.
	indexof := func(name string, find func(hay, needle string) (int, int, error)) {
		addUDF(udf{name: name, in: []duckdb.Type{vc, vc, bi, bi, bi}, out: bi, fn: func(a []driver.Value) (any, error) {
			src := []rune(str(a[0]))
			start, length, occ := i64(a[2]), i64(a[3]), i64(a[4])
			if start < 0 {
				if name == "indexof_regex" {
					return nil, nil
				}
				start += int64(len(src))
				if start < 0 {
					start = 0
				}
			}
			if start > int64(len(src)) || occ < 1 {
				return int64(-1), nil
			}
			end := int64(len(src))
			if length >= 0 && start+length+1 < end {
				end = start + length + 1
			}
			hay := string(src[start:end])
			offset := 0
			for n := int64(0); ; n++ {
				i, w, err := find(hay[offset:], str(a[1]))
				if err != nil || i < 0 {
					return int64(-1), err
				}
				if n+1 == occ {
					return start + int64(utf8.RuneCountInString(hay[:offset+i])), nil
				}
				offset += i + max(w, 1)
				if offset > len(hay) {
					return int64(-1), nil
				}
			}
		}})
	}
	indexof("indexof", func(hay, needle string) (int, int, error) { return strings.Index(hay, needle), len(needle), nil })
	indexof("indexof_regex", func(hay, p string) (int, int, error) {
		re, err := compileRegex(p)
		if err != nil {
			return -1, 0, err
		}
		loc := re.FindStringIndex(hay)
		if loc == nil {
			return -1, 0, nil
		}
		return loc[0], loc[1] - loc[0], nil
	})
	addUDF(udf{name: "extract", in: []duckdb.Type{vc, bi, vc}, out: vc, fn: func(a []driver.Value) (any, error) {
		re, err := compileRegex(str(a[0]))
		if err != nil {
			return nil, err
		}
		m := re.FindStringSubmatchIndex(str(a[2]))
		g := int(i64(a[1]))
		if m == nil || g < 0 || 2*g+1 >= len(m) || m[2*g] < 0 {
			return nil, nil
		}
		return str(a[2])[m[2*g]:m[2*g+1]], nil
	}})
	addUDF(udf{name: "extract_all", in: []duckdb.Type{vc, vc, vc}, out: vc, fn: func(a []driver.Value) (any, error) {
		re, err := compileRegex(str(a[0]))
		if err != nil {
			return nil, err
		}
		groups, err := parseJSON(str(a[1]))
		if err != nil {
			return nil, err
		}
		var want []int
		if arr, ok := groups.([]any); ok {
			for _, g := range arr {
				if f, ok := jsonNum(g); ok {
					want = append(want, int(f))
				} else if s, ok := g.(string); ok {
					want = append(want, re.SubexpIndex(s))
				}
			}
		}
		if len(want) == 0 {
			for i := 1; i <= re.NumSubexp(); i++ {
				want = append(want, i)
			}
			if len(want) == 0 {
				want = []int{0}
			}
		}
		src := str(a[2])
		var out []any
		for _, m := range re.FindAllStringSubmatchIndex(src, -1) {
			if len(want) == 1 && len(groupsList(groups)) <= 1 {
				out = append(out, sub(src, m, want[0]))
				continue
			}
			var row []any
			for _, g := range want {
				row = append(row, sub(src, m, g))
			}
			out = append(out, row)
		}
		if out == nil {
			return nil, nil
		}
		return toJSON(out), nil
	}})
	addUDF(udf{name: "countof", in: []duckdb.Type{vc, vc, vc}, out: bi, fn: func(a []driver.Value) (any, error) {
		s, what := str(a[0]), str(a[1])
		if strings.EqualFold(str(a[2]), "regex") {
			re, err := compileRegex(what)
			if err != nil {
				return nil, err
			}
			return int64(len(re.FindAllStringIndex(s, -1))), nil
		}
		if what == "" {
			return int64(0), nil
		}
		n := int64(0) // overlapping matches, as Kusto counts them
		for i := 0; i+len(what) <= len(s); i++ {
			if s[i:i+len(what)] == what {
				n++
			}
		}
		return n, nil
	}})
	addUDF(udf{name: "translate", in: []duckdb.Type{vc, vc, vc}, out: vc, fn: func(a []driver.Value) (any, error) {
		from, to := []rune(str(a[0])), []rune(str(a[1]))
		var b strings.Builder
		for _, r := range str(a[2]) {
			i := strings.IndexRune(string(from), r)
			if i < 0 {
				b.WriteRune(r)
				continue
			}
			k := utf8.RuneCountInString(string(from)[:i])
			switch {
			case len(to) == 0:
			case k < len(to):
				b.WriteRune(to[k])
			default:
				b.WriteRune(to[len(to)-1])
			}
		}
		return b.String(), nil
	}})
	addUDF(udf{name: "strcat_array", in: []duckdb.Type{vc, vc}, out: vc, fn: func(a []driver.Value) (any, error) {
		v, err := parseJSON(str(a[0]))
		arr, ok := v.([]any)
		if err != nil || !ok {
			return "", nil
		}
		parts := make([]string, len(arr))
		for i, e := range arr {
			parts[i] = jsonText(e)
		}
		return strings.Join(parts, str(a[1])), nil
	}})
	addUDF(udf{name: "regex_quote", in: []duckdb.Type{vc}, out: vc, fn: func(a []driver.Value) (any, error) {
		return regexp.QuoteMeta(str(a[0])), nil
	}})
	addUDF(udf{name: "replace_strings", in: []duckdb.Type{vc, vc, vc}, out: vc, fn: func(a []driver.Value) (any, error) {
		l, _ := parseJSON(str(a[1]))
		r, _ := parseJSON(str(a[2]))
		la, _ := l.([]any)
		ra, _ := r.([]any)
		return replaceStrings(str(a[0]), la, ra), nil
	}})
	addUDF(udf{name: "format_bytes", in: []duckdb.Type{duckdb.TYPE_DOUBLE, bi, vc}, out: vc, fn: func(a []driver.Value) (any, error) {
		size, _ := a[0].(float64)
		prec := int(i64(a[1]))
		units := []string{"Bytes", "KB", "MB", "GB", "TB", "PB", "EB"}
		u := 0
		if want := strings.ToUpper(str(a[2])); want != "" {
			for i, name := range units {
				if strings.ToUpper(name) == want || (want == "B" && i == 0) {
					u = i
				}
			}
		} else {
			for u < len(units)-1 && math.Abs(size) >= math.Pow(1024, float64(u+1)) {
				u++
			}
		}
		v := size / math.Pow(1024, float64(u))
		return fmt.Sprintf("%.*f %s", max(prec, 0), v, units[u]), nil
	}})
}

func groupsList(v any) []any {
	arr, _ := v.([]any)
	return arr
}

func sub(s string, m []int, g int) any {
	if g < 0 || 2*g+1 >= len(m) || m[2*g] < 0 {
		return nil
	}
	return s[m[2*g]:m[2*g+1]]
}

// replaceStrings replaces every lookup at once: earlier lookups claim their matches first
// and a later lookup never matches inside a claimed region, so nothing chains.
func replaceStrings(src string, lookups, rewrites []any) string {
	type span struct {
		from, to int
		with     string
	}
	var claimed []span
	free := func(from, to int) bool {
		for _, s := range claimed {
			if from < s.to && s.from < to {
				return false
			}
		}
		return true
	}
	for i, l := range lookups {
		find := jsonText(l)
		if find == "" {
			continue
		}
		with := ""
		if i < len(rewrites) {
			with = jsonText(rewrites[i])
		}
		for off := 0; ; {
			j := strings.Index(src[off:], find)
			if j < 0 {
				break
			}
			from, to := off+j, off+j+len(find)
			if free(from, to) {
				claimed = append(claimed, span{from, to, with})
				off = to
			} else {
				off = from + 1
			}
		}
	}
	sort.Slice(claimed, func(i, j int) bool { return claimed[i].from < claimed[j].from })
	var b strings.Builder
	prev := 0
	for _, s := range claimed {
		b.WriteString(src[prev:s.from])
		b.WriteString(s.with)
		prev = s.to
	}
	b.WriteString(src[prev:])
	return b.String()
}
