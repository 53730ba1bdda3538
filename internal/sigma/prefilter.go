package sigma

import (
	"regexp/syntax"
	"sort"
)

// requirement is a sound necessary condition for a matcher: if the matcher holds,
// at least one of the literals occurs (in canonical case) in the value of one of
// the fields (field "" stands for any value of the event: keyword searches).
// top means "no usable requirement" (the rule is always evaluated).
type requirement struct {
	top    bool
	lits   []string
	fields []string
}

var topReq = requirement{top: true}

// score prefers requirements whose shortest literal is long and that have few
// literals: they let the fewest events through.
func (r requirement) score() int {
	if r.top || len(r.lits) == 0 {
		return -1
	}
	shortest := 1 << 30
	for _, l := range r.lits {
		shortest = min(shortest, len(l))
	}
	return shortest*64 - min(len(r.lits), 63)
}

// minLiteral: literals shorter than this (in bytes: one emoji is selective
// enough) let too much through to be worth it.
const minLiteral = 3

func union(a, b requirement) requirement {
	if a.top || b.top {
		return topReq
	}
	return requirement{lits: append(append([]string{}, a.lits...), b.lits...), fields: append(append([]string{}, a.fields...), b.fields...)}
}

func requirementOf(m matcher) requirement {
	switch x := m.(type) {
	case *fieldM:
		return fieldRequirement(x)
	case *andM:
		best := topReq
		for _, t := range x.terms {
			if r := requirementOf(t); r.score() > best.score() {
				best = r
			}
		}
		return best
	case *orM:
		return unionAll(x.terms)
	case *atLeastM:
		// At least one term must hold.
		return unionAll(x.terms)
	case *keywordM:
		return keywordRequirement(x)
	}
	return topReq // not, constants
}

func keywordRequirement(m *keywordM) requirement {
	if m.neg || len(m.preds) == 0 {
		return topReq
	}
	if m.all {
		best := topReq
		for _, p := range m.preds {
			if r := predRequirement(p, ""); r.score() > best.score() {
				best = r
			}
		}
		return best
	}
	r := requirement{}
	for _, p := range m.preds {
		r = union(r, predRequirement(p, ""))
	}
	return r
}

func unionAll(terms []matcher) requirement {
	if len(terms) == 0 {
		return topReq
	}
	r := requirement{}
	for _, t := range terms {
		r = union(r, requirementOf(t))
		if r.top {
			return r
		}
	}
	return r
}

func fieldRequirement(m *fieldM) requirement {
	if m.neg || len(m.preds) == 0 {
		return topReq
	}
	per := make([]requirement, len(m.preds))
	for i, p := range m.preds {
		per[i] = predRequirement(p, m.field)
	}
	if m.all {
		best := topReq
		for _, r := range per {
			if r.score() > best.score() {
				best = r
			}
		}
		return best
	}
	r := requirement{}
	for _, x := range per {
		r = union(r, x)
	}
	return r
}

func predRequirement(p pred, field string) requirement {
	var lits []string
	switch x := p.(type) {
	case *patPred:
		for _, pt := range x.pats {
			l := pt.literal()
			if len(l) < minLiteral {
				return topReq
			}
			lits = append(lits, canonString(l))
		}
	case *rePred:
		l := regexLiteral(x.re.String())
		if len(l) < minLiteral {
			return topReq
		}
		lits = append(lits, canonString(l))
	default:
		return topReq
	}
	if len(lits) == 0 {
		return topReq
	}
	return requirement{lits: lits, fields: []string{field}}
}

// regexLiteral returns the longest literal every match of the regex contains.
func regexLiteral(expr string) string {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return ""
	}
	return requiredLiteral(re.Simplify())
}

func requiredLiteral(re *syntax.Regexp) string {
	switch re.Op {
	case syntax.OpLiteral:
		return string(re.Rune)
	case syntax.OpCapture:
		return requiredLiteral(re.Sub[0])
	case syntax.OpPlus:
		return requiredLiteral(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return requiredLiteral(re.Sub[0])
		}
	case syntax.OpConcat:
		best := ""
		for _, s := range re.Sub {
			if l := requiredLiteral(s); len(l) > len(best) {
				best = l
			}
		}
		return best
	}
	return ""
}

func sortedUnique(s []string) []string {
	sort.Strings(s)
	out := s[:0]
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}
