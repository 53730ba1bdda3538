package azpolicy

import (
	"fmt"
	"strings"
)

// Resolving "field" names: built-in fields, raw property paths and aliases,
// bound to the element of an enclosing field count when the name lies
// under its array.

// fieldPath is one way to read a field. Aliases missing from the catalogue
// get loose paths that look under "properties" too.
type fieldPath struct {
	p     path
	loose bool
}

// resolveField returns the candidate paths for a field name, in order of
// preference, or a special built-in field.
func (c *evalCtx) resolveField(name string) (special string, cands []fieldPath, err error) {
	switch {
	case strings.EqualFold(name, "fullName"):
		return "fullname", nil, nil
	case strings.EqualFold(name, "apiVersion"):
		return "apiversion", nil, nil
	}
	np := c.p.parseName(name)
	if !strings.Contains(name, "/") {
		if np.rawErr != nil {
			return "", nil, np.rawErr
		}
		return "", []fieldPath{{p: np.raw}}, nil
	}
	if al := c.p.aliases.lookup(c.resType, name); al != nil {
		cands = append(cands, fieldPath{p: al.pathFor(c.apiVersion)})
	}
	// The part after the type names a property path: the fallback for
	// aliases missing from the catalogue, and for data shaped like the
	// alias name rather than its catalogued path.
	if np.suffix != nil {
		cands = append(cands, fieldPath{p: np.suffix, loose: true})
	}
	// Last resort: the name itself as a dotted path, which is how tools
	// without alias data flatten such names.
	if np.rawErr == nil {
		cands = append(cands, fieldPath{p: np.raw})
	}
	if len(cands) == 0 {
		return "", nil, fmt.Errorf("cannot resolve field %q", name)
	}
	return "", cands, nil
}

// parsedName caches the path parses of a field name.
type parsedName struct {
	raw    path // the whole name as a path
	rawErr error
	suffix path // for aliases: the part after the last '/'
}

// maxNameCache bounds the cache; names computed by expressions could
// otherwise grow it without end.
const maxNameCache = 4096

func (p *Policy) parseName(name string) *parsedName {
	if v, ok := p.names.Load(name); ok {
		return v.(*parsedName)
	}
	np := &parsedName{}
	np.raw, np.rawErr = parsePath(name)
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		np.suffix, _ = parsePath(name[i+1:])
	}
	if p.nameCount.Add(1) <= maxNameCache {
		p.names.Store(name, np)
	}
	return np
}

// bindScope finds the innermost field count whose array contains p and
// returns the member to read from with the rest of the path.
func (c *evalCtx) bindScope(p path) (any, path, bool) {
	for i := len(c.scopes) - 1; i >= 0; i-- {
		s := c.scopes[i]
		if s.isField && s.prefix != nil && p.hasPrefix(s.prefix) {
			return s.item, p[len(s.prefix):], true
		}
	}
	return nil, nil, false
}

// bindByName binds an alias missing from the catalogue to a field count
// over the same alias, comparing names as Azure does.
func (c *evalCtx) bindByName(name string) (any, path, bool) {
	if !strings.Contains(name, "/") || c.p.aliases.lookup(c.resType, name) != nil {
		return nil, nil, false
	}
	for i := len(c.scopes) - 1; i >= 0; i-- {
		s := c.scopes[i]
		if !s.isField || !strings.Contains(s.name, "/") || len(name) < len(s.name) || !strings.EqualFold(name[:len(s.name)], s.name) {
			continue
		}
		rest := strings.TrimPrefix(name[len(s.name):], ".")
		if rest == "" {
			return s.item, nil, true
		}
		if np := c.p.parseName(rest); np.rawErr == nil {
			return s.item, np.raw, true
		}
	}
	return nil, nil, false
}

// fieldValues returns the values a field denotes; multi is true when an
// unbound [*] fans out, so the caller must combine the values.
func (c *evalCtx) fieldValues(name string, mode walkMode) (vals []any, multi bool, err error) {
	special, cands, err := c.resolveField(name)
	if err != nil {
		return nil, false, err
	}
	switch special {
	case "fullname":
		return []any{fullName(c.res)}, false, nil
	case "apiversion":
		if c.apiVersion != "" {
			return []any{c.apiVersion}, false, nil
		}
		v, ok := lookupKey(c.res, "apiVersion")
		if !ok {
			v = undefined
		}
		return []any{v}, false, nil
	}
	if item, rest, ok := c.bindByName(name); ok {
		return walk(item, rest, true, mode, nil), rest.hasWildcard(), nil
	}
	// A path under an enclosing field count's array reads the current
	// member; otherwise try the candidates from the resource root in order.
	for _, fp := range cands {
		if item, rest, ok := c.bindScope(fp.p); ok {
			return walk(item, rest, fp.loose, mode, nil), rest.hasWildcard(), nil
		}
	}
	for i, fp := range cands {
		vals = walk(c.res, fp.p, fp.loose, mode, nil)
		multi = fp.p.hasWildcard()
		if i == len(cands)-1 || len(vals) == 0 || anyDefined(vals) {
			break
		}
	}
	return vals, multi, nil
}

