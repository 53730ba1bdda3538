package sigma

// matcher is a compiled boolean expression over an event.
type matcher interface {
	match(ev Event) bool
	cost() int
}

type andM struct{ terms []matcher }

func (m *andM) match(ev Event) bool {
	for _, t := range m.terms {
		if !t.match(ev) {
			return false
		}
	}
	return true
}

func (m *andM) cost() int {
	c := 0
	for _, t := range m.terms {
		c += t.cost()
	}
	return c
}

type orM struct{ terms []matcher }

func (m *orM) match(ev Event) bool {
	for _, t := range m.terms {
		if t.match(ev) {
			return true
		}
	}
	return false
}

func (m *orM) cost() int {
	c := 0
	for _, t := range m.terms {
		c += t.cost()
	}
	return c
}

type notM struct{ x matcher }

func (m *notM) match(ev Event) bool { return !m.x.match(ev) }
func (m *notM) cost() int           { return m.x.cost() }

// atLeastM holds when at least n terms hold (`N of pattern`).
type atLeastM struct {
	n     int
	terms []matcher
}

func (m *atLeastM) match(ev Event) bool {
	hits := 0
	for i, t := range m.terms {
		if len(m.terms)-i < m.n-hits {
			return false
		}
		if t.match(ev) {
			hits++
			if hits >= m.n {
				return true
			}
		}
	}
	return false
}

func (m *atLeastM) cost() int {
	c := 0
	for _, t := range m.terms {
		c += t.cost()
	}
	return c
}

// fieldM is one `Field|mods: values` item.
type fieldM struct {
	field string
	preds []pred
	all   bool // values are ANDed
	neg   bool // neq: the item is negated as a whole
	c     int
}

func (m *fieldM) match(ev Event) bool {
	v, ok := ev.Get(m.field)
	r := m.eval(ev, v, ok)
	return r != m.neg
}

func (m *fieldM) eval(ev Event, v Value, ok bool) bool {
	if m.all {
		for _, p := range m.preds {
			if !p.test(ev, v, ok) {
				return false
			}
		}
		return true
	}
	for _, p := range m.preds {
		if p.test(ev, v, ok) {
			return true
		}
	}
	return false
}

func (m *fieldM) cost() int { return m.c }

// keywordM searches every leaf value of the event.
type keywordM struct {
	preds []pred
	all   bool
	neg   bool
}

func (m *keywordM) found(ev Event, p pred) bool {
	hit := false
	ev.Range(func(v Value) bool {
		if p.test(ev, v, true) {
			hit = true
			return false
		}
		return true
	})
	return hit
}

func (m *keywordM) match(ev Event) bool {
	r := m.all
	for _, p := range m.preds {
		if m.found(ev, p) != m.all {
			r = !m.all
			break
		}
	}
	return r != m.neg
}

func (m *keywordM) cost() int { return 50 * len(m.preds) }

type constM bool

func (c constM) match(Event) bool { return bool(c) }
func (constM) cost() int          { return 0 }
