package pattern

import (
	"net/netip"
	"strings"
)

// hashNames maps upper-cased spellings seen in feeds, with '-', '_' and
// spaces removed, to the hashing-algorithm-ov vocabulary.
var hashNames = map[string]string{
	"MD5":     "MD5",
	"SHA1":    "SHA-1",
	"SHA224":  "SHA-224",
	"SHA256":  "SHA-256",
	"SHA384":  "SHA-384",
	"SHA512":  "SHA-512",
	"SHA3224": "SHA3-224",
	"SHA3256": "SHA3-256",
	"SHA3384": "SHA3-384",
	"SHA3512": "SHA3-512",
	"SSDEEP":  "SSDEEP",
	"TLSH":    "TLSH",
}

// hashVocab is the set of names NormalizeHashName returns.
var hashVocab = func() map[string]bool {
	m := map[string]bool{}
	for _, v := range hashNames {
		m[v] = true
	}
	return m
}()

// NormalizeHashName maps a hash algorithm name as written in the wild
// (SHA256, 'SHA-256', sha256, sha_256, md5, SHA1, SHA-1 ...) to the STIX
// vocabulary. Names outside the vocabulary (IMPHASH, VHASH, PEHASH,
// AUTHENTIHASH) come back upper-cased.
func NormalizeHashName(name string) string {
	up := strings.ToUpper(strings.TrimSpace(name))
	if v, ok := hashNames[up]; ok { // the usual spellings need no squashing
		return v
	}
	if hashVocab[up] {
		return up
	}
	// Squash without a strings.Replacer: building one per call was a tenth of an import.
	squashed := make([]byte, 0, len(up))
	for i := 0; i < len(up); i++ {
		if c := up[i]; c != '-' && c != '_' && c != ' ' {
			squashed = append(squashed, c)
		}
	}
	if v, ok := hashNames[string(squashed)]; ok {
		return v
	}
	return up
}

// NormalizeHashValue lower-cases a hex digest. Hash values compare without
// regard to case; SSDEEP and TLSH values are case-sensitive text, so only
// strings made entirely of hex digits are folded.
func NormalizeHashValue(v string) string {
	v = strings.TrimSpace(v)
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !isDigit(c) && (c < 'a' || c > 'f') && (c < 'A' || c > 'F') {
			return v
		}
	}
	return strings.ToLower(v)
}

// NormalizeDomain lower-cases a domain name and drops one trailing dot,
// so "Example.COM." and "example.com" index alike.
func NormalizeDomain(d string) string {
	d = strings.ToLower(strings.TrimSpace(d))
	if len(d) > 1 {
		d = strings.TrimSuffix(d, ".")
	}
	return d
}

// ParseIPOrCIDR parses "198.51.100.7", "198.51.100.0/24", "2001:db8::/32"
// or an IPv4-mapped IPv6 address into a masked prefix; a bare address
// becomes a full-length prefix. IPv4-mapped IPv6 is unmapped so it
// compares with IPv4. Zones are not allowed.
func ParseIPOrCIDR(s string) (netip.Prefix, bool) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, false
		}
		a := p.Addr()
		bits := p.Bits()
		if a.Is4In6() && bits >= 96 {
			a, bits = a.Unmap(), bits-96
		}
		return netip.PrefixFrom(a, bits).Masked(), true
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Prefix{}, false
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), true
}

// prefixString prints a prefix, as a bare address when it is a single host.
func prefixString(p netip.Prefix) string {
	if p.Bits() == p.Addr().BitLen() {
		return p.Addr().String()
	}
	return p.String()
}

// prefixWithin reports whether inner lies inside outer.
func prefixWithin(inner, outer netip.Prefix) bool {
	return inner.Addr().Is4() == outer.Addr().Is4() &&
		outer.Bits() <= inner.Bits() && outer.Contains(inner.Addr())
}
