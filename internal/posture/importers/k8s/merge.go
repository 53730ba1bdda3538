package k8s

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// deepCopy copies decoded JSON values so one patch can be applied to many objects.
func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = deepCopy(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = deepCopy(e)
		}
		return out
	}
	return v
}

// strategicMerge applies a strategic-merge patch to dst in place and returns the result
// (nil when the patch deletes the object). Maps merge key by key, null deletes a key,
// lists of objects merge on their merge key (name, mountPath, containerPort, ...), other
// lists are replaced. "$patch: replace|delete" directives are honoured.
func strategicMerge(dst, patch map[string]any) map[string]any {
	switch str(patch["$patch"]) {
	case "delete":
		return nil
	case "replace":
		out, _ := deepCopy(patch).(map[string]any)
		delete(out, "$patch")
		return out
	}
	if dst == nil {
		dst = map[string]any{}
	}
	for k, pv := range patch {
		if strings.HasPrefix(k, "$") {
			continue // $setElementOrder/..., $retainKeys, $patch
		}
		if pv == nil {
			delete(dst, k)
			continue
		}
		switch pval := pv.(type) {
		case map[string]any:
			if dm, ok := dst[k].(map[string]any); ok {
				if merged := strategicMerge(dm, pval); merged != nil {
					dst[k] = merged
				} else {
					delete(dst, k)
				}
				continue
			}
			if str(pval["$patch"]) == "delete" {
				delete(dst, k)
				continue
			}
			dst[k] = stripDirectives(deepCopy(pval))
		case []any:
			dl, ok := dst[k].([]any)
			if mk := mergeKey(k, dl, pval); ok && mk != "" {
				dst[k] = mergeList(dl, pval, mk)
			} else {
				dst[k] = stripDirectives(deepCopy(pval))
			}
		default:
			dst[k] = pv
		}
	}
	return dst
}

// mergeKey picks the key that identifies list items, or "" when the list is replaced.
func mergeKey(field string, dst, patch []any) string {
	var cands []string
	switch field {
	case "volumeMounts":
		cands = []string{"mountPath"}
	case "volumeDevices":
		cands = []string{"devicePath"}
	case "ports":
		cands = []string{"containerPort", "port", "name"}
	default:
		cands = []string{"name"}
	}
	for _, c := range cands {
		if allHave(dst, c) && allHave(patch, c) {
			return c
		}
	}
	return ""
}

func allHave(list []any, k string) bool {
	for _, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			return false
		}
		if _, ok := m[k]; !ok && str(m["$patch"]) == "" {
			return false
		}
	}
	return true
}

func mergeList(dst, patch []any, mk string) []any {
	out := make([]any, len(dst))
	copy(out, dst)
	for _, pe := range patch {
		pm := pe.(map[string]any)
		idx := -1
		for i, de := range out {
			if reflect.DeepEqual(de.(map[string]any)[mk], pm[mk]) {
				idx = i
				break
			}
		}
		switch {
		case str(pm["$patch"]) == "delete":
			if idx >= 0 {
				out = append(out[:idx], out[idx+1:]...)
			}
		case idx >= 0:
			if merged := strategicMerge(out[idx].(map[string]any), pm); merged != nil {
				out[idx] = merged
			}
		default:
			out = append(out, stripDirectives(deepCopy(pm)))
		}
	}
	return out
}

// stripDirectives removes "$..." keys from values copied from a patch.
func stripDirectives(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if strings.HasPrefix(k, "$") {
				delete(x, k)
			} else {
				x[k] = stripDirectives(e)
			}
		}
	case []any:
		for i, e := range x {
			x[i] = stripDirectives(e)
		}
	}
	return v
}

