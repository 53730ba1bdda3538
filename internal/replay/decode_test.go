package replay

import (
	"strings"
	"testing"
)

func decodeOne(t *testing.T, format, line string) Row {
	t.Helper()
	rows, err := DecodeLine(format, []byte(line))
	if err != nil {
		t.Fatalf("%s: %v", format, err)
	}
	if len(rows) != 1 {
		t.Fatalf("%s: %d rows, want 1", format, len(rows))
	}
	return rows[0]
}

func data(t *testing.T, r Row) map[string]any {
	t.Helper()
	m, ok := r.Fields["EventData"].(map[string]any)
	if !ok {
		t.Fatalf("EventData is %T", r.Fields["EventData"])
	}
	return m
}

func TestEVTXJSON(t *testing.T) {
	r := decodeOne(t, FormatEVTXJSON, `{"Event":{"#attributes":{"xmlns":"x"},"System":{"Provider":{"#attributes":{"Name":"Service Control Manager"}},
		"EventID":{"#attributes":{"Qualifiers":"16384"},"#text":"7045"},"Channel":"System","Computer":"dc1",
		"TimeCreated":{"#attributes":{"SystemTime":"2020-01-01T00:00:00Z"}}},
		"EventData":{"ServiceName":"evil","ImagePath":{"#text":"C:\\x.exe"},"#attributes":{"a":"b"},"Threat Name":"EICAR"}}}`)
	if r.Table != "WindowsEvent" || r.Fields["EventID"] != int64(7045) || r.Fields["Provider"] != "Service Control Manager" ||
		r.Fields["TimeGenerated"] != "2020-01-01T00:00:00Z" || r.Fields["Computer"] != "dc1" {
		t.Fatalf("row %#v", r)
	}
	if d := data(t, r); d["ImagePath"] != `C:\x.exe` || d["ServiceName"] != "evil" || d["#attributes"] != nil || d["ThreatName"] != "EICAR" {
		t.Fatalf("data %#v", d)
	}
	// 1102 keeps its fields under UserData; Security goes to SecurityEvent with promoted columns.
	r = decodeOne(t, FormatEVTXJSON, `{"Event":{"System":{"EventID":"1102","Channel":"Security"},
		"UserData":{"LogFileCleared":{"#attributes":{"xmlns":"y"},"SubjectUserName":"bob"}}}}`)
	if r.Table != "SecurityEvent" || r.Fields["SubjectUserName"] != "bob" || data(t, r)["SubjectUserName"] != "bob" {
		t.Fatalf("row %#v", r)
	}
	// ETW records without a channel take it from the provider.
	r = decodeOne(t, FormatEVTXJSON, `{"Event":{"System":{"EventID":"1","Provider":{"#attributes":{"Name":"Microsoft-Windows-Sysmon"}}},"EventData":{"Image":"a"}}}`)
	if r.Fields["Channel"] != "Microsoft-Windows-Sysmon/Operational" {
		t.Fatalf("channel %v", r.Fields["Channel"])
	}
	for _, bad := range []string{`{}`, `{"Event":{}}`, `{"Event":"x"}`, `[1]`, `{"Event":{"System":{}}`} {
		if _, err := DecodeLine(FormatEVTXJSON, []byte(bad)); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

func TestFlatWindows(t *testing.T) {
	r := decodeOne(t, FormatFlatWindows, `{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","Hostname":"ws5",
		"SourceName":"Microsoft-Windows-Sysmon","Image":"C:\\reg.exe","CommandLine":"reg save","@timestamp":"2020-09-22T08:29:29.790Z",
		"AccountName":"SYSTEM","ThreadID":4888,"ProcessId":"116","Message":"Process Create"}`)
	d := data(t, r)
	if r.Table != "WindowsEvent" || r.Fields["EventID"] != int64(1) || r.Fields["Computer"] != "ws5" ||
		r.Fields["TimeGenerated"] != "2020-09-22T08:29:29.790Z" || d["Image"] != `C:\reg.exe` || d["ProcessId"] != "116" {
		t.Fatalf("row %#v", r)
	}
	if d["AccountName"] != nil || d["ThreadID"] != nil || d["Message"] != nil {
		t.Fatalf("shipper metadata kept as event data: %#v", d)
	}
	// Sysmon's own EventType is event data; NXLog's is not.
	r = decodeOne(t, FormatFlatWindows, `{"EventID":12,"Channel":"Microsoft-Windows-Sysmon/Operational","EventType":"CreateKey","EventTypeOrignal":"INFO"}`)
	if data(t, r)["EventType"] != "CreateKey" || data(t, r)["EventTypeOrignal"] != nil {
		t.Fatalf("data %#v", data(t, r))
	}
	r = decodeOne(t, FormatFlatWindows, `{"EventID":4624,"Channel":"Security","EventType":"AUDIT_SUCCESS"}`)
	if data(t, r)["EventType"] != nil {
		t.Fatalf("data %#v", data(t, r))
	}
	// Lower-case channel; promoted SecurityEvent columns.
	r = decodeOne(t, FormatFlatWindows, `{"EventID":4688,"Channel":"security","NewProcessName":"C:\\reg.exe","CommandLine":"x"}`)
	if r.Table != "SecurityEvent" || r.Fields["Channel"] != "Security" || r.Fields["NewProcessName"] != `C:\reg.exe` || r.Fields["CommandLine"] != "x" {
		t.Fatalf("row %#v", r)
	}
	// Classic PowerShell: the rendered message stands in for the unnamed Data.
	r = decodeOne(t, FormatFlatWindows, `{"EventID":800,"Channel":"Windows PowerShell","Message":"HostApplication=powershell.exe -enc"}`)
	if !strings.Contains(str(data(t, r)["Data"]), "HostApplication") {
		t.Fatalf("data %#v", data(t, r))
	}
	if _, err := DecodeLine(FormatFlatWindows, []byte(`{"Channel":"Security"}`)); err == nil {
		t.Error("record without EventID accepted")
	}
}

func TestWinlogbeat(t *testing.T) {
	r := decodeOne(t, FormatWinlogbeat, `{"@timestamp":"2019-05-18T20:36:46.254Z","event_id":3,"log_name":"Microsoft-Windows-Sysmon/Operational",
		"source_name":"Microsoft-Windows-Sysmon","computer_name":"HFDC01","event_data":{"DestinationPort":"5985","Image":"svchost.exe"},
		"user":{"name":"SYSTEM"},"message":"Network connection detected"}`)
	if r.Table != "WindowsEvent" || r.Fields["EventID"] != int64(3) || r.Fields["Computer"] != "HFDC01" || data(t, r)["DestinationPort"] != "5985" {
		t.Fatalf("row %#v", r)
	}
	r = decodeOne(t, FormatWinlogbeat, `{"winlog":{"event_id":"4624","channel":"Security","provider_name":"Microsoft-Windows-Security-Auditing",
		"computer_name":"dc","event_data":{"TargetUserName":"bob","LogonType":"3"}}}`)
	if r.Table != "SecurityEvent" || r.Fields["TargetUserName"] != "bob" || r.Fields["EventSourceName"] != "Microsoft-Windows-Security-Auditing" {
		t.Fatalf("row %#v", r)
	}
	r = decodeOne(t, "", `{"winlog":{"channel":"System","event_data":{}},"event":{"code":7045}}`)
	if r.Fields["EventID"] != int64(7045) {
		t.Fatalf("ECS event.code: %#v", r)
	}
	if _, err := DecodeLine(FormatWinlogbeat, []byte(`{"log_name":"Security"}`)); err == nil {
		t.Error("record without event_id accepted")
	}
}

func TestWindowsXML(t *testing.T) {
	r := decodeOne(t, FormatWindowsXML, `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Sysmon'/>`+
		`<EventID>1</EventID><TimeCreated SystemTime='2021-01-14T23:41:40Z'/><Channel>Microsoft-Windows-Sysmon/Operational</Channel>`+
		`<Computer>dc</Computer></System><EventData><Data Name='Image'>C:\Windows\System32\certutil.exe</Data>`+
		`<Data Name='CommandLine'>certutil -p x a.pfx</Data><Data>loose</Data></EventData></Event>`)
	d := data(t, r)
	if r.Table != "WindowsEvent" || r.Fields["EventID"] != int64(1) || r.Fields["TimeGenerated"] != "2021-01-14T23:41:40Z" ||
		d["Image"] != `C:\Windows\System32\certutil.exe` || d["CommandLine"] != "certutil -p x a.pfx" {
		t.Fatalf("row %#v", r)
	}
	if l, ok := d["Data"].([]any); !ok || len(l) != 1 || l[0] != "loose" {
		t.Fatalf("unnamed data %#v", d["Data"])
	}
	r = decodeOne(t, FormatWindowsXML, `<Event><System><EventID>1102</EventID><Channel>Security</Channel></System>`+
		`<UserData><LogFileCleared><SubjectUserName>bob</SubjectUserName></LogFileCleared></UserData></Event>`)
	if r.Table != "SecurityEvent" || r.Fields["SubjectUserName"] != "bob" {
		t.Fatalf("row %#v", r)
	}
	if _, err := DecodeLine(FormatWindowsXML, []byte(`<Event><System>`)); err == nil {
		t.Error("truncated XML accepted")
	}
}

func TestSentinelRows(t *testing.T) {
	r := decodeOne(t, FormatSentinel, `{"Type":"WindowsEvent","Channel":"Microsoft-Windows-Sysmon/Operational","EventID":3,"EventData":"{\"Image\":\"a\"}"}`)
	if r.Table != "WindowsEvent" || r.Fields["EventData"] != `{"Image":"a"}` {
		t.Fatalf("row %#v", r)
	}
	rows, err := Decoder{Format: FormatSentinel, Table: tableFromFile("x/Syslog_auoms.jsonl")}.Decode([]byte(`{"SyslogMessage":"type=EXECVE a0=ls"}`))
	if err != nil || rows[0].Table != "Syslog" {
		t.Fatalf("%v %#v", err, rows)
	}
	if _, err := DecodeLine(FormatSentinel, []byte(`{"a":1}`)); err == nil {
		t.Error("row without a table accepted")
	}
}

func TestCloudTrail(t *testing.T) {
	r := decodeOne(t, FormatCloudTrail, `{"eventName":"UpdateAssumeRolePolicy","eventSource":"iam.amazonaws.com","eventTime":"2024-08-01T13:29:57Z",
		"requestParameters":{"roleName":"r"},"responseElements":null,"sourceIPAddress":"1.2.3.4","readOnly":false,"tlsDetails":{"x":1},
		"userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/u","accessKeyId":"AKIA","sessionContext":{"sessionIssuer":{"type":"Role"},
		"attributes":{"mfaAuthenticated":"false"}}}}`)
	f := r.Fields
	if r.Table != "AWSCloudTrail" || f["EventName"] != "UpdateAssumeRolePolicy" || f["EventSource"] != "iam.amazonaws.com" ||
		f["TimeGenerated"] != "2024-08-01T13:29:57Z" || f["RequestParameters"] != `{"roleName":"r"}` || f["SourceIpAddress"] != "1.2.3.4" ||
		f["UserIdentityType"] != "IAMUser" || f["UserIdentityAccessKeyId"] != "AKIA" || f["SessionIssuerType"] != "Role" ||
		f["SessionMfaAuthenticated"] != "false" || f["ReadOnly"] != false {
		t.Fatalf("row %#v", f)
	}
	rows, err := DecodeLine(FormatCloudTrail, []byte(`{"Records":[{"eventName":"A"},{"eventName":"B"}]}`))
	if err != nil || len(rows) != 2 || rows[1].Fields["EventName"] != "B" {
		t.Fatalf("%v %#v", err, rows)
	}
	for _, bad := range []string{`{"Records":[1]}`, `{"x":1}`, `not json`, `{"eventName":"A"} {}`} {
		if _, err := DecodeLine(FormatCloudTrail, []byte(bad)); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

func TestAuditd(t *testing.T) {
	r := decodeOne(t, FormatAuditd, `type=PROCTITLE msg=audit(1604996384.965:93777): proctitle=64640069663D2F6465762F7A65726F`)
	if r.Table != "Syslog" || r.Fields["SyslogMessage"] != `type=PROCTITLE msg=audit(1604996384.965:93777): proctitle="dd if=/dev/zero"` {
		t.Fatalf("row %#v", r.Fields)
	}
	if r.Fields["TimeGenerated"] != "2020-11-10T08:19:44.965Z" {
		t.Fatalf("time %v", r.Fields["TimeGenerated"])
	}
	r = decodeOne(t, FormatAuditd, `type=EXECVE msg=audit(1604994496.155:92733): argc=2 a0="arp" a1="-a"`)
	if r.Fields["SyslogMessage"] != `type=EXECVE msg=audit(1604994496.155:92733): argc=2 a0="arp" a1="-a"` {
		t.Fatalf("row %#v", r.Fields)
	}
	if _, err := DecodeLine(FormatAuditd, []byte(`hello`)); err == nil {
		t.Error("non-audit line accepted")
	}
}

func TestZeek(t *testing.T) {
	rows, err := DecodeLine(FormatZeek, []byte(`{"@stream":"dns","@system":"s1","ts":1588205199.82437,"id_orig_h":"10.0.1.6","id_resp_p":53,
		"query":"evil.example","qtype_name":"A","answers":["1.2.3.4","5.6.7.8"],"Z":1}`))
	if err != nil || len(rows) != 2 {
		t.Fatalf("%v %#v", err, rows)
	}
	z := rows[0].Fields
	if rows[0].Table != zeekTable || z["ZeekLog"] != "dns" || z["id.orig_h"] != "10.0.1.6" || z["id_orig_h"] != "10.0.1.6" ||
		z["TimeGenerated"] != "2020-04-30T00:06:39.82437Z" {
		t.Fatalf("row %#v", z)
	}
	if rows[1].Table != "DnsEvents" || rows[1].Fields["Name"] != "evil.example" || rows[1].Fields["IPAddresses"] != "1.2.3.4,5.6.7.8" {
		t.Fatalf("dns row %#v", rows[1])
	}
	rows, err = DecodeLine(FormatZeek, []byte(`{"_path":"http","uid":"C1","id.orig_h":"10.0.0.1","uri":"/wsman","method":"POST","user_agent":"Microsoft-WebDAV-MiniRedir/10"}`))
	if err != nil || len(rows) != 2 || rows[0].Fields["id_orig_h"] != "10.0.0.1" || rows[1].Table != "CommonSecurityLog" ||
		rows[1].Fields["RequestClientApplication"] != "Microsoft-WebDAV-MiniRedir/10" || rows[1].Fields["SourceIP"] != "10.0.0.1" {
		t.Fatalf("%v %#v", err, rows)
	}
	if _, err := DecodeLine(FormatZeek, []byte(`{"ts":1}`)); err == nil {
		t.Error("record without a log name accepted")
	}
}

func TestSniff(t *testing.T) {
	for line, table := range map[string]string{
		`{"Event":{"System":{"EventID":"1","Channel":"Security"}}}`:       "SecurityEvent",
		`{"EventID":13,"Channel":"Microsoft-Windows-Sysmon/Operational"}`: "WindowsEvent",
		`{"event_id":1,"log_name":"System"}`:                              "WindowsEvent",
		`{"eventSource":"s3.amazonaws.com","eventName":"GetObject"}`:      "AWSCloudTrail",
		`{"@stream":"conn"}`:                                                            zeekTable,
		`{"Type":"SigninLogs","ResultType":"0"}`:                                        "SigninLogs",
		`type=SYSCALL msg=audit(1:2): exe="/bin/x"`:                                     "Syslog",
		`<Event><System><EventID>1</EventID><Channel>System</Channel></System></Event>`: "WindowsEvent",
	} {
		rows, err := DecodeLine("", []byte(line))
		if err != nil || len(rows) == 0 || rows[0].Table != table {
			t.Errorf("%s: %v %#v, want table %s", line, err, rows, table)
		}
	}
	if _, err := DecodeLine("", []byte(`{"a":1}`)); err == nil {
		t.Error("unrecognised record accepted")
	}
	if rows, err := DecodeLine(FormatEVTXJSON, []byte("  \t")); err != nil || rows != nil {
		t.Errorf("blank line: %v %v", rows, err)
	}
}

func TestFormatID(t *testing.T) {
	for in, want := range map[string]string{
		"sentinel-table-json: AuditLogs (Entra ID)":       FormatSentinel,
		"windows-evtx-json (EVTX converted to evtx_dump)": FormatEVTXJSON,
		"linux-auditd-raw": FormatAuditd,
		" CSV ":            FormatCSV,
	} {
		if got := FormatID(in); got != want {
			t.Errorf("FormatID(%q) = %q, want %q", in, got, want)
		}
	}
	if tableFromFile("d/WindowsEvent_sysmon.jsonl.gz") != "WindowsEvent" || tableFromFile("AuditLogs.jsonl") != "AuditLogs" {
		t.Error("tableFromFile")
	}
}

func TestCovers(t *testing.T) {
	for _, c := range []struct {
		label, alert    string
		lenient, strict bool
	}{
		{"T1003.001", "T1003.001", true, true},
		{"T1003.001", "T1003", true, false},
		{"T1003", "T1003.001", true, true},
		{"T1003.001", "T1003.002", false, false},
		{"T1003", "T1004", false, false},
		{"T1003", "T1003", true, true},
	} {
		if covers(c.label, c.alert) != c.lenient || coversStrict(c.label, c.alert) != c.strict {
			t.Errorf("%s vs %s", c.label, c.alert)
		}
	}
}

func TestSentinelEventTable(t *testing.T) {
	r := decodeOne(t, FormatSentinel, `{"Type":"Event","Source":"Microsoft-Windows-Sysmon","EventLog":"Microsoft-Windows-Sysmon/Operational",
		"EventID":18,"Computer":"adfs01","PipeName":"\\MICROSOFT##WID\\tsql\\query","ProcessId_dynamic":"5692",
		"EventData":"<DataItem><EventData xmlns=\"x\"><Data Name=\"Image\">C:\\p.exe</Data><Data>loose</Data></EventData></DataItem>"}`)
	d := data(t, r)
	if r.Table != "WindowsEvent" || r.Fields["Channel"] != "Microsoft-Windows-Sysmon/Operational" || r.Fields["EventID"] != int64(18) ||
		d["PipeName"] != `\MICROSOFT##WID\tsql\query` || d["ProcessId"] != "5692" || d["Image"] != `C:\p.exe` {
		t.Fatalf("row %#v / %#v", r.Fields, d)
	}
	if l, ok := d["Data"].([]any); !ok || len(l) != 1 {
		t.Fatalf("unnamed %#v", d["Data"])
	}
}
