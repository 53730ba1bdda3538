package azpolicy

import (
	"fmt"
	"math"
)

// Array, object and numeric template functions.

func init() {
	register("array", 1, 1, func(_ *evalCtx, a []any) (any, error) {
		if arr, ok := a[0].([]any); ok {
			return arr, nil
		}
		return []any{a[0]}, nil
	})
	register("createarray", 0, -1, func(_ *evalCtx, a []any) (any, error) { return append([]any{}, a...), nil })
	register("createobject", 0, -1, fnCreateObject)
	register("intersection", 2, -1, fnIntersection)
	register("union", 2, -1, fnUnion)
	register("items", 1, 1, fnItems)
	register("flatten", 1, 1, func(_ *evalCtx, a []any) (any, error) {
		arr, ok := a[0].([]any)
		if !ok {
			return nil, fmt.Errorf("needs an array, not %s", typeName(a[0]))
		}
		out := []any{}
		for _, e := range arr {
			inner, ok := e.([]any)
			if !ok {
				return nil, fmt.Errorf("needs an array of arrays, found %s", typeName(e))
			}
			out = append(out, inner...)
		}
		return out, nil
	})
	register("shallowmerge", 1, 1, func(_ *evalCtx, a []any) (any, error) {
		arr, ok := a[0].([]any)
		if !ok {
			return nil, fmt.Errorf("needs an array of objects, not %s", typeName(a[0]))
		}
		out := map[string]any{}
		for _, e := range arr {
			m, ok := e.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("needs an array of objects, found %s", typeName(e))
			}
			for k, v := range m {
				out[k] = v
			}
		}
		return out, nil
	})
	register("objectkeys", 1, 1, func(_ *evalCtx, a []any) (any, error) {
		m, ok := a[0].(map[string]any)
		if !ok {
			return nil, fmt.Errorf("needs an object, not %s", typeName(a[0]))
		}
		out := []any{}
		for _, k := range sortedKeys(m) {
			out = append(out, k)
		}
		return out, nil
	})
	register("tryget", 2, -1, fnTryGet)
	register("indexfromend", 2, 2, func(_ *evalCtx, a []any) (any, error) { return fromEnd(a[0], a[1]) })
	register("tryindexfromend", 2, 2, func(_ *evalCtx, a []any) (any, error) {
		v, err := fromEnd(a[0], a[1])
		if err != nil {
			return nil, nil
		}
		return v, nil
	})
	register("min", 1, -1, func(_ *evalCtx, a []any) (any, error) { return extreme(a, -1) })
	register("max", 1, -1, func(_ *evalCtx, a []any) (any, error) { return extreme(a, 1) })
	register("range", 2, 2, fnRange)

}

func fnCreateObject(_ *evalCtx, a []any) (any, error) {
	if len(a)%2 != 0 {
		return nil, fmt.Errorf("needs key/value pairs")
	}
	out := make(map[string]any, len(a)/2)
	for i := 0; i < len(a); i += 2 {
		k, ok := a[i].(string)
		if !ok {
			return nil, fmt.Errorf("key %d is %s, not a string", i/2, typeName(a[i]))
		}
		out[k] = a[i+1]
	}
	return out, nil
}

