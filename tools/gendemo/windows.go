package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"strings"
	"time"
)

// Windows events from three shipper layouts are read into one shape, then written the
// way the Azure Monitor agent stores them: the Security channel as SecurityEvent rows,
// every other channel (Sysmon, PowerShell, ...) as WindowsEvent rows.

type winEvent struct {
	Time      time.Time
	Computer  string
	Channel   string
	Provider  string
	EventID   string
	Task      string
	Level     string // Windows level number, "" when unknown
	LevelName string
	Data      *Object // event data fields in source order
}

const securityProvider = "Microsoft-Windows-Security-Auditing"

// parseEvtxJSON reads the evtx_dump layout: Event.System.* and Event.EventData.* (or
// Event.UserData.<Element>.* for events such as 1102 "log cleared").
func parseEvtxJSON(o *Object) (winEvent, error) {
	ev := o.Obj("Event")
	sys := ev.Obj("System")
	if sys == nil {
		return winEvent{}, errors.New("no Event.System")
	}
	w := winEvent{
		Provider: sys.Obj("Provider").Obj("#attributes").Str("Name"),
		Channel:  sys.Str("Channel"),
		Computer: sys.Str("Computer"),
		Task:     sys.Str("Task"),
		Level:    sys.Str("Level"),
	}
	if id, ok := sys.Get("EventID"); ok {
		if io, isObj := id.(*Object); isObj {
			w.EventID = io.Str("#text") // {"#attributes":{"Qualifiers":..},"#text":"7045"}
		} else {
			w.EventID = scalarText(id)
		}
	}
	ts, ok := parseTime(sys.Obj("TimeCreated").Obj("#attributes").Str("SystemTime"), time.UTC)
	if !ok {
		return winEvent{}, errors.New("no TimeCreated")
	}
	w.Time = ts
	w.Data = newObject()
	data := ev.Obj("EventData")
	if data == nil {
		if ud := ev.Obj("UserData"); ud != nil && len(ud.Keys()) > 0 {
			data = ud.Obj(ud.Keys()[0])
		}
	}
	for _, k := range data.Keys() {
		if k == "#attributes" {
			continue
		}
		v, _ := data.Get(k)
		if vo, isObj := v.(*Object); isObj {
			if t, ok := vo.Get("#text"); ok {
				v = t
			}
		}
		w.Data.Set(k, v)
	}
	return w, nil
}

// NXLog/Logstash fields of the flat layout that describe the record, not the event data.
var flatMeta = map[string]bool{
	"@timestamp": true, "@version": true, "AccountName": true, "AccountType": true, "ActivityID": true,
	"Category": true, "Channel": true, "Domain": true, "ERROR_EVT_UNRESOLVED": true, "EventID": true,
	"EventReceivedTime": true, "EventTime": true, "EventType": true, "ExecutionProcessID": true,
	"Hostname": true, "Keywords": true, "Level": true, "Message": true, "Opcode": true, "OpcodeValue": true,
	"ProviderGuid": true, "RecordNumber": true, "RelatedActivityID": true, "Severity": true,
	"SeverityValue": true, "SourceModuleName": true, "SourceModuleType": true, "SourceName": true, "EventTypeOrignal": true,
	"Task": true, "ThreadID": true, "TimeCreated": true, "UserID": true, "Version": true,
	"host": true, "port": true, "tags": true,
}

// parseFlatJSON reads the flat NXLog layout (Security-Datasets): event data at top level.
func parseFlatJSON(o *Object) (winEvent, error) {
	w := winEvent{
		Channel:  o.Str("Channel"),
		Computer: o.Str("Hostname"),
		Provider: o.Str("SourceName"),
		EventID:  o.Str("EventID"),
		Task:     o.Str("Task"),
	}
	if strings.EqualFold(w.Channel, "Security") {
		w.Channel = "Security" // some records spell it "security"
	}
	t, ok := flatEventTime(o)
	if !ok {
		return winEvent{}, errors.New("no usable time")
	}
	w.Time = t
	// When the event has its own EventType (Sysmon 12-14), the pipeline moved NXLog's
	// to "EventTypeOrignal" (sic) and EventType is event data.
	_, ownEventType := o.Get("EventTypeOrignal")
	w.Data = newObject()
	for _, k := range o.Keys() {
		if !flatMeta[k] || (k == "EventType" && ownEventType) {
			v, _ := o.Get(k)
			w.Data.Set(k, v)
		}
	}
	return w, nil
}

