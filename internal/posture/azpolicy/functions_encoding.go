package azpolicy

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
)

// Encoding template functions: json, base64, data URIs and URIs.

const dataURIPrefix = "data:text/plain;charset=utf8;base64,"

func init() {
	register("json", 1, 1, func(_ *evalCtx, a []any) (any, error) {
		s, ok := a[0].(string)
		if !ok {
			return nil, fmt.Errorf("needs a string, not %s", typeName(a[0]))
		}
		return parseJSONString(s)
	})
	register("base64", 1, 1, stringFn(func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }))
	register("base64tostring", 1, 1, func(_ *evalCtx, a []any) (any, error) { return decodeBase64(a[0]) })
	register("base64tojson", 1, 1, func(_ *evalCtx, a []any) (any, error) {
		s, err := decodeBase64(a[0])
		if err != nil {
			return nil, err
		}
		return parseJSONString(s)
	})
	register("datauri", 1, 1, func(_ *evalCtx, a []any) (any, error) {
		return dataURIPrefix + base64.StdEncoding.EncodeToString([]byte(scalarString(a[0]))), nil
	})
	register("datauritostring", 1, 1, fnDataURIToString)
	register("uri", 2, 2, fnURI)
	register("uricomponent", 1, 1, stringFn(escapeDataString))
	register("uricomponenttostring", 1, 1, func(_ *evalCtx, a []any) (any, error) {
		s, ok := a[0].(string)
		if !ok {
			return nil, fmt.Errorf("needs a string, not %s", typeName(a[0]))
		}
		out, err := url.PathUnescape(s)
		if err != nil {
			return nil, fmt.Errorf("bad escape in %q", s)
		}
		return out, nil
	})
}

func parseJSONString(s string) (any, error) {
	v, err := decodeJSON([]byte(s))
	if err != nil {
		return nil, fmt.Errorf("json(): invalid JSON: %v", err)
	}
	return v, nil
}

func decodeBase64(v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("needs a string, not %s", typeName(v))
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return "", fmt.Errorf("invalid base64: %v", err)
	}
	return string(b), nil
}

func fnDataURIToString(_ *evalCtx, a []any) (any, error) {
	s, ok := a[0].(string)
	if !ok {
		return nil, fmt.Errorf("needs a string, not %s", typeName(a[0]))
	}
	if !strings.HasPrefix(strings.ToLower(s), "data:") {
		return nil, fmt.Errorf("%q is not a data URI", s)
	}
	meta, data, found := strings.Cut(s[len("data:"):], ",")
	if !found {
		return nil, fmt.Errorf("%q is not a data URI", s)
	}
	if strings.HasSuffix(strings.ToLower(meta), ";base64") {
		return decodeBase64(data)
	}
	out, err := url.PathUnescape(data)
	if err != nil {
		return nil, fmt.Errorf("bad escape in data URI")
	}
	return out, nil
}

// fnURI resolves a relative URI against a base, as .NET's Uri(base, rel).
func fnURI(_ *evalCtx, a []any) (any, error) {
	base, ok1 := a[0].(string)
	rel, ok2 := a[1].(string)
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("needs two strings, got %s and %s", typeName(a[0]), typeName(a[1]))
	}
	b, err := url.Parse(base)
	if err != nil || !b.IsAbs() {
		return nil, fmt.Errorf("%q is not an absolute URI", base)
	}
	if b.Path == "" {
		b.Path = "/"
	}
	r, err := url.Parse(rel)
	if err != nil {
		return nil, fmt.Errorf("%q is not a URI", rel)
	}
	return b.ResolveReference(r).String(), nil
}

// escapeDataString escapes everything but RFC 3986 unreserved characters.
func escapeDataString(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}