// jsonPatch applies RFC 6902 operations (add, replace, remove, move, copy, test).
func jsonPatch(doc map[string]any, ops []any) error {
	for i, raw := range ops {
		op, ok := raw.(map[string]any)
		if !ok {
			return fmt.Errorf("operation %d is not an object", i)
		}
		path, err := pointer(str(op["path"]))
		if err != nil {
			return fmt.Errorf("operation %d: %v", i, err)
		}
		switch name := str(op["op"]); name {
		case "add":
			err = ptrSet(doc, path, deepCopy(op["value"]), true)
		case "replace":
			if _, e := ptrGet(doc, path); e != nil {
				err = e
			} else {
				err = ptrSet(doc, path, deepCopy(op["value"]), false)
			}
		case "remove":
			err = ptrRemove(doc, path)
		case "move", "copy":
			from, e := pointer(str(op["from"]))
			if e != nil {
				err = e
				break
			}
			v, e := ptrGet(doc, from)
			if e != nil {
				err = e
				break
			}
			v = deepCopy(v)
			if name == "move" {
				if err = ptrRemove(doc, from); err != nil {
					break
				}
			}
			err = ptrSet(doc, path, v, true)
		case "test":
			v, e := ptrGet(doc, path)
			if e != nil {
				err = e
			} else if !reflect.DeepEqual(v, op["value"]) {
				err = fmt.Errorf("test failed at %s", str(op["path"]))
			}
		default:
			err = fmt.Errorf("unsupported op %q", name)
		}
		if err != nil {
			return fmt.Errorf("operation %d (%s %s): %v", i, str(op["op"]), str(op["path"]), err)
		}
	}
	return nil
}

func pointer(p string) ([]string, error) {
	if p == "" {
		return nil, fmt.Errorf("empty path")
	}
	if p[0] != '/' {
		return nil, fmt.Errorf("path %q does not start with /", p)
	}
	parts := strings.Split(p[1:], "/")
	for i, s := range parts {
		parts[i] = strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
	}
	return parts, nil
}

// ptrParent walks to the container holding the last token.
func ptrParent(doc map[string]any, path []string) (any, error) {
	var cur any = doc
	for _, tok := range path[:len(path)-1] {
		switch c := cur.(type) {
		case map[string]any:
			next, ok := c[tok]
			if !ok {
				return nil, fmt.Errorf("%q not found", tok)
			}
			cur = next
		case []any:
			i, err := index(tok, len(c), false)
			if err != nil {
				return nil, err
			}
			cur = c[i]
		default:
			return nil, fmt.Errorf("cannot descend into %s at %q", typeName(cur), tok)
		}
	}
	return cur, nil
}

func index(tok string, n int, allowEnd bool) (int, error) {
	if allowEnd && tok == "-" {
		return n, nil
	}
	i, err := strconv.Atoi(tok)
	if err != nil || i < 0 || i > n || (i == n && !allowEnd) {
		return 0, fmt.Errorf("bad list index %q", tok)
	}
	return i, nil
}

func ptrGet(doc map[string]any, path []string) (any, error) {
	parent, err := ptrParent(doc, path)
	if err != nil {
		return nil, err
	}
	last := path[len(path)-1]
	switch c := parent.(type) {
	case map[string]any:
		v, ok := c[last]
		if !ok {
			return nil, fmt.Errorf("%q not found", last)
		}
		return v, nil
	case []any:
		i, err := index(last, len(c), false)
		if err != nil {
			return nil, err
		}
		return c[i], nil
	}
	return nil, fmt.Errorf("cannot index %s", typeName(parent))
}

// ptrSet sets (insert=true: adds, inserting into lists) the value at path. Lists are
// replaced in their parent because appending may reallocate them.
func ptrSet(doc map[string]any, path []string, v any, insert bool) error {
	if len(path) == 1 {
		doc[path[0]] = v
		return nil
	}
	parent, err := ptrParent(doc, path)
	if err != nil {
		return err
	}
	last := path[len(path)-1]
	switch c := parent.(type) {
	case map[string]any:
		c[last] = v
		return nil
	case []any:
		i, err := index(last, len(c), insert)
		if err != nil {
			return err
		}
		if !insert {
			c[i] = v
			return nil
		}
		nl := make([]any, 0, len(c)+1)
		nl = append(append(append(nl, c[:i]...), v), c[i:]...)
		return ptrSet(doc, path[:len(path)-1], nl, false)
	}
	return fmt.Errorf("cannot set into %s", typeName(parent))
}

func ptrRemove(doc map[string]any, path []string) error {
	parent, err := ptrParent(doc, path)
	if err != nil {
		return err
	}
	last := path[len(path)-1]
	switch c := parent.(type) {
	case map[string]any:
		if _, ok := c[last]; !ok {
			return fmt.Errorf("%q not found", last)
		}
		delete(c, last)
		return nil
	case []any:
		i, err := index(last, len(c), false)
		if err != nil {
			return err
		}
		nl := append(append([]any{}, c[:i]...), c[i+1:]...)
		return ptrSet(doc, path[:len(path)-1], nl, false)
	}
	return fmt.Errorf("cannot remove from %s", typeName(parent))
}
