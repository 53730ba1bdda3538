package main

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// Labelled attack datasets: a small story of an intrusion across Windows, Linux,
// identity and AWS logs. Each entry says why it is in the demo.

type datasetSpec struct {
	ID string
	// SecurityOnly keeps only Security-channel events: the rest of the capture is a
	// few thousand background Sysmon records that would dominate the demo.
	SecurityOnly bool
	Why          string
}

var datasetSpecs = []datasetSpec{
	// Windows: discovery, credential access, lateral movement.
	{ID: "sd-win-empire-shell-samr-enumdomainusers", Why: "discovery: domain users enumerated over SAMR from an Empire agent"},
	{ID: "e2m-t1087-account-discovery", Why: "discovery: account and group enumeration (net, PowerShell, LDAP)"},
	{ID: "e2m-t1110-brute-force", Why: "credential access: password guessing (4625, 4771 Kerberos pre-auth failures)"},
	{ID: "eas-t1003.001-lsass-memory", Why: "credential access: LSASS memory dumps (Sysmon process access to lsass.exe)"},
	{ID: "e2m-t1003-credential-dumping", Why: "credential access: SAM/NTDS/DCSync style dumping on a domain controller"},
	{ID: "sd-win-covenant-dcsync-dcerpc-drsuapi-dsgetncchanges", Why: "credential access: DCSync (DRSUAPI GetNCChanges) from a Covenant implant"},
	{ID: "e2m-t1021.002-smb-windows-admin-shares", Why: "lateral movement: admin shares and remote service creation"},
	{ID: "e2m-apt-psexec-as-system", Why: "lateral movement: PsExec running commands as SYSTEM"},
	{ID: "sd-win-covenant-sharpsc-query-dcerpc-smb-svcctl", Why: "lateral movement: remote service control over SMB (svcctl)"},
	{ID: "sd-win-empire-enable-rdp", SecurityOnly: true, Why: "lateral movement: RDP enabled remotely (Winlogbeat 6 layout)"},
	// Exploitation on Windows and Linux, recorded by Sentinel itself.
	{ID: "sd-win-log4shell-java-serialized-object", Why: "initial access: Log4Shell against a Java app on Windows (Sentinel export)"},
	{ID: "sd-lin-log4shell-jndi-reference", Why: "initial access: Log4Shell against a Java app on Linux (Sentinel export)"},
	{ID: "sd-lin-arp-cache-discovery", Why: "Linux discovery: ARP cache read (auditd)"},
	{ID: "sd-lin-binary-padding-dd", Why: "Linux defense evasion: binary padding with dd (auditd)"},
	// Identity and cloud.
	{ID: "sd-cloud-golden-saml-adfs-mail-access", Why: "hybrid identity: AD FS key theft, Golden SAML and mailbox access (Sentinel export)"},
	{ID: "stratus-aws-t1078.004-console-login-without-mfa", Why: "AWS initial access: console login without MFA"},
	{ID: "stratus-aws-t1136.003-create-admin-user", Why: "AWS persistence: new admin user"},
	{ID: "stratus-aws-t1098.001-additional-cloud-credentials", Why: "AWS persistence: extra access keys and login profile"},
	{ID: "stratus-aws-t1098.003-backdoor-roles", Why: "AWS persistence: role trust policy backdoored"},
	{ID: "stratus-aws-t1552-ec2-credential-access", Why: "AWS credential access: EC2 GetPasswordData sweep"},
	{ID: "stratus-aws-t1562.008-impair-cloud-logs", Why: "AWS defense evasion: CloudTrail stopped and deleted"},
	{ID: "stratus-aws-t1537-share-with-external-account", Why: "AWS exfiltration: snapshots shared with an outside account"},
}

type datasetLabels struct {
	Dataset     string   `json:"dataset"`
	Format      string   `json:"format"`
	Techniques  []string `json:"techniques"`
	Description string   `json:"description"`
	Files       []struct {
		File   string `json:"file"`
		Format string `json:"format"`
	} `json:"files"`
}

func readLabels(dir string) (*datasetLabels, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "labels.json"))
	if err != nil {
		return nil, err
	}
	var l datasetLabels
	if err := json.Unmarshal(raw, &l); err != nil {
		return nil, fmt.Errorf("%s/labels.json: %v", dir, err)
	}
	return &l, nil
}

// formatID is the stable identifier at the start of a format description.
func formatID(f string) string {
	f = strings.TrimSpace(f)
	if i := strings.IndexAny(f, " :"); i >= 0 {
		return f[:i]
	}
	return f
}

func openMaybeGzip(path string) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if !strings.HasSuffix(path, ".gz") {
		return f, nil
	}
	z, err := gzip.NewReader(f)
	if err != nil {
		f.Close()
		return nil, err
	}
	return struct {
		io.Reader
		io.Closer
	}{z, f}, nil
}

