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
func regexClause(expr string) []string {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil
	}
	in := analyze(re.Simplify())
	best := in.req
	if in.exact != nil && (best == nil || altsScore(in.exact) > altsScore(best)) {
		best = in.exact
	}
	if altsScore(best) < 0 {
		return nil
	}
	return best
}

// altsScore rates a set of alternatives like clause.score; -1 when one of them
// is not selective (an empty or short common string matches almost anything).
func altsScore(alts []string) int {
	if len(alts) == 0 {
		return -1
	}
	shortest := 1 << 30
	for _, a := range alts {
		if !selective(a) {
			return -1
		}
		shortest = min(shortest, litWeight(a))
	}
	return shortest*64 - min(len(alts), 63)
}

func analyze(re *syntax.Regexp) reInfo {
	switch re.Op {
	case syntax.OpLiteral:
		return reInfo{exact: []string{canonString(string(re.Rune))}}
	case syntax.OpCharClass:
		return classInfo(re.Rune)
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText,
		syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return reInfo{exact: []string{""}}
	case syntax.OpCapture:
		return analyze(re.Sub[0])
	case syntax.OpPlus:
		return required(analyze(re.Sub[0]))
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return required(analyze(re.Sub[0]))
		}
	case syntax.OpConcat:
		return concatInfo(re.Sub)
	case syntax.OpAlternate:
		return alternateInfo(re.Sub)
	}
	return reInfo{} // star, quest, any char: nothing known
}

// required turns what x matches into what a repetition of x contains.
func required(x reInfo) reInfo {
	return reInfo{req: better(x.req, x.exact)}
}

// better returns the more selective of two sets of alternatives.
func better(a, b []string) []string {
	if altsScore(b) > altsScore(a) {
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
func concatInfo(subs []*syntax.Regexp) reInfo {
	run := []string{""}
	exactAll := true
	var req []string
	for _, s := range subs {
		in := analyze(s)
		req = better(req, in.req)
		switch {
		case in.exact == nil:
			exactAll = false
			req = better(req, run)
			run = []string{""}
		case len(run)*len(in.exact) > maxExact:
			exactAll = false
			req = better(req, run)
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
	return reInfo{req: better(req, run)}
}

// alternateInfo: every match matches one branch, so it is one of the branches'
// strings, and contains what that branch requires.
func alternateInfo(subs []*syntax.Regexp) reInfo {
	var exact, req []string
	exactOK, reqOK := true, true
	for _, s := range subs {
		in := analyze(s)
		if exactOK && in.exact != nil && len(exact)+len(in.exact) <= maxExact {
			exact = append(exact, in.exact...)
		} else {
			exactOK = false
		}
		if b := better(in.req, in.exact); reqOK && altsScore(b) >= 0 {
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

// selective reports whether a literal is worth scanning for: three bytes, or
// fewer that are rare in event text (see litWeight).
func selective(l string) bool {
	return litWeight(l) >= 2*minLiteral
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
