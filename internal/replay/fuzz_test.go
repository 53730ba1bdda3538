package replay

import (
	"os"
	"path/filepath"
	"testing"
)

var fuzzFormats = []string{"", FormatEVTXJSON, FormatFlatWindows, FormatWinlogbeat, FormatWindowsXML,
	FormatSentinel, FormatCloudTrail, FormatAuditd, FormatZeek, FormatCSV}

// FuzzDecodeLine: every decoder either fails with an error or gives rows with a
// table and columns, which the matcher can then read without panicking.
func FuzzDecodeLine(f *testing.F) {
	seeds := []string{
		`{"Event":{"System":{"EventID":{"#attributes":{"Qualifiers":"1"},"#text":"7045"},"Channel":"System"},"EventData":{"A":{"#text":"b"},"Data":["x"]}}}`,
		`{"EventID":1,"Channel":"security","Image":"a","Message":"m"}`,
		`{"event_id":1,"log_name":"x","event_data":{"a":1},"winlog":{"event_id":2}}`,
		`<Event><System><EventID>1</EventID></System><EventData><Data Name="a">b</Data><Data>c</Data></EventData><UserData><X><Y>z</Y></X></UserData></Event>`,
		`{"Type":"Syslog","SyslogMessage":"type=EXECVE a0=x"}`,
		`{"Records":[{"eventName":"a","userIdentity":{"sessionContext":{"attributes":{"mfaAuthenticated":"true"}}}}]}`,
		`type=PROCTITLE msg=audit(1.5:2): proctitle=6162`,
		`type=PROCTITLE msg=audit(99999999999999.5:2): proctitle=6`,
		`{"@stream":"http","ts":"1.123456789123","id_orig_h":"a","answers":[1,{}]}`,
		`{"@stream":"dns","ts":1e400}`,
		`{"Type":"Event","EventLog":"System","EventID":"7045","EventData":"<DataItem><EventData><Data Name=\"a\">b</Data><Data>c</Data></EventData>","X_dynamic":1}`,
		`{"a":1}`, `[]`, `{`, ``, `null`,
	}
	for i, s := range seeds {
		f.Add(uint8(i), s)
	}
	rules := f.TempDir()
	for name, body := range testRules {
		if err := os.WriteFile(filepath.Join(rules, name), []byte(body), 0o644); err != nil {
			f.Fatal(err)
		}
	}
	set, err := LoadRules([]string{rules})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, sel uint8, line string) {
		format := fuzzFormats[int(sel)%len(fuzzFormats)]
		rows, err := DecodeLine(format, []byte(line))
		if err != nil {
			if len(rows) != 0 && format != FormatCloudTrail {
				t.Fatalf("error %v with %d rows", err, len(rows))
			}
			return
		}
		for _, r := range rows {
			if r.Table == "" || r.Fields == nil {
				t.Fatalf("row without table or columns: %#v", r)
			}
			set.Match(nil, r)
		}
	})
}
