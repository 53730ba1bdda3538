package lite

import (
	"database/sql/driver"
	"fmt"
	"math/bits"
	"net/netip"
	"strconv"
	"strings"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/rampart-soc/rampart/internal/kql/syntax"
	"github.com/rampart-soc/rampart/internal/schema"
)

// IP address functions. Addresses may carry a prefix ("10.0.0.1/8"); comparisons use the
// shortest prefix of both sides and of the optional prefix argument. IPv6 functions read
// IPv4 addresses as IPv4-mapped IPv6 ones.
func init() {
	S, B, L := schema.String, schema.Bool, schema.Long
	def("ipv4_compare", 2, 3, ipCall(L, "ip_compare", "4"))
	def("ipv6_compare", 2, 3, ipCall(L, "ip_compare", "6"))
	def("ipv4_is_match", 2, 3, ipCall(B, "ip_is_match", "4"))
	def("ipv6_is_match", 2, 3, ipCall(B, "ip_is_match", "6"))
	def("ipv4_is_in_range", 2, 2, ipCall(B, "ip_in_range", "4"))
	def("ipv6_is_in_range", 2, 2, ipCall(B, "ip_in_range", "6"))
	def("ipv4_is_in_any_range", 2, -1, listCall(B, "ip_in_any_range", "4"))
	def("ipv6_is_in_any_range", 2, -1, listCall(B, "ip_in_any_range", "6"))
	def("has_ipv4", 2, 2, sqlT(B, "kql_has_ipv4(%s, %s, FALSE)", S, S))
	def("has_ipv4_prefix", 2, 2, sqlT(B, "kql_has_ipv4(%s, %s, TRUE)", S, S))
	def("has_any_ipv4", 2, -1, listCall(B, "has_any_ipv4", "ip"))
	def("has_any_ipv4_prefix", 2, -1, listCall(B, "has_any_ipv4", "prefix"))
	def("ipv4_netmask_suffix", 1, 1, sqlT(schema.Int, "CAST(kql_ip_parse(%s, '4', -1, 'suffix') AS INTEGER)", S))
	def("parse_ipv4", 1, 1, sqlT(L, "TRY_CAST(kql_ip_parse(%s, '4', -1, 'long') AS BIGINT)", S))
	def("parse_ipv4_mask", 2, 2, sqlT(L, "TRY_CAST(kql_ip_parse(%s, '4', %s, 'long') AS BIGINT)", S, L))
	def("parse_ipv6", 1, 1, sqlT(S, "coalesce(kql_ip_parse(%s, '6', -1, 'full'), '')", S))
	def("parse_ipv6_mask", 2, 2, sqlT(S, "coalesce(kql_ip_parse(%s, '6', %s, 'full'), '')", S, L))
	format := func(how string) impl {
		return func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
			ip := asString(a[0])
			if isNum(a[0].typ) { // a number is the address itself
				ip = fmt.Sprintf("kql_ipv4_from_long(CAST(%s AS BIGINT))", a[0].sql)
			}
			mask := "32"
			if len(a) > 1 {
				mask = convert(a[1], L).sql
			}
			return typed{sql: fmt.Sprintf("coalesce(kql_ip_parse(%s, '4', %s, '%s'), '')", ip, mask, how), typ: S}, nil
		}
	}
	def("format_ipv4", 1, 2, format("text"))
	def("format_ipv4_mask", 1, 2, format("cidr"))
	def("ipv4_range_to_cidr_list", 2, 2, udfT(schema.Dynamic, "ipv4_range_to_cidr", S, S))
	def("ipv4_is_private", 1, 1, udfT(B, "ipv4_is_private", S))
	addUDF(udf{name: "ipv4_is_private", in: []duckdb.Type{vc}, out: duckdb.TYPE_BOOLEAN, fn: func(a []driver.Value) (any, error) {
		ip, _, ok := parseIP(str(a[0]), false)
		if !ok {
			return nil, nil
		}
		return ip.IsPrivate(), nil // 10/8, 172.16/12, 192.168/16
	}})

	addUDF(udf{name: "ip_compare", in: []duckdb.Type{vc, vc, bi, vc}, out: bi, fn: func(a []driver.Value) (any, error) {
		r, ok := ipCompare(str(a[0]), str(a[1]), int(i64(a[2])), str(a[3]) == "6")
		if !ok {
			return nil, nil
		}
		return int64(r), nil
	}})
	addUDF(udf{name: "ip_is_match", in: []duckdb.Type{vc, vc, bi, vc}, out: duckdb.TYPE_BOOLEAN, fn: func(a []driver.Value) (any, error) {
		r, ok := ipCompare(str(a[0]), str(a[1]), int(i64(a[2])), str(a[3]) == "6")
		if !ok {
			return nil, nil
		}
		return r == 0, nil
	}})
	addUDF(udf{name: "ip_in_range", in: []duckdb.Type{vc, vc, bi, vc}, out: duckdb.TYPE_BOOLEAN, fn: func(a []driver.Value) (any, error) {
		return ipInRange(str(a[0]), str(a[1]), str(a[3]) == "6"), nil
	}})
	jsonUDF("ip_in_any_range", "sjsb", func(a []any) any {
		ranges, _ := a[1].([]any)
		for _, r := range ranges {
			if ok, _ := ipInRange(a[0].(string), jsonText(r), a[2].(string) == "6").(bool); ok {
				return true
			}
		}
		return false
	})
	addUDF(udf{name: "has_ipv4", in: []duckdb.Type{vc, vc, duckdb.TYPE_BOOLEAN}, out: duckdb.TYPE_BOOLEAN, fn: func(a []driver.Value) (any, error) {
		return hasIPv4(str(a[0]), []string{str(a[1])}, a[2].(bool)), nil
	}})
	jsonUDF("has_any_ipv4", "sjsb", func(a []any) any {
		list, _ := a[1].([]any)
		var want []string
		for _, x := range list {
			want = append(want, jsonText(x))
		}
		return hasIPv4(a[0].(string), want, a[2].(string) == "prefix")
	})
	addUDF(udf{name: "ip_parse", in: []duckdb.Type{vc, vc, bi, vc}, out: vc, fn: func(a []driver.Value) (any, error) {
		return ipParse(str(a[0]), str(a[1]) == "6", int(i64(a[2])), str(a[3])), nil
	}})
	addUDF(udf{name: "ipv4_from_long", in: []duckdb.Type{bi}, out: vc, fn: func(a []driver.Value) (any, error) {
		n := i64(a[0])
		if n < 0 || n > 0xffffffff {
			return nil, nil
		}
		return netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}).String(), nil
	}})
	jsonUDF("ipv4_range_to_cidr", "ssj", func(a []any) any {
		lo, err1 := netip.ParseAddr(strings.TrimSpace(a[0].(string)))
		hi, err2 := netip.ParseAddr(strings.TrimSpace(a[1].(string)))
		if err1 != nil || err2 != nil || !lo.Is4() || !hi.Is4() {
			return nil
		}
		out := []any{}
		for s, e := v4num(lo), v4num(hi); s <= e; {
			size := bits.TrailingZeros32(uint32(s))
			if s == 0 {
				size = 32
			}
			for size > 0 && s+(1<<size)-1 > e {
				size--
			}
			out = append(out, fmt.Sprintf("%s/%d", v4addr(s), 32-size))
			s += 1 << size
		}
		return out
	})
}

