package lite

import (
	"database/sql/driver"
	"encoding/base64"
	"encoding/csv"
	"fmt"
	"math/big"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/duckdb/duckdb-go/v2"
)

// Encodings and parsers of structured strings (URLs, paths, versions, CSV).
func init() {
	addUDF(udf{name: "url_encode", in: []duckdb.Type{vc}, out: vc, fn: func(a []driver.Value) (any, error) {
		return urlEncode(str(a[0])), nil
	}})
	addUDF(udf{name: "url_encode_component", in: []duckdb.Type{vc}, out: vc, fn: func(a []driver.Value) (any, error) {
		return strings.ReplaceAll(urlEncode(str(a[0])), "+", "%20"), nil
	}})
	addUDF(udf{name: "url_decode", in: []duckdb.Type{vc}, out: vc, fn: func(a []driver.Value) (any, error) {
		s, err := url.QueryUnescape(str(a[0]))
		if err != nil {
			return nil, nil
		}
		return s, nil
	}})
	addUDF(udf{name: "base64_encode", in: []duckdb.Type{vc}, out: vc, fn: func(a []driver.Value) (any, error) {
		return base64.StdEncoding.EncodeToString([]byte(str(a[0]))), nil
	}})
	addUDF(udf{name: "base64_decode", in: []duckdb.Type{vc}, out: vc, fn: func(a []driver.Value) (any, error) {
		b, ok := decodeBase64(str(a[0]))
		if !ok || !utf8.Valid(b) {
			return nil, nil
		}
		return string(b), nil
	}})
	addUDF(udf{name: "base64_decode_toarray", in: []duckdb.Type{vc}, out: vc, fn: func(a []driver.Value) (any, error) {
		b, ok := decodeBase64(str(a[0]))
		if !ok {
			return nil, nil
		}
		return toJSON(bytesArray(b)), nil
	}})
	addUDF(udf{name: "to_utf8", in: []duckdb.Type{vc}, out: vc, fn: func(a []driver.Value) (any, error) {
		return toJSON(bytesArray([]byte(str(a[0])))), nil
	}})
	addUDF(udf{name: "base64_encode_fromarray", in: []duckdb.Type{vc}, out: vc, fn: func(a []driver.Value) (any, error) {
		v, _ := parseJSON(str(a[0]))
		arr, ok := v.([]any)
		if !ok {
			return nil, nil
		}
		b := make([]byte, 0, len(arr))
		for _, e := range arr {
			f, ok := jsonNum(e)
			if !ok || f < 0 || f > 255 {
				return nil, nil
			}
			b = append(b, byte(f))
		}
		return base64.StdEncoding.EncodeToString(b), nil
	}})
	addUDF(udf{name: "base64_decode_toguid", in: []duckdb.Type{vc}, out: duckdb.TYPE_UUID, fn: func(a []driver.Value) (any, error) {
		b, ok := decodeBase64(str(a[0]))
		if !ok || len(b) != 16 {
			return nil, nil
		}
		// .NET's Guid byte order: the first three fields are little-endian
		g := []byte{b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6]}
		g = append(g, b[8:]...)
		var u duckdb.UUID
		copy(u[:], g)
		return &u, nil
	}})
	addUDF(udf{name: "base64_encode_fromguid", in: []duckdb.Type{vc}, out: vc, fn: func(a []driver.Value) (any, error) {
		h := strings.ReplaceAll(str(a[0]), "-", "")
		if len(h) != 32 {
			return nil, nil
		}
		var g [16]byte
		for i := range g {
			v, err := strconv.ParseUint(h[2*i:2*i+2], 16, 8)
			if err != nil {
				return nil, nil
			}
			g[i] = byte(v)
		}
		b := []byte{g[3], g[2], g[1], g[0], g[5], g[4], g[7], g[6]}
		b = append(b, g[8:]...)
		return base64.StdEncoding.EncodeToString(b), nil
	}})
	addUDF(udf{name: "codepoints", in: []duckdb.Type{vc}, out: vc, fn: func(a []driver.Value) (any, error) {
		var out []any
		for _, r := range str(a[0]) {
			out = append(out, int64(r))
		}
		if out == nil {
			out = []any{}
		}
		return toJSON(out), nil
	}})
	addUDF(udf{name: "from_codepoints", in: []duckdb.Type{vc}, out: vc, fn: func(a []driver.Value) (any, error) {
		v, _ := parseJSON(str(a[0]))
		var b strings.Builder
		var walk func(any)
		walk = func(v any) {
			switch x := v.(type) {
			case []any:
				for _, e := range x {
					walk(e)
				}
			default:
				if f, ok := jsonNum(x); ok {
					b.WriteRune(rune(int64(f)))
				}
			}
		}
		walk(v)
		return b.String(), nil
	}})
	addUDF(udf{name: "parse_url", in: []duckdb.Type{vc}, out: vc, fn: func(a []driver.Value) (any, error) {
		return parseURL(str(a[0])), nil
	}})
	addUDF(udf{name: "parse_urlquery", in: []duckdb.Type{vc}, out: vc, fn: func(a []driver.Value) (any, error) {
		out := newBag()
		out.set("Query Parameters", queryBag(strings.TrimPrefix(str(a[0]), "?")))
		return toJSON(out), nil
	}})
	addUDF(udf{name: "parse_path", in: []duckdb.Type{vc}, out: vc, fn: func(a []driver.Value) (any, error) {
		return toJSON(parsePath(str(a[0]))), nil
	}})
	addUDF(udf{name: "parse_version", in: []duckdb.Type{vc}, out: duckdb.TYPE_DOUBLE, fn: func(a []driver.Value) (any, error) {
		parts := strings.Split(strings.TrimSpace(str(a[0])), ".")
		if len(parts) < 1 || len(parts) > 4 {
			return nil, nil
		}
		n := new(big.Int)
		for i := 0; i < 4; i++ {
			v := int64(0)
			if i < len(parts) {
				x, err := strconv.ParseInt(parts[i], 10, 64)
				if err != nil || x < 0 || x > 99999999 {
					return nil, nil
				}
				v = x
			}
			n.Mul(n, big.NewInt(100000000))
			n.Add(n, big.NewInt(v))
		}
		f, _ := new(big.Float).SetInt(n).Float64()
		return f, nil
	}})
	addUDF(udf{name: "parse_csv", in: []duckdb.Type{vc}, out: vc, fn: func(a []driver.Value) (any, error) {
		r := csv.NewReader(strings.NewReader(str(a[0])))
		r.FieldsPerRecord = -1
		r.LazyQuotes = true
		rec, err := r.Read()
		if err != nil {
			return toJSON([]any{""}), nil
		}
		out := make([]any, len(rec))
		for i, f := range rec {
			out[i] = f
		}
		return toJSON(out), nil
	}})
}

