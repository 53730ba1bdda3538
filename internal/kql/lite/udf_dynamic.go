package lite

import (
	"database/sql/driver"
	"encoding/json"
	"math"
	"sort"
	"strings"

	"github.com/duckdb/duckdb-go/v2"
)

// jsonUDF registers a UDF over JSON values. sig has one letter per argument and the
// result last: j = JSON text (parsed), s = string, i = bigint, f = double, b = bool.
// A variadic function repeats its last argument letter (sig "j*j").
func jsonUDF(name, sig string, fn func(a []any) any) {
	types := map[byte]duckdb.Type{'j': vc, 's': vc, 'i': bi, 'f': duckdb.TYPE_DOUBLE, 'b': duckdb.TYPE_BOOLEAN}
	u := udf{name: name, out: types[sig[len(sig)-1]]}
	in := sig[:len(sig)-1]
	variadic := strings.HasSuffix(in, "*")
	if variadic {
		in = strings.TrimSuffix(in, "*")
		u.variadic = types[in[len(in)-1]]
		in = in[:len(in)-1]
	}
	for i := 0; i < len(in); i++ {
		u.in = append(u.in, types[in[i]])
	}
	argType := func(i int) byte {
		if i < len(in) {
			return in[i]
		}
		return sig[len(sig)-3]
	}
	out := sig[len(sig)-1]
	u.fn = func(a []driver.Value) (any, error) {
		args := make([]any, len(a))
		for i, v := range a {
			if argType(i) == 'j' {
				p, err := parseJSON(str(v))
				if err != nil {
					p = nil
				}
				args[i] = p
			} else {
				args[i] = v
			}
		}
		r := fn(args)
		if r == nil {
			return nil, nil
		}
		if out == 'j' {
			if s, ok := r.(rawJSON); ok {
				return string(s), nil
			}
			return toJSON(r), nil
		}
		return r, nil
	}
	addUDF(u)
}

// rawJSON is a UDF result that already is JSON text.
type rawJSON string

func arr(v any) ([]any, bool) {
	a, ok := v.([]any)
	return a, ok
}

// index resolves a possibly negative index against a length.
func index(i int64, n int) int {
	if i < 0 {
		i += int64(n)
	}
	return int(i)
}