// flatEventTime finds when a flat record happened. Sysmon's UtcTime is exact. Otherwise
// EventTime is host-local time to the second; the host's offset is what separates
// EventReceivedTime (local) from Logstash's @timestamp (UTC) for the same moment.
// @timestamp alone is the time of receipt, a few seconds late.
func flatEventTime(o *Object) (time.Time, bool) {
	if t, ok := parseTime(o.Str("UtcTime"), time.UTC); ok {
		return t, true
	}
	at, okAt := parseTime(o.Str("@timestamp"), time.UTC)
	ev, okEv := parseTime(o.Str("EventTime"), time.UTC)
	recv, okRecv := parseTime(o.Str("EventReceivedTime"), time.UTC)
	if okAt && okEv && okRecv {
		offset := recv.Sub(at).Round(15 * time.Minute)
		return ev.Add(-offset), true
	}
	if okAt {
		return at, true
	}
	return time.Time{}, false
}

// parseWinlogbeat6 reads the HELK-era Winlogbeat 6 layout.
func parseWinlogbeat6(o *Object) (winEvent, error) {
	t, ok := parseTime(o.Str("@timestamp"), time.UTC) // Winlogbeat sets it to the event time
	if !ok {
		return winEvent{}, errors.New("no @timestamp")
	}
	w := winEvent{
		Time:      t,
		Channel:   o.Str("log_name"),
		Computer:  o.Str("computer_name"),
		Provider:  o.Str("source_name"),
		EventID:   o.Str("event_id"),
		LevelName: o.Str("level"),
		Data:      newObject(),
	}
	data := o.Obj("event_data")
	if data == nil {
		data = o.Obj("user_data")
	}
	for _, k := range data.Keys() {
		v, _ := data.Get(k)
		w.Data.Set(k, v)
	}
	return w, nil
}

var levelNames = map[string]string{"1": "Critical", "2": "Error", "3": "Warning", "4": "Information", "5": "Verbose"}

// windowsRow builds the SecurityEvent or WindowsEvent row of an event.
func windowsRow(w winEvent, schemas map[string]*tableSchema) (string, *Object) {
	if w.Channel == "Security" {
		return "SecurityEvent", securityEventRow(w, schemas["SecurityEvent"])
	}
	r := newObject()
	r.Set("TimeGenerated", formatTime(w.Time))
	r.Set("Computer", w.Computer)
	r.Set("Channel", w.Channel)
	r.Set("Provider", w.Provider)
	r.Set("EventID", json.Number(w.EventID))
	if isNumber(w.Task) {
		r.Set("Task", json.Number(w.Task))
	}
	if isNumber(w.Level) {
		r.Set("EventLevel", json.Number(w.Level))
	}
	if name := levelNames[w.Level]; name != "" {
		r.Set("EventLevelName", name)
	} else if w.LevelName != "" {
		r.Set("EventLevelName", w.LevelName)
	}
	r.Set("EventData", w.Data)
	return "WindowsEvent", r
}

// Columns securityEventRow derives itself; event data of the same name does not replace them.
var securityDerived = map[string]bool{
	"Account": true, "AccountType": true, "Activity": true, "Channel": true, "Computer": true,
	"EventData": true, "EventID": true, "EventSourceName": true, "Level": true, "Task": true,
	"TimeGenerated": true, "Type": true,
}

