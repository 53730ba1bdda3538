package stix

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func mustObject(t *testing.T, js string) *Object {
	t.Helper()
	o, errs, _ := DecodeObject([]byte(js), 0, Options{})
	if o == nil {
		t.Fatalf("%s: %v", js, errs)
	}
	return o
}

func malwareVersion(modified string, revoked bool) string {
	return fmt.Sprintf(`{"type":"malware","spec_version":"2.1","id":"malware--6b616fc1-1505-48e3-8b2c-0d19337bff38","created":"2017-01-01T00:00:00.000Z","modified":%q,"name":"m","is_family":true,"revoked":%v}`, modified, revoked)
}

func TestStoreVersioning(t *testing.T) {
	st := NewStore()
	steps := []struct {
		modified string
		revoked  bool
		want     PutOutcome
	}{
		{"2018-01-01T00:00:00.000Z", false, Inserted},
		{"2017-06-01T00:00:00.000Z", false, Older},
		{"2018-01-01T00:00:00Z", false, Duplicate}, // same instant, other spelling
		{"2018-01-01T00:00:00.001Z", false, Updated},
		{"2019-01-01T00:00:00.000Z", true, Updated},
		{"2020-01-01T00:00:00.000Z", false, Revoked},
	}
	for _, s := range steps {
		if got := st.Put(mustObject(t, malwareVersion(s.modified, s.revoked))); got != s.want {
			t.Errorf("%s revoked=%v: %v, want %v", s.modified, s.revoked, got, s.want)
		}
	}
	cur := st.Get("malware--6b616fc1-1505-48e3-8b2c-0d19337bff38")
	if !cur.Revoked || cur.Modified.Year() != 2019 || cur.ActiveAt(time.Now()) {
		t.Errorf("current: %+v", cur)
	}
}

// TestFilesystemStoreVersions imports the python-stix2 filesystem store,
// whose malware--6b616fc1… has three versions, in file order.
func TestFilesystemStoreVersions(t *testing.T) {
	files := corpusFiles(t, filepath.Join("examples", "cti-python-stix2", "filesystem-store-v21"))
	st := NewStore()
	var total ImportStats
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		res, err := Parse(data, Options{})
		if err != nil {
			t.Fatal(err)
		}
		s := st.Import(res)
		total.Read += s.Read
		total.Inserted += s.Inserted
		total.Updated += s.Updated
		total.Older += s.Older
		total.Duplicate += s.Duplicate
	}
	t.Logf("filesystem store: %d files, %+v, %d current objects", len(files), total, st.Len())
	m := st.Get("malware--6b616fc1-1505-48e3-8b2c-0d19337bff38")
	// Four versions in all (three in the folder, one beside it); the
	// newest is from 2018-11-16.
	if m == nil || m.Modified.Format(time.RFC3339Nano) != "2018-11-16T22:54:20.39Z" {
		t.Errorf("latest malware version: %v", m.Modified)
	}
	if total.Read != total.Inserted+total.Updated+total.Older+total.Duplicate || st.Len() != total.Inserted {
		t.Errorf("inconsistent stats %+v, len %d", total, st.Len())
	}
}

func TestIndicatorLifecycle(t *testing.T) {
	o := mustObject(t, `{"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z","pattern":"[ipv4-addr:value = '198.51.100.1']","pattern_type":"stix","valid_from":"2020-01-01T00:00:00Z","valid_until":"2020-02-01T00:00:00Z","confidence":85}`)
	at := func(s string) time.Time { t, _, _ := ParseTime(s); return t }
	for _, c := range []struct {
		when            string
		active, expired bool
	}{
		{"2019-12-31T23:59:59Z", false, false},
		{"2020-01-01T00:00:00Z", true, false},
		{"2020-01-31T23:59:59Z", true, false},
		{"2020-02-01T00:00:00Z", false, true},
	} {
		if o.ActiveAt(at(c.when)) != c.active || o.Expired(at(c.when)) != c.expired {
			t.Errorf("%s: active=%v expired=%v", c.when, o.ActiveAt(at(c.when)), o.Expired(at(c.when)))
		}
	}
	if o.Confidence != 85 {
		t.Errorf("confidence %d", o.Confidence)
	}
}

func TestUpgrade20(t *testing.T) {
	o := mustObject(t, `{"type":"indicator","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2017-01-01T00:00:00.000Z","modified":"2017-01-01T00:00:00.000Z","labels":["malicious-activity"],"pattern":"[domain-name:value = 'evil.example']","valid_from":"2017-01-01T00:00:00Z","x_custom":{"a":1}}`)
	if !o.Upgraded || o.SpecVersion != "2.1" || o.Indicator.PatternType != "stix" || len(o.Types) != 1 || len(o.Labels) != 0 {
		t.Fatalf("upgrade: %+v %s", o, o.Data)
	}
	var custom map[string]int
	if ok, err := o.Property("x_custom", &custom); !ok || err != nil || custom["a"] != 1 {
		t.Errorf("custom property lost: %s", o.Data)
	}
	if p, err := o.ParsePattern(); err != nil || p.Version.String() != "2.0" {
		t.Errorf("pattern grammar: %v %v", p, err)
	}
	m := mustObject(t, `{"type":"malware","id":"malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2017-01-01T00:00:00.000Z","modified":"2017-01-01T00:00:00.000Z","labels":["trojan"],"name":"x"}`)
	var fam bool
	if ok, _ := m.Property("is_family", &fam); !ok || !fam || m.Types[0] != "trojan" {
		t.Errorf("malware upgrade: %s", m.Data)
	}
}
