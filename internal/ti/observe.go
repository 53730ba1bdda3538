package ti

import (
	"strings"

	"github.com/rampart-soc/rampart/internal/ti/pattern"
)

// STIX object paths an event column stands for, so that an event can be offered to
// patterns as a pattern.Observation (notes §1.5). An IP column is the address object and,
// when its name gives a direction, the network traffic's source or destination.
const (
	keyIPv4   = "ipv4-addr:value"
	keyIPv6   = "ipv6-addr:value"
	keySrc    = "network-traffic:src_ref.value"
	keyDst    = "network-traffic:dst_ref.value"
	keyDomain = "domain-name:value"
	keyURL    = "url:value"
	keyEmail  = "email-addr:value"
	keyMD5    = "file:hashes.MD5"
	keySHA1   = "file:hashes.'SHA-1'"
	keySHA256 = "file:hashes.'SHA-256'"
	keySHA512 = "file:hashes.'SHA-512'"
)

// colKeys is how one column of a table maps to object paths.
type colKeys struct {
	kind kind
	dir  string // keySrc or keyDst for IP columns with a direction
	hash string // the hash key a column name fixes ("" : by length)
}

func columnKeys(k kind, name string) colKeys {
	c := colKeys{kind: k}
	lower := strings.ToLower(name)
	switch k {
	case kindIP:
		for _, p := range []string{"source", "src", "client", "caller", "cip", "c_ip"} {
			if strings.HasPrefix(lower, p) {
				c.dir = keySrc
			}
		}
		for _, p := range []string{"destination", "dst", "remote"} {
			if strings.HasPrefix(lower, p) {
				c.dir = keyDst
			}
		}
	case kindHash:
		switch {
		case strings.Contains(lower, "sha256"):
			c.hash = keySHA256
		case strings.Contains(lower, "sha1"):
			c.hash = keySHA1
		case strings.Contains(lower, "md5"):
			c.hash = keyMD5
		}
	}
	return c
}

// keysOf appends the object paths a value of column col holds.
func (c colKeys) keysOf(col, v string, out []kv) []kv {
	add := func(key string) { out = append(out, kv{key: key, col: col, raw: v, norm: normFor(key, v)}) }
	switch c.kind {
	case kindIP:
		p, ok := pattern.ParseIPOrCIDR(v)
		if !ok {
			return out
		}
		if p.Addr().Is4() {
			add(keyIPv4)
		} else {
			add(keyIPv6)
		}
		if c.dir != "" {
			add(c.dir)
		}
	case kindDomain:
		add(keyDomain)
	case kindURL:
		add(keyURL)
	case kindEmail:
		add(keyEmail)
	case kindHash:
		key := c.hash
		if key == "" {
			switch len(strings.TrimSpace(v)) {
			case 32:
				key = keyMD5
			case 40:
				key = keySHA1
			case 64:
				key = keySHA256
			case 128:
				key = keySHA512
			default:
				return out
			}
		}
		add(key)
	}
	return out
}

// normFor normalises a value at an object path as pattern.Observables does the
// pattern's values, so candidate lookups agree.
func normFor(key, v string) string {
	switch {
	case isAddrKey(key):
		if p, ok := pattern.ParseIPOrCIDR(v); ok {
			if p.Bits() == p.Addr().BitLen() {
				return p.Addr().String()
			}
			return p.String()
		}
	case key == keyDomain:
		return pattern.NormalizeDomain(v)
	case strings.Contains(key, ":hashes."):
		return pattern.NormalizeHashValue(v)
	}
	return v
}

// kv is one object path of an event: the column it came from, its value as seen and
// normalised.
type kv struct{ key, col, raw, norm string }
