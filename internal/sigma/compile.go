package sigma

import (
	"fmt"
	"sort"
	"strings"

	"github.com/rampart-soc/rampart/internal/sigma/condition"
	"github.com/rampart-soc/rampart/internal/sigma/pipeline"
	"github.com/rampart-soc/rampart/internal/sigma/rule"
)

// Compiler turns parsed rules into matchers for the tables a pipeline maps them to.
type Compiler struct {
	Pipeline *pipeline.Pipeline
	// Placeholders gives the values of `%name%` for the expand modifier.
	Placeholders map[string][]string
	// Filters are meta filters applied to the rules they target.
	Filters []*rule.Filter
}

// NewCompiler returns a compiler over the given pipeline (the built-in Sentinel
// pipeline when nil).
func NewCompiler(p *pipeline.Pipeline) *Compiler {
	if p == nil {
		p = pipeline.Default()
	}
	return &Compiler{Pipeline: p}
}

// Rule is a compiled detection rule.
type Rule struct {
	*rule.Rule
	Targets []*Target
	// Dropped lists targets the rule could not be compiled for, with the reason
	// (e.g. a field with no column in that table); the rule still runs on the rest.
	Dropped []string
}

// Target is a rule compiled for one table.
type Target struct {
	Table string
	Rule  *Rule
	pt    *pipeline.Target
	route matcher // rows of the table the logsource covers; nil = all rows
	cond  matcher
	req   requirement
}

// Tables returns the tables the rule reads, in pipeline order.
func (r *Rule) Tables() []string {
	var out []string
	for _, t := range r.Targets {
		dup := false
		for _, s := range out {
			dup = dup || s == t.Table
		}
		if !dup {
			out = append(out, t.Table)
		}
	}
	return out
}

// Match reports whether an event of the given table fires the rule.
func (r *Rule) Match(table string, ev Event) bool {
	c := ctxPool.Get().(*evalCtx)
	c.reset(ev)
	defer func() {
		c.release()
		ctxPool.Put(c)
	}()
	for _, t := range r.Targets {
		if t.Table == table && t.match(c) {
			return true
		}
	}
	return false
}

// Match evaluates the logsource's row conditions and the detection.
func (t *Target) Match(ev Event) bool {
	c := ctxPool.Get().(*evalCtx)
	c.reset(ev)
	ok := t.match(c)
	c.release()
	ctxPool.Put(c)
	return ok
}

func (t *Target) match(c *evalCtx) bool {
	return (t.route == nil || t.route.match(c)) && t.cond.match(c)
}

// Field maps a Sigma field name of this rule to a column path of the target table.
func (t *Target) Field(name string) (string, error) { return t.pt.Field(name) }

// CompileError lists every reason a rule could not be compiled.
type CompileError struct {
	Reasons []string
}

func (e *CompileError) Error() string { return strings.Join(e.Reasons, "; ") }

// Compile compiles a rule for every table its logsource maps to. It fails when
// the logsource is not mapped or no target compiles.
func (c *Compiler) Compile(r *rule.Rule) (*Rule, error) {
	targets, ok := c.Pipeline.Resolve(r.LogSource)
	if !ok {
		return nil, &CompileError{Reasons: []string{fmt.Sprintf("logsource %s is not mapped to a table", r.LogSource)}}
	}
	out := &Rule{Rule: r}
	var reasons []string
	for _, pt := range targets {
		t, errs := c.compileTarget(r, pt)
		if len(errs) > 0 {
			msg := fmt.Sprintf("%s: %s", pt.Table.Name, strings.Join(errs, "; "))
			reasons = append(reasons, msg)
			out.Dropped = append(out.Dropped, msg)
			continue
		}
		t.Rule = out
		out.Targets = append(out.Targets, t)
	}
	if len(out.Targets) == 0 {
		return nil, &CompileError{Reasons: reasons}
	}
	return out, nil
}

func (c *Compiler) compileTarget(r *rule.Rule, pt *pipeline.Target) (*Target, []string) {
	tc := &targetCompiler{c: c, pt: pt}
	cond := tc.detection(&r.Detection, true)
	for _, f := range c.Filters {
		if !filterApplies(f, r) {
			continue
		}
		fc := tc.detection(&f.Detection, false)
		if fc != nil {
			cond = &andM{terms: []matcher{cond, fc}}
		}
	}
	route := tc.route()
	if len(tc.errs) > 0 {
		return nil, dedupe(tc.errs)
	}
	t := &Target{Table: pt.Table.Name, pt: pt, route: route, cond: cond}
	t.req = requirementOf(cond)
	return t, nil
}

