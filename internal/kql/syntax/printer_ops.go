package syntax

// op prints a tabular operator; it reports false for other nodes.
func (pr *printer) op(n Node) bool {
	switch n := n.(type) {
	case *WhereOp:
		pr.w(n.Keyword)
		pr.params(n.Params)
		pr.w(" ")
		pr.node(n.Pred)
	case *ExtendOp:
		pr.w("extend ")
		pr.list(n.Columns, ", ")
	case *ProjectOp:
		pr.w("project ")
		pr.list(n.Columns, ", ")
	case *ProjectAwayOp:
		pr.w("project-away ")
		pr.list(n.Columns, ", ")
	case *ProjectKeepOp:
		pr.w("project-keep ")
		pr.list(n.Columns, ", ")
	case *ProjectRenameOp:
		pr.w("project-rename ")
		pr.list(n.Columns, ", ")
	case *ProjectReorderOp:
		pr.w("project-reorder ")
		pr.sortKeys(n.Columns)
	case *ProjectByNamesOp:
		pr.w("project-by-names ")
		pr.list(n.Columns, ", ")
	case *SummarizeOp:
		pr.w("summarize")
		pr.params(n.Params)
		if len(n.Aggs) > 0 {
			pr.w(" ")
			pr.list(n.Aggs, ", ")
		}
		if len(n.By) > 0 {
			pr.w(" by ")
			pr.list(n.By, ", ")
		}
	case *CountOp:
		pr.w("count")
	case *GetSchemaOp:
		pr.w("getschema")
	case *ConsumeOp:
		pr.w("consume")
		pr.params(n.Params)
	case *DistinctOp:
		pr.w("distinct")
		pr.params(n.Params)
		pr.w(" ")
		pr.list(n.Columns, ", ")
	case *SerializeOp:
		pr.w("serialize")
		pr.params(n.Params)
		if len(n.Columns) > 0 {
			pr.w(" ")
			pr.list(n.Columns, ", ")
		}
	case *TakeOp:
		pr.w(n.Keyword)
		pr.params(n.Params)
		pr.w(" ")
		pr.node(n.Count)
	case *SampleOp:
		pr.w("sample")
		pr.params(n.Params)
		pr.w(" ")
		pr.node(n.Count)
	case *SampleDistinctOp:
		pr.w("sample-distinct")
		pr.params(n.Params)
		pr.w(" ")
		pr.node(n.Count)
		pr.w(" of ")
		pr.node(n.Of)
	case *TopOp:
		pr.w("top")
		pr.params(n.Params)
		pr.w(" ")
		pr.node(n.Count)
		pr.w(" by ")
		pr.sortKeys(n.By)
	case *SortOp:
		pr.w(n.Keyword)
		pr.params(n.Params)
		pr.w(" by ")
		pr.sortKeys(n.Keys)
	case *JoinOp:
		pr.w("join")
		pr.params(n.Params)
		pr.w(" ")
		pr.node(n.Right)
		if len(n.On) > 0 {
			pr.w(" on ")
			pr.list(n.On, ", ")
		}
	case *LookupOp:
		pr.w("lookup")
		pr.params(n.Params)
		pr.w(" ")
		pr.node(n.Right)
		pr.w(" on ")
		pr.list(n.On, ", ")
	case *AsOp:
		pr.w("as")
		pr.params(n.Params)
		pr.w(" ", identText(n.Name))
	case *InvokeOp:
		pr.w("invoke ")
		pr.node(n.Call)
	case *MvExpandOp:
		pr.w(n.Keyword)
		pr.params(n.Params)
		pr.mvItems(n.Items)
		if n.Limit != nil {
			pr.w(" limit ")
			pr.node(n.Limit)
		}
	case *MvApplyOp:
		pr.w(n.Keyword)
		pr.params(n.Params)
		pr.mvItems(n.Items)
		if n.Limit != nil {
			pr.w(" limit ")
			pr.node(n.Limit)
		}
		pr.w(" on (")
		pr.node(n.Query)
		pr.w(")")
	case *ParseOp:
		pr.w(n.OpName())
		pr.params(n.Params)
		pr.w(" ")
		pr.node(n.Source)
		pr.w(" with ")
		pr.list(n.Pattern, " ")
	case *ParseKvOp:
		pr.w("parse-kv ")
		pr.node(n.Source)
		pr.w(" as ")
		pr.cols(n.Columns)
		if len(n.With) > 0 {
			pr.props(n.With)
		}
	case *MakeSeriesOp:
		pr.w("make-series")
		pr.params(n.Params)
		for i, a := range n.Aggs {
			if i > 0 {
				pr.w(",")
			}
			pr.w(" ")
			pr.node(a)
		}
		pr.w(" on ")
		pr.node(n.On)
		if n.Range != nil {
			pr.w(" in ")
			pr.node(n.Range)
		} else {
			if n.From != nil {
				pr.w(" from ")
				pr.node(n.From)
			}
			if n.To != nil {
				pr.w(" to ")
				pr.node(n.To)
			}
			pr.w(" step ")
			pr.node(n.Step)
		}
		if len(n.By) > 0 {
			pr.w(" by ")
			pr.list(n.By, ", ")
		}
	case *RenderOp:
		pr.w("render ", identText(n.Chart))
		if len(n.With) > 0 {
			pr.props(n.With)
		}
	case *ForkOp:
		pr.w("fork")
		for _, b := range n.Branches {
			pr.w(" ")
			pr.node(b)
		}
	case *FacetOp:
		pr.w("facet by ")
		pr.list(n.By, ", ")
		if n.With != nil {
			pr.w(" with (")
			pr.node(n.With)
			pr.w(")")
		}
	case *PartitionOp:
		pr.w("partition")
		pr.params(n.Params)
		pr.w(" by ")
		pr.node(n.By)
		if n.Braced {
			pr.w(" ")
			pr.node(n.Query)
		} else {
			pr.w(" (")
			pr.node(n.Query)
			pr.w(")")
		}
	case *ReduceOp:
		pr.w("reduce")
		pr.params(n.Params)
		pr.w(" by ")
		pr.node(n.By)
		if len(n.With) > 0 {
			pr.w(" with ")
			for i, a := range n.With {
				if i > 0 {
					pr.w(", ")
				}
				pr.node(a)
			}
		}
	case *ScanOp:
		pr.scan(n)
	case *TopNestedOp:
		for i, c := range n.Clauses {
			if i > 0 {
				pr.w(", ")
			}
			pr.node(c)
		}
	case *TopHittersOp:
		pr.w("top-hitters ")
		pr.node(n.Count)
		pr.w(" of ")
		pr.node(n.Of)
		if n.By != nil {
			pr.w(" by ")
			pr.node(n.By)
		}
	case *PrintOp:
		pr.w("print")
		if len(n.Columns) > 0 {
			pr.w(" ")
			pr.list(n.Columns, ", ")
		}
	case *RangeOp:
		pr.w("range ", identText(n.Column), " from ")
		pr.node(n.From)
		pr.w(" to ")
		pr.node(n.To)
		pr.w(" step ")
		pr.node(n.Step)
	case *UnionOp:
		pr.w("union")
		pr.params(n.Params)
		pr.w(" ")
		pr.list(n.Tables, ", ")
	case *DatatableOp:
		pr.w("datatable")
		pr.params(n.Params)
		pr.cols(n.Columns)
		pr.w(" [")
		pr.list(n.Values, ", ")
		pr.w("]")
	case *ExternalDataOp:
		pr.w(n.Keyword)
		pr.params(n.Params)
		pr.w(" ")
		pr.cols(n.Columns)
		pr.w(" [")
		pr.list(n.URIs, ", ")
		pr.w("]")
		if len(n.With) > 0 {
			pr.props(n.With)
		}
	case *FindOp:
		pr.w("find")
		pr.params(n.Params)
		if n.Tables != nil {
			pr.w(" in (")
			pr.list(n.Tables, ", ")
			pr.w(")")
		}
		pr.w(" where ")
		pr.node(n.Pred)
		if n.ProjectSmart {
			pr.w(" project-smart")
		} else if len(n.Project) > 0 {
			pr.w(" project ")
			pr.list(n.Project, ", ")
		}
	case *SearchOp:
		pr.w("search")
		pr.params(n.Params)
		if n.Tables != nil {
			pr.w(" in (")
			pr.list(n.Tables, ", ")
			pr.w(")")
		}
		pr.w(" ")
		pr.node(n.Pred)
	case *EvaluateOp:
		pr.w("evaluate")
		pr.params(n.Params)
		pr.w(" ")
		pr.node(n.Call)
		if n.Schema != nil {
			pr.w(" : ")
			pr.node(n.Schema)
		}
	case *MakeGraphOp:
		pr.w("make-graph")
		pr.params(n.Params)
		pr.w(" ")
		pr.node(n.Source)
		if n.Directed {
			pr.w(" --> ")
		} else {
			pr.w(" -- ")
		}
		pr.node(n.Target)
		for i, t := range n.With {
			if i == 0 {
				pr.w(" with ")
			} else {
				pr.w(", ")
			}
			pr.node(t)
		}
		if n.PartitionedBy != nil {
			pr.w(" partitioned-by ")
			pr.node(n.PartitionedBy)
			pr.w(" (")
			pr.node(n.Query)
			pr.w(")")
		}
	case *GraphMatchOp:
		pr.w(n.Keyword)
		pr.params(n.Params)
		for i, g := range n.Patterns {
			if i > 0 {
				pr.w(",")
			}
			pr.w(" ")
			pr.node(g)
		}
		if n.Where != nil {
			pr.w(" where ")
			pr.node(n.Where)
		}
		if len(n.Project) > 0 {
			pr.w(" project ")
			pr.list(n.Project, ", ")
		}
	case *GraphToTableOp:
		pr.w("graph-to-table")
		for i, part := range n.Parts {
			if i > 0 {
				pr.w(",")
			}
			pr.w(" ")
			pr.node(part)
		}
	case *MacroExpandOp:
		pr.w("macro-expand")
		pr.params(n.Params)
		pr.w(" ")
		pr.node(n.Group)
		pr.w(" as ", identText(n.Alias), " (")
		pr.node(n.Query)
		pr.w(")")
	case *EntityGroup:
		pr.w("entity_group [")
		pr.list(n.Entities, ", ")
		pr.w("]")
	case *InlineExternalTableOp:
		pr.w("inline_external_table")
		if n.Columns != nil {
			pr.cols(n.Columns)
		}
		pr.params(n.Params)
		if len(n.Partitions) > 0 {
			pr.w(" partition by ")
			pr.cols(n.Partitions)
		}
		if len(n.PathFormat) > 0 {
			pr.w(" pathformat=(")
			pr.list(n.PathFormat, " ")
			pr.w(")")
		}
		pr.w(" (")
		pr.list(n.URIs, ", ")
		pr.w(")")
	case *GraphMarkComponentsOp:
		pr.w("graph-mark-components")
		pr.params(n.Params)
	default:
		return pr.opPart(n)
	}
	return true
}

