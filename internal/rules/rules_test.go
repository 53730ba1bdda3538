package rules

import (
	"context"
	"fmt"
	"github.com/rampart-soc/rampart/internal/testutil"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rampart-soc/rampart/internal/store/duckdb"
)

const goodRule = `id: 0a3f4e55-1111-4a55-9f00-3a2b1c4d5e6f
name: Brute force against Windows accounts
description: Many failed logons for one account.
severity: Medium
requiredDataConnectors: []
queryFrequency: 1h
queryPeriod: 1d
triggerOperator: gt
triggerThreshold: 0
tactics:
  - CredentialAccess
relevantTechniques:
  - T1110
query: |
  SecurityEvent | where EventID == 4625 | summarize c = count() by Account, Computer | where c > 20
entityMappings:
  - entityType: Account
    fieldMappings:
      - identifier: FullName
        columnName: Account
  - entityType: Host
    fieldMappings:
      - identifier: HostName
        columnName: Computer
eventGroupingSettings:
  aggregationKind: AlertPerResult
incidentConfiguration:
  createIncident: true
  groupingConfiguration:
    enabled: true
    reopenClosedIncident: false
    lookbackDuration: 5h
    matchingMethod: Selected
    groupByEntities: [Account]
version: 1.0.2
kind: Scheduled
`

func TestParseSentinelYAML(t *testing.T) {
	ps := ParseFile("good.yaml", []byte(goodRule))
	if len(ps) != 1 || ps[0].Rule == nil {
		t.Fatalf("parse: %+v", ps)
	}
	r := ps[0].Rule
	if r.Frequency != time.Hour || r.Period != 24*time.Hour || !r.AlertPerResult || r.Version != 1 ||
		len(r.EntityMappings) != 2 || r.EntityMappings[0].FieldMappings[0].Identifier != "FullName" ||
		r.Grouping == nil || r.Grouping.Method != "Selected" || r.Grouping.Lookback != 5*time.Hour || r.Techniques[0] != "T1110" {
		t.Fatalf("rule = %+v", r)
	}
}

func TestValidationReportsEveryProblemWithLine(t *testing.T) {
	bad := strings.NewReplacer("queryPeriod: 1d", "queryPeriod: 30m", "severity: Medium", "severity: Severe",
		"identifier: HostName", "identifier: Hostname2", "- T1110", "- T99").Replace(goodRule)
	ps := ParseFile("bad.yaml", []byte(bad))
	if len(ps) != 1 || ps[0].Rule != nil {
		t.Fatalf("bad rule accepted: %+v", ps)
	}
	var msgs []string
	for _, p := range ps[0].Problems {
		if p.Line == 0 {
			t.Errorf("problem without line: %v", p)
		}
		msgs = append(msgs, p.String())
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{"bad.yaml:4: rule 0a3f4e55-1111-4a55-9f00-3a2b1c4d5e6f: severity", "bad.yaml:7: ", "shorter than queryFrequency", "no identifier \"Hostname2\"", "malformed technique id \"T99\""} {
		if !strings.Contains(all, want) {
			t.Errorf("problems lack %q:\n%s", want, all)
		}
	}
	if ps := ParseFile("x.yaml", []byte("id: [unclosed\n")); ps[0].Problems[0].Line == 0 {
		t.Errorf("YAML syntax error without line: %v", ps[0].Problems)
	}
}

func TestSigmaDetected(t *testing.T) {
	src := `title: Whoami execution
id: 502b42de-4306-40b4-9596-6f590c81f073
level: high
tags: [attack.discovery, attack.t1033]
logsource: {category: process_creation, product: windows}
detection:
  sel: {Image|endswith: '\whoami.exe'}
  condition: sel
`
	ps := ParseFile("s.yml", []byte(src))
	if len(ps) != 1 || ps[0].Rule == nil || ps[0].Rule.Kind != Sigma || ps[0].Rule.Severity != "High" || ps[0].Rule.Techniques[0] != "T1033" || ps[0].Rule.Tactics[0] != "Discovery" {
		t.Fatalf("sigma = %+v", ps)
	}
}

func TestStoreVersions(t *testing.T) {
	st, err := duckdb.Open("", duckdb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	s, err := OpenStore(ctx, st.DB())
	if err != nil {
		t.Fatal(err)
	}
	var heard int
	s.OnChange(func(*Rule, bool) { heard++ })
	r := ParseFile("good.yaml", []byte(goodRule))[0].Rule
	if changed, err := s.Put(ctx, r, "ann"); err != nil || !changed {
		t.Fatal(changed, err)
	}
	if changed, _ := s.Put(ctx, r, "ann"); changed {
		t.Fatal("re-import of an identical rule made a version")
	}
	r2 := *r
	r2.Severity = "High"
	s.Put(ctx, &r2, "bob")
	s.SetEnabled(ctx, r.ID, false, "bob")
	vs, err := s.Versions(ctx, r.ID)
	if err != nil || len(vs) != 3 || vs[0].Action != "disabled" || vs[1].Rule.Severity != "High" {
		t.Fatalf("versions = %+v, %v", vs, err)
	}
	got, _ := s.Get(ctx, r.ID)
	if got.Enabled || got.Frequency != time.Hour {
		t.Fatalf("stored rule = %+v", got)
	}
	if err := s.Delete(ctx, r.ID, "bob"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, r.ID); err != ErrNotFound {
		t.Fatal("deleted rule still there")
	}
	if heard != 4 {
		t.Errorf("change listeners heard %d changes, want 4", heard)
	}
}

func sharedDir(t *testing.T) string {
	t.Helper()
	return testutil.Shared(t)
}

// The Sentinel corpus's analytics rules (Scheduled and NRT) all load; hunting queries are
// skipped. Rules whose own metadata Sentinel's validator would refuse are counted.
func TestLoadSentinelCorpus(t *testing.T) {
	dir := sharedDir(t)
	rs, probs, err := Load([]string{filepath.Join(dir, "corpus/sentinel/rules.jsonl")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	bad := map[string]bool{}
	for _, p := range probs {
		if !p.Warning {
			bad[fmt.Sprintf("%s:%d", p.File, p.Line)] = true
		}
	}
	fmt.Printf("sentinel rules import: %d passed, %d failed\n", len(rs), len(bad))
	for _, p := range probs {
		if !p.Warning {
			t.Log(p)
		}
	}
	if len(rs) < sentinelImportThreshold {
		t.Fatalf("%d rules loaded, threshold %d", len(rs), sentinelImportThreshold)
	}
}

const sentinelImportThreshold = 830
