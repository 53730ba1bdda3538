package pattern

// ObservationCandidates is Candidates for any pattern, several observations
// included: the union over its [ ... ] of each one's candidate triples. An
// event holding none of them satisfies no [ ... ] of the pattern, so a
// stream only needs to offer the pattern (its Correlator) the events that
// hold one. It returns nil when some [ ... ] has no candidate set, and then
// every event must be offered.
func (p *Pattern) ObservationCandidates() []Observable {
	var out []Observable
	if !obsCandidates(p.Root, &out) {
		return nil
	}
	return dedupe(out)
}

func obsCandidates(x ObsExpr, out *[]Observable) bool {
	switch x := x.(type) {
	case *ObsBracket:
		c := candidates(x.Expr)
		if c == nil {
			return false
		}
		*out = append(*out, c...)
		return true
	case *ObsGroup:
		for _, o := range x.Operands {
			if !obsCandidates(o, out) {
				return false
			}
		}
		return true
	case *ObsQualified:
		return obsCandidates(x.Expr, out)
	}
	return false
}
