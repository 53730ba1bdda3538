package azpolicy

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// String template functions. Positions and lengths count characters, not
// bytes; startsWith, endsWith, indexOf and lastIndexOf ignore case as in ARM.

func init() {
	register("concat", 0, -1, fnConcat)
	register("contains", 2, 2, fnContains)
	register("empty", 1, 1, func(_ *evalCtx, a []any) (any, error) { return isEmpty(a[0]), nil })
	register("startswith", 2, 2, stringPair(func(s, t string) any { return strings.HasPrefix(fold(s), fold(t)) }))
	register("endswith", 2, 2, stringPair(func(s, t string) any { return strings.HasSuffix(fold(s), fold(t)) }))
	register("indexof", 2, 2, stringPair(func(s, t string) any { return runeIndex(fold(s), strings.Index(fold(s), fold(t))) }))
	register("lastindexof", 2, 2, stringPair(func(s, t string) any {
		return runeIndex(fold(s), strings.LastIndex(fold(s), fold(t)))
	}))
	register("first", 1, 1, func(_ *evalCtx, a []any) (any, error) { return firstOrLast(a[0], true) })
	register("last", 1, 1, func(_ *evalCtx, a []any) (any, error) { return firstOrLast(a[0], false) })
	register("length", 1, 1, fnLength)
	register("padleft", 2, 3, fnPadLeft)
	register("replace", 3, 3, fnReplace)
	register("skip", 2, 2, func(_ *evalCtx, a []any) (any, error) { return skipTake(a[0], a[1], true) })
	register("take", 2, 2, func(_ *evalCtx, a []any) (any, error) { return skipTake(a[0], a[1], false) })
	register("split", 2, 2, fnSplit)
	register("string", 1, 1, func(_ *evalCtx, a []any) (any, error) { return scalarString(a[0]), nil })
	register("substring", 2, 3, fnSubstring)
	register("tolower", 1, 1, stringFn(strings.ToLower))
	register("toupper", 1, 1, stringFn(strings.ToUpper))
	register("trim", 1, 1, stringFn(strings.TrimSpace))
	register("join", 2, 2, fnJoin)
	register("format", 1, -1, func(_ *evalCtx, a []any) (any, error) {
		f, ok := a[0].(string)
		if !ok {
			return nil, fmt.Errorf("format needs a string, not %s", typeName(a[0]))
		}
		return formatComposite(f, a[1:])
	})
}

// scalarString renders a value as ARM's string() does: booleans as .NET
// prints them, arrays and objects as JSON, null as "".
func scalarString(v any) string {
	switch x := v.(type) {
	case nil, undefinedType:
		return ""
	case string:
		return x
	case bool:
		if x {
			return "True"
		}
		return "False"
	case []any, map[string]any:
		return toJSON(x)
	}
	if _, _, ok := number(v); ok {
		return formatNumber(v)
	}
	return fmt.Sprint(v)
}

func stringFn(f func(string) string) fnImpl {
	return func(_ *evalCtx, a []any) (any, error) {
		if a[0] == nil {
			return "", nil
		}
		s, ok := a[0].(string)
		if !ok {
			return nil, fmt.Errorf("needs a string, not %s", typeName(a[0]))
		}
		return f(s), nil
	}
}

func stringPair(f func(s, t string) any) fnImpl {
	return func(_ *evalCtx, a []any) (any, error) {
		s, ok1 := a[0].(string)
		t, ok2 := a[1].(string)
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("needs two strings, got %s and %s", typeName(a[0]), typeName(a[1]))
		}
		return f(s, t), nil
	}
}

// runeIndex converts a byte offset in s into a character offset.
func runeIndex(s string, byteIdx int) int64 {
	if byteIdx < 0 {
		return -1
	}
	return int64(utf8.RuneCountInString(s[:byteIdx]))
}

func fnConcat(_ *evalCtx, a []any) (any, error) {
	if len(a) > 0 {
		if _, ok := a[0].([]any); ok {
			var out []any
			for _, v := range a {
				arr, ok := v.([]any)
				if !ok && v != nil {
					return nil, fmt.Errorf("cannot concatenate an array with %s", typeName(v))
				}
				out = append(out, arr...)
			}
			if out == nil {
				out = []any{}
			}
			return out, nil
		}
	}
	var b strings.Builder
	for _, v := range a {
		b.WriteString(scalarString(v))
	}
	return b.String(), nil
}

func fnContains(_ *evalCtx, a []any) (any, error) {
	switch x := a[0].(type) {
	case string:
		return strings.Contains(x, scalarString(a[1])), nil
	case []any:
		for _, e := range x {
			if deepEqual(e, a[1]) {
				return true, nil
			}
		}
		return false, nil
	case map[string]any:
		k, ok := a[1].(string)
		if !ok {
			return false, nil
		}
		_, found := lookupKey(x, k)
		return found, nil
	case nil:
		return false, nil
	}
	return nil, fmt.Errorf("needs a string, array or object, not %s", typeName(a[0]))
}