// ipCall passes two addresses, an optional prefix (-1: none) and the family to a UDF.
func ipCall(typ schema.Type, name, family string) impl {
	return func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		prefix := "-1"
		if len(a) > 2 {
			prefix = convert(a[2], schema.Long).sql
		}
		return typed{sql: fmt.Sprintf("kql_%s(%s, %s, %s, '%s')", name, asString(a[0]), asString(a[1]), prefix, family), typ: typ}, nil
	}
}

// listCall passes a value and a list (a dynamic array or the remaining arguments).
func listCall(typ schema.Type, name, mode string) impl {
	return func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		list := ""
		if len(a) == 2 && a[1].typ == schema.Dynamic {
			list = jsonArg(a[1])
		} else {
			var items []string
			for _, t := range a[1:] {
				items = append(items, asJSON(convert(t, schema.String)))
			}
			list = "CAST(to_json([" + strings.Join(items, ", ") + "]) AS VARCHAR)"
		}
		return typed{sql: fmt.Sprintf("kql_%s(%s, %s, '%s')", name, asString(a[0]), list, mode), typ: typ}, nil
	}
}

// parseIP reads "addr[/bits]"; v6 maps IPv4 (and IPv4-compatible ::a.b.c.d) to IPv6.
func parseIP(s string, v6 bool) (netip.Addr, int, bool) {
	s = strings.TrimSpace(s)
	addr, bitsText, hasBits := strings.Cut(s, "/")
	ip, err := netip.ParseAddr(addr)
	if err != nil || ip.Zone() != "" {
		return netip.Addr{}, 0, false
	}
	max := 32
	if !ip.Is4() {
		max = 128
	}
	n := max
	if hasBits {
		v, err := strconv.Atoi(bitsText)
		if err != nil || v < 0 || v > max {
			return netip.Addr{}, 0, false
		}
		n = v
	}
	if !v6 {
		if !ip.Is4() {
			return netip.Addr{}, 0, false
		}
		return ip, n, true
	}
	if ip.Is4() {
		return netip.AddrFrom16(ip.As16()), n + 96, true
	}
	b := ip.As16()
	if b[0]|b[1]|b[2]|b[3]|b[4]|b[5]|b[6]|b[7]|b[8]|b[9]|b[10]|b[11] == 0 && strings.Contains(addr, ".") {
		b[10], b[11] = 0xff, 0xff // ::a.b.c.d reads as ::ffff:a.b.c.d, its prefix as IPv4's
		if hasBits && n <= 32 {
			n += 96
		}
		return netip.AddrFrom16(b), n, true
	}
	return ip, n, true
}