func anyDefined(vals []any) bool {
	for _, v := range vals {
		if !isUndef(v) {
			return true
		}
	}
	return false
}

// countElements returns the members a field count iterates and the array
// path they belong to, which where-clause fields bind to.
func (c *evalCtx) countElements(name string) ([]any, path, error) {
	special, cands, err := c.resolveField(name)
	if err != nil {
		return nil, nil, err
	}
	if special != "" || !strings.HasSuffix(name, "[*]") {
		return nil, nil, fmt.Errorf("count field %q is not an array alias ending in [*]", name)
	}
	if item, rest, ok := c.bindByName(name); ok {
		if len(rest) == 0 || rest[len(rest)-1].kind != segAll {
			return nil, nil, fmt.Errorf("count field %q is not an array", name)
		}
		// Bound by name: keep the element's own path so nested fields bind too.
		return walk(item, rest, true, walkCount, nil), nil, nil
	}
	var arrays []fieldPath
	for _, fp := range cands {
		if len(fp.p) > 0 && fp.p[len(fp.p)-1].kind == segAll {
			arrays = append(arrays, fp)
		}
	}
	if len(arrays) == 0 {
		return nil, nil, fmt.Errorf("count field %q is not an array", name)
	}
	for _, fp := range arrays {
		if item, rest, ok := c.bindScope(fp.p); ok {
			return walk(item, rest, fp.loose, walkCount, nil), fp.p, nil
		}
	}
	// From the root, the first candidate whose array exists wins, even empty.
	for _, fp := range arrays {
		if anyDefined(walk(c.res, fp.p[:len(fp.p)-1], fp.loose, walkCondition, nil)) {
			return walk(c.res, fp.p, fp.loose, walkCount, nil), fp.p, nil
		}
	}
	return nil, arrays[0].p, nil
}

// fieldFunc implements field(): the value, or an array for an unbound [*].
func (c *evalCtx) fieldFunc(name string) (any, error) {
	if c.primary != nil {
		return c.primary.fieldFunc(name)
	}
	vals, multi, err := c.fieldValues(name, walkCondition)
	if err != nil {
		return nil, err
	}
	// A [*] field is always an array; inside a count over that array it
	// holds just the current member.
	if !multi && !strings.Contains(name, "[*]") {
		if isUndef(vals[0]) {
			return nil, nil
		}
		return vals[0], nil
	}
	out := make([]any, 0, len(vals))
	for _, v := range vals {
		if !isUndef(v) {
			out = append(out, v)
		}
	}
	return out, nil
}

// current implements current(): the member of the innermost count, or of
// the count named by a value count's name or a field count's alias.
func (c *evalCtx) current(args []any) (any, error) {
	if len(c.scopes) == 0 {
		return nil, fmt.Errorf("current() is only valid inside a count")
	}
	if len(args) == 0 {
		return c.scopes[len(c.scopes)-1].item, nil
	}
	name, ok := args[0].(string)
	if !ok {
		return nil, fmt.Errorf("current() needs a string, not %s", typeName(args[0]))
	}
	for i := len(c.scopes) - 1; i >= 0; i-- {
		if strings.EqualFold(c.scopes[i].name, name) {
			return c.scopes[i].item, nil
		}
	}
	if strings.Contains(name, "[*]") {
		vals, multi, err := c.fieldValues(name, walkCondition)
		if err != nil {
			return nil, err
		}
		if !multi {
			if isUndef(vals[0]) {
				return nil, nil
			}
			return vals[0], nil
		}
	}
	return nil, fmt.Errorf("current(%q) does not name an enclosing count", name)
}

// fullName is the name with its parents' names ("vnet/subnet"), taken from
// the resource id when the resource does not carry it.
func fullName(res map[string]any) any {
	if v, ok := lookupKey(res, "fullName"); ok {
		return v
	}
	if id, ok := lookupString(res, "id"); ok {
		if n := nameFromID(id); n != "" {
			return n
		}
	}
	if v, ok := lookupKey(res, "name"); ok {
		return v
	}
	return undefined
}

// nameFromID returns the names after the last "providers" segment of an
// ARM id, joined with '/'.
func nameFromID(id string) string {
	parts := strings.Split(strings.Trim(id, "/"), "/")
	at := -1
	for i, p := range parts {
		if strings.EqualFold(p, "providers") {
			at = i
		}
	}
	if at < 0 || len(parts)-at < 4 {
		return ""
	}
	var names []string
	for i := at + 3; i < len(parts); i += 2 {
		names = append(names, parts[i])
	}
	return strings.Join(names, "/")
}
