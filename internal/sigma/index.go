package sigma

import (
	"sort"
	"strconv"
	"unicode/utf8"

	"github.com/rampart-soc/rampart/internal/sigma/pipeline"
	"github.com/rampart-soc/rampart/internal/sigma/rule"
)

// routeNode selects the buckets of a table whose row conditions an event can
// meet: by the value of the column most buckets require (the channel of
// WindowsEvent), then, where that still leaves many buckets, by a second column
// (the event id). The route itself is still evaluated on the buckets selected, so
// the index only has to be a necessary condition.
type routeNode struct {
	col     string // "" for a leaf
	id      int32
	byValue map[string]*routeNode
	rest    []*bucket // buckets with no usable condition on col
	leaf    []*bucket
	parent  *routeNode
	kw      *kwScope // keyword literals of the buckets an event reaching here can visit
}

// Index levels and the bucket count below which a list is evaluated as is.
const (
	indexDepth   = 2
	indexMinList = 4
)

func buildRoute(buckets []*bucket, used []string) *routeNode {
	if len(used) >= indexDepth || len(buckets) < indexMinList && len(used) > 0 {
		return &routeNode{leaf: buckets}
	}
	count := map[string]int{}
	for _, b := range buckets {
		for _, w := range b.targets[0].pt.Where {
			if _, ok := condKeys(w); ok && !contains(used, w.Column) {
				count[w.Column]++
			}
		}
	}
	best := ""
	for c, n := range count {
		if n > count[best] || (n == count[best] && c < best) {
			best = c
		}
	}
	if best == "" {
		return &routeNode{leaf: buckets}
	}
	n := &routeNode{col: best, id: fieldID(best), byValue: map[string]*routeNode{}}
	lists := map[string][]*bucket{}
	for _, b := range buckets {
		keyed := false
		for _, w := range b.targets[0].pt.Where {
			if w.Column != best {
				continue
			}
			if keys, ok := condKeys(w); ok {
				keyed = true
				for _, k := range keys {
					if l := lists[k]; len(l) == 0 || l[len(l)-1] != b {
						lists[k] = append(l, b)
					}
				}
			}
		}
		if !keyed {
			n.rest = append(n.rest, b)
		}
	}
	keys := make([]string, 0, len(lists))
	for k := range lists {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		n.byValue[k] = buildRoute(lists[k], append(used[:len(used):len(used)], best))
	}
	return n
}

func contains(s []string, x string) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}

// condKeys returns the index keys of the values a row condition accepts (see
// visitValue for the event side), or false when a value cannot be keyed.
func condKeys(w pipeline.Cond) ([]string, bool) {
	var keys []string
	for _, v := range w.Values {
		switch v.Kind {
		case rule.ValInt, rule.ValFloat:
			// numPred: the same number, or a string with the same text.
			keys = append(keys, foldString(v.Text))
			if v.Float == float64(int64(v.Float)) {
				keys = append(keys, strconv.FormatInt(int64(v.Float), 10))
			} else {
				return nil, false
			}
		case rule.ValBool:
			keys = append(keys, strconv.FormatBool(v.Bool))
		case rule.ValString:
			lit, ok := parseValue(v.Text).literal()
			if !ok {
				return nil, false
			}
			keys = append(keys, foldString(lit))
		default:
			return nil, false
		}
	}
	return keys, len(keys) > 0
}

// visit evaluates the buckets an event may belong to.
func (n *routeNode) visit(c *evalCtx, sc *scratch) {
	prev := sc.node
	sc.node, sc.lastNode = n, n
	defer func() { sc.node = prev }()
	if n.col == "" {
		for _, b := range n.leaf {
			b.eval(c, sc)
		}
		return
	}
	if v, ok := c.get(n.id, n.col); ok {
		if v.Kind == KindArray {
			for _, e := range v.Elems {
				n.visitValue(e, c, sc)
			}
		} else {
			n.visitValue(v, c, sc)
		}
	}
	for _, b := range n.rest {
		b.eval(c, sc)
	}
}

// visitValue descends by one value of the column: its folded text, and for an
// integral number also its integer form (a number condition accepts both).
func (n *routeNode) visitValue(v Value, c *evalCtx, sc *scratch) {
	if !v.Scalar() {
		return
	}
	var child *routeNode
	if fold, ok := foldASCII(sc.buf[:0], v.Str); ok {
		sc.buf = fold
		child = n.byValue[string(fold)]
	} else {
		child = n.byValue[foldString(v.Str)]
	}
	if child != nil {
		child.visit(c, sc)
	}
	if v.Kind == KindNumber && v.Num == float64(int64(v.Num)) {
		sc.buf = strconv.AppendInt(sc.buf[:0], int64(v.Num), 10)
		if string(sc.buf) == v.Str {
			return // already visited
		}
		if child := n.byValue[string(sc.buf)]; child != nil {
			child.visit(c, sc)
		}
	}
}

// foldASCII appends the lower-case form of an ASCII string to buf; false if s is
// not ASCII.
func foldASCII(buf []byte, s string) ([]byte, bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return buf, false
		}
		buf = append(buf, lowerASCII(c))
	}
	return buf, true
}
