package stix

import (
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// Counts from shared/corpus/stix/README.md: 145 parseable files holding
// 8,693 objects across examples/, bundles/ and validator-cases/.
const (
	wantCorpusFiles   = 145
	wantCorpusObjects = 8693
	// Lenient reading rejects only the two invalid validator cases;
	// strict reading also rejects 28 objects of pre-standard or sloppy
	// producers (12 indicators without pattern_type and 11 malware without
	// is_family from the slider idioms, 5 identity_class lists in emotet).
	wantRejectedLenient = 2
	wantRejectedStrict  = 30
)

type corpusTally struct {
	files, read, valid, warnings int
	types                        map[string]int
	rejected                     []string
}

func readCorpus(t *testing.T, opt Options) corpusTally {
	tally := corpusTally{types: map[string]int{}}
	for _, f := range corpusFiles(t, "examples", "bundles", "validator-cases") {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		res, err := Read(fh, opt)
		fh.Close()
		if err != nil {
			continue // the two non-JSON validator cases
		}
		tally.files++
		tally.read += res.Read
		tally.valid += len(res.Objects)
		tally.warnings += len(res.Warnings)
		for _, o := range res.Objects {
			tally.types[o.Type]++
		}
		for _, e := range res.Errors {
			tally.rejected = append(tally.rejected, filepath.Base(f)+": "+e.Error())
		}
	}
	sort.Strings(tally.rejected)
	return tally
}

func TestCorpusCounts(t *testing.T) {
	lenient := readCorpus(t, Options{})
	t.Logf("stix corpus: %d files, %d objects read, %d valid, %d rejected, %d warnings",
		lenient.files, lenient.read, lenient.valid, lenient.read-lenient.valid, lenient.warnings)
	if lenient.files != wantCorpusFiles || lenient.read != wantCorpusObjects {
		t.Errorf("got %d files and %d objects, want %d and %d", lenient.files, lenient.read, wantCorpusFiles, wantCorpusObjects)
	}
	if n := lenient.read - lenient.valid; n != wantRejectedLenient {
		t.Errorf("lenient: %d rejected, want %d: %v", n, wantRejectedLenient, lenient.rejected)
	}
	want := map[string]int{"relationship": 5769, "indicator": 2040, "malware": 258, "identity": 71,
		"observed-data": 67, "attack-pattern": 56, "course-of-action": 48, "threat-actor": 39, "tool": 33,
		"campaign": 27, "report": 14, "marking-definition": 9, "vulnerability": 8, "grouping": 8,
		"intrusion-set": 7, "sighting": 4, "infrastructure": 4, "location": 2, "language-content": 1,
		"file": 46, "ipv4-addr": 44, "network-traffic": 20, "email-addr": 18, "domain-name": 15,
		"process": 14, "user-account": 14, "email-message": 9, "directory": 9, "artifact": 7,
		"autonomous-system": 7, "windows-registry-key": 5, "x509-certificate": 4, "mac-addr": 4,
		"url": 3, "software": 2, "ipv6-addr": 2, "mutex": 1, "x-foo": 1, "x-bar": 1, "bar": 1, "fooz": 1}
	want["identity"] -= 2 // the two invalid validator cases
	for typ, n := range want {
		if lenient.types[typ] != n {
			t.Errorf("%s: %d valid, want %d", typ, lenient.types[typ], n)
		}
	}

	strict := readCorpus(t, Options{Strict: true, SkipPatterns: true})
	if n := strict.read - strict.valid; n != wantRejectedStrict {
		t.Errorf("strict: %d rejected, want %d", n, wantRejectedStrict)
		for _, r := range strict.rejected {
			t.Log(r)
		}
	}
}

func TestCorpusBundles(t *testing.T) {
	dir := corpusDir(t)
	cases := []struct {
		file                               string
		objects, indicators, relationships int
		upgraded                           int
		spec                               string
	}{
		{"fireeye-pivy-report-with-indicators.json.gz", 4810, 1029, 3560, 0, ""},
		{"emotet.json.gz", 2858, 886, 1907, 2858, "2.0"},
	}
	for _, c := range cases {
		f, err := os.Open(filepath.Join(dir, "bundles", c.file))
		if err != nil {
			t.Fatal(err)
		}
		res, err := Read(f, Options{})
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		var ind, rel, up, matchable int
		st := NewStore()
		stats := st.Import(res)
		for _, o := range res.Objects {
			if o.Upgraded {
				up++
				if o.SpecVersion != "2.1" {
					t.Errorf("%s: upgraded to %q", o.ID, o.SpecVersion)
				}
			}
			switch o.Type {
			case "indicator":
				ind++
				if p, err := o.ParsePattern(); err == nil && len(p.Observables()) > 0 {
					matchable++
				}
			case "relationship":
				rel++
			}
		}
		t.Logf("%s: %d objects, %d indicators (%d index-only patterns), %d relationships, %d upgraded, %d warnings; store %+v",
			c.file, res.Read, ind, matchable, rel, up, len(res.Warnings), stats)
		if res.Read != c.objects || ind != c.indicators || rel != c.relationships || up != c.upgraded {
			t.Errorf("%s: got %d/%d/%d/%d", c.file, res.Read, ind, rel, up)
		}
		if len(res.Headers) != 1 || res.Headers[0].Form != "bundle" || res.Headers[0].SpecVersion != c.spec {
			t.Errorf("%s: headers %+v", c.file, res.Headers)
		}
	}
}
