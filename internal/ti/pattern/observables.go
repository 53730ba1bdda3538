package pattern

import (
	"net/netip"
	"strconv"
)

// Observable is one indexable (type, key, value) triple of a pattern.
type Observable struct {
	Type   string       // STIX object type, e.g. "file"
	Key    string       // canonical object path (Sentinel's ObservableKey), e.g. "file:hashes.'SHA-256'"
	Value  string       // normalised value, see NormalizeValue
	Prefix netip.Prefix // the address or CIDR for address keys; zero otherwise
}

// indexableKeys are the paths worth an exact-match index: the common IOC
// properties, plus mutex names and directory paths, which are frequent in
// real feeds. Hashes of file, artifact and x509-certificate objects (any
// algorithm) are handled separately.
var indexableKeys = map[string]bool{
	"mutex:name":                     true,
	"directory:path":                 true,
	"x509-certificate:serial_number": true,
	"email-message:from_ref.value":   true,
	"email-message:sender_ref.value": true,
	"ipv4-addr:value":                true,
	"ipv6-addr:value":                true,
	"domain-name:value":              true,
	"url:value":                      true,
	"file:name":                      true,
	"email-addr:value":               true,
	"user-account:user_id":           true,
	"user-account:account_login":     true,
	"process:name":                   true,
	"process:command_line":           true,
	"network-traffic:dst_ref.value":  true,
	"network-traffic:src_ref.value":  true,
	"network-traffic:dst_port":       true,
	"windows-registry-key:key":       true,
}

// Observables returns the triples of a pattern that is exactly a set of
// lookups: one observation whose comparisons are = or IN (not negated) on
// indexable paths, joined only by OR, with no qualifier other than WITHIN.
// Such a pattern matches an observation exactly when one triple does, so
// a hash index over the triples replaces evaluation. Any other pattern
// gives nil and needs Match or a Correlator.
//
// Address values are canonical ("2001:db8::1", "198.51.100.0/24") and
// carry Prefix: an index must also try the event's address against the
// CIDR triples (longest-prefix or a per-length map).
func (p *Pattern) Observables() []Observable {
	b, quals, ok := p.single()
	if !ok {
		return nil
	}
	for _, q := range quals {
		if q.Kind != QualWithin && !(q.Kind == QualRepeats && q.Times == 1) {
			return nil
		}
	}
	var out []Observable
	seen := map[Observable]bool{}
	if !collectObservables(b.Expr, &out, seen) {
		return nil
	}
	return out
}

// Candidates returns triples of which at least one must be present in
// any observation the pattern matches, for single-observation patterns
// that Observables rejects because of AND or unindexable alternatives:
// an index over them finds the events worth a full Match. OR takes the
// union of its operands' candidates, AND the smallest operand set. It
// returns nil when no such set exists (a pattern with NOT, ranges, LIKE
// or other unindexable comparisons in every AND branch).
func (p *Pattern) Candidates() []Observable {
	b, quals, ok := p.single()
	if !ok {
		return nil
	}
	for _, q := range quals {
		if q.Kind == QualRepeats && q.Times > 1 {
			return nil
		}
	}
	return candidates(b.Expr)
}

func candidates(x CmpExpr) []Observable {
	switch x := x.(type) {
	case *CmpGroup:
		var out []Observable
		for _, o := range x.Operands {
			c := candidates(o)
			switch {
			case x.Op == BoolOr && c == nil:
				return nil
			case x.Op == BoolOr:
				out = append(out, c...)
			case c != nil && (out == nil || len(c) < len(out)):
				out = c
			}
		}
		return dedupe(out)
	case *Comparison:
		var out []Observable
		if !collectObservables(x, &out, map[Observable]bool{}) {
			return nil
		}
		return out
	}
	return nil
}

func dedupe(list []Observable) []Observable {
	seen := make(map[Observable]bool, len(list))
	out := list[:0:0]
	for _, o := range list {
		if !seen[o] {
			seen[o] = true
			out = append(out, o)
		}
	}
	return out
}

func collectObservables(x CmpExpr, out *[]Observable, seen map[Observable]bool) bool {
	switch x := x.(type) {
	case *CmpGroup:
		if x.Op != BoolOr {
			return false
		}
		for _, o := range x.Operands {
			if !collectObservables(o, out, seen) {
				return false
			}
		}
		return true
	case *Comparison:
		if x.Negated || (x.Op != OpEq && x.Op != OpIn) || x.m == nil || !indexable(x) {
			return false
		}
		lits := x.Set
		if x.Op == OpEq {
			lits = []Literal{x.Value}
		}
		for _, l := range lits {
			o, ok := observable(x, l)
			if !ok {
				return false
			}
			if !seen[o] {
				seen[o] = true
				*out = append(*out, o)
			}
		}
		return true
	}
	return false
}

func indexable(c *Comparison) bool {
	if c.m.kind == kindHash && len(c.Path.Steps) == 2 {
		switch c.Path.Type {
		case "file", "artifact", "x509-certificate":
			return true
		}
	}
	return indexableKeys[c.m.key]
}

// observable builds the triple for one literal, or false when the literal
// type cannot be looked up exactly.
func observable(c *Comparison, l Literal) (Observable, bool) {
	o := Observable{Type: c.Path.Type, Key: c.m.key}
	if c.m.key == "network-traffic:dst_port" {
		if l.Kind != LitInt || l.intOverflow {
			return o, false
		}
		o.Value = strconv.FormatInt(l.Int, 10)
		return o, true
	}
	if l.Kind != LitString {
		return o, false
	}
	o.Value = normalizeFor(c.m.kind, l.Str)
	if c.m.kind == kindIP {
		o.Prefix, _ = ParseIPOrCIDR(l.Str)
	}
	return o, true
}

func normalizeFor(kind valueKind, v string) string {
	switch kind {
	case kindHash:
		return NormalizeHashValue(v)
	case kindDomain:
		return NormalizeDomain(v)
	case kindIP:
		if p, ok := ParseIPOrCIDR(v); ok {
			return prefixString(p)
		}
	}
	return v
}

// NormalizeValue normalises an event's value for key (a canonical path)
// the way Observables normalises pattern values, so index lookups agree.
func NormalizeValue(key, value string) string {
	p, err := parsePath(key)
	if err != nil {
		return value
	}
	c := &Comparison{Path: p, Op: OpEq, Value: Literal{Kind: LitString, Str: value}}
	return normalizeFor(pathKind(c), value)
}

// parsePath parses a bare object path.
func parsePath(path string) (ObjectPath, error) {
	p := &parser{src: path, lex: lexer{src: path}, opt: Options{Limits: DefaultLimits}}
	if e := p.advance(); e != nil {
		return ObjectPath{}, e
	}
	op, e := p.objectPath()
	if e != nil {
		return ObjectPath{}, e
	}
	if p.tok.kind != tEOF {
		return ObjectPath{}, p.expected("end of object path")
	}
	return op, nil
}
