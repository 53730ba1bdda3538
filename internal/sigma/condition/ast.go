// Package condition parses Sigma detection conditions into a small syntax tree.
package condition

import "strings"

// Node is a condition syntax tree node.
type Node interface{ node() }

// And holds when every term holds.
type And struct{ Terms []Node }

// Or holds when any term holds.
type Or struct{ Terms []Node }

// Not negates its operand.
type Not struct{ X Node }

// Ident references one search identifier.
type Ident struct {
	Name   string
	Offset int // byte offset in the condition text
}

// Of is `1 of P`, `all of P`, `N of P` or the same with `them`.
type Of struct {
	All     bool
	Count   int // at least Count identifiers must hold (ignored when All)
	Pattern string
	Them    bool
	Offset  int
}

func (*And) node()   {}
func (*Or) node()    {}
func (*Not) node()   {}
func (*Ident) node() {}
func (*Of) node()    {}

// Walk calls fn for n and every node below it.
func Walk(n Node, fn func(Node)) {
	fn(n)
	switch x := n.(type) {
	case *And:
		for _, t := range x.Terms {
			Walk(t, fn)
		}
	case *Or:
		for _, t := range x.Terms {
			Walk(t, fn)
		}
	case *Not:
		Walk(x.X, fn)
	}
}

// Select returns the identifiers among names that the quantifier ranges over.
// `them` is every identifier not starting with `_`; a pattern that does not itself
// start with `_` never selects `_`-prefixed identifiers.
func (o *Of) Select(names []string) []string {
	var out []string
	for _, n := range names {
		if strings.HasPrefix(n, "_") && (o.Them || !strings.HasPrefix(o.Pattern, "_")) {
			continue
		}
		if o.Them || Glob(o.Pattern, n) {
			out = append(out, n)
		}
	}
	return out
}

// Glob reports whether name matches pattern in full, where `*` is any sequence.
func Glob(pattern, name string) bool {
	// Iterative star matching with single backtrack point: linear for one star,
	// at worst quadratic, never exponential.
	p, n := 0, 0
	star, mark := -1, 0
	for n < len(name) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, n
			p++
		case p < len(pattern) && pattern[p] == name[n]:
			p++
			n++
		case star >= 0:
			mark++
			n = mark
			p = star + 1
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// String renders the tree with explicit parentheses, for tests and messages.
func String(n Node) string {
	var b strings.Builder
	var w func(Node)
	w = func(n Node) {
		switch x := n.(type) {
		case *And:
			b.WriteString("(")
			for i, t := range x.Terms {
				if i > 0 {
					b.WriteString(" and ")
				}
				w(t)
			}
			b.WriteString(")")
		case *Or:
			b.WriteString("(")
			for i, t := range x.Terms {
				if i > 0 {
					b.WriteString(" or ")
				}
				w(t)
			}
			b.WriteString(")")
		case *Not:
			b.WriteString("not ")
			w(x.X)
		case *Ident:
			b.WriteString(x.Name)
		case *Of:
			switch {
			case x.All:
				b.WriteString("all")
			default:
				b.WriteString(itoa(x.Count))
			}
			b.WriteString(" of ")
			if x.Them {
				b.WriteString("them")
			} else {
				b.WriteString(x.Pattern)
			}
		}
	}
	w(n)
	return b.String()
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var buf [20]byte
	p := len(buf)
	for i > 0 {
		p--
		buf[p] = byte('0' + i%10)
		i /= 10
	}
	return string(buf[p:])
}
