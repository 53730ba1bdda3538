package syntax

import (
	"strings"
)

// dump renders expressions as S-expressions so tests can check grouping:
// a + b * c is (+ a (* b c)). Nodes without a special form use Format.
func dump(n Node) string {
	switch n := n.(type) {
	case *Binary:
		return "(" + n.Op + " " + dump(n.X) + " " + dump(n.Y) + ")"
	case *Unary:
		return "(" + n.Op + " " + dump(n.X) + ")"
	case *Paren:
		return dump(n.X)
	case *InExpr:
		parts := []string{n.Op, dump(n.X)}
		for _, x := range n.List {
			parts = append(parts, dump(x))
		}
		return "(" + strings.Join(parts, " ") + ")"
	case *BetweenExpr:
		op := "between"
		if n.Not {
			op = "!between"
		}
		return "(" + op + " " + dump(n.X) + " " + dump(n.Lo) + " " + dump(n.Hi) + ")"
	case *Member:
		return "(. " + dump(n.X) + " " + n.Name.Name + ")"
	case *Index:
		return "([] " + dump(n.X) + " " + dump(n.Index) + ")"
	case *Call:
		parts := []string{dump(n.Fun)}
		for _, a := range n.Args {
			parts = append(parts, dump(a))
		}
		return "(call " + strings.Join(parts, " ") + ")"
	case *Assign:
		names := make([]string, len(n.Names))
		for i, id := range n.Names {
			names[i] = id.Name
		}
		return "(= " + strings.Join(names, ",") + " " + dump(n.Value) + ")"
	case *NamedArg:
		return "(:= " + n.Name.Name + " " + dump(n.Value) + ")"
	case *Ident:
		return n.Name
	}
	return Format(n)
}
