package syntax

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// Thresholds for the corpus harnesses, set just below the counts reached so
// that a regression fails the test.
const (
	minDocsAgree     = 1335 // of 1,340 documentation queries, all of which Kusto parses (reached: 1,340)
	minSentinelParse = 1788 // of 1,804 Sentinel rule queries; Kusto parses 1,792 (reached: 1,792)
	minOracleAgree   = 1800 // of 1,804 syntax verdicts of Kusto.Language (reached: 1,804)
)

type docQuery struct {
	ID    string `json:"id"`
	Query string `json:"query"`
}

// TestDocsCorpus parses every documentation query; the corpus README says
// Kusto.Language parses all of them without syntax errors.
func TestDocsCorpus(t *testing.T) {
	dir := filepath.Join(sharedDir(t), "corpus", "kql-docs")
	var qs []docQuery
	for _, f := range []string{"parse-only.jsonl", "examples.jsonl"} {
		qs = append(qs, readJSONL[docQuery](t, filepath.Join(dir, f))...)
	}
	passed, failed, bad := 0, 0, 0
	for _, q := range qs {
		tree, errs := Parse(q.Query)
		if len(errs) == 0 {
			passed++
			if msg := checkTree(q.Query, tree); msg != "" {
				bad++
				t.Errorf("%s: %s", q.ID, msg)
			}
			continue
		}
		failed++
		t.Logf("%s: %s", q.ID, errs[0].Format(q.Query))
	}
	t.Logf("kql docs: %d passed, %d failed, %d failed the tree checks", passed, failed, bad)
	fmt.Printf("kql parse-only: %d passed, %d failed\n", passed, failed)
	if passed < minDocsAgree {
		t.Errorf("docs corpus: %d queries parse, want at least %d", passed, minDocsAgree)
	}
}

type sentinelRule struct {
	ID    string `json:"id"`
	Query string `json:"query"`
}

type oracleVerdict struct {
	ID           string `json:"id"`
	SyntaxOK     bool   `json:"syntax_ok"`
	SyntaxErrors []struct {
		Message string `json:"message"`
		Start   int    `json:"start"`
	} `json:"syntax_errors"`
}

// TestSentinelCorpus parses every Sentinel rule query and compares the
// verdict with Microsoft's parser (oracle.jsonl).
func TestSentinelCorpus(t *testing.T) {
	dir := filepath.Join(sharedDir(t), "corpus", "sentinel")
	rules := readJSONL[sentinelRule](t, filepath.Join(dir, "rules.jsonl"))
	verdicts := map[string]oracleVerdict{}
	for _, v := range readJSONL[oracleVerdict](t, filepath.Join(dir, "oracle.jsonl")) {
		verdicts[v.ID] = v
	}
	parsed, failed, agree, disagree := 0, 0, 0, 0
	for _, r := range rules {
		tree, errs := Parse(r.Query)
		ok := len(errs) == 0
		if ok {
			parsed++
			if msg := checkTree(r.Query, tree); msg != "" {
				t.Errorf("%s: %s", r.ID, msg)
			}
		} else {
			failed++
		}
		v, known := verdicts[r.ID]
		if !known {
			continue
		}
		if ok == v.SyntaxOK {
			agree++
			continue
		}
		disagree++
		if ok {
			msg := ""
			if len(v.SyntaxErrors) > 0 {
				e := v.SyntaxErrors[0]
				msg = fmt.Sprintf("%q at %s", e.Message, PositionOf(r.Query, Pos(e.Start)))
			}
			t.Logf("%s: we parse, Kusto rejects: %s", r.ID, msg)
		} else {
			t.Logf("%s: %s", r.ID, strings.TrimSpace(errs[0].Format(r.Query)))
		}
	}
	t.Logf("sentinel: %d parsed, %d failed; oracle agreement %d, disagreement %d", parsed, failed, agree, disagree)
	fmt.Printf("kql sentinel: %d passed, %d failed\n", parsed, failed)
	fmt.Printf("kql sentinel oracle agreement: %d agree, %d disagree\n", agree, disagree)
	if parsed < minSentinelParse {
		t.Errorf("sentinel corpus: %d queries parse, want at least %d", parsed, minSentinelParse)
	}
	if agree < minOracleAgree {
		t.Errorf("sentinel corpus: %d verdicts agree with Kusto, want at least %d", agree, minOracleAgree)
	}
}
