package pattern

import "time"

// leafNode matches one [ ... ] against each observation.
type leafNode struct {
	b           *ObsBracket
	start, stop time.Time // zero when unbounded
}

func (n *leafNode) push(c *Correlator, o *Observation, seq uint64) []*binding {
	if !n.start.IsZero() && (o.Time.Before(n.start) || !o.Time.Before(n.stop)) {
		return nil
	}
	if !c.p.matchBracket(n.b, o) {
		return nil
	}
	return []*binding{{seqs: []uint64{seq}, obs: []*Observation{o}, first: o.Time, last: o.Time}}
}

func (n *leafNode) expire(*Correlator) {}
func (n *leafNode) pending() int       { return 0 }

// orNode passes on the bindings of any operand.
type orNode struct{ kids []cnode }

func (n *orNode) push(c *Correlator, o *Observation, seq uint64) []*binding {
	var out []*binding
	for _, k := range n.kids {
		out = append(out, k.push(c, o, seq)...)
	}
	return out
}

func (n *orNode) expire(c *Correlator) {
	for _, k := range n.kids {
		k.expire(c)
	}
}

func (n *orNode) pending() int {
	t := 0
	for _, k := range n.kids {
		t += k.pending()
	}
	return t
}

// filterNode keeps bindings inside a WITHIN span or a START/STOP interval.
type filterNode struct {
	kid         cnode
	within      time.Duration
	start, stop time.Time
}

func (n *filterNode) push(c *Correlator, o *Observation, seq uint64) []*binding {
	in := n.kid.push(c, o, seq)
	out := in[:0]
	for _, b := range in {
		if n.within > 0 && b.last.Sub(b.first) > n.within {
			continue
		}
		if !n.start.IsZero() && (b.first.Before(n.start) || !b.last.Before(n.stop)) {
			continue
		}
		out = append(out, b)
	}
	return out
}

func (n *filterNode) expire(c *Correlator) { n.kid.expire(c) }
func (n *filterNode) pending() int         { return n.kid.pending() }

// prune drops bindings that started before the window or hold consumed
// observations, and keeps at most max of the newest.
func prune(c *Correlator, list []*binding, window time.Duration, limit int) []*binding {
	keep := list[:0]
	for _, b := range list {
		if c.mark.Sub(b.first) > window || c.isConsumed(b) {
			continue
		}
		keep = append(keep, b)
	}
	clear(list[len(keep):])
	if len(keep) > limit {
		n := copy(keep, keep[len(keep)-limit:])
		clear(keep[n:])
		keep = keep[:n]
	}
	return keep
}

// merge unions two disjoint bindings; ok is false when they overlap.
func merge(a, b *binding) (*binding, bool) {
	out := &binding{
		seqs:  make([]uint64, 0, len(a.seqs)+len(b.seqs)),
		obs:   make([]*Observation, 0, len(a.seqs)+len(b.seqs)),
		first: a.first, last: a.last,
	}
	if b.first.Before(out.first) {
		out.first = b.first
	}
	if b.last.After(out.last) {
		out.last = b.last
	}
	i, j := 0, 0
	for i < len(a.seqs) || j < len(b.seqs) {
		switch {
		case j == len(b.seqs) || (i < len(a.seqs) && a.seqs[i] < b.seqs[j]):
			out.seqs, out.obs = append(out.seqs, a.seqs[i]), append(out.obs, a.obs[i])
			i++
		case i == len(a.seqs) || b.seqs[j] < a.seqs[i]:
			out.seqs, out.obs = append(out.seqs, b.seqs[j]), append(out.obs, b.obs[j])
			j++
		default:
			return nil, false
		}
	}
	return out, true
}

// productNode is AND (ordered=false) or FOLLOWEDBY (ordered=true) over
// its operands. It stores each operand's recent bindings and, when an
// operand produces a new one, searches the others' stores for disjoint
// (and, for FOLLOWEDBY, ordered) partners.
type productNode struct {
	kids    []cnode
	stores  [][]*binding
	ordered bool
	window  time.Duration
}

func (n *productNode) push(c *Correlator, o *Observation, seq uint64) []*binding {
	news := make([][]*binding, len(n.kids))
	for i, k := range n.kids {
		news[i] = k.push(c, o, seq)
	}
	// Every new binding holds o, so two new bindings never combine: each
	// is matched against stored (older) bindings only.
	var out []*binding
	chosen := make([]*binding, len(n.kids))
	for i := range n.kids {
		for _, nb := range news[i] {
			chosen[i] = nb
			n.search(c, 0, i, chosen, nb, &out)
		}
	}
	for i := range n.kids {
		n.stores[i] = prune(c, append(n.stores[i], news[i]...), n.window, c.opt.MaxPartials)
	}
	return out
}

// search fills operand j onwards (fixed already holds the new binding),
// newest stored bindings first, within the step budget.
func (n *productNode) search(c *Correlator, j, fixed int, chosen []*binding, acc *binding, out *[]*binding) {
	if j == len(n.kids) {
		*out = append(*out, acc)
		return
	}
	if j == fixed {
		n.search(c, j+1, fixed, chosen, acc, out)
		return
	}
	store := n.stores[j]
	for s := len(store) - 1; s >= 0; s-- {
		if c.budget <= 0 || len(*out) >= c.opt.MaxMatches {
			return
		}
		b := store[s]
		c.budget -= 1 + len(acc.seqs) + len(b.seqs) // merge cost
		if c.isConsumed(b) {
			continue
		}
		if n.ordered {
			// Operands before j are chosen; j+1 is chosen only if fixed.
			if j > 0 && chosen[j-1].last.After(b.first) {
				continue
			}
			if j+1 == fixed && b.last.After(chosen[fixed].first) {
				continue
			}
		}
		merged, ok := merge(acc, b)
		if !ok || merged.last.Sub(merged.first) > n.window {
			continue
		}
		chosen[j] = b
		n.search(c, j+1, fixed, chosen, merged, out)
	}
}

func (n *productNode) expire(c *Correlator) {
	for i, k := range n.kids {
		k.expire(c)
		n.stores[i] = prune(c, n.stores[i], n.window, c.opt.MaxPartials)
	}
}

func (n *productNode) pending() int {
	t := 0
	for i, k := range n.kids {
		t += k.pending() + len(n.stores[i])
	}
	return t
}

// repeatsNode needs times disjoint bindings of its operand. For each new
// binding it takes the most recent stored ones that fit the window.
type repeatsNode struct {
	kid    cnode
	times  int
	window time.Duration
	store  []*binding
}

func (n *repeatsNode) push(c *Correlator, o *Observation, seq uint64) []*binding {
	news := n.kid.push(c, o, seq)
	if n.times <= 1 {
		return news
	}
	var out []*binding
	for _, nb := range news {
		acc, count := nb, 1
		for s := len(n.store) - 1; s >= 0 && count < n.times && c.budget > 0; s-- {
			b := n.store[s]
			c.budget -= 1 + len(acc.seqs) + len(b.seqs) // merge cost
			if c.isConsumed(b) {
				continue
			}
			m, ok := merge(acc, b)
			if !ok || m.last.Sub(m.first) > n.window {
				continue
			}
			acc, count = m, count+1
		}
		if count == n.times {
			out = append(out, acc)
		}
	}
	n.store = prune(c, append(n.store, news...), n.window, c.opt.MaxPartials)
	return out
}

func (n *repeatsNode) expire(c *Correlator) {
	n.kid.expire(c)
	n.store = prune(c, n.store, n.window, c.opt.MaxPartials)
}

func (n *repeatsNode) pending() int { return n.kid.pending() + len(n.store) }
