package pattern

import (
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// valueKind says how values at a path compare beyond plain equality.
type valueKind int

const (
	kindPlain  valueKind = iota
	kindHash             // hex digests compare without regard to case
	kindDomain           // domain names compare lower-cased, trailing dot dropped
	kindIP               // addresses and CIDRs compare by containment
)

// cmpMatcher is the compiled form of one Comparison.
type cmpMatcher struct {
	key     string
	indexed *indexedPath // set when the path has list steps
	kind    valueKind
	lits    []compiledLit // =, !=, ordering: one; IN: the set
	like    *likeMatcher
	re      *regexp.Regexp
	prefix  netip.Prefix // ISSUBSET / ISSUPERSET operand
	dead    string       // why this comparison can never be true
}

// compiledLit is a literal with its normalised forms.
type compiledLit struct {
	Literal
	norm   string       // normalised string for kindHash / kindDomain
	prefix netip.Prefix // valid for kindIP when the string parses
}

// bracketInfo is what matching one [ ... ] needs beyond the comparisons.
type bracketInfo struct {
	types []string // object types referenced
	mixed bool     // an AND joins comparisons on different object types
}

// compile prepares every comparison for matching and collects warnings.
func compile(p *Pattern, lim Limits) {
	c := compiler{p: p, lim: lim, brackets: map[*ObsBracket]*bracketInfo{}}
	c.obs(p.Root)
	p.brackets = c.brackets
}

type compiler struct {
	p        *Pattern
	lim      Limits
	brackets map[*ObsBracket]*bracketInfo
}

func (c *compiler) warn(format string, args ...any) {
	if len(c.p.Warnings) < 100 {
		c.p.Warnings = append(c.p.Warnings, fmt.Sprintf(format, args...))
	}
}

func (c *compiler) obs(x ObsExpr) {
	switch x := x.(type) {
	case *ObsBracket:
		info := &bracketInfo{}
		info.types = c.cmp(x.Expr, info, nil)
		sort.Strings(info.types)
		c.brackets[x] = info
	case *ObsGroup:
		for _, o := range x.Operands {
			c.obs(o)
		}
	case *ObsQualified:
		c.obs(x.Expr)
	}
}

// cmp compiles comparisons under x and appends the object types used to types, each once
// (a short list: a map per comparison was a tenth of parsing).
func (c *compiler) cmp(x CmpExpr, info *bracketInfo, types []string) []string {
	switch x := x.(type) {
	case *Comparison:
		x.m = c.comparison(x)
		if !slices.Contains(types, x.Path.Type) {
			types = append(types, x.Path.Type)
		}
		return types
	case *CmpGroup:
		var all []string
		for _, o := range x.Operands {
			all = c.cmp(o, info, all)
		}
		if x.Op == BoolAnd && len(all) > 1 {
			info.mixed = true
			names := slices.Clone(all)
			sort.Strings(names)
			c.warn("AND joins comparisons on %s: inside one [ ] they must hold for a single object, so this can never match", strings.Join(names, " and "))
		}
		for _, t := range all {
			if !slices.Contains(types, t) {
				types = append(types, t)
			}
		}
		return types
	}
	return types
}

func (c *compiler) comparison(x *Comparison) *cmpMatcher {
	m := &cmpMatcher{key: x.Path.Key(), kind: pathKind(x)}
	if x.Path.HasIndex() {
		ip, _ := splitIndexed(m.key)
		m.indexed = &ip
	}
	switch x.Op {
	case OpEq, OpNeq, OpLt, OpLe, OpGt, OpGe:
		m.lits = []compiledLit{m.compileLit(x.Value)}
	case OpIn:
		for _, l := range x.Set {
			m.lits = append(m.lits, m.compileLit(l))
		}
	case OpLike:
		s := x.Value.Str
		if m.kind == kindDomain {
			s = strings.ToLower(s)
		}
		m.like = newLike(s)
	case OpMatches:
		re, why := compileRegex(x.Value.Str, c.lim.MaxRegexBytes)
		if why != "" {
			m.dead = why
			c.warn("%s MATCHES %s: %s; the comparison never matches", x.Path, quoteShort(x.Value.Raw), why)
		}
		m.re = re
	case OpIsSubset, OpIsSuperset:
		pfx, ok := ParseIPOrCIDR(x.Value.Str)
		if !ok {
			m.dead = "operand is not an IP address or CIDR"
			c.warn("%s %s %s: operand is not an IP address or CIDR; the comparison never matches", x.Path, x.Op, quoteShort(x.Value.Raw))
		}
		m.prefix = pfx
		m.kind = kindIP
	}
	return m
}

// pathKind picks the comparison semantics for a path and its operand.
func pathKind(x *Comparison) valueKind {
	steps := x.Path.Steps
	last := steps[len(steps)-1]
	if len(steps) >= 2 && last.Kind == StepKey && steps[len(steps)-2].Kind == StepKey && steps[len(steps)-2].Key == "hashes" {
		return kindHash
	}
	if last.Kind != StepKey || last.Key != "value" {
		return kindPlain
	}
	switch x.Path.Type {
	case "ipv4-addr", "ipv6-addr":
		return kindIP
	case "domain-name":
		return kindDomain
	}
	// A *_ref(s) ... .value may point at an address or a domain: let the
	// operand decide.
	if len(steps) >= 2 && isRefStep(steps) {
		lit := x.Value
		if x.Op == OpIn && len(x.Set) > 0 {
			lit = x.Set[0]
		}
		if lit.Kind == LitString {
			if _, ok := ParseIPOrCIDR(lit.Str); ok {
				return kindIP
			}
			if looksLikeDomain(lit.Str) {
				return kindDomain
			}
		}
	}
	return kindPlain
}

// isRefStep reports whether the step before the final ".value" is a
// reference (x_ref, or x_refs[...]).
func isRefStep(steps []Step) bool {
	i := len(steps) - 2
	if steps[i].Kind != StepKey && i > 0 {
		i--
	}
	return steps[i].Kind == StepKey && (strings.HasSuffix(steps[i].Key, "_ref") || strings.HasSuffix(steps[i].Key, "_refs"))
}

func looksLikeDomain(s string) bool {
	return strings.Contains(s, ".") && !strings.ContainsAny(s, "@/: ")
}

func (m *cmpMatcher) compileLit(l Literal) compiledLit {
	cl := compiledLit{Literal: l}
	if l.Kind != LitString {
		return cl
	}
	switch m.kind {
	case kindHash:
		cl.norm = NormalizeHashValue(l.Str)
	case kindDomain:
		cl.norm = NormalizeDomain(l.Str)
	case kindIP:
		cl.prefix, _ = ParseIPOrCIDR(l.Str)
	}
	return cl
}