func init() {
	// array_distinct keeps first occurrences in order; flatten adds arrays' elements.
	jsonUDF("array_distinct", "jbj", func(a []any) any {
		xs, ok := arr(a[0])
		if !ok {
			return nil
		}
		seen := map[string]bool{}
		out := []any{}
		add := func(x any) {
			if k := jsonKeyOf(x); !seen[k] {
				seen[k] = true
				out = append(out, x)
			}
		}
		for _, x := range xs {
			if inner, ok := x.([]any); ok && a[1].(bool) {
				for _, y := range inner {
					add(y)
				}
				continue
			}
			add(x)
		}
		return out
	})
	jsonUDF("array_slice", "jiij", func(a []any) any {
		xs, ok := arr(a[0])
		if !ok {
			return nil
		}
		s, e := index(a[1].(int64), len(xs)), index(a[2].(int64), len(xs))
		s = max(s, 0)
		e = min(e, len(xs)-1)
		if s > e {
			return []any{}
		}
		return xs[s : e+1]
	})
	jsonUDF("bag_merge_all", "jj", func(a []any) any {
		xs, _ := arr(a[0])
		out := newBag()
		for _, x := range xs {
			if b, ok := x.(*bag); ok {
				for _, k := range b.keys {
					if _, dup := out.vals[k]; !dup {
						out.set(k, b.vals[k])
					}
				}
			}
		}
		return out
	})
	jsonUDF("bag_merge", "j*j", func(a []any) any {
		out := newBag()
		for _, x := range a {
			if b, ok := x.(*bag); ok {
				for _, k := range b.keys {
					if _, dup := out.vals[k]; !dup {
						out.set(k, b.vals[k])
					}
				}
			}
		}
		return out
	})
	jsonUDF("bag_has_key", "jsb", func(a []any) any {
		_, ok := lookupPath(a[0], a[1].(string))
		return ok
	})
	jsonUDF("bag_remove_keys", "jjj", func(a []any) any {
		b, ok := a[0].(*bag)
		keys, _ := arr(a[1])
		if !ok {
			return nil
		}
		out := copyBag(b)
		for _, k := range keys {
			if s, ok := k.(string); ok {
				removePath(out, s)
			}
		}
		return out
	})
	jsonUDF("bag_set_key", "jsjj", func(a []any) any {
		b, ok := a[0].(*bag)
		if !ok {
			return nil
		}
		out := copyBag(b)
		setPath(out, a[1].(string), a[2])
		return out
	})
	jsonUDF("bag_zip", "jjj", func(a []any) any {
		keys, ok1 := arr(a[0])
		vals, _ := arr(a[1])
		if !ok1 {
			return nil
		}
		out := newBag()
		for i, k := range keys {
			s, ok := k.(string)
			if !ok {
				continue
			}
			var v any
			if i < len(vals) {
				v = vals[i]
			}
			out.set(s, v)
		}
		return out
	})
	jsonUDF("bag_keys", "jj", func(a []any) any {
		b, ok := a[0].(*bag)
		if !ok {
			return nil
		}
		out := []any{}
		for _, k := range b.keys {
			out = append(out, k)
		}
		return out
	})
	jsonUDF("array_concat", "j*j", func(a []any) any {
		out := []any{}
		for _, x := range a {
			xs, ok := arr(x)
			if !ok {
				return nil
			}
			out = append(out, xs...)
		}
		return out
	})
	jsonUDF("array_index_of", "jjiiii", func(a []any) any {
		xs, ok := arr(a[0])
		if !ok {
			return nil
		}
		want := jsonKeyOf(a[1])
		start, length, occ := index(a[2].(int64), len(xs)), a[3].(int64), a[4].(int64)
		if start < 0 || start > len(xs) || occ < 1 {
			return int64(-1)
		}
		end := len(xs)
		if length >= 0 && start+int(length) < end {
			end = start + int(length)
		}
		for i := start; i < end; i++ {
			if jsonKeyOf(xs[i]) == want {
				if occ--; occ == 0 {
					return int64(i)
				}
			}
		}
		return int64(-1)
	})
	jsonUDF("array_reverse", "jj", func(a []any) any {
		xs, ok := arr(a[0])
		if !ok {
			return nil
		}
		out := make([]any, len(xs))
		for i, x := range xs {
			out[len(xs)-1-i] = x
		}
		return out
	})
	rotate := func(xs []any, n int) []any {
		if len(xs) == 0 {
			return xs
		}
		n = ((n % len(xs)) + len(xs)) % len(xs)
		return append(append([]any{}, xs[n:]...), xs[:n]...)
	}
	jsonUDF("array_rotate_left", "jij", func(a []any) any {
		xs, ok := arr(a[0])
		if !ok {
			return nil
		}
		return rotate(xs, int(a[1].(int64)))
	})
	jsonUDF("array_rotate_right", "jij", func(a []any) any {
		xs, ok := arr(a[0])
		if !ok {
			return nil
		}
		return rotate(xs, -int(a[1].(int64)))
	})
	shift := func(xs []any, n int, fill any) []any {
		out := make([]any, len(xs))
		for i := range out {
			j := i + n
			if j >= 0 && j < len(xs) {
				out[i] = xs[j]
			} else {
				out[i] = fill
			}
		}
		return out
	}
	jsonUDF("array_shift_left", "jijj", func(a []any) any {
		xs, ok := arr(a[0])
		if !ok {
			return nil
		}
		return shift(xs, int(a[1].(int64)), a[2])
	})
	jsonUDF("array_shift_right", "jijj", func(a []any) any {
		xs, ok := arr(a[0])
		if !ok {
			return nil
		}
		return shift(xs, -int(a[1].(int64)), a[2])
	})
	jsonUDF("array_sort", "jbbj", func(a []any) any {
		xs, ok := arr(a[0])
		if !ok {
			return nil
		}
		out := append([]any{}, xs...)
		desc, nullsLast := a[1].(bool), a[2].(bool)
		sortJSON(out, desc)
		if !nullsLast { // nulls first: move them to the front
			var nulls, rest []any
			for _, x := range out {
				if x == nil {
					nulls = append(nulls, x)
				} else {
					rest = append(rest, x)
				}
			}
			out = append(nulls, rest...)
		}
		return out
	})
	jsonUDF("array_sum", "jf", func(a []any) any {
		xs, ok := arr(a[0])
		if !ok {
			return nil
		}
		sum := 0.0
		for _, x := range xs {
			f, ok := jsonNum(x)
			if !ok {
				return nil
			}
			sum += f
		}
		return sum
	})
	jsonUDF("array_iff", "jjjj", func(a []any) any {
		cond, ok := arr(a[0])
		if !ok {
			return nil
		}
		pick := func(v any, i int) any {
			if xs, ok := arr(v); ok {
				if i < len(xs) {
					return xs[i]
				}
				return nil
			}
			return v
		}
		out := make([]any, len(cond))
		for i, c := range cond {
			f, ok := jsonNum(c)
			switch {
			case !ok || c == nil:
				out[i] = nil
			case f != 0:
				out[i] = pick(a[1], i)
			default:
				out[i] = pick(a[2], i)
			}
		}
		return out
	})
	jsonUDF("array_split", "jjj", func(a []any) any {
		xs, ok := arr(a[0])
		if !ok {
			return nil
		}
		var cuts []int
		if is, ok := arr(a[1]); ok {
			for _, i := range is {
				f, _ := jsonNum(i)
				cuts = append(cuts, index(int64(f), len(xs)))
			}
		} else if f, ok := jsonNum(a[1]); ok {
			cuts = []int{index(int64(f), len(xs))}
		}
		out := []any{}
		prev := 0
		for _, c := range append(cuts, len(xs)) {
			c = min(max(c, prev), len(xs))
			out = append(out, append([]any{}, xs[prev:c]...))
			prev = c
		}
		return out
	})
	jsonUDF("set_has_element", "jjb", func(a []any) any {
		xs, ok := arr(a[0])
		if !ok {
			return nil
		}
		want := jsonKeyOf(a[1])
		for _, x := range xs {
			if jsonKeyOf(x) == want {
				return true
			}
		}
		return false
	})
	setOp := func(name string, keep func(counts []bool) bool, firstOnly bool) {
		jsonUDF(name, "j*j", func(a []any) any {
			var sets [][]any
			for _, x := range a {
				xs, ok := arr(x)
				if !ok {
					return nil
				}
				sets = append(sets, xs)
			}
			member := make([]map[string]bool, len(sets))
			for i, s := range sets {
				member[i] = map[string]bool{}
				for _, x := range s {
					member[i][jsonKeyOf(x)] = true
				}
			}
			out := []any{}
			seen := map[string]bool{}
			for i, s := range sets {
				if firstOnly && i > 0 {
					break
				}
				for _, x := range s {
					k := jsonKeyOf(x)
					if seen[k] {
						continue
					}
					in := make([]bool, len(sets))
					for j := range sets {
						in[j] = member[j][k]
					}
					if keep(in) {
						seen[k] = true
						out = append(out, x)
					}
				}
			}
			return out
		})
	}
	setOp("set_union", func([]bool) bool { return true }, false)
	setOp("set_intersect", func(in []bool) bool {
		for _, b := range in {
			if !b {
				return false
			}
		}
		return true
	}, true)
	setOp("set_difference", func(in []bool) bool {
		for _, b := range in[1:] {
			if b {
				return false
			}
		}
		return true
	}, true)
	jsonUDF("set_equals", "jjb", func(a []any) any {
		x, ok1 := arr(a[0])
		y, ok2 := arr(a[1])
		if !ok1 || !ok2 {
			return nil
		}
		mx, my := map[string]bool{}, map[string]bool{}
		for _, e := range x {
			mx[jsonKeyOf(e)] = true
		}
		for _, e := range y {
			my[jsonKeyOf(e)] = true
		}
		if len(mx) != len(my) {
			return false
		}
		for k := range mx {
			if !my[k] {
				return false
			}
		}
		return true
	})
	jsonUDF("jaccard_index", "jjf", func(a []any) any {
		x, ok1 := arr(a[0])
		y, ok2 := arr(a[1])
		if !ok1 || !ok2 {
			return nil
		}
		mx, my := map[string]bool{}, map[string]bool{}
		for _, e := range x {
			mx[jsonKeyOf(e)] = true
		}
		for _, e := range y {
			my[jsonKeyOf(e)] = true
		}
		inter := 0
		for k := range mx {
			if my[k] {
				inter++
			}
		}
		union := len(mx) + len(my) - inter
		if union == 0 {
			return math.NaN()
		}
		return float64(inter) / float64(union)
	})
	jsonUDF("zip", "j*j", func(a []any) any {
		n := 0
		for _, x := range a {
			xs, ok := arr(x)
			if !ok {
				return nil
			}
			n = max(n, len(xs))
		}
		out := make([]any, n)
		for i := range out {
			row := make([]any, len(a))
			for j, x := range a {
				if xs, _ := arr(x); i < len(xs) {
					row[j] = xs[i]
				}
			}
			out[i] = row
		}
		return out
	})
	jsonUDF("treepath", "jj", func(a []any) any {
		var out []any
		var walk func(v any, path string)
		walk = func(v any, path string) {
			switch x := v.(type) {
			case *bag:
				for _, k := range x.keys {
					p := path + "['" + k + "']"
					out = append(out, p)
					walk(x.vals[k], p)
				}
			case []any:
				p := path + "[0]"
				out = append(out, p)
				for _, e := range x {
					walk(e, p)
				}
			}
		}
		walk(a[0], "$")
		return uniqueStrings(out)
	})
	jsonUDF("dynamic_to_json", "js", func(a []any) any { return toJSON(sortKeys(a[0])) })
	jsonUDF("extract_json", "sjj", func(a []any) any {
		v, ok := lookupPath(a[1], a[0].(string))
		if !ok {
			return nil
		}
		return v
	})
}