// securityEventRow lays an event out as Sentinel's SecurityEvent does: event data fields
// that have a column of the same name go there, plus the columns Sentinel derives
// (Activity, Account, SubjectAccount, TargetAccount, Process, LogonTypeName). When some
// field has no column, EventData keeps all of them as the event's XML.
func securityEventRow(w winEvent, t *tableSchema) *Object {
	r := newObject()
	r.Set("TimeGenerated", formatTime(w.Time))
	r.Set("Computer", w.Computer)
	r.Set("Channel", "Security")
	if w.Provider == "" {
		w.Provider = securityProvider
	}
	r.Set("EventSourceName", w.Provider)
	r.Set("EventID", json.Number(w.EventID))
	r.Set("Activity", securityActivity(w.EventID))
	if isNumber(w.Task) {
		r.Set("Task", json.Number(w.Task))
	}
	if w.Level != "" {
		r.Set("Level", w.Level)
	}
	needXML := false
	for _, k := range w.Data.Keys() {
		v, _ := w.Data.Get(k)
		if _, isCol := t.col(k); isCol && !securityDerived[k] {
			r.Set(k, v)
		} else if !isEmpty(v) {
			needXML = true
		}
	}
	d := w.Data
	subject := joinAccount(d.Str("SubjectDomainName"), d.Str("SubjectUserName"))
	target := joinAccount(d.Str("TargetDomainName"), d.Str("TargetUserName"))
	if subject != "" {
		r.Set("SubjectAccount", subject)
	}
	if target != "" {
		r.Set("TargetAccount", target)
	}
	account := subject
	if u := d.Str("TargetUserName"); u != "" && u != "-" {
		account = target
	}
	if account != "" {
		r.Set("Account", account)
		if strings.HasSuffix(account, "$") {
			r.Set("AccountType", "Machine")
		} else {
			r.Set("AccountType", "User")
		}
	}
	if p := baseName(d.Str("NewProcessName")); p != "" {
		r.Set("Process", p)
	} else if p := baseName(d.Str("ProcessName")); p != "" {
		r.Set("Process", p)
	}
	if name := logonTypeNames[d.Str("LogonType")]; name != "" {
		r.Set("LogonTypeName", d.Str("LogonType")+" - "+name)
	}
	if needXML {
		r.Set("EventData", eventDataXML(w.Data))
	}
	return r
}

func joinAccount(domain, user string) string {
	if user == "" {
		return ""
	}
	if domain == "" {
		return user
	}
	return domain + `\` + user
}

func baseName(p string) string {
	if p == "" || p == "-" {
		return p
	}
	if i := strings.LastIndexAny(p, `\/`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// eventDataXML renders event data as the <EventData> element Sentinel stores.
func eventDataXML(d *Object) string {
	var b bytes.Buffer
	b.WriteString(`<EventData xmlns="http://schemas.microsoft.com/win/2004/08/events/event">`)
	for _, k := range d.Keys() {
		v, _ := d.Get(k)
		if arr, ok := v.([]any); ok && k == "Data" { // unnamed <Data> elements
			for _, e := range arr {
				b.WriteString("<Data>")
				_ = xml.EscapeText(&b, []byte(scalarText(e)))
				b.WriteString("</Data>")
			}
			continue
		}
		b.WriteString(`<Data Name="`)
		_ = xml.EscapeText(&b, []byte(k))
		b.WriteString(`">`)
		_ = xml.EscapeText(&b, []byte(scalarText(v)))
		b.WriteString("</Data>")
	}
	b.WriteString("</EventData>")
	return b.String()
}

var logonTypeNames = map[string]string{
	"0": "System", "2": "Interactive", "3": "Network", "4": "Batch", "5": "Service", "7": "Unlock",
	"8": "NetworkCleartext", "9": "NewCredentials", "10": "RemoteInteractive", "11": "CachedInteractive",
	"12": "CachedRemoteInteractive", "13": "CachedUnlock",
}

// securityActivity is Sentinel's Activity text: "<id> - <event title>".
func securityActivity(id string) string {
	if title := securityTitles[id]; title != "" {
		return id + " - " + title
	}
	return id
}