// opPart prints the parts of operators (fork branches, scan steps, ...).
func (pr *printer) opPart(n Node) bool {
	switch n := n.(type) {
	case *ForkBranch:
		if n.Name != nil {
			pr.w(identText(n.Name), "=")
		}
		pr.w("(")
		pr.node(n.Query)
		pr.w(")")
	case *SeriesAgg:
		pr.node(n.X)
		if n.Default != nil {
			pr.w(" default=")
			pr.node(n.Default)
		}
	case *MvItem:
		pr.node(n.X)
		if n.ToType != nil {
			pr.w(" to typeof(")
			pr.node(n.ToType)
			pr.w(")")
		}
	case *ScanStep:
		pr.w("step ", identText(n.Name))
		if n.Output != "" {
			pr.w(" output=", n.Output)
		}
		pr.w(": ")
		pr.node(n.Cond)
		if len(n.Assigns) > 0 {
			pr.w(" => ")
			pr.list(n.Assigns, ", ")
		}
		pr.w(";")
	case *TopNestedClause:
		pr.w("top-nested ")
		if n.Count != nil {
			pr.node(n.Count)
			pr.w(" ")
		}
		pr.w("of ")
		pr.node(n.Of)
		if n.Others != nil {
			pr.w(" with others=")
			pr.node(n.Others)
		}
		pr.w(" by ")
		pr.node(n.By)
		if n.Order != "" {
			pr.w(" ", n.Order)
		}
	case *GraphPattern:
		for i, nd := range n.Nodes {
			if i > 0 {
				pr.node(n.Edges[i-1])
			}
			pr.node(nd)
		}
	case *GraphNode:
		pr.w("(")
		if n.Name != nil {
			pr.w(identText(n.Name))
		}
		pr.w(")")
	case *GraphEdge:
		if n.Dir == "<-" {
			pr.w("<")
		}
		pr.w("-")
		if n.Name != nil || n.Min != nil {
			pr.w("[")
			if n.Name != nil {
				pr.w(identText(n.Name))
			}
			if n.Min != nil {
				pr.w("*")
				pr.node(n.Min)
				pr.w("..")
				pr.node(n.Max)
			}
			pr.w("]")
		}
		pr.w("-")
		if n.Dir == "->" {
			pr.w(">")
		}
	case *GraphToTablePart:
		pr.w(n.What)
		if n.As != nil {
			pr.w(" as ", identText(n.As))
		}
		pr.params(n.Params)
	case *GraphNodesTable:
		pr.node(n.Table)
		pr.w(" on ")
		pr.node(n.Key)
	case *DynField:
		pr.w(quoteString(n.Key), ": ")
		pr.node(n.Value)
	default:
		return false
	}
	return true
}

func (pr *printer) mvItems(items []*MvItem) {
	for i, it := range items {
		if i > 0 {
			pr.w(",")
		}
		pr.w(" ")
		pr.node(it)
	}
}

func (pr *printer) scan(n *ScanOp) {
	pr.w("scan")
	pr.params(n.Params)
	if len(n.OrderBy) > 0 {
		pr.w(" order by ")
		pr.sortKeys(n.OrderBy)
	}
	if len(n.PartitionBy) > 0 {
		pr.w(" partition by ")
		pr.list(n.PartitionBy, ", ")
	}
	if len(n.Declare) > 0 {
		pr.w(" declare ")
		pr.cols(n.Declare)
	}
	pr.w(" with (")
	for _, s := range n.Steps {
		pr.w(" ")
		pr.node(s)
	}
	pr.w(" )")
}
