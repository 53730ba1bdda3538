package pattern

import (
	"strings"
	"time"
)

// Observation is one event flattened to STIX object paths: a map from a
// canonical path key (see CanonicalKey) to the values found there.
//
// Conventions:
//   - One object per object type. "ipv4-addr:value" holds that object's
//     value; several values under one key are alternatives, as with [*].
//   - Lists use concrete indexes ("email-message:to_refs[0].value") or
//     "[*]" when positions are unknown; a pattern's [n] then picks the
//     n-th value (negative n counts from the end).
//   - References are flattened through: "network-traffic:dst_ref.value".
//   - Values may be string, bool, any Go integer or float type, time.Time,
//     []byte, netip.Addr or netip.Prefix. Strings are untyped text: they
//     are converted to the literal's type (number, bool, timestamp, hex,
//     base64) when compared; typed values must match the literal's type.
type Observation struct {
	ID     string
	Time   time.Time
	Fields map[string][]any
}

// NewObservation builds an Observation, rewriting field keys to canonical
// form (quoting, hash algorithm names).
func NewObservation(id string, t time.Time, fields map[string][]any) (Observation, error) {
	out := Observation{ID: id, Time: t, Fields: make(map[string][]any, len(fields))}
	for k, v := range fields {
		ck, err := CanonicalKey(k)
		if err != nil {
			return Observation{}, err
		}
		out.Fields[ck] = append(out.Fields[ck], v...)
	}
	return out, nil
}

// CanonicalKey parses an object path such as "file:hashes.SHA256" and
// returns its canonical key ("file:hashes.'SHA-256'").
func CanonicalKey(path string) (string, error) {
	op, err := parsePath(path)
	if err != nil {
		return "", err
	}
	return op.Key(), nil
}

// hasType reports whether the observation holds an object of type t.
func (o *Observation) hasType(t string) bool {
	for k := range o.Fields {
		if len(k) > len(t) && k[len(t)] == ':' && strings.HasPrefix(k, t) {
			return true
		}
	}
	return false
}

// indexedPath is a canonical key split at its list steps, e.g.
// "a:b[*].c" into parts ["a:b", ".c"] and indexes ["*"].
type indexedPath struct {
	parts []string
	idx   []string
}

// splitIndexed splits a canonical key at list steps, skipping quoted
// names. It returns ok=false for keys it cannot split.
func splitIndexed(key string) (indexedPath, bool) {
	var ip indexedPath
	start := 0
	for i := 0; i < len(key); i++ {
		switch key[i] {
		case '\'':
			for i++; i < len(key) && key[i] != '\''; i++ {
				if key[i] == '\\' {
					i++
				}
			}
		case '[':
			end := strings.IndexByte(key[i:], ']')
			if end < 0 {
				return ip, false
			}
			ip.parts = append(ip.parts, key[start:i])
			ip.idx = append(ip.idx, key[i+1:i+end])
			i += end
			start = i + 1
		}
	}
	ip.parts = append(ip.parts, key[start:])
	return ip, true
}

// lookup returns the values at a pattern path.
func (o *Observation) lookup(m *cmpMatcher) []any {
	if m.indexed == nil {
		return o.Fields[m.key]
	}
	var out []any
	pp := m.indexed
	for k, vals := range o.Fields {
		if !strings.HasPrefix(k, pp.parts[0]) || !strings.Contains(k, "[") {
			continue
		}
		ok, pick := matchIndexed(pp, k)
		switch {
		case !ok:
		case pick == noPick:
			out = append(out, vals...)
		case pick < 0 && -pick <= len(vals):
			out = append(out, vals[len(vals)+pick])
		case pick >= 0 && pick < len(vals):
			out = append(out, vals[pick])
		}
	}
	return out
}

const noPick = int(^uint(0) >> 1)

// matchIndexed compares a pattern key with an observation key step by
// step. A pattern "[*]" accepts any index; a pattern "[n]" accepts "[n]",
// or "[*]" once, in which case the n-th value is picked.
func matchIndexed(pp *indexedPath, key string) (bool, int) {
	ok := *pp
	kp, good := splitIndexed(key)
	if !good || len(kp.parts) != len(ok.parts) {
		return false, 0
	}
	pick := noPick
	for i := range ok.parts {
		if ok.parts[i] != kp.parts[i] {
			return false, 0
		}
	}
	for i, want := range ok.idx {
		got := kp.idx[i]
		switch {
		case want == "*" || want == got:
		case got == "*" && pick == noPick:
			n := 0
			neg := strings.HasPrefix(want, "-")
			for _, c := range strings.TrimPrefix(want, "-") {
				n = n*10 + int(c-'0')
				if n > 1<<30 {
					return false, 0
				}
			}
			if neg {
				n = -n
			}
			pick = n
		default:
			return false, 0
		}
	}
	return true, pick
}