func dedupe(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func filterApplies(f *rule.Filter, r *rule.Rule) bool {
	if !f.LogSource.Contains(r.LogSource) {
		return false
	}
	if f.Any {
		return true
	}
	for _, ref := range f.Rules {
		if ref == r.ID || (r.Name != "" && ref == r.Name) {
			return true
		}
	}
	return false
}

type targetCompiler struct {
	c    *Compiler
	pt   *pipeline.Target
	errs []string
}

func (tc *targetCompiler) errf(format string, args ...any) {
	tc.errs = append(tc.errs, fmt.Sprintf(format, args...))
}

func (tc *targetCompiler) route() matcher {
	if len(tc.pt.Where) == 0 {
		return nil
	}
	var terms []matcher
	for _, w := range tc.pt.Where {
		m := &fieldM{field: w.Column, fid: fieldID(w.Column)}
		for _, v := range w.Values {
			if p := tc.plainPred(v, false); p != nil {
				m.preds = append(m.preds, p)
			}
		}
		terms = append(terms, m)
	}
	if len(terms) == 1 {
		return terms[0]
	}
	return &andM{terms: terms}
}

// detection compiles the searches and conditions (ORed when a list).
func (tc *targetCompiler) detection(d *rule.Detection, isRule bool) matcher {
	searches := map[string]matcher{}
	names := make([]string, 0, len(d.Searches))
	for _, s := range d.Searches {
		names = append(names, s.Name)
		searches[s.Name] = tc.search(s)
	}
	var conds []matcher
	for _, cs := range d.Conditions {
		ast, err := condition.Parse(cs.Text)
		if err != nil {
			tc.errf("condition %q: %v", cs.Text, err)
			continue
		}
		m := tc.condition(ast, searches, names)
		if m == nil {
			tc.errf("condition %q selects no search", cs.Text)
			continue
		}
		conds = append(conds, m)
	}
	if len(d.Conditions) == 0 {
		tc.errf("no condition")
	}
	switch len(conds) {
	case 0:
		return constM(false)
	case 1:
		return conds[0]
	}
	return &orM{terms: conds}
}

// condition compiles a condition tree. A quantifier whose pattern selects no
// search is dropped as if absent (nil), as the reference implementation does.
func (tc *targetCompiler) condition(n condition.Node, searches map[string]matcher, names []string) matcher {
	switch x := n.(type) {
	case *condition.Ident:
		m, ok := searches[x.Name]
		if !ok {
			tc.errf("condition references unknown search %q", x.Name)
			return constM(false)
		}
		return m
	case *condition.Of:
		sel := x.Select(names)
		if len(sel) == 0 {
			return nil
		}
		terms := make([]matcher, len(sel))
		for i, s := range sel {
			terms[i] = searches[s]
		}
		switch {
		case x.All:
			return sortedAnd(terms)
		case x.Count <= 1:
			return &orM{terms: terms}
		}
		return &atLeastM{n: x.Count, terms: terms}
	case *condition.Not:
		inner := tc.condition(x.X, searches, names)
		if inner == nil {
			return nil
		}
		return &notM{x: inner}
	case *condition.And:
		var terms []matcher
		for _, t := range x.Terms {
			if m := tc.condition(t, searches, names); m != nil {
				terms = append(terms, m)
			}
		}
		switch len(terms) {
		case 0:
			return nil
		case 1:
			return terms[0]
		}
		return sortedAnd(terms)
	case *condition.Or:
		var terms []matcher
		for _, t := range x.Terms {
			if m := tc.condition(t, searches, names); m != nil {
				terms = append(terms, m)
			}
		}
		switch len(terms) {
		case 0:
			return nil
		case 1:
			return terms[0]
		}
		return &orM{terms: terms}
	}
	return nil
}

// sortedAnd evaluates cheap terms first; AND has no side effects, so order is free.
func sortedAnd(terms []matcher) matcher {
	if len(terms) == 1 {
		return terms[0]
	}
	sort.SliceStable(terms, func(i, j int) bool { return terms[i].cost() < terms[j].cost() })
	return &andM{terms: terms}
}

func (tc *targetCompiler) search(s *rule.Search) matcher {
	errs := len(tc.errs)
	var groups []matcher
	for _, g := range s.Groups {
		var items []matcher
		for i := range g {
			if m := tc.item(&g[i]); m != nil {
				items = append(items, m)
			}
		}
		switch len(items) {
		case 0:
			continue
		case 1:
			groups = append(groups, items[0])
		default:
			groups = append(groups, sortedAnd(items))
		}
	}
	switch len(groups) {
	case 0:
		if len(tc.errs) == errs { // otherwise the item errors say why
			tc.errf("search %q is empty", s.Name)
		}
		return constM(false)
	case 1:
		return groups[0]
	}
	return &orM{terms: groups}
}
