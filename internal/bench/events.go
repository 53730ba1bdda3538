// Package bench generates realistic security events and drives load against a server.
package bench

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Pools of values real Windows, Linux and firewall logs repeat: a SOC's events come from a
// bounded set of hosts, accounts and processes, which is what makes columnar storage pay.
var (
	hosts     = pool("WS-%04d.contoso.local", 400)
	dcs       = pool("DC%02d.contoso.local", 4)
	users     = pool("user%04d", 2000)
	procs     = []string{`C:\Windows\System32\svchost.exe`, `C:\Windows\explorer.exe`, `C:\Program Files\Google\Chrome\Application\chrome.exe`, `C:\Windows\System32\cmd.exe`, `C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe`, `C:\Windows\System32\lsass.exe`, `C:\Windows\System32\services.exe`, `C:\Program Files\Microsoft Office\root\Office16\OUTLOOK.EXE`}
	cmdlines  = []string{`"C:\Windows\System32\cmd.exe" /c whoami`, `powershell.exe -NoProfile -ExecutionPolicy Bypass -File C:\Scripts\inventory.ps1`, `C:\Windows\system32\svchost.exe -k netsvcs -p -s Schedule`, `"C:\Program Files\Google\Chrome\Application\chrome.exe" --type=renderer`, `net user /domain`, `C:\Windows\System32\RuntimeBroker.exe -Embedding`}
	eventIDs  = []int{4624, 4624, 4624, 4634, 4625, 4688, 4688, 4672, 4768, 4769, 4776, 5156}
	activity  = map[int]string{4624: "4624 - An account was successfully logged on.", 4634: "4634 - An account was logged off.", 4625: "4625 - An account failed to log on.", 4688: "4688 - A new process has been created.", 4672: "4672 - Special privileges assigned to new logon.", 4768: "4768 - A Kerberos authentication ticket (TGT) was requested.", 4769: "4769 - A Kerberos service ticket was requested.", 4776: "4776 - The computer attempted to validate the credentials for an account.", 5156: "5156 - The Windows Filtering Platform has permitted a connection."}
	linuxHost = pool("web-%02d", 40)
	sysProcs  = []string{"sshd", "sudo", "cron", "systemd", "kernel", "nginx", "auditd"}
	sysMsgs   = []string{"Accepted publickey for deploy from 10.1.%d.%d port 52144 ssh2", "Failed password for invalid user admin from 203.0.113.%d port %d ssh2", "pam_unix(sudo:session): session opened for user root by deploy(uid=1001)", "(root) CMD (/usr/lib/sa/sa1 1 1)", "Started Session %d of user deploy.", "GET /api/health HTTP/1.1 200 %d"}
	vendors   = [][2]string{{"Palo Alto Networks", "PAN-OS"}, {"Fortinet", "Fortigate"}, {"Check Point", "VPN-1 & FireWall-1"}, {"Cisco", "ASA"}}
	actions   = []string{"allow", "allow", "allow", "deny", "drop"}
)

func pool(format string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf(format, i+1)
	}
	return out
}

// Gen makes events; it is not safe for concurrent use.
type Gen struct {
	r   *rand.Rand
	seq int64
}

// NewGen returns a generator with a fixed seed, so runs are comparable.
func NewGen(seed uint64) *Gen { return &Gen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))} }

func (g *Gen) pick(s []string) string { return s[g.r.IntN(len(s))] }

// SecurityEvent appends one SecurityEvent row as a JSON line.
func (g *Gen) SecurityEvent(b []byte, ts time.Time) []byte {
	g.seq++
	id := eventIDs[g.r.IntN(len(eventIDs))]
	host := g.pick(hosts)
	if id >= 4768 && id <= 4776 {
		host = g.pick(dcs)
	}
	user := g.pick(users)
	b = append(b, `{"TimeGenerated":"`...)
	b = ts.UTC().AppendFormat(b, time.RFC3339Nano)
	b = fmt.Appendf(b, `","EventSourceName":"Microsoft-Windows-Security-Auditing","Channel":"Security","Computer":%q,"EventID":%d,"Activity":%q,"Level":"8","Task":12544,"SourceSystem":"OpsManager","Account":"CONTOSO\\%s","AccountType":"User","SubjectUserName":"%s","SubjectDomainName":"CONTOSO","SubjectLogonId":"0x%x","TargetUserName":"%s","TargetDomainName":"CONTOSO","TargetLogonId":"0x%x"`,
		host, id, activity[id], user, user, g.r.IntN(1<<24), user, g.r.IntN(1<<24))
	switch id {
	case 4624, 4625, 4634:
		lt := []int{2, 3, 3, 3, 10, 5}[g.r.IntN(6)]
		b = fmt.Appendf(b, `,"LogonType":%d,"LogonTypeName":"%d - Network","IpAddress":"10.%d.%d.%d","IpPort":"%d","AuthenticationPackageName":"Kerberos","LogonProcessName":"Kerberos","WorkstationName":%q`,
			lt, lt, g.r.IntN(4), g.r.IntN(256), g.r.IntN(256), 49152+g.r.IntN(16000), strings.Split(g.pick(hosts), ".")[0])
		if id == 4625 {
			b = append(b, `,"Status":"0xc000006d","SubStatus":"0xc000006a","FailureReason":"%%2313"`...)
		}
	case 4688:
		b = fmt.Appendf(b, `,"NewProcessName":%q,"NewProcessId":"0x%x","ParentProcessName":%q,"ProcessId":"0x%x","CommandLine":%q,"TokenElevationType":"%%%%1936","MandatoryLabel":"S-1-16-8192"`,
			g.pick(procs), g.r.IntN(1<<16), g.pick(procs), g.r.IntN(1<<16), g.pick(cmdlines))
	case 5156:
		b = fmt.Appendf(b, `,"Process":%q,"IpAddress":"10.0.%d.%d","IpPort":"443"`, g.pick(procs), g.r.IntN(256), g.r.IntN(256))
	}
	return append(b, "}\n"...)
}

