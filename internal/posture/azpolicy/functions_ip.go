package azpolicy

import (
	"fmt"
	"net/netip"
	"strings"
)

func init() {
	register("iprangecontains", 2, 2, fnIPRangeContains)
}

// fnIPRangeContains reports whether a CIDR range contains an address or a
// whole range; both must be of the same IP family.
func fnIPRangeContains(_ *evalCtx, a []any) (any, error) {
	outer, err := parsePrefixArg(a[0])
	if err != nil {
		return nil, err
	}
	inner, err := parsePrefixArg(a[1])
	if err != nil {
		return nil, err
	}
	if outer.Addr().Is4() != inner.Addr().Is4() {
		return nil, fmt.Errorf("cannot compare IPv4 with IPv6")
	}
	return outer.Bits() <= inner.Bits() && outer.Contains(inner.Addr()), nil
}

// parsePrefixArg reads "10.0.0.0/24" or a bare address as a one-address range.
func parsePrefixArg(v any) (netip.Prefix, error) {
	s, ok := v.(string)
	if !ok {
		return netip.Prefix{}, fmt.Errorf("needs an IP address or range, not %s", typeName(v))
	}
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("%q is not an IP range", s)
		}
		return p.Masked(), nil
	}
	addr, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%q is not an IP address", s)
	}
	addr = addr.Unmap()
	return netip.PrefixFrom(addr, addr.BitLen()), nil
}
