// Package ahocorasick finds all occurrences of many byte strings in one pass.
//
// The automaton is a dense DFA over byte equivalence classes (bytes that occur in
// no pattern share one class), so a scan costs one table lookup per input byte.
// Transitions hold the target state's offset in the table, negated (bitwise) when
// that state reports a pattern: the scan touches no other memory on the way.
package ahocorasick

// Automaton is an immutable matcher, safe for concurrent use.
type Automaton struct {
	classes  [256]uint8
	nclass   int
	delta    []int32 // state*nclass + class -> next state*nclass, ^ that if it has outputs
	out      []int32 // pattern id ending at this state, or -1
	dictLink []int32 // next state on the suffix chain that has an output, or -1
	npat     int
	dups     map[int32][]int32 // first id of a duplicated pattern -> the other ids
}

// New builds an automaton; pattern i is reported as id i. Empty patterns are ignored.
func New(patterns []string) *Automaton { return build(patterns, false) }

// NewFoldASCII builds an automaton that treats ASCII upper-case input bytes as
// their lower-case letters. Patterns must not contain upper-case ASCII letters.
func NewFoldASCII(patterns []string) *Automaton { return build(patterns, true) }

func build(patterns []string, fold bool) *Automaton {
	a := &Automaton{npat: len(patterns)}
	// Byte classes: class 0 for bytes in no pattern.
	used := [256]bool{}
	for _, p := range patterns {
		for i := 0; i < len(p); i++ {
			used[p[i]] = true
		}
	}
	n := 1
	for b := 0; b < 256; b++ {
		if used[b] {
			a.classes[b] = uint8(n)
			n++
			if n == 256 {
				// All byte values used: fall back to identity classes.
				break
			}
		}
	}
	if n >= 256 {
		for b := 0; b < 256; b++ {
			a.classes[b] = uint8(b)
		}
		n = 256
	}
	a.nclass = n
	if fold {
		for b := 'A'; b <= 'Z'; b++ {
			a.classes[b] = a.classes[b+32]
		}
	}

	// Trie with goto transitions (-1 = none), then BFS for failure links.
	type node struct {
		next []int32
		fail int32
		out  int32
	}
	newNode := func() node {
		nx := make([]int32, n)
		for i := range nx {
			nx[i] = -1
		}
		return node{next: nx, out: -1}
	}
	nodes := []node{newNode()}
	for id, p := range patterns {
		if p == "" {
			continue
		}
		s := int32(0)
		for i := 0; i < len(p); i++ {
			c := a.classes[p[i]]
			if nodes[s].next[c] < 0 {
				nodes = append(nodes, newNode())
				nodes[s].next[c] = int32(len(nodes) - 1)
			}
			s = nodes[s].next[c]
		}
		if nodes[s].out < 0 {
			nodes[s].out = int32(id)
		} else {
			// Duplicate pattern: chain it through an extra output-only record.
			if a.dups == nil {
				a.dups = map[int32][]int32{}
			}
			a.dups[nodes[s].out] = append(a.dups[nodes[s].out], int32(id))
		}
	}
	a.delta = make([]int32, len(nodes)*n)
	a.out = make([]int32, len(nodes))
	a.dictLink = make([]int32, len(nodes))
	queue := make([]int32, 0, len(nodes))
	for c := 0; c < n; c++ {
		t := nodes[0].next[c]
		if t < 0 {
			a.delta[c] = 0
			continue
		}
		nodes[t].fail = 0
		a.delta[c] = t
		queue = append(queue, t)
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for c := 0; c < n; c++ {
			t := nodes[s].next[c]
			if t < 0 {
				a.delta[int(s)*n+c] = a.delta[int(nodes[s].fail)*n+c]
				continue
			}
			nodes[t].fail = a.delta[int(nodes[s].fail)*n+c]
			a.delta[int(s)*n+c] = t
			queue = append(queue, t)
		}
	}
	// Outputs and dictionary links (BFS order guarantees fail targets are done).
	order := make([]int32, 0, len(nodes))
	order = append(order, 0)
	for i := 0; i < len(order); i++ {
		s := order[i]
		for c := 0; c < n; c++ {
			if t := nodes[s].next[c]; t >= 0 {
				order = append(order, t)
			}
		}
	}
	for _, s := range order {
		a.out[s] = nodes[s].out
		if s == 0 {
			a.dictLink[s] = -1
			continue
		}
		f := nodes[s].fail
		if nodes[f].out >= 0 {
			a.dictLink[s] = f
		} else {
			a.dictLink[s] = a.dictLink[f]
		}
	}
	for i, t := range a.delta {
		off := t * int32(n)
		if a.out[t] >= 0 || a.dictLink[t] >= 0 {
			off = ^off
		}
		a.delta[i] = off
	}
	return a
}

