package pattern

// Match reports whether obs satisfies a single-observation pattern: one
// [ ... ], optionally qualified by START/STOP (checked against obs.Time),
// WITHIN (always met by one observation) or REPEATS 1. Patterns that need
// several observations return false; use a Correlator for them.
func (p *Pattern) Match(obs Observation) bool {
	b, quals, ok := p.single()
	if !ok {
		return false
	}
	for _, q := range quals {
		switch q.Kind {
		case QualStartStop:
			if obs.Time.Before(q.Start) || !obs.Time.Before(q.Stop) {
				return false
			}
		case QualRepeats:
			if q.Times > 1 {
				return false
			}
		}
	}
	return p.matchBracket(b, &obs)
}

// IsSingle reports whether the pattern is about one observation, so that
// Match can evaluate it.
func (p *Pattern) IsSingle() bool {
	_, quals, ok := p.single()
	for _, q := range quals {
		if q.Kind == QualRepeats && q.Times > 1 {
			return false
		}
	}
	return ok
}

// single unwraps qualifiers down to one bracket.
func (p *Pattern) single() (*ObsBracket, []Qualifier, bool) {
	var quals []Qualifier
	x := p.Root
	for {
		switch y := x.(type) {
		case *ObsBracket:
			return y, quals, true
		case *ObsQualified:
			quals = append(quals, y.Qualifiers...)
			x = y.Expr
		default:
			return nil, nil, false
		}
	}
}

// matchBracket evaluates one [ ... ] against one observation. Comparisons
// joined by AND must hold for the same object; with one object per type
// that means the same type, so a bracket mixing types under AND is tried
// once per type with the other types' comparisons false.
func (p *Pattern) matchBracket(b *ObsBracket, o *Observation) bool {
	info := p.brackets[b]
	if info == nil || !info.mixed {
		return evalCmp(b.Expr, o, "")
	}
	for _, t := range info.types {
		if evalCmp(b.Expr, o, t) {
			return true
		}
	}
	return false
}

// evalCmp evaluates x; only, when set, restricts it to one object type.
func evalCmp(x CmpExpr, o *Observation, only string) bool {
	switch x := x.(type) {
	case *CmpGroup:
		and := x.Op == BoolAnd
		for _, op := range x.Operands {
			if evalCmp(op, o, only) != and {
				return !and
			}
		}
		return and
	case *Comparison:
		if only != "" && x.Path.Type != only {
			return false
		}
		return evalComparison(x, o)
	}
	return false
}

// evalComparison is true when some value at the path passes the test
// (any binding of [*]). NOT negates the test per value; a missing
// property or a value of another type makes the comparison false with or
// without NOT. NOT EXISTS is true when the object is there without the
// property.
func evalComparison(c *Comparison, o *Observation) bool {
	m := c.m
	if m == nil || m.dead != "" {
		return false
	}
	vals := o.lookup(m)
	if c.Op == OpExists {
		if c.Negated {
			return len(vals) == 0 && o.hasType(c.Path.Type)
		}
		return len(vals) > 0
	}
	for _, v := range vals {
		if r, ok := m.test(c.Op, v); ok && r != c.Negated {
			return true
		}
	}
	return false
}

// test applies the operator to one value; ok=false when incomparable.
func (m *cmpMatcher) test(op CmpOp, v any) (bool, bool) {
	switch op {
	case OpEq, OpNeq:
		eq, ok := m.equal(&m.lits[0], v)
		return eq == (op == OpEq), ok
	case OpLt, OpLe, OpGt, OpGe:
		c, ok := m.order(&m.lits[0], v)
		if !ok {
			return false, false
		}
		switch op {
		case OpLt:
			return c < 0, true
		case OpLe:
			return c <= 0, true
		case OpGt:
			return c > 0, true
		}
		return c >= 0, true
	case OpIn:
		seen := false
		for i := range m.lits {
			eq, ok := m.equal(&m.lits[i], v)
			if eq {
				return true, true
			}
			seen = seen || ok
		}
		return false, seen
	case OpLike:
		s, ok := asString(v)
		if !ok {
			return false, false
		}
		if m.kind == kindDomain {
			s = NormalizeDomain(s)
		}
		return m.like.match(s), true
	case OpMatches:
		switch v := v.(type) {
		case []byte:
			return m.re.Match(v), true
		default:
			s, ok := asString(v)
			return ok && m.re.MatchString(s), ok
		}
	case OpIsSubset, OpIsSuperset:
		p, ok := asPrefix(v)
		if !ok {
			return false, false
		}
		if op == OpIsSubset {
			return prefixWithin(p, m.prefix), true
		}
		return prefixWithin(m.prefix, p), true
	}
	return false, false
}
