package lite

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/rampart-soc/rampart/internal/schema"
	"github.com/rampart-soc/rampart/internal/store/duckdb"
)

// emptyEngine is an engine over an empty database: queries bring their own data.
func emptyEngine(t *testing.T) *Engine {
	t.Helper()
	st, err := duckdb.Open("", duckdb.Options{Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return New(st.DB(), schema.NewCatalogue(nil))
}

// qcase is a query, the JSON of its rows, and optionally its columns as name:type,...
type qcase struct{ q, rows, cols string }

func runCases(t *testing.T, cases []qcase) {
	t.Helper()
	e := emptyEngine(t)
	for _, c := range cases {
		res, err := e.Query(context.Background(), c.q, Options{Now: now})
		if err != nil {
			t.Errorf("%s: %v", c.q, err)
			continue
		}
		got, _ := json.Marshal(res.Rows)
		if string(got) != c.rows {
			t.Errorf("%s\n got %s\nwant %s", c.q, got, c.rows)
		}
		if c.cols != "" {
			var cs []string
			for _, col := range res.Columns {
				cs = append(cs, col.Name+":"+string(col.Type))
			}
			if strings.Join(cs, ",") != c.cols {
				t.Errorf("%s: columns %s, want %s", c.q, strings.Join(cs, ","), c.cols)
			}
		}
	}
}