// urlEncode encodes as .NET's HttpUtility.UrlEncode: lowercase hex, space as +.
func urlEncode(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', strings.IndexByte("-_.!*()", c) >= 0:
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			fmt.Fprintf(&b, "%%%02x", c)
		}
	}
	return b.String()
}

func decodeBase64(s string) ([]byte, bool) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} { // padding is required
		if b, err := enc.DecodeString(s); err == nil {
			return b, true
		}
	}
	return nil, false
}

func bytesArray(b []byte) []any {
	out := make([]any, len(b))
	for i, x := range b {
		out[i] = int64(x)
	}
	return out
}

func queryBag(q string) *bag {
	out := newBag()
	for _, kv := range strings.Split(q, "&") {
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		if uk, err := url.QueryUnescape(k); err == nil {
			k = uk
		}
		if uv, err := url.QueryUnescape(v); err == nil {
			v = uv
		}
		out.set(k, v)
	}
	return out
}

// parseURL splits a URL into Kusto's parts; text that is not a URL gives an empty bag.
func parseURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return "{}"
	}
	b := newBag()
	b.set("Scheme", u.Scheme)
	b.set("Host", u.Hostname())
	b.set("Port", u.Port())
	b.set("Path", u.EscapedPath())
	user, pass := "", ""
	if u.User != nil {
		user = u.User.Username()
		pass, _ = u.User.Password()
	}
	b.set("Username", user)
	b.set("Password", pass)
	b.set("Query Parameters", queryBag(u.RawQuery))
	b.set("Fragment", u.Fragment)
	return toJSON(b)
}

func parsePath(p string) *bag {
	b := newBag()
	scheme, rest := "", p
	if i := strings.Index(p, "://"); i > 0 {
		scheme, rest = p[:i], p[i+3:]
	}
	sep := "\\"
	if !strings.Contains(rest, "\\") && strings.Contains(rest, "/") {
		sep = "/"
	}
	root := ""
	switch {
	case len(rest) >= 2 && rest[1] == ':':
		root = rest[:2]
	case strings.HasPrefix(rest, `\\`): // a UNC path has no root path
	case scheme != "":
		root = strings.SplitN(rest, sep, 2)[0]
	}
	dir, file := "", rest
	if i := strings.LastIndex(rest, sep); i >= 0 {
		dir, file = rest[:i], rest[i+1:]
	}
	ads := ""
	if i := strings.Index(file, ":"); i >= 0 {
		file, ads = file[:i], file[i+1:]
	}
	ext := ""
	if i := strings.LastIndex(file, "."); i >= 0 {
		ext = file[i+1:]
	}
	dirName := dir
	if i := strings.LastIndex(dir, sep); i >= 0 {
		dirName = dir[i+1:]
	}
	b.set("Scheme", scheme)
	b.set("RootPath", root)
	b.set("DirectoryPath", dir)
	b.set("DirectoryName", dirName)
	b.set("Filename", file)
	b.set("Extension", ext)
	b.set("AlternateDataStreamName", ads)
	return b
}