// converted is one source record turned into a row of a table (not yet shaped).
type converted struct {
	Table string
	Row   *Object
}

// convertDatasetFile reads one dataset file and converts its records. skip counts
// records that were read but are not part of the demo (and why).
func convertDatasetFile(path, formatDesc string, spec datasetSpec, schemas map[string]*tableSchema, skip map[string]int) ([]converted, int, error) {
	format := formatID(formatDesc)
	fileTable := sentinelFileTable(formatDesc, schemas)
	rc, err := openMaybeGzip(path)
	if err != nil {
		return nil, 0, err
	}
	defer rc.Close()
	var out []converted
	n := 0
	if format == "linux-auditd-raw" {
		sc := bufio.NewScanner(rc)
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if line == "" {
				continue
			}
			n++
			if row, ok := auditdRow(line); ok {
				out = append(out, converted{"Syslog", row})
			} else {
				skip["auditd line without audit(...) time"]++
			}
		}
		return out, n, sc.Err()
	}
	err = decodeStream(rc, func(v any) error {
		n++
		rec, ok := v.(*Object)
		if !ok {
			return fmt.Errorf("record %d is not an object", n)
		}
		var w winEvent
		var err error
		switch format {
		case "windows-evtx-json":
			w, err = parseEvtxJSON(rec)
		case "windows-eventlog-flat-json":
			w, err = parseFlatJSON(rec)
		case "windows-winlogbeat6-json":
			w, err = parseWinlogbeat6(rec)
		case "aws-cloudtrail-json":
			out = append(out, converted{"AWSCloudTrail", cloudTrailRow(rec)})
			return nil
		case "sentinel-table-json":
			table, row := sentinelTableRow(rec, schemas, fileTable)
			if _, known := schemas[table]; !known {
				skip[fmt.Sprintf("rows of table %q, which has no schema", table)]++
				return nil
			}
			out = append(out, converted{table, row})
			return nil
		default:
			return fmt.Errorf("no converter for format %q", format)
		}
		if err != nil {
			skip[err.Error()]++
			return nil
		}
		if spec.SecurityOnly && w.Channel != "Security" {
			skip["not Security channel (left out for size)"]++
			return nil
		}
		table, row := windowsRow(w, schemas)
		out = append(out, converted{table, row})
		return nil
	})
	return out, n, err
}

// sentinelTableRow places a row exported from Log Analytics: its Type column names the
// table. The Golden SAML export also holds Defender advanced-hunting rows (a union of
// several tables, without Type) and one Security event without Type.
func sentinelTableRow(rec *Object, schemas map[string]*tableSchema, fileTable string) (string, *Object) {
	table := rec.Str("Type")
	if fileTable != "" {
		table = fileTable
	}
	switch {
	case table == "" && rec.Str("Timestamp") != "" && rec.Str("ActionType") != "":
		table = closestTable(rec, schemas, "DeviceEvents", "IdentityDirectoryEvents", "IdentityQueryEvents", "CloudAppEvents")
		if _, ok := rec.Get("TimeGenerated"); !ok {
			rec.Set("TimeGenerated", rec.Str("Timestamp"))
		}
	case table == "" && rec.Str("EventID") != "":
		w := winEvent{Channel: "Security", Computer: rec.Str("Computer"), EventID: rec.Str("EventID"), Data: newObject()}
		w.Time, _ = parseTime(rec.Str("TimeGenerated"), time.UTC)
		for _, k := range rec.Keys() {
			if k == "TimeGenerated" || k == "Computer" || k == "EventID" {
				continue
			}
			v, _ := rec.Get(k)
			name := k
			if m := unionSuffix.FindStringSubmatch(k); m != nil {
				name = m[1]
			}
			w.Data.Set(name, v)
		}
		return "SecurityEvent", securityEventRow(w, schemas["SecurityEvent"])
	case table == "SecurityEvent":
		// AD FS events carry unnamed data, exported as a JSON array: store it as the
		// EventData XML Sentinel keeps for them.
		if s := rec.Str("EventData_dynamic"); s != "" && rec.Str("EventData") == "" {
			if arr, ok := parseJSONText(s); ok {
				if list, isArr := arr.([]any); isArr {
					d := newObject()
					d.Set("Data", list)
					rec.Set("EventData", eventDataXML(d))
					rec.Delete("EventData_dynamic")
				}
			}
		}
	}
	return table, rec
}

// sentinelFileTable returns the table a "sentinel-table-json: <Table> (...)" file holds,
// when the description names exactly one known table. The file's table wins over the
// rows' Type column, which some exports overwrote (AuditLogs rows typed "Application").
func sentinelFileTable(desc string, schemas map[string]*tableSchema) string {
	rest, ok := strings.CutPrefix(desc, "sentinel-table-json:")
	if !ok {
		return ""
	}
	fields := strings.Fields(rest)
	if len(fields) == 0 {
		return ""
	}
	if _, known := schemas[fields[0]]; known {
		return fields[0]
	}
	return ""
}

