package replay

import (
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testRules are small rules, one per logsource the decoders must route to.
var testRules = map[string]string{
	"proc.yml": `title: Reg Save
id: 10000000-0000-0000-0000-000000000001
tags: [attack.credential-access, attack.t1003.002]
logsource: {product: windows, category: process_creation}
detection:
    selection:
        Image|endswith: '\reg.exe'
        CommandLine|contains: ' save '
    condition: selection
`,
	"sec.yml": `title: Log Cleared
id: 10000000-0000-0000-0000-000000000002
tags: [attack.t1070.001]
logsource: {product: windows, service: security}
detection:
    selection:
        EventID: 1102
    condition: selection
`,
	"ps.yml": `title: Classic PowerShell Encoded
id: 10000000-0000-0000-0000-000000000003
tags: [attack.t1059.001]
logsource: {product: windows, category: ps_classic_start}
detection:
    selection:
        Data|contains: '-enc'
    condition: selection
`,
	"aws.yml": `title: Role Trust Changed
id: 10000000-0000-0000-0000-000000000004
tags: [attack.t1098]
logsource: {product: aws, service: cloudtrail}
detection:
    selection:
        eventName: UpdateAssumeRolePolicy
        requestParameters.roleName|startswith: stratus
    condition: selection
`,
	"zeek.yml": `title: DNS Z Bit
id: 10000000-0000-0000-0000-000000000005
tags: [attack.t1571]
logsource: {product: zeek, service: dns}
detection:
    selection:
        id.resp_p: 53
        query|endswith: '.example'
    condition: selection
`,
	"auditd.yml": `title: ARP Discovery
id: 10000000-0000-0000-0000-000000000006
tags: [attack.t1018]
logsource: {product: linux, service: auditd}
detection:
    selection:
        type: EXECVE
        a0: arp
    condition: selection
`,
	"reg.yml": `title: Run Key
id: 10000000-0000-0000-0000-000000000007
tags: [attack.t1547.001]
logsource: {product: windows, category: registry_set}
detection:
    selection:
        TargetObject|contains: '\CurrentVersion\Run\'
    condition: selection
`,
	"sentinel.yaml": `id: 20000000-0000-0000-0000-000000000001
name: KQL rule
kind: Scheduled
severity: Medium
queryFrequency: 1h
queryPeriod: 1h
triggerOperator: gt
triggerThreshold: 0
relevantTechniques: [T1003]
query: SecurityEvent | where EventID == 4688
`,
	"broken.yml": "title: x\nlogsource: {product: windows}\ndetection: {condition: nothing}\n",
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(name, ".gz") {
			var b bytes.Buffer
			zw := gzip.NewWriter(&b)
			zw.Write([]byte(body))
			zw.Close()
			body = b.String()
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestRoutes(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, testRules)
	set, err := LoadRules([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if set.SigmaRules != 7 || set.KQLRules != 1 || len(set.Failures) != 1 {
		t.Fatalf("sigma %d, kql %d, failures %v", set.SigmaRules, set.KQLRules, set.Failures)
	}
	for _, c := range []struct{ format, line, want string }{
		{FormatFlatWindows, `{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","Image":"C:\\Windows\\reg.exe","CommandLine":"reg save HKLM\\sam s"}`, "Reg Save"},
		{FormatFlatWindows, `{"EventID":4688,"Channel":"security","NewProcessName":"C:\\Windows\\reg.exe","CommandLine":"reg save HKLM\\sam s"}`, "Reg Save"},
		{FormatFlatWindows, `{"EventID":13,"Channel":"Microsoft-Windows-Sysmon/Operational","TargetObject":"HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\x"}`, "Run Key"},
		{FormatFlatWindows, `{"EventID":12,"Channel":"Microsoft-Windows-Sysmon/Operational","TargetObject":"HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\x"}`, ""},
		{FormatFlatWindows, `{"EventID":400,"Channel":"Windows PowerShell","Message":"HostApplication=powershell -enc AAA"}`, "Classic PowerShell Encoded"},
		{FormatEVTXJSON, `{"Event":{"System":{"EventID":"1102","Channel":"Security"},"UserData":{"LogFileCleared":{"SubjectUserName":"a"}}}}`, "Log Cleared"},
		{FormatEVTXJSON, `{"Event":{"System":{"EventID":"1102","Channel":"System"}}}`, ""},
		{FormatWindowsXML, `<Event><System><EventID>1</EventID><Channel>Microsoft-Windows-Sysmon/Operational</Channel></System><EventData><Data Name="Image">C:\reg.exe</Data><Data Name="CommandLine">reg save x</Data></EventData></Event>`, "Reg Save"},
		{FormatWinlogbeat, `{"event_id":1,"log_name":"Microsoft-Windows-Sysmon/Operational","event_data":{"Image":"C:\\reg.exe","CommandLine":"reg save x"}}`, "Reg Save"},
		{FormatSentinel, `{"Type":"WindowsEvent","Channel":"Microsoft-Windows-Sysmon/Operational","EventID":1,"EventData":"{\"Image\":\"C:\\\\reg.exe\",\"CommandLine\":\"reg save x\"}"}`, "Reg Save"},
		{FormatCloudTrail, `{"eventName":"UpdateAssumeRolePolicy","eventSource":"iam.amazonaws.com","requestParameters":{"roleName":"stratus-role"}}`, "Role Trust Changed"},
		{FormatZeek, `{"@stream":"dns","id_resp_p":53,"query":"a.example"}`, "DNS Z Bit"},
		{FormatZeek, `{"@stream":"conn","id_resp_p":53,"query":"a.example"}`, ""},
		{FormatAuditd, `type=EXECVE msg=audit(1604994496.155:92733): argc=2 a0="arp" a1="-a"`, "ARP Discovery"},
	} {
		rows, err := DecodeLine(c.format, []byte(c.line))
		if err != nil {
			t.Fatalf("%s: %v", c.line, err)
		}
		var got []string
		for _, r := range rows {
			for _, h := range set.Match(nil, r) {
				got = append(got, h.Title)
			}
		}
		if strings.Join(got, ",") != c.want {
			t.Errorf("%s %s: fired %q, want %q", c.format, c.line, got, c.want)
		}
	}
}

func TestRun(t *testing.T) {
	rules := t.TempDir()
	writeFiles(t, rules, testRules)
	ds := t.TempDir()
	writeFiles(t, ds, map[string]string{
		// Passes through a parent technique alert (label T1003, alert T1003.002), despite a bad line.
		"a-good/labels.json": `{"dataset":"a-good","format":"windows-eventlog-flat-json","techniques":["T1003"],
			"files":[{"file":"events.jsonl.gz","format":"windows-eventlog-flat-json"}]}`,
		"a-good/events.jsonl.gz": `{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","Image":"C:\\reg.exe","CommandLine":"reg save x"}` + "\n{oops\n",
		// Fails: alerts only for another technique.
		"b-miss/labels.json": `{"dataset":"b-miss","format":"linux-auditd-raw","techniques":["T1027.001"]}`,
		"b-miss/events.log":  `type=EXECVE msg=audit(1604994496.155:92733): argc=2 a0="arp" a1="-a"` + "\n",
		// Broken folders: each reported, the rest still run.
		"c-nolabels/events.jsonl": "{}\n",
		"d-badlabels/labels.json": `{"dataset":`,
		"e-nofiles/labels.json":   `{"dataset":"e","format":"csv","techniques":["T1"]}`,
		// CSV with a header row and dotted columns.
		"f-csv/labels.json": `{"dataset":"f-csv","format":"csv","techniques":["T1098.003"]}`,
		"f-csv/events.csv":  "eventName,eventSource,requestParameters.roleName\nUpdateAssumeRolePolicy,iam.amazonaws.com,stratus-x\n",
		// Multi-table Sentinel export: the table comes from the file name.
		"g-sentinel/labels.json":         `{"dataset":"g-sentinel","format":"sentinel-table-json","techniques":["T1003.002"],"files":[{"file":"SecurityEvent.jsonl"}]}`,
		"g-sentinel/SecurityEvent.jsonl": `{"EventID":4688,"Channel":"Security","NewProcessName":"C:\\reg.exe","CommandLine":"reg save y"}` + "\n",
	})
	var out bytes.Buffer
	sum, err := Run(context.Background(), []string{rules}, []string{ds, filepath.Join(ds, "missing")}, &out)
	if err != nil {
		t.Fatal(err)
	}
	text := out.String()
	t.Log("\n" + text)
	lines := strings.Split(strings.TrimSpace(text), "\n")
	if last := lines[len(lines)-1]; last != "3 passed, 5 failed" {
		t.Errorf("last line %q", last)
	}
	for _, want := range []string{
		"a-good  labelled: T1003  alerted: T1003.002  PASS",
		"1 bad lines, e.g. events.jsonl.gz:2:",
		"b-miss  labelled: T1027.001  alerted: T1018  FAIL",
		"c-nolabels  ERROR: open " + filepath.Join(ds, "c-nolabels", "labels.json"),
		"d-badlabels  ERROR: " + filepath.Join(ds, "d-badlabels", "labels.json"),
		"e-nofiles  ERROR: " + filepath.Join(ds, "e-nofiles") + ": no event files",
		"f-csv  labelled: T1098.003  alerted: T1098  PASS",
		"g-sentinel  labelled: T1003.002  alerted: T1003.002  PASS",
		"missing  ERROR: stat ",
		"1 Sentinel KQL rules",
		"techniques: 3 of 4 labelled (dataset, technique) pairs detected; strict (an alert on the parent does not meet a sub-technique label): 2",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if sum.Passed != 3 || sum.Failed != 5 || sum.BadLines != 1 {
		t.Errorf("summary %+v", sum)
	}
	if _, err := Run(context.Background(), []string{filepath.Join(rules, "nope")}, []string{ds}, &out); err == nil {
		t.Error("missing rules path accepted")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, []string{rules}, []string{ds}, &out); err == nil {
		t.Error("cancelled run reported no error")
	}
}
