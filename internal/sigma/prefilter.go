package sigma

import (
	"sort"
	"strconv"
)

// A requirement is a sound necessary condition for a matcher, in conjunctive form:
// if the matcher holds, every clause holds, and a clause holds when one of its
// alternatives does: the literal occurs (in canonical case) in the value of the
// field (field "" stands for any value of the event: keyword searches). A
// requirement without clauses says nothing (the rule is always evaluated).
type requirement struct {
	clauses []clause
}

type clause []alt

// alt: lit occurs in the field's value, or with eq, the field's value (folded,
// see eqKeys) is lit.
type alt struct {
	field, lit string
	eq         bool
}

// maxClauses bounds the clauses kept per target: each costs literals to scan for,
// and after the few most selective ones the rest rarely rejects anything.
const maxClauses = 4

// score prefers clauses whose shortest literal is long and that have few
// alternatives: they let the fewest events through.
func (c clause) score() int {
	shortest := 1 << 30
	for _, a := range c {
		w := litWeight(a.lit)
		if a.eq {
			w = eqWeight
		}
		shortest = min(shortest, w)
	}
	return shortest*64 - min(len(c), 63)
}

// eqWeight rates an equality like a literal of six bytes (see litWeight).
const eqWeight = 12

// minLiteral: literals shorter than this (in bytes: one emoji is selective
// enough) let too much through to be worth it, unless they hold a rare byte
// (see selective).
const minLiteral = 3

func (r requirement) top() bool { return len(r.clauses) == 0 }

// best returns the most selective clause, or nil.
func (r requirement) best() clause {
	var b clause
	for _, c := range r.clauses {
		if b == nil || c.score() > b.score() {
			b = c
		}
	}
	return b
}

// and is the conjunction: every clause of both.
func and(a, b requirement) requirement {
	return requirement{clauses: append(append([]clause{}, a.clauses...), b.clauses...)}
}

// anyOf is the disjunction of requirements. (A1 and A2) or B is (A1 or B) and
// (A2 or B): the result has one clause per choice of one clause from each side,
// the union of the choices, for the most selective clauses of each side as long
// as the choices stay within maxClauses. It says nothing when one side says
// nothing.
func anyOf(rs []requirement) requirement {
	if len(rs) == 0 {
		return requirement{}
	}
	sides := make([][]clause, len(rs))
	for i, r := range rs {
		if r.top() {
			return requirement{}
		}
		sides[i] = append([]clause{}, r.clauses...)
		sort.SliceStable(sides[i], func(a, b int) bool { return sides[i][a].score() > sides[i][b].score() })
	}
	counts := make([]int, len(sides))
	for i := range counts {
		counts[i] = 1
	}
	product := 1
	for i := range sides {
		for counts[i] < len(sides[i]) && product/counts[i]*(counts[i]+1) <= maxClauses {
			product = product / counts[i] * (counts[i] + 1)
			counts[i]++
		}
	}
	var out []clause
	choice := make([]int, len(sides))
	for {
		var c clause
		for i, k := range choice {
			c = append(c, sides[i][k]...)
		}
		out = append(out, c)
		i := 0
		for ; i < len(choice); i++ {
			if choice[i]++; choice[i] < counts[i] {
				break
			}
			choice[i] = 0
		}
		if i == len(choice) {
			break
		}
	}
	return requirement{clauses: out}
}

// trim keeps the most selective clauses, deduplicated, each with unique sorted
// alternatives.
func (r requirement) trim() requirement {
	seen := map[string]bool{}
	var out []clause
	for _, c := range r.clauses {
		c = sortedAlts(c)
		k := clauseKey(c)
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, c)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].score() > out[j].score() })
	if len(out) > maxClauses {
		out = out[:maxClauses]
	}
	return requirement{clauses: out}
}

func sortedAlts(c clause) clause {
	c = append(clause{}, c...)
	sort.Slice(c, func(i, j int) bool {
		if c[i].field != c[j].field {
			return c[i].field < c[j].field
		}
		if c[i].lit != c[j].lit {
			return c[i].lit < c[j].lit
		}
		return !c[i].eq && c[j].eq
	})
	out := c[:0]
	for i, a := range c {
		if i == 0 || a != c[i-1] {
			out = append(out, a)
		}
	}
	return out
}

func clauseKey(c clause) string {
	k := ""
	for _, a := range c {
		k += a.field + "\x00" + a.lit + "\x01"
		if a.eq {
			k += "="
		}
	}
	return k
}

func requirementOf(m matcher) requirement {
	if r := rawRequirement(m, strict).trim(); !r.top() {
		return r
	}
	return rawRequirement(m, relaxed).trim()
}

