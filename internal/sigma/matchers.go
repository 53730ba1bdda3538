package sigma

// matcher is a compiled boolean expression over an event.
type matcher interface {
	match(c *evalCtx) bool
	cost() int
}

type andM struct{ terms []matcher }

func (m *andM) match(c *evalCtx) bool {
	for _, t := range m.terms {
		if !t.match(c) {
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

func (m *orM) match(c *evalCtx) bool {
	for _, t := range m.terms {
		if t.match(c) {
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

func (m *notM) match(c *evalCtx) bool { return !m.x.match(c) }
func (m *notM) cost() int             { return m.x.cost() }

// atLeastM holds when at least n terms hold (`N of pattern`).
type atLeastM struct {
	n     int
	terms []matcher
}

func (m *atLeastM) match(c *evalCtx) bool {
	hits := 0
	for i, t := range m.terms {
		if len(m.terms)-i < m.n-hits {
			return false
		}
		if t.match(c) {
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
	fid   int32 // fieldID(field)
	preds []pred
	all   bool // values are ANDed
	neg   bool // neq: the item is negated as a whole
	c     int
}

func (m *fieldM) match(c *evalCtx) bool {
	v, ok := c.get(m.fid, m.field)
	r := m.eval(c, v, ok)
	return r != m.neg
}

func (m *fieldM) eval(c *evalCtx, v Value, ok bool) bool {
	if m.all {
		for _, p := range m.preds {
			if !p.test(c, v, ok) {
				return false
			}
		}
		return true
	}
	for _, p := range m.preds {
		if p.test(c, v, ok) {
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

func (m *keywordM) found(c *evalCtx, p pred) bool {
	for _, v := range c.values() {
		if p.test(c, v, true) {
			return true
		}
	}
	return false
}

func (m *keywordM) match(c *evalCtx) bool {
	r := m.all
	for _, p := range m.preds {
		if m.found(c, p) != m.all {
			r = !m.all
			break
		}
	}
	return r != m.neg
}

func (m *keywordM) cost() int { return 50 * len(m.preds) }

type constM bool

func (k constM) match(*evalCtx) bool { return bool(k) }
func (constM) cost() int             { return 0 }