// Patterns returns how many patterns the automaton was built from.
func (a *Automaton) Patterns() int { return a.npat }

// States returns the number of DFA states (a size measure).
func (a *Automaton) States() int { return len(a.out) }

// Scanner holds the position of an incremental scan; feed it bytes with Feed.
type Scanner struct {
	a     *Automaton
	state int32 // offset of the current state in delta
}

// Scanner starts an incremental scan.
func (a *Automaton) Scanner() Scanner { return Scanner{a: a} }

// Reset returns the scan to the start state, so no match spans the boundary.
func (s *Scanner) Reset() { s.state = 0 }

// Feed advances over b and calls hit for every pattern occurrence ending in b.
func (s *Scanner) Feed(b []byte, hit func(id int)) {
	for _, c := range b {
		s.FeedByte(c, hit)
	}
}

// FeedString is Feed for a string.
func (s *Scanner) FeedString(str string, hit func(id int)) {
	for i := 0; i < len(str); i++ {
		s.FeedByte(str[i], hit)
	}
}

// AppendString is FeedString that appends the ids of the occurrences to ids
// instead of calling a function, so a hot loop needs no closure.
func (s *Scanner) AppendString(str string, ids []int32) []int32 {
	a := s.a
	off := s.state
	delta, classes := a.delta, &a.classes
	for i := 0; i < len(str); i++ {
		off = delta[off+int32(classes[str[i]])]
		if off < 0 {
			off = ^off
			ids = a.appendOut(off/int32(a.nclass), ids)
		}
	}
	s.state = off
	return ids
}

// AppendASCII is AppendString up to the first byte that is not ASCII; it returns
// how many bytes it consumed.
func (s *Scanner) AppendASCII(str string, ids []int32) ([]int32, int) {
	a := s.a
	off := s.state
	delta, classes := a.delta, &a.classes
	i := 0
	for ; i < len(str); i++ {
		c := str[i]
		if c >= 0x80 {
			break
		}
		off = delta[off+int32(classes[c])]
		if off < 0 {
			off = ^off
			ids = a.appendOut(off/int32(a.nclass), ids)
		}
	}
	s.state = off
	return ids, i
}

func (a *Automaton) appendOut(st int32, ids []int32) []int32 {
	for s := st; s >= 0; s = a.dictLink[s] {
		if id := a.out[s]; id >= 0 {
			ids = append(ids, id)
			ids = append(ids, a.dups[id]...)
		}
	}
	return ids
}

// FeedByte advances over one byte.
func (s *Scanner) FeedByte(c byte, hit func(id int)) {
	off := s.a.delta[s.state+int32(s.a.classes[c])]
	if off < 0 {
		off = ^off
		s.a.report(off/int32(s.a.nclass), hit)
	}
	s.state = off
}

func (a *Automaton) report(st int32, hit func(int)) {
	for s := st; s >= 0; s = a.dictLink[s] {
		if id := a.out[s]; id >= 0 {
			hit(int(id))
			for _, d := range a.dups[id] {
				hit(int(d))
			}
		}
	}
}

// FindAll returns the ids of all patterns occurring in text (with repeats).
func (a *Automaton) FindAll(text string) []int {
	var ids []int
	s := a.Scanner()
	s.FeedString(text, func(id int) { ids = append(ids, id) })
	return ids
}
