package detect

import (
	"strings"

	"github.com/rampart-soc/rampart/internal/incident"
)

// Columns that name entities in Sentinel's tables, for rules (Sigma) that carry no
// entity mappings of their own.
var (
	hostColumns    = []string{"Computer", "DeviceName", "HostName", "Hostname"}
	accountColumns = []string{"TargetUserName", "SubjectUserName", "Account", "AccountName", "UserPrincipalName", "UserId", "UserIdentity_UserName", "InitiatingProcessAccountName", "SourceUserName"}
	ipColumns      = []string{"IpAddress", "SourceIP", "IPAddress", "CallerIpAddress", "SourceIpAddress", "ClientIP", "RemoteIP", "DestinationIP"}
	processColumns = []string{"CommandLine", "ProcessCommandLine"}
	fileColumns    = []string{"NewProcessName", "Image", "FolderPath", "FileName", "TargetFilename"}
)

// EntitiesOf picks the entities of a matched event.
func EntitiesOf(m map[string]any) []incident.Entity {
	var out []incident.Entity
	first := func(cols []string) string {
		for _, c := range cols {
			if v := str(m, c); v != "" && v != "-" {
				return v
			}
		}
		if ed, ok := m["EventData"].(map[string]any); ok {
			for _, c := range cols {
				if v := str(ed, c); v != "" && v != "-" {
					return v
				}
			}
		}
		return ""
	}
	if h := first(hostColumns); h != "" {
		out = append(out, incident.Entity{"Type": "host", "HostName": h})
	}
	if a := first(accountColumns); a != "" {
		e := incident.Entity{"Type": "account", "Name": a}
		if dom, name, ok := strings.Cut(a, `\`); ok {
			e["NTDomain"], e["Name"] = dom, name
		}
		out = append(out, e)
	}
	if ip := first(ipColumns); ip != "" {
		out = append(out, incident.Entity{"Type": "ip", "Address": ip})
	}
	if p := first(processColumns); p != "" {
		out = append(out, incident.Entity{"Type": "process", "CommandLine": p})
	}
	if f := first(fileColumns); f != "" {
		dir, name := "", f
		if i := strings.LastIndexAny(f, `\/`); i >= 0 {
			dir, name = f[:i], f[i+1:]
		}
		out = append(out, incident.Entity{"Type": "file", "Name": name, "Directory": dir})
	}
	return out
}