// closestTable picks the candidate whose columns cover most of the row's non-empty fields.
func closestTable(rec *Object, schemas map[string]*tableSchema, candidates ...string) string {
	best, bestN := candidates[0], -1
	for _, c := range candidates {
		t := schemas[c]
		if t == nil {
			continue
		}
		n := 0
		for _, k := range rec.Keys() {
			v, _ := rec.Get(k)
			if isEmpty(v) {
				continue
			}
			if m := unionSuffix.FindStringSubmatch(k); m != nil {
				k = m[1]
			}
			if _, ok := t.col(k); ok {
				n++
			}
		}
		if n > bestN {
			best, bestN = c, n
		}
	}
	return best
}

// cloudTrailRow maps a CloudTrail record onto AWSCloudTrail's columns, as Sentinel's
// AWS connector does; request and response documents stay JSON text.
func cloudTrailRow(r *Object) *Object {
	out := newObject()
	set := func(col string, v any, ok bool) {
		if ok && !isEmpty(v) {
			out.Set(col, v)
		}
	}
	get := func(path string) (any, bool) { return lookupPath(r, path) }
	asText := func(path string) (any, bool) {
		v, ok := get(path)
		if !ok || v == nil {
			return nil, false
		}
		if _, isStr := v.(string); isStr {
			return v, true
		}
		return string(encodeJSON(v)), true
	}
	for _, m := range []struct{ col, path string }{
		{"TimeGenerated", "eventTime"},
		{"AwsEventId", "eventID"},
		{"EventVersion", "eventVersion"},
		{"EventSource", "eventSource"},
		{"EventTypeName", "eventType"},
		{"EventName", "eventName"},
		{"Category", "eventCategory"},
		{"UserIdentityType", "userIdentity.type"},
		{"UserIdentityPrincipalid", "userIdentity.principalId"},
		{"UserIdentityArn", "userIdentity.arn"},
		{"UserIdentityAccountId", "userIdentity.accountId"},
		{"UserIdentityInvokedBy", "userIdentity.invokedBy"},
		{"UserIdentityAccessKeyId", "userIdentity.accessKeyId"},
		{"UserIdentityUserName", "userIdentity.userName"},
		{"SessionMfaAuthenticated", "userIdentity.sessionContext.attributes.mfaAuthenticated"},
		{"SessionCreationDate", "userIdentity.sessionContext.attributes.creationDate"},
		{"SessionIssuerType", "userIdentity.sessionContext.sessionIssuer.type"},
		{"SessionIssuerPrincipalId", "userIdentity.sessionContext.sessionIssuer.principalId"},
		{"SessionIssuerArn", "userIdentity.sessionContext.sessionIssuer.arn"},
		{"SessionIssuerAccountId", "userIdentity.sessionContext.sessionIssuer.accountId"},
		{"SessionIssuerUserName", "userIdentity.sessionContext.sessionIssuer.userName"},
		{"AWSRegion", "awsRegion"},
		{"SourceIpAddress", "sourceIPAddress"},
		{"UserAgent", "userAgent"},
		{"ErrorCode", "errorCode"},
		{"ErrorMessage", "errorMessage"},
		{"AwsRequestId", "requestID"},
		{"APIVersion", "apiVersion"},
		{"ReadOnly", "readOnly"},
		{"RecipientAccountId", "recipientAccountId"},
		{"SharedEventId", "sharedEventID"},
		{"VpcEndpointId", "vpcEndpointId"},
		{"ManagementEvent", "managementEvent"},
	} {
		v, ok := get(m.path)
		set(m.col, v, ok)
	}
	for _, m := range []struct{ col, path string }{
		{"RequestParameters", "requestParameters"},
		{"ResponseElements", "responseElements"},
		{"AdditionalEventData", "additionalEventData"},
		{"Resources", "resources"},
		{"ServiceEventDetails", "serviceEventDetails"},
	} {
		v, ok := asText(m.path)
		set(m.col, v, ok)
	}
	return out
}

var auditMsgRE = regexp.MustCompile(`msg=audit\(([0-9]+(?:\.[0-9]+)?):[0-9]+\)`)

// auditdRow stores one auditd record as the Syslog row audisp's syslog plugin produces
// (facility user, severity info, process audispd); the host name is not in the capture.
func auditdRow(line string) (*Object, bool) {
	m := auditMsgRE.FindStringSubmatch(line)
	if m == nil {
		return nil, false
	}
	t, ok := epochTime(m[1])
	if !ok {
		return nil, false
	}
	r := newObject()
	r.Set("TimeGenerated", formatTime(t))
	r.Set("EventTime", formatTime(t))
	r.Set("Facility", "user")
	r.Set("SeverityLevel", "info")
	r.Set("ProcessName", "audispd")
	r.Set("SyslogMessage", line)
	return r, true
}