func rawRequirement(m matcher, f floor) requirement {
	switch x := m.(type) {
	case *fieldM:
		return predsRequirement(x.preds, x.field, x.all, x.neg, f)
	case *keywordM:
		return predsRequirement(x.preds, "", x.all, x.neg, f)
	case *andM:
		r := requirement{}
		for _, t := range x.terms {
			r = and(r, rawRequirement(t, f))
		}
		return r
	case *orM:
		return termsAnyOf(x.terms, f)
	case *atLeastM:
		// At least one term must hold.
		return termsAnyOf(x.terms, f)
	}
	return requirement{} // not, constants
}

func termsAnyOf(terms []matcher, f floor) requirement {
	rs := make([]requirement, len(terms))
	for i, t := range terms {
		rs[i] = rawRequirement(t, f)
		if rs[i].top() {
			return requirement{}
		}
	}
	return anyOf(rs)
}

// predsRequirement: values ANDed (all) give one clause per usable value; values
// ORed give one clause when every value has literals.
func predsRequirement(preds []pred, field string, all, neg bool, f floor) requirement {
	if neg || len(preds) == 0 {
		return requirement{}
	}
	r := requirement{}
	var union clause
	for _, p := range preds {
		c := predClause(p, field, f)
		switch {
		case all && c != nil:
			r.clauses = append(r.clauses, c)
		case !all && c == nil:
			return requirement{}
		case !all:
			union = append(union, c...)
		}
	}
	if !all {
		r.clauses = []clause{union}
	}
	return r
}

// predClause returns the literals one of which every value the predicate accepts
// contains, or nil when there are none worth scanning for.
func predClause(p pred, field string, f floor) clause {
	var c clause
	switch x := p.(type) {
	case *patPred:
		if keys := exactKeys(x); keys != nil && field != "" {
			for _, k := range keys {
				c = append(c, alt{field: field, lit: k, eq: true})
			}
			return c
		}
		for _, pt := range x.pats {
			l := canonString(pt.literal())
			if !f.selective(l) {
				return nil
			}
			c = append(c, alt{field: field, lit: l})
		}
	case *numPred:
		if field == "" || x.f != float64(int64(x.f)) {
			return nil
		}
		// The same number, or a string with the same text.
		for _, k := range []string{strconv.FormatInt(int64(x.f), 10), foldString(x.text)} {
			c = append(c, alt{field: field, lit: k, eq: true})
		}
	case *boolPred:
		if field != "" {
			c = append(c, alt{field: field, lit: strconv.FormatBool(x.b), eq: true})
		}
	case *rePred:
		for _, l := range f.regexClause(x.re.String()) {
			c = append(c, alt{field: field, lit: l})
		}
	}
	return c
}

// minFieldUsers: a field that fewer targets of a bucket scan costs a lookup and a
// scan per event for the sake of one or two rules.
const minFieldUsers = 3

// sharedFieldClauses returns the clauses each target's prefilter uses in a
// bucket: its requirement without the clauses on fields few other targets scan
// (as long as a clause remains), and without equalities on the columns the
// bucket's row conditions fix (routeCols), which tell nothing more.
func sharedFieldClauses(targets []*Target, routeCols []string) [][]clause {
	out := make([][]clause, len(targets))
	for i, t := range targets {
		for _, c := range t.req.clauses {
			if !onlyEq(c, routeCols) {
				out[i] = append(out[i], c)
			}
		}
	}
	for changed := true; changed; {
		changed = false
		users := map[string]int{}
		for _, cs := range out {
			seen := map[string]bool{}
			for _, c := range cs {
				for _, a := range c {
					if !seen[a.field] {
						seen[a.field] = true
						users[a.field]++
					}
				}
			}
		}
		rare := func(c clause) bool {
			for _, a := range c {
				if a.field == "" || users[a.field] >= minFieldUsers {
					return false
				}
			}
			return true
		}
		for i, cs := range out {
			var keep []clause
			for _, c := range cs {
				if !rare(c) {
					keep = append(keep, c)
				}
			}
			if len(keep) > 0 && len(keep) < len(cs) {
				out[i] = keep
				changed = true
			}
		}
	}
	return out
}

// exactKeys returns the folded values a pattern predicate accepts when it only
// accepts whole values, case-insensitively; nil otherwise.
func exactKeys(p *patPred) []string {
	var keys []string
	for _, pt := range p.pats {
		if pt.kind != patExact || pt.cased {
			return nil
		}
		keys = append(keys, pt.lit)
	}
	return keys
}

// onlyEq reports whether every alternative of c is an equality on one of cols.
func onlyEq(c clause, cols []string) bool {
	for _, a := range c {
		if !a.eq || !contains(cols, a.field) {
			return false
		}
	}
	return true
}
