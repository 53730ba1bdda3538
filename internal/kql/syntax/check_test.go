package syntax

import (
	"fmt"
	"strings"
	"testing"
)

// checkTree verifies structural invariants of a parsed query: spans lie
// inside the text and inside their parent, and the canonical form parses
// back to the same canonical form. It returns a description of the first
// problem, or "".
func checkTree(src string, q *Query) string {
	if msg := checkSpans(src, q); msg != "" {
		return msg
	}
	var unprinted string
	Inspect(q, func(n Node) bool {
		if _, ok := n.(*Query); !ok && unprinted == "" && strings.Contains(Format(n), "<*syntax.") {
			unprinted = fmt.Sprintf("printer does not handle %T", n)
		}
		return unprinted == ""
	})
	if unprinted != "" {
		return unprinted
	}
	f1 := Format(q)
	q2, errs := Parse(f1)
	if len(errs) > 0 {
		return fmt.Sprintf("canonical form does not parse: %s\n%s", errs[0].Format(f1), f1)
	}
	if f2 := Format(q2); f2 != f1 {
		return fmt.Sprintf("canonical form is not stable:\n%s\n%s", f1, f2)
	}
	return ""
}

func checkSpans(src string, root Node) string {
	var msg string
	var visit func(n Node, lo, hi Pos)
	visit = func(n Node, lo, hi Pos) {
		if msg != "" {
			return
		}
		if n.Pos() < lo || n.End() > hi || n.Pos() > n.End() {
			msg = fmt.Sprintf("%T span [%d,%d) outside parent [%d,%d): %q", n, n.Pos(), n.End(), lo, hi, clip(src, n.Pos(), n.End()))
			return
		}
		for _, c := range Children(n) {
			visit(c, n.Pos(), n.End())
		}
	}
	visit(root, 0, Pos(len(src)))
	return msg
}

func clip(src string, a, b Pos) string {
	if a < 0 || b > Pos(len(src)) || a > b {
		return "?"
	}
	return src[a:b]
}

func TestCheckTreeSimple(t *testing.T) {
	src := "T | where a > 1 | summarize count() by b"
	q, errs := Parse(src)
	if len(errs) > 0 {
		t.Fatal(errs[0])
	}
	if msg := checkTree(src, q); msg != "" {
		t.Fatal(msg)
	}
}
