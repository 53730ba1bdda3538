package docs

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
)

// example is one line of examples.jsonl (see the corpus README for the fields).
type example struct {
	ID              string     `json:"id"`
	Query           string     `json:"query"`
	Columns         []string   `json:"columns"`
	Rows            [][]string `json:"rows"`
	Ordered         bool       `json:"ordered"`
	OrderBy         [][]string `json:"order_by"`
	Category        string     `json:"category"`
	Flags           []string   `json:"flags"`
	AnalyzerColumns [][]string `json:"analyzer_columns"`
	ExtraResults    []table    `json:"extra_results"`
	RunLinkQuery    string     `json:"run_link_query"`
}

// table is an expected result: header and cells as the docs print them.
type table struct {
	Columns []string   `json:"columns"`
	Rows    [][]string `json:"rows"`
}

func (e *example) flag(name string) bool {
	for _, f := range e.Flags {
		if f == name {
			return true
		}
	}
	return false
}

func loadExamples(path string) ([]*example, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	var out []*example
	for n := 1; sc.Scan(); n++ {
		var e example
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			return nil, fmt.Errorf("%s line %d: %v", path, n, err)
		}
		out = append(out, &e)
	}
	return out, sc.Err()
}
