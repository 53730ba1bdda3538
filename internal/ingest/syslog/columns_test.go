package syslog

import (
	"reflect"
	"testing"
	"time"
)

func columns(m *Message, peer string) map[string]string {
	got := map[string]string{}
	m.Columns(peer, func(c, v string) { got[c] = v })
	return got
}

func TestColumns(t *testing.T) {
	m, err := Parse([]byte("<86>Mar 10 11:00:00.5 web01 sshd[4242]: Accepted password"), recv)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"Computer": "web01", "HostName": "web01", "HostIP": "192.0.2.7",
		"Facility": "authpriv", "SeverityLevel": "info",
		"ProcessName": "sshd", "ProcessID": "4242",
		"SyslogMessage": "Accepted password",
		"EventTime":     "2024-03-10T11:00:00.500000000Z",
	}
	if got := columns(&m, "192.0.2.7"); !reflect.DeepEqual(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
}

func TestColumnsFallbacks(t *testing.T) {
	m := Message{Format: RFC5424, Facility: 13, Severity: 4, ProcID: "worker-1", AppName: "app",
		StructuredDataRaw: `[a b="c"]`, Msg: "bad \xff byte",
		Timestamp: time.Date(2024, 1, 2, 3, 4, 5, 6, time.FixedZone("", -3600))}
	want := map[string]string{
		"Computer": "10.1.1.1", "HostName": "10.1.1.1", "HostIP": "10.1.1.1",
		"Facility": "audit", "SeverityLevel": "warning", "ProcessName": "app",
		"SyslogMessage": `[a b="c"] bad ` + "\uFFFD" + " byte",
		"EventTime":     "2024-01-02T04:04:05.000000006Z",
	}
	if got := columns(&m, "10.1.1.1"); !reflect.DeepEqual(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
}

func TestFacilityAndSeverityNames(t *testing.T) {
	want := []string{"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron",
		"authpriv", "ftp", "ntp", "audit", "alert", "clock",
		"local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"}
	for i, w := range want {
		if got := FacilityName(i); got != w {
			t.Errorf("FacilityName(%d) = %q, want %q", i, got, w)
		}
	}
	sev := []string{"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"}
	for i, w := range sev {
		if got := SeverityName(i); got != w {
			t.Errorf("SeverityName(%d) = %q, want %q", i, got, w)
		}
	}
	if FacilityName(24) != "" || SeverityName(-1) != "" {
		t.Error("out-of-range codes must map to empty")
	}
}