func ipCompare(a, b string, prefix int, v6 bool) (int, bool) {
	x, nx, ok1 := parseIP(a, v6)
	y, ny, ok2 := parseIP(b, v6)
	if !ok1 || !ok2 {
		return 0, false
	}
	n := min(nx, ny)
	if prefix >= 0 {
		if v6 && x.Is4In6() && prefix <= 32 && !strings.Contains(a+b, ":") {
			prefix += 96
		}
		n = min(n, prefix)
	}
	px, _ := x.Prefix(n)
	py, _ := y.Prefix(n)
	return px.Addr().Compare(py.Addr()), true
}

func ipInRange(ip, rng string, v6 bool) any {
	x, _, ok1 := parseIP(ip, v6)
	y, n, ok2 := parseIP(rng, v6)
	if !ok1 || !ok2 {
		return nil
	}
	p, _ := y.Prefix(n)
	return p.Contains(x)
}

// ipParse masks an address: to a number (long), its text, "a.b.c.d/n", its prefix length,
// or the full 8-group IPv6 form.
func ipParse(s string, v6 bool, mask int, how string) any {
	ip, n, ok := parseIP(s, v6)
	if !ok {
		return nil
	}
	if mask >= 0 {
		if v6 && strings.Contains(how, "full") && ip.Is4In6() && !strings.Contains(s, ":") && mask <= 32 {
			mask += 96
		}
		n = min(n, mask)
	} else if how == "text" || how == "cidr" || mask < -1 { // format_ipv4 with a negative mask
		return nil
	}
	p, err := ip.Prefix(n)
	if err != nil {
		return nil
	}
	a := p.Addr()
	switch how {
	case "long":
		return strconv.FormatUint(uint64(v4num(a)), 10)
	case "text":
		return a.String()
	case "cidr":
		return fmt.Sprintf("%s/%d", a, n)
	case "suffix":
		return strconv.Itoa(n)
	case "full":
		b := a.As16()
		var parts []string
		for i := 0; i < 16; i += 2 {
			parts = append(parts, fmt.Sprintf("%02x%02x", b[i], b[i+1]))
		}
		return strings.Join(parts, ":")
	}
	return nil
}

func v4num(a netip.Addr) uint32 {
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func v4addr(n uint32) netip.Addr {
	return netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
}

// hasIPv4 finds IPv4 addresses in text, delimited by characters that are neither
// alphanumeric nor dots, equal to (or, for prefixes, starting with) one of want.
func hasIPv4(text string, want []string, prefix bool) bool {
	isWord := func(c byte) bool {
		return c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
	}
	for i := 0; i < len(text); {
		if !isWord(text[i]) {
			i++
			continue
		}
		j := i
		for j < len(text) && isWord(text[j]) {
			j++
		}
		tok := text[i:j]
		i = j
		ip, err := netip.ParseAddr(tok)
		if err != nil || !ip.Is4() {
			continue
		}
		for _, w := range want {
			if prefix {
				if strings.HasSuffix(w, ".") && strings.Count(w, ".") <= 3 && strings.HasPrefix(tok, w) {
					return true
				}
				if !strings.HasSuffix(w, ".") && tok == w {
					if _, err := netip.ParseAddr(w); err == nil {
						return true
					}
				}
			} else if tok == strings.TrimSpace(w) {
				return true
			}
		}
	}
	return false
}
