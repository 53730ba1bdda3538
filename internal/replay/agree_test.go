package replay

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rampart-soc/rampart/internal/sigma"
	"github.com/rampart-soc/rampart/internal/testutil"
)

// TestEVTXAgreesWithSigmaRegression: on SigmaHQ's regression events, every rule
// that fires on the row sigma.WindowsRow builds (what `rampart sigma test` checks)
// also fires on the row this package builds, so replay results are comparable.
func TestEVTXAgreesWithSigmaRegression(t *testing.T) {
	rulesDir := testutil.Shared(t, "corpus", "sigma", "rules")
	regDir := testutil.Shared(t, "corpus", "sigma", "regression")
	set, err := LoadRules([]string{rulesDir})
	if err != nil {
		t.Fatal(err)
	}
	events, extra := 0, 0
	err = filepath.WalkDir(regDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		dec := json.NewDecoder(f)
		dec.UseNumber()
		for dec.More() {
			var rec map[string]any
			if err := dec.Decode(&rec); err != nil {
				t.Errorf("%s: %v", p, err)
				return nil
			}
			events++
			table, row, err := sigma.WindowsRow(rec)
			if err != nil {
				t.Errorf("%s: %v", p, err)
				continue
			}
			rows, err := Decoder{Format: FormatEVTXJSON}.Record(rec)
			if err != nil {
				t.Errorf("%s: %v", p, err)
				continue
			}
			mine := map[*sigma.Rule]bool{}
			for _, h := range set.Match(nil, rows[0]) {
				mine[h] = true
			}
			for _, h := range set.Match(nil, Row{Table: table, Fields: row}) {
				if !mine[h] {
					t.Errorf("%s: %q fires on sigma.WindowsRow's row, not on replay's", p, h.Title)
				}
				delete(mine, h)
			}
			extra += len(mine)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if events == 0 {
		t.Fatal("no regression events")
	}
	t.Logf("%d regression events agree; %d rule matches only on replay's rows", events, extra)
}
