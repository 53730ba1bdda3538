package app

import (
	"fmt"
	"net"
	"testing"
	"time"
)

// Syslog over UDP and TCP (both framings), with CEF inside syslog and bare, lands in
// Syslog and CommonSecurityLog with Sentinel's columns.
func TestSyslogAndCEFIngestion(t *testing.T) {
	ts := startServer(t, Config{SyslogUDP: "127.0.0.1:0", SyslogTCP: "127.0.0.1:0"})
	tcp, err := net.Dial("tcp", ts.syslog.TCPLocalAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer tcp.Close()
	rfc5424 := `<34>1 2026-11-23T10:00:00.123Z web-01 sshd 4242 ID47 - Failed password for root from 203.0.113.5 port 22 ssh2`
	fmt.Fprintf(tcp, "%d %s", len(rfc5424), rfc5424) // octet counting
	fmt.Fprint(tcp, "<13>Nov 23 10:00:01 web-02 cron[77]: (root) CMD (run-parts /etc/cron.hourly)\n")
	fmt.Fprint(tcp, "<134>Nov 23 10:00:02 fw-01 CEF:0|Palo Alto Networks|PAN-OS|10.1|TRAFFIC|end|3|src=10.0.0.5 dst=198.51.100.7 spt=51515 dpt=443 act=allow cs1Label=Rule cs1=allow-web unknownKey=kept\n")
	fmt.Fprint(tcp, "CEF:0|Fortinet|Fortigate|7.0|13|traffic|5|src=10.0.0.6 dpt=notaport\n")
	udp, err := net.Dial("udp", ts.syslog.UDPLocalAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer udp.Close()
	fmt.Fprint(udp, "<38>1 2026-11-23T10:00:03Z db-01 sudo - - - session opened for user root")

	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) && (ts.count(t, `SELECT count(*) FROM "Syslog"`) < 3 || ts.count(t, `SELECT count(*) FROM "CommonSecurityLog"`) < 2) {
		time.Sleep(50 * time.Millisecond)
	}
	checks := []struct {
		query string
		want  int64
	}{
		{`SELECT count(*) FROM "Syslog" WHERE "HostName" = 'web-01' AND "Facility" = 'auth' AND "SeverityLevel" = 'crit' AND "ProcessName" = 'sshd' AND "ProcessID" = 4242 AND "HostIP" = '127.0.0.1' AND "EventTime" = TIMESTAMP '2026-11-23 10:00:00.123' AND "SyslogMessage" LIKE 'Failed password%'`, 1},
		{`SELECT count(*) FROM "Syslog" WHERE "Computer" = 'web-02' AND "ProcessName" = 'cron' AND "ProcessID" = 77 AND "Facility" = 'user' AND "SeverityLevel" = 'notice'`, 1},
		{`SELECT count(*) FROM "Syslog" WHERE "Computer" = 'db-01' AND "Facility" = 'auth' AND "SeverityLevel" = 'info'`, 1},
		{`SELECT count(*) FROM "CommonSecurityLog" WHERE "DeviceVendor" = 'Palo Alto Networks' AND "DeviceProduct" = 'PAN-OS' AND "Activity" = 'end' AND "SourceIP" = '10.0.0.5' AND "DestinationPort" = 443 AND "SourcePort" = 51515 AND "DeviceAction" = 'allow' AND "DeviceCustomString1" = 'allow-web' AND "DeviceCustomString1Label" = 'Rule' AND "Computer" = 'fw-01' AND "AdditionalExtensions" LIKE '%unknownKey=kept%'`, 1},
		// A value that does not fit its column is kept, not dropped.
		{`SELECT count(*) FROM "CommonSecurityLog" WHERE "DeviceVendor" = 'Fortinet' AND "SourceIP" = '10.0.0.6' AND "DestinationPort" IS NULL AND ("AdditionalExtensions" LIKE '%notaport%' OR "_AdditionalFields" LIKE '%notaport%')`, 1},
	}
	for _, c := range checks {
		if got := ts.count(t, c.query); got != c.want {
			t.Errorf("%s = %d, want %d", c.query, got, c.want)
		}
	}
	if t.Failed() {
		rows, _ := ts.store.DB().Query(`SELECT "Computer", "Facility", "SeverityLevel", "ProcessName", "ProcessID", "SyslogMessage" FROM "Syslog"`)
		for rows.Next() {
			var a, b, c, d, f string
			var e *int64
			rows.Scan(&a, &b, &c, &d, &e, &f)
			t.Logf("Syslog row: %q %q %q %q %v %q", a, b, c, d, e, f)
		}
		rows.Close()
	}
}