func uniqueStrings(xs []any) []any {
	seen := map[string]bool{}
	out := []any{}
	for _, x := range xs {
		if s := x.(string); !seen[s] {
			seen[s] = true
			out = append(out, x)
		}
	}
	return out
}

func sortKeys(v any) any {
	switch x := v.(type) {
	case *bag:
		out := newBag()
		keys := append([]string{}, x.keys...)
		sort.Strings(keys)
		for _, k := range keys {
			out.set(k, sortKeys(x.vals[k]))
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = sortKeys(e)
		}
		return out
	}
	return v
}

func copyBag(b *bag) *bag {
	out := newBag()
	for _, k := range b.keys {
		out.set(k, b.vals[k])
	}
	return out
}

// splitPath reads a key or a JSONPath ($.a.b, $['a'], a.b) into keys.
func splitPath(p string) []string {
	p = strings.TrimPrefix(strings.TrimSpace(p), "$")
	if p == "" {
		return nil
	}
	var out []string
	for len(p) > 0 {
		switch {
		case p[0] == '.':
			p = p[1:]
		case strings.HasPrefix(p, "['") || strings.HasPrefix(p, `["`):
			q := p[1]
			end := strings.IndexByte(p[2:], q)
			if end < 0 {
				return append(out, p)
			}
			out = append(out, p[2:2+end])
			p = strings.TrimPrefix(p[2+end+1:], "]")
		case p[0] == '[':
			end := strings.IndexByte(p, ']')
			if end < 0 {
				return append(out, p)
			}
			out = append(out, p[1:end])
			p = p[end+1:]
		default:
			end := strings.IndexAny(p, ".[")
			if end < 0 {
				end = len(p)
			}
			out = append(out, p[:end])
			p = p[end:]
		}
	}
	return out
}

