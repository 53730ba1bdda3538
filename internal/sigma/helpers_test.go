package sigma

import (
	"strings"
	"testing"

	"github.com/rampart-soc/rampart/internal/sigma/pipeline"
	"github.com/rampart-soc/rampart/internal/sigma/rule"
)

// testPipeline maps `product: test` onto a table T that takes any field name.
var testPipeline = func() *pipeline.Pipeline {
	p, err := pipeline.Load([]byte(`
name: test
tables:
  T: {passthrough: true}
sources:
  - {logsource: {product: test}, targets: [{table: T}]}
  - {logsource: {product: test, service: other}, targets: [{table: T}]}
`))
	if err != nil {
		panic(err)
	}
	return p
}()

// ruleYAML wraps a detection body (indented by four spaces) into a full rule.
func ruleYAML(detection string) string {
	return "title: test\nid: 00000000-0000-0000-0000-000000000001\nlogsource:\n    product: test\ndetection:\n" + detection
}

func compileTest(t testing.TB, c *Compiler, src string) (*Rule, error) {
	t.Helper()
	docs, probs := rule.Parse([]byte(src), "test.yml")
	if probs.HasErrors() {
		return nil, probs
	}
	return c.Compile(docs[0].Rule)
}

func mustCompile(t testing.TB, detection string) *Rule {
	t.Helper()
	r, err := compileTest(t, &Compiler{Pipeline: testPipeline}, ruleYAML(detection))
	if err != nil {
		t.Fatalf("compile:\n%s\n%v", detection, err)
	}
	return r
}

func indent(s string) string {
	lines := strings.Split(strings.Trim(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = "    " + l
	}
	return strings.Join(lines, "\n") + "\n"
}