func isEmpty(v any) bool {
	switch x := v.(type) {
	case nil, undefinedType:
		return true
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

func firstOrLast(v any, first bool) (any, error) {
	switch x := v.(type) {
	case []any:
		if len(x) == 0 {
			return nil, nil
		}
		if first {
			return x[0], nil
		}
		return x[len(x)-1], nil
	case string:
		if x == "" {
			return "", nil
		}
		if first {
			r, _ := utf8.DecodeRuneInString(x)
			return string(r), nil
		}
		r, _ := utf8.DecodeLastRuneInString(x)
		return string(r), nil
	case nil:
		return nil, nil
	}
	return nil, fmt.Errorf("needs an array or a string, not %s", typeName(v))
}

func fnLength(_ *evalCtx, a []any) (any, error) {
	switch x := a[0].(type) {
	case nil:
		return int64(0), nil
	case string:
		return int64(utf8.RuneCountInString(x)), nil
	case []any:
		return int64(len(x)), nil
	case map[string]any:
		return int64(len(x)), nil
	}
	return nil, fmt.Errorf("needs a string, array or object, not %s", typeName(a[0]))
}

// maxBuild bounds the strings and arrays functions may build.
const maxBuild = 1 << 20

func fnPadLeft(_ *evalCtx, a []any) (any, error) {
	s := scalarString(a[0])
	n, ok := asInt(a[1])
	if !ok {
		return nil, fmt.Errorf("total length must be an integer, not %s", typeName(a[1]))
	}
	if n > maxBuild {
		return nil, fmt.Errorf("total length %d exceeds the limit", n)
	}
	pad := " "
	if len(a) == 3 {
		p, ok := a[2].(string)
		if !ok || utf8.RuneCountInString(p) != 1 {
			return nil, fmt.Errorf("padding must be one character")
		}
		pad = p
	}
	if missing := int(n) - utf8.RuneCountInString(s); missing > 0 {
		s = strings.Repeat(pad, missing) + s
	}
	return s, nil
}

func fnReplace(_ *evalCtx, a []any) (any, error) {
	s, ok1 := a[0].(string)
	old, ok2 := a[1].(string)
	repl, ok3 := a[2].(string)
	if !ok1 || !ok2 || !ok3 {
		return nil, fmt.Errorf("needs three strings")
	}
	if old == "" {
		return nil, fmt.Errorf("the string to replace is empty")
	}
	if strings.Count(s, old)*len(repl) > maxBuild {
		return nil, fmt.Errorf("result exceeds the limit")
	}
	return strings.ReplaceAll(s, old, repl), nil
}

func skipTake(v, nv any, skip bool) (any, error) {
	n, ok := asInt(nv)
	if !ok {
		return nil, fmt.Errorf("count must be an integer, not %s", typeName(nv))
	}
	switch x := v.(type) {
	case []any:
		k := clamp(n, len(x))
		if skip {
			return append([]any{}, x[k:]...), nil
		}
		return append([]any{}, x[:k]...), nil
	case string:
		runes := []rune(x)
		k := clamp(n, len(runes))
		if skip {
			return string(runes[k:]), nil
		}
		return string(runes[:k]), nil
	}
	return nil, fmt.Errorf("needs an array or a string, not %s", typeName(v))
}

func clamp(n int64, max int) int {
	if n < 0 {
		return 0
	}
	if n > int64(max) {
		return max
	}
	return int(n)
}

func fnSplit(_ *evalCtx, a []any) (any, error) {
	s, ok := a[0].(string)
	if !ok {
		if a[0] != nil {
			return nil, fmt.Errorf("needs a string, not %s", typeName(a[0]))
		}
		s = ""
	}
	var delims []string
	switch d := a[1].(type) {
	case string:
		delims = []string{d}
	case []any:
		for _, e := range d {
			ds, ok := e.(string)
			if !ok {
				return nil, fmt.Errorf("delimiters must be strings")
			}
			delims = append(delims, ds)
		}
	default:
		return nil, fmt.Errorf("delimiter must be a string or an array of strings")
	}
	var out []any
	start := 0
	for i := 0; i < len(s); {
		matched := 0
		for _, d := range delims {
			if d != "" && strings.HasPrefix(s[i:], d) {
				matched = len(d)
				break
			}
		}
		if matched == 0 {
			i++
			continue
		}
		out = append(out, s[start:i])
		i += matched
		start = i
	}
	return append(out, s[start:]), nil
}

func fnSubstring(_ *evalCtx, a []any) (any, error) {
	s, ok := a[0].(string)
	if !ok {
		return nil, fmt.Errorf("needs a string, not %s", typeName(a[0]))
	}
	runes := []rune(s)
	start, ok := asInt(a[1])
	if !ok || start < 0 || start > int64(len(runes)) {
		return nil, fmt.Errorf("start index %s is out of range for a string of length %d", toJSON(a[1]), len(runes))
	}
	end := int64(len(runes))
	if len(a) == 3 {
		n, ok := asInt(a[2])
		if !ok || n < 0 || n > int64(len(runes))-start {
			return nil, fmt.Errorf("length %s is out of range for a string of length %d from %d", toJSON(a[2]), len(runes), start)
		}
		end = start + n
	}
	return string(runes[start:end]), nil
}

func fnJoin(_ *evalCtx, a []any) (any, error) {
	arr, ok := a[0].([]any)
	if !ok {
		return nil, fmt.Errorf("needs an array, not %s", typeName(a[0]))
	}
	sep, ok := a[1].(string)
	if !ok {
		return nil, fmt.Errorf("delimiter must be a string")
	}
	parts := make([]string, len(arr))
	for i, e := range arr {
		if s, ok := e.(string); ok {
			parts[i] = s
		} else {
			parts[i] = toJSON(e)
		}
	}
	return strings.Join(parts, sep), nil
}

// parseIntString parses an integer string for int().
func parseIntString(s string) (int64, error) {
	return strconv.ParseInt(strings.TrimSpace(s), 10, 64)
}