// Syslog appends one Syslog row as a JSON line.
func (g *Gen) Syslog(b []byte, ts time.Time) []byte {
	host := g.pick(linuxHost)
	msg := fmt.Sprintf(g.pick(sysMsgs), g.r.IntN(256), g.r.IntN(65536))
	b = append(b, `{"TimeGenerated":"`...)
	b = ts.UTC().AppendFormat(b, time.RFC3339Nano)
	return fmt.Appendf(b, `","Computer":%q,"HostName":%q,"HostIP":"10.2.0.%d","Facility":"authpriv","SeverityLevel":"info","ProcessName":%q,"ProcessID":%d,"SyslogMessage":%q,"EventTime":"%s"}`+"\n",
		host, host, g.r.IntN(256), g.pick(sysProcs), 1000+g.r.IntN(30000), msg, ts.UTC().Format(time.RFC3339))
}

// CEF appends one CommonSecurityLog row as a JSON line.
func (g *Gen) CEF(b []byte, ts time.Time) []byte {
	v := vendors[g.r.IntN(len(vendors))]
	b = append(b, `{"TimeGenerated":"`...)
	b = ts.UTC().AppendFormat(b, time.RFC3339Nano)
	return fmt.Appendf(b, `","DeviceVendor":%q,"DeviceProduct":%q,"DeviceVersion":"10.1","DeviceEventClassID":"TRAFFIC","Activity":"end","LogSeverity":"3","DeviceAction":%q,"SourceIP":"10.%d.%d.%d","DestinationIP":"198.51.100.%d","SourcePort":%d,"DestinationPort":%d,"Protocol":"TCP","ApplicationProtocol":"ssl","SentBytes":%d,"ReceivedBytes":%d,"DeviceName":"fw-%02d","Computer":"collector-01"}`+"\n",
		v[0], v[1], g.pick(actions), g.r.IntN(4), g.r.IntN(256), g.r.IntN(256), g.r.IntN(256), 1024+g.r.IntN(60000), []int{443, 80, 53, 22, 3389}[g.r.IntN(5)], g.r.IntN(100000), g.r.IntN(1000000), g.r.IntN(8))
}

// SyslogLine returns one RFC 5424 syslog line (with a trailing newline), or a CEF message
// inside RFC 3164 syslog every fourth line.
func (g *Gen) SyslogLine(b []byte, ts time.Time) []byte {
	g.seq++
	if g.seq%4 == 0 {
		v := vendors[g.r.IntN(len(vendors))]
		b = append(b, "<134>"...)
		b = ts.UTC().AppendFormat(b, time.Stamp)
		return fmt.Appendf(b, " fw-%02d CEF:0|%s|%s|10.1|TRAFFIC|end|3|act=%s src=10.%d.%d.%d dst=198.51.100.%d spt=%d dpt=443 proto=TCP out=%d in=%d\n",
			g.r.IntN(8), v[0], v[1], g.pick(actions), g.r.IntN(4), g.r.IntN(256), g.r.IntN(256), g.r.IntN(256), 1024+g.r.IntN(60000), g.r.IntN(100000), g.r.IntN(1000000))
	}
	b = fmt.Appendf(b, "<86>1 ")
	b = ts.UTC().AppendFormat(b, time.RFC3339Nano)
	return fmt.Appendf(b, " %s %s %d - - %s\n", g.pick(linuxHost), g.pick(sysProcs), 1000+g.r.IntN(30000), fmt.Sprintf(g.pick(sysMsgs), g.r.IntN(256), g.r.IntN(65536)))
}