func lookupPath(v any, path string) (any, bool) {
	cur := v
	for _, k := range splitPath(path) {
		switch x := cur.(type) {
		case *bag:
			n, ok := x.vals[k]
			if !ok {
				return nil, false
			}
			cur = n
		case []any:
			var i int
			if err := json.Unmarshal([]byte(k), &i); err != nil || index(int64(i), len(x)) < 0 || index(int64(i), len(x)) >= len(x) {
				return nil, false
			}
			cur = x[index(int64(i), len(x))]
		default:
			return nil, false
		}
	}
	return cur, true
}

func removePath(b *bag, path string) {
	keys := splitPath(path)
	cur := b
	for i, k := range keys {
		if i == len(keys)-1 {
			cur.del(k)
			return
		}
		next, ok := cur.vals[k].(*bag)
		if !ok {
			return
		}
		next = copyBag(next)
		cur.vals[k] = next
		cur = next
	}
}

func setPath(b *bag, path string, v any) {
	keys := splitPath(path)
	cur := b
	for i, k := range keys {
		if i == len(keys)-1 {
			cur.set(k, v)
			return
		}
		next, ok := cur.vals[k].(*bag)
		if ok {
			next = copyBag(next)
		} else {
			next = newBag()
		}
		cur.set(k, next)
		cur = next
	}
}
