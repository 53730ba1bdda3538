package sigma

import (
	"regexp/syntax"
)

// Literal requirements of regular expressions, for the prefilter: the set of
// strings one of which every match contains. Strings are in canonical case, so
// the result holds for case-sensitive and case-insensitive regexes alike.

// maxExact bounds the sets of alternatives built by expanding classes and
// alternations: beyond it the set is given up (or reduced to what it requires).
const maxExact = 16

// reInfo describes a sub-expression: exact lists every string it matches (nil:
// too many or unknown); req lists strings one of which each match contains (nil:
// nothing known).
type reInfo struct {
	exact []string
	req   []string
}

// regexClause returns alternatives one of which every match of expr contains,
// or nil when none is selective enough to scan for.
func (f floor) regexClause(expr string) []string {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil
	}
	in := f.analyze(re.Simplify())
	best := in.req
	if in.exact != nil && (best == nil || f.altsScore(in.exact) > f.altsScore(best)) {
		best = in.exact
	}
	if f.altsScore(best) < 0 {
		return nil
	}
	return best
}

// altsScore rates a set of alternatives like clause.score; -1 when one of them
// is not selective (an empty or short common string matches almost anything).
func (f floor) altsScore(alts []string) int {
	if len(alts) == 0 {
		return -1
	}
	shortest := 1 << 30
	for _, a := range alts {
		if !f.selective(a) {
			return -1
		}
		shortest = min(shortest, litWeight(a))
	}
	return shortest*64 - min(len(alts), 63)
}

func (f floor) analyze(re *syntax.Regexp) reInfo {
	switch re.Op {
	case syntax.OpLiteral:
		return reInfo{exact: []string{canonString(string(re.Rune))}}
	case syntax.OpCharClass:
		return classInfo(re.Rune)
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText,
		syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return reInfo{exact: []string{""}}
	case syntax.OpCapture:
		return f.analyze(re.Sub[0])
	case syntax.OpPlus:
		return f.required(f.analyze(re.Sub[0]))
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return f.required(f.analyze(re.Sub[0]))
		}
	case syntax.OpConcat:
		return f.concatInfo(re.Sub)
	case syntax.OpAlternate:
		return f.alternateInfo(re.Sub)
	}
	return reInfo{} // star, quest, any char: nothing known
}

// required turns what x matches into what a repetition of x contains.
func (f floor) required(x reInfo) reInfo {
	return reInfo{req: f.better(x.req, x.exact)}
}

// better returns the more selective of two sets of alternatives.
func (f floor) better(a, b []string) []string {
	if f.altsScore(b) > f.altsScore(a) {
		return b
	}
	return a
}

func classInfo(ranges []rune) reInfo {
	n := 0
	for i := 0; i+1 < len(ranges); i += 2 {
		n += int(ranges[i+1]-ranges[i]) + 1
		if n > 4*maxExact { // case variants fold together below
			return reInfo{}
		}
	}
	seen := map[rune]bool{}
	var exact []string
	for i := 0; i+1 < len(ranges); i += 2 {
		for r := ranges[i]; r <= ranges[i+1]; r++ {
			c := canonRune(r)
			if !seen[c] {
				seen[c] = true
				exact = append(exact, string(c))
			}
		}
	}
	if len(exact) > maxExact {
		return reInfo{}
	}
	return reInfo{exact: exact}
}

// concatInfo joins the exact sets of consecutive parts while they stay small; a
// part with no exact set (or one that makes the set too big) ends the run, and
// the result requires the most selective of the runs and of the parts'
// requirements.
func (f floor) concatInfo(subs []*syntax.Regexp) reInfo {
	run := []string{""}
	exactAll := true
	var req []string
	for _, s := range subs {
		in := f.analyze(s)
		req = f.better(req, in.req)
		switch {
		case in.exact == nil:
			exactAll = false
			req = f.better(req, run)
			run = []string{""}
		case len(run)*len(in.exact) > maxExact:
			exactAll = false
			req = f.better(req, run)
			run = in.exact
		default:
			next := make([]string, 0, len(run)*len(in.exact))
			for _, a := range run {
				for _, b := range in.exact {
					next = append(next, a+b)
				}
			}
			run = next
		}
	}
	if exactAll {
		return reInfo{exact: run, req: req}
	}
	return reInfo{req: f.better(req, run)}
}

// alternateInfo: every match matches one branch, so it is one of the branches'
// strings, and contains what that branch requires.
func (f floor) alternateInfo(subs []*syntax.Regexp) reInfo {
	var exact, req []string
	exactOK, reqOK := true, true
	for _, s := range subs {
		in := f.analyze(s)
		if exactOK && in.exact != nil && len(exact)+len(in.exact) <= maxExact {
			exact = append(exact, in.exact...)
		} else {
			exactOK = false
		}
		if b := f.better(in.req, in.exact); reqOK && f.altsScore(b) >= 0 {
			req = append(req, b...)
		} else {
			reqOK = false
		}
	}
	var out reInfo
	if exactOK {
		out.exact = exact
	}
	if reqOK {
		out.req = req
	}
	return out
}

// floor is the least litWeight of a literal worth scanning for.
type floor int

const (
	// strict: three bytes, or fewer that are rare in event text.
	strict floor = 2 * minLiteral
	// relaxed: two common bytes, for a rule that has nothing better and would
	// otherwise be evaluated on every event.
	relaxed floor = 4
)

// selective reports whether a literal is worth scanning for.
func (f floor) selective(l string) bool {
	return litWeight(l) >= int(f)
}

// litWeight estimates how rarely a literal occurs, in half bytes: a common byte
// (letters, digits, path and command-line punctuation) counts 2, a less common
// one 3 (= " ' , ; ( ) [ ] { } % $ @ # & * j q z), a rare one 6 (non-ASCII and
// + ! ? | < > ~ ^ `).
func litWeight(l string) int {
	w := 0
	for i := 0; i < len(l); i++ {
		switch r := byteRank[l[i]]; {
		case r < byteRank['=']:
			w += 2
		case r < byteRank['+']:
			w += 3
		default:
			w += 6
		}
	}
	return w
}
