package sigma

import (
	"sync"
	"testing"
)

// A Ruleset is shared by many goroutines; run with -race.
func TestRulesetConcurrent(t *testing.T) {
	var rules []*Rule
	for i, d := range []string{
		"sel:\n    CommandLine|contains: 'mimikatz'\ncondition: sel",
		"sel:\n    CommandLine|contains|windash: ' -enc '\ncondition: sel",
		"kw:\n    - 'sekurlsa'\ncondition: kw",
	} {
		r := mustCompile(t, indent(d))
		r.ID = string(rune('a' + i))
		rules = append(rules, r)
	}
	rs := NewRuleset(rules)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var dst []*Rule
			for i := 0; i < 500; i++ {
				e, _ := ParseJSONEvent([]byte(`{"CommandLine":"x MIMIKATZ /enc sekurlsa"}`))
				dst = rs.Match(dst[:0], "T", e)
				if len(dst) != 3 {
					t.Errorf("got %d matches", len(dst))
					return
				}
			}
		}()
	}
	wg.Wait()
}
