package pipeline

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/rampart-soc/rampart/internal/sigma/internal/testdata"
	"github.com/rampart-soc/rampart/internal/sigma/rule"
)

func TestResolveAndFields(t *testing.T) {
	p := Default()
	cases := []struct {
		ls     rule.LogSource
		table  string
		field  string
		column string
	}{
		{rule.LogSource{Product: "windows", Category: "process_creation"}, "WindowsEvent", "CommandLine", "EventData.CommandLine"},
		{rule.LogSource{Product: "windows", Category: "process_creation"}, "SecurityEvent", "Image", "NewProcessName"},
		{rule.LogSource{Product: "windows", Category: "process_creation"}, "WindowsEvent", "EventID", "EventID"},
		{rule.LogSource{Product: "windows", Service: "security"}, "SecurityEvent", "TargetUserName", "TargetUserName"},
		{rule.LogSource{Product: "windows", Service: "security"}, "SecurityEvent", "TaskName", "EventData.TaskName"},
		{rule.LogSource{Product: "windows", Service: "system"}, "WindowsEvent", "Provider_Name", "Provider"},
		{rule.LogSource{Product: "aws", Service: "cloudtrail"}, "AWSCloudTrail", "requestParameters.userName", "RequestParameters.userName"},
		{rule.LogSource{Product: "aws", Service: "cloudtrail"}, "AWSCloudTrail", "userIdentity.type", "UserIdentityType"},
		{rule.LogSource{Product: "azure", Service: "activitylogs"}, "AzureActivity", "properties.message", "Properties_d.message"},
		{rule.LogSource{Product: "azure", Service: "signinlogs"}, "SigninLogs", "resultType", "ResultType"},
		{rule.LogSource{Product: "azure", Service: "signinlogs"}, "SigninLogs", "DeviceDetail.isCompliant", "DeviceDetail.isCompliant"},
		{rule.LogSource{Category: "webserver"}, "W3CIISLog", "cs-uri-query", "csUriQuery"},
		{rule.LogSource{Product: "linux", Service: "auditd"}, "Syslog", "exe", "SyslogMessage.exe"},
		{rule.LogSource{Product: "okta", Service: "okta"}, "Okta_CL", "eventType", "eventType_s"},
	}
	for _, c := range cases {
		targets, ok := p.Resolve(c.ls)
		if !ok {
			t.Errorf("%s: not mapped", c.ls)
			continue
		}
		found := false
		for _, tg := range targets {
			if tg.Table.Name != c.table {
				continue
			}
			found = true
			got, err := tg.Field(c.field)
			if err != nil || got != c.column {
				t.Errorf("%s %s.%s = %q, %v; want %q", c.ls, c.table, c.field, got, err, c.column)
			}
		}
		if !found {
			t.Errorf("%s: no target table %s", c.ls, c.table)
		}
	}
	if _, ok := p.Resolve(rule.LogSource{Product: "windows", Category: "nonexistent"}); ok {
		t.Error("unknown category resolved")
	}
	tg, _ := p.Resolve(rule.LogSource{Category: "dns"})
	if _, err := tg[0].Field("no_such_field"); err == nil {
		t.Error("unknown DnsEvents field mapped")
	}
}

// Every table the pipeline names (and every column it maps to) exists in the
// Sentinel schemas Rampart implements.
func TestTablesExistInSchemas(t *testing.T) {
	dir := testdata.Shared(t, "corpus/sentinel")
	raw, err := os.ReadFile(dir + "/schemas.json")
	if err != nil {
		t.Fatal(err)
	}
	var schemas map[string][]struct{ Name string }
	if err := json.Unmarshal(raw, &schemas); err != nil {
		t.Fatal(err)
	}
	for name, tb := range Default().Tables {
		cols, ok := schemas[name]
		if !ok && tb.Extra {
			continue
		}
		if !ok {
			t.Errorf("table %s not in schemas.json", name)
			continue
		}
		have := map[string]bool{}
		for _, c := range cols {
			have[c.Name] = true
		}
		for _, c := range tb.Columns {
			if !have[c] {
				t.Errorf("%s: column %s not in schema", name, c)
			}
		}
		for f, c := range tb.Fields {
			head := c
			for i := 0; i < len(c); i++ {
				if c[i] == '.' {
					head = c[:i]
					break
				}
			}
			if !have[head] && !tb.Passthrough {
				t.Errorf("%s: field %s maps to unknown column %s", name, f, c)
			}
		}
	}
}
