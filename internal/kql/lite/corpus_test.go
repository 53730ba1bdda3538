package lite

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rampart-soc/rampart/internal/schema"
	"github.com/rampart-soc/rampart/internal/testutil"
)

// sentinelCompileThreshold guards how many of the Sentinel corpus's queries the subset
// compiles; raise it as the engine grows, never lower it.
const sentinelCompileThreshold = 1506

// TestSentinelCorpusCompiles counts the Sentinel rules and hunting queries the subset
// compiles against the built-in tables, and which operators and functions stop the rest.
func TestSentinelCorpusCompiles(t *testing.T) {
	path := testutil.Shared(t, "corpus", "sentinel", "rules.jsonl")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tables, _ := schema.Builtin()
	cat := schema.NewCatalogue(tables)
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	passed, failed := 0, 0
	reasons := map[string]int{}
	for sc.Scan() {
		var rec struct {
			Query string `json:"query"`
		}
		if json.Unmarshal(sc.Bytes(), &rec) != nil {
			continue
		}
		_, _, perrs, err := Compile(rec.Query, cat, time.Now(), Window{})
		switch {
		case len(perrs) > 0:
			failed++
			reasons["syntax error"]++
		case err != nil:
			failed++
			msg := err.Error()
			if i := strings.Index(msg, " is not supported"); i >= 0 {
				msg = msg[:i]
			} else if strings.HasPrefix(msg, "unknown column") {
				msg = "unknown column"
			}
			reasons[msg]++
		default:
			passed++
		}
	}
	type kv struct {
		k string
		v int
	}
	var top []kv
	for k, v := range reasons {
		top = append(top, kv{k, v})
	}
	sort.Slice(top, func(i, j int) bool { return top[i].v > top[j].v })
	for i := 0; i < len(top) && i < 12; i++ {
		t.Logf("%5d %s", top[i].v, top[i].k)
	}
	fmt.Printf("kql subset, sentinel queries (%s): %d passed, %d failed\n", filepath.Base(path), passed, failed)
	if passed < sentinelCompileThreshold {
		t.Fatalf("%d queries compile, threshold %d", passed, sentinelCompileThreshold)
	}
}