// Titles of the Windows Security audit events found in the demo datasets.
var securityTitles = map[string]string{
	"1100": "The event logging service has shut down.",
	"1102": "The audit log was cleared.",
	"4608": "Windows is starting up.",
	"4616": "The system time was changed.",
	"4624": "An account was successfully logged on.",
	"4625": "An account failed to log on.",
	"4627": "Group membership information.",
	"4634": "An account was logged off.",
	"4647": "User initiated logoff.",
	"4648": "A logon was attempted using explicit credentials.",
	"4656": "A handle to an object was requested.",
	"4657": "A registry value was modified.",
	"4658": "The handle to an object was closed.",
	"4660": "An object was deleted.",
	"4661": "A handle to an object was requested.",
	"4662": "An operation was performed on an object.",
	"4663": "An attempt was made to access an object.",
	"4670": "Permissions on an object were changed.",
	"4672": "Special privileges assigned to new logon.",
	"4673": "A privileged service was called.",
	"4674": "An operation was attempted on a privileged object.",
	"4688": "A new process has been created.",
	"4689": "A process has exited.",
	"4690": "An attempt was made to duplicate a handle to an object.",
	"4697": "A service was installed in the system.",
	"4698": "A scheduled task was created.",
	"4699": "A scheduled task was deleted.",
	"4700": "A scheduled task was enabled.",
	"4701": "A scheduled task was disabled.",
	"4702": "A scheduled task was updated.",
	"4703": "A user right was adjusted.",
	"4717": "System security access was granted to an account.",
	"4718": "System security access was removed from an account.",
	"4719": "System audit policy was changed.",
	"4720": "A user account was created.",
	"4722": "A user account was enabled.",
	"4723": "An attempt was made to change an account's password.",
	"4724": "An attempt was made to reset an account's password.",
	"4725": "A user account was disabled.",
	"4726": "A user account was deleted.",
	"4728": "A member was added to a security-enabled global group.",
	"4732": "A member was added to a security-enabled local group.",
	"4738": "A user account was changed.",
	"4740": "A user account was locked out.",
	"4756": "A member was added to a security-enabled universal group.",
	"4768": "A Kerberos authentication ticket (TGT) was requested.",
	"4769": "A Kerberos service ticket was requested.",
	"4770": "A Kerberos service ticket was renewed.",
	"4771": "Kerberos pre-authentication failed.",
	"4776": "The computer attempted to validate the credentials for an account.",
	"4778": "A session was reconnected to a Window Station.",
	"4779": "A session was disconnected from a Window Station.",
	"4798": "A user's local group membership was enumerated.",
	"4799": "A security-enabled local group membership was enumerated.",
	"4904": "An attempt was made to register a security event source.",
	"4905": "An attempt was made to unregister a security event source.",
	"4907": "Auditing settings on object were changed.",
	"4947": "A change has been made to Windows Firewall exception list. A rule was modified.",
	"4964": "Special groups have been assigned to a new logon.",
	"4985": "The state of a transaction has changed.",
	"5058": "Key file operation.",
	"5061": "Cryptographic operation.",
	"5136": "A directory service object was modified.",
	"5140": "A network share object was accessed.",
	"5142": "A network share object was added.",
	"5143": "A network share object was modified.",
	"5144": "A network share object was deleted.",
	"5145": "A network share object was checked to see whether client can be granted desired access.",
	"5152": "The Windows Filtering Platform blocked a packet.",
	"5154": "The Windows Filtering Platform has permitted an application or service to listen on a port for incoming connections.",
	"5156": "The Windows Filtering Platform has allowed a connection.",
	"5157": "The Windows Filtering Platform has blocked a connection.",
	"5158": "The Windows Filtering Platform has permitted a bind to a local port.",
	"5379": "Credential Manager credentials were read.",
	"5381": "Vault credentials were read.",
	"5382": "Vault credentials were read.",
	"5447": "A Windows Filtering Platform filter has been changed.",
}
