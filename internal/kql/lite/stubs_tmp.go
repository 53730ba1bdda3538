package lite

import "github.com/rampart-soc/rampart/internal/kql/syntax"

func (c *compiler) topNested(x *syntax.TopNestedOp, in rel) (rel, error) {
	return rel{}, errAt(x, "operator %q is not supported yet by the query engine", x.OpName())
}
func (c *compiler) mvApply(x *syntax.MvApplyOp, in rel) (rel, error) {
	return rel{}, errAt(x, "operator %q is not supported yet by the query engine", x.OpName())
}