func fnIntersection(_ *evalCtx, a []any) (any, error) {
	switch first := a[0].(type) {
	case []any:
		var others []map[string]bool
		for _, other := range a[1:] {
			arr, ok := other.([]any)
			if !ok {
				return nil, fmt.Errorf("cannot intersect an array with %s", typeName(other))
			}
			others = append(others, valueSet(arr))
		}
		out := []any{}
		seen := map[string]bool{}
		for _, e := range first {
			k := valueKey(e)
			inAll := !seen[k]
			for _, set := range others {
				inAll = inAll && set[k]
			}
			if inAll {
				seen[k] = true
				out = append(out, e)
			}
		}
		return out, nil
	case map[string]any:
		out := map[string]any{}
		for k, v := range first {
			inAll := true
			for _, other := range a[1:] {
				m, ok := other.(map[string]any)
				if !ok {
					return nil, fmt.Errorf("cannot intersect an object with %s", typeName(other))
				}
				w, found := lookupKey(m, k)
				inAll = inAll && found && deepEqual(v, w)
			}
			if inAll {
				out[k] = v
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("needs arrays or objects, not %s", typeName(a[0]))
}

// valueKey identifies a value for set operations: equal values (1 and
// 1.0 included) have equal keys.
func valueKey(v any) string { return toJSON(v) }

func valueSet(arr []any) map[string]bool {
	set := make(map[string]bool, len(arr))
	for _, e := range arr {
		set[valueKey(e)] = true
	}
	return set
}

// fnUnion joins arrays without duplicates, or merges objects (nested
// objects merge, later values win).
func fnUnion(_ *evalCtx, a []any) (any, error) {
	switch a[0].(type) {
	case []any:
		out := []any{}
		seen := map[string]bool{}
		for _, v := range a {
			arr, ok := v.([]any)
			if !ok {
				return nil, fmt.Errorf("cannot join an array with %s", typeName(v))
			}
			for _, e := range arr {
				if k := valueKey(e); !seen[k] {
					seen[k] = true
					out = append(out, e)
				}
			}
		}
		return out, nil
	case map[string]any:
		out := map[string]any{}
		for _, v := range a {
			m, ok := v.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("cannot merge an object with %s", typeName(v))
			}
			out = mergeObjects(out, m)
		}
		return out, nil
	}
	return nil, fmt.Errorf("needs arrays or objects, not %s", typeName(a[0]))
}

func mergeObjects(dst, src map[string]any) map[string]any {
	out := make(map[string]any, len(dst)+len(src))
	for k, v := range dst {
		out[k] = v
	}
	for k, v := range src {
		if sm, ok := v.(map[string]any); ok {
			if dm, ok := out[k].(map[string]any); ok {
				out[k] = mergeObjects(dm, sm)
				continue
			}
		}
		out[k] = v
	}
	return out
}

func fnItems(_ *evalCtx, a []any) (any, error) {
	m, ok := a[0].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("needs an object, not %s", typeName(a[0]))
	}
	out := make([]any, 0, len(m))
	for _, k := range sortedKeys(m) {
		out = append(out, map[string]any{"key": k, "value": m[k]})
	}
	return out, nil
}

// fnTryGet reads a key or index, or a chain of them, giving null when absent.
func fnTryGet(_ *evalCtx, a []any) (any, error) {
	v := a[0]
	for _, k := range a[1:] {
		switch x := v.(type) {
		case map[string]any:
			s, ok := k.(string)
			if !ok {
				return nil, nil
			}
			r, found := lookupKey(x, s)
			if !found {
				return nil, nil
			}
			v = r
		case []any:
			i, ok := asInt(k)
			if !ok || i < 0 || i >= int64(len(x)) {
				return nil, nil
			}
			v = x[i]
		default:
			return nil, nil
		}
	}
	return v, nil
}

// fromEnd returns the element n places from the end, 1 being the last.
func fromEnd(v, nv any) (any, error) {
	arr, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("needs an array, not %s", typeName(v))
	}
	n, ok := asInt(nv)
	if !ok || n < 1 || n > int64(len(arr)) {
		return nil, fmt.Errorf("index %s is out of bounds for an array of %d", toJSON(nv), len(arr))
	}
	return arr[int64(len(arr))-n], nil
}

// extreme implements min (dir -1) and max (dir 1) over arguments or one array.
func extreme(a []any, dir int) (any, error) {
	vals := a
	if len(a) == 1 {
		if arr, ok := a[0].([]any); ok {
			vals = arr
		}
	}
	if len(vals) == 0 {
		return nil, fmt.Errorf("needs at least one value")
	}
	best := vals[0]
	bf, _, ok := number(best)
	if !ok {
		return nil, fmt.Errorf("needs numbers, not %s", typeName(best))
	}
	for _, v := range vals[1:] {
		f, _, ok := number(v)
		if !ok {
			return nil, fmt.Errorf("needs numbers, not %s", typeName(v))
		}
		if (dir < 0 && f < bf) || (dir > 0 && f > bf) {
			best, bf = v, f
		}
	}
	return best, nil
}

func fnRange(_ *evalCtx, a []any) (any, error) {
	start, ok1 := asInt(a[0])
	count, ok2 := asInt(a[1])
	switch {
	case !ok1 || !ok2:
		return nil, fmt.Errorf("needs integers")
	case count < 0:
		return nil, fmt.Errorf("count %d is negative", count)
	case count > 10000:
		return nil, fmt.Errorf("count %d exceeds maximum of 10000", count)
	case start+count > math.MaxInt32:
		return nil, fmt.Errorf("start + count exceeds maximum of 2147483647")
	}
	out := make([]any, count)
	for i := range out {
		out[i] = start + int64(i)
	}
	return out, nil
}
