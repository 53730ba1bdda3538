package replay

import (
	"encoding/xml"
	"errors"
	"strings"
)

// evtxJSON reads the evtx_dump layout: {"Event": {"System": {...}, "EventData":
// {...}, "UserData": {...}}}, attributes under "#attributes", text under "#text".
func evtxJSON(rec map[string]any) (Row, error) {
	ev, ok := rec["Event"].(map[string]any)
	if !ok {
		return Row{}, errors.New("evtx json: no Event object")
	}
	sys, ok := ev["System"].(map[string]any)
	if !ok {
		return Row{}, errors.New("evtx json: no Event.System object")
	}
	w := &winEvent{
		Provider: str(attr(sys["Provider"], "Name")),
		Channel:  str(textOf(sys["Channel"])),
		Computer: str(textOf(sys["Computer"])),
		EventID:  textOf(sys["EventID"]),
		Task:     textOf(sys["Task"]),
		Level:    textOf(sys["Level"]),
		Time:     str(attr(sys["TimeCreated"], "SystemTime")),
		Data:     map[string]any{},
	}
	if ed, ok := ev["EventData"].(map[string]any); ok {
		for k, v := range ed {
			if k != "#attributes" {
				w.Data[k] = textOf(v)
			}
		}
	}
	// Events without EventData (1102, RDP 1149, ...) keep their fields one level
	// down: UserData.<Element>.<Field>.
	if ud, ok := ev["UserData"].(map[string]any); ok {
		for k, v := range ud {
			inner, ok := v.(map[string]any)
			if k == "#attributes" || !ok {
				continue
			}
			for f, fv := range inner {
				if f != "#attributes" {
					w.Data[f] = textOf(fv)
				}
			}
		}
	}
	return w.row(), nil
}

// attr reads element.#attributes.name of an evtx_dump element.
func attr(el any, name string) any {
	m, ok := el.(map[string]any)
	if !ok {
		return nil
	}
	a, ok := m["#attributes"].(map[string]any)
	if !ok {
		return nil
	}
	return a[name]
}

// flatMeta are the keys NXLog (im_msvistalog via Logstash) and the later
// Security-Datasets export add beside the event data; everything else at the
// top level of a flat record is event data.
var flatMeta = map[string]bool{
	"EventID": true, "Channel": true, "Hostname": true, "SourceName": true, "Task": true,
	"Message": true, "EventTime": true, "EventReceivedTime": true, "@timestamp": true,
	"@version": true, "host": true, "port": true, "tags": true, "SourceModuleName": true,
	"SourceModuleType": true, "Severity": true, "SeverityValue": true, "EventType": true,
	"Category": true, "Opcode": true, "OpcodeValue": true, "RecordNumber": true, "Keywords": true,
	"ProviderGuid": true, "ExecutionProcessID": true, "ThreadID": true, "AccountName": true,
	"Domain": true, "UserID": true, "AccountType": true, "TimeCreated": true, "Version": true,
	"Level": true, "EventTypeOrignal": true, "ActivityID": true, "RelatedActivityID": true,
}

// nxlogEventTypes are the values NXLog writes in EventType. Sysmon registry and
// pipe events have an EventType of their own (CreateKey, SetValue, ConnectPipe),
// which the Sigma pipeline routes on; the export then moved NXLog's value to
// EventTypeOrignal.
var nxlogEventTypes = map[string]bool{"INFO": true, "AUDIT_SUCCESS": true, "AUDIT_FAILURE": true,
	"ERROR": true, "WARNING": true, "VERBOSE": true, "CRITICAL": true, "DEBUG": true}

// flatWindows reads one flat Windows record (NXLog / Security-Datasets).
func flatWindows(rec map[string]any) (Row, error) {
	if rec["EventID"] == nil {
		return Row{}, errors.New("flat windows json: no EventID")
	}
	ts := str(rec["@timestamp"])
	if ts == "" {
		ts = str(rec["TimeCreated"]) // a 12-hour clock without AM/PM in one export: approximate
	}
	w := &winEvent{
		Provider: str(rec["SourceName"]),
		Channel:  str(rec["Channel"]),
		Computer: str(rec["Hostname"]),
		EventID:  rec["EventID"],
		Task:     rec["Task"],
		Level:    rec["Level"],
		Time:     ts,
		Message:  str(rec["Message"]),
		Data:     make(map[string]any, len(rec)),
	}
	for k, v := range rec {
		if !flatMeta[k] {
			w.Data[k] = v
		}
	}
	if et, ok := rec["EventType"].(string); ok && !nxlogEventTypes[et] {
		w.Data["EventType"] = et
	}
	return w.row(), nil
}

// winlogbeat reads Winlogbeat records: the 6.x layout (event_id, log_name,
// source_name, computer_name, event_data) and the 7+/ECS layout (winlog.*).
func winlogbeat(rec map[string]any) (Row, error) {
	w := &winEvent{Time: str(rec["@timestamp"]), Message: str(rec["message"]), Data: map[string]any{}}
	src := rec
	if wl, ok := rec["winlog"].(map[string]any); ok {
		src = wl
		w.EventID = wl["event_id"]
		w.Channel = str(wl["channel"])
		w.Provider = str(wl["provider_name"])
		w.Computer = str(wl["computer_name"])
		w.Task = wl["task"]
		if ev, ok := rec["event"].(map[string]any); ok && w.EventID == nil {
			w.EventID = ev["code"]
		}
		if lg, ok := rec["log"].(map[string]any); ok {
			w.Level = lg["level"]
		}
	} else {
		w.EventID = rec["event_id"]
		w.Channel = str(rec["log_name"])
		w.Provider = str(rec["source_name"])
		w.Computer = str(rec["computer_name"])
		w.Task = rec["task"]
		w.Level = rec["level"]
	}
	if w.EventID == nil {
		return Row{}, errors.New("winlogbeat json: no event_id")
	}
	for _, k := range []string{"event_data", "user_data"} {
		if m, ok := src[k].(map[string]any); ok {
			for f, v := range m {
				w.Data[f] = v
			}
		}
	}
	return w.row(), nil
}

// xmlEvent is a Windows event XML document (<Event xmlns=...>).
type xmlEvent struct {
	XMLName xml.Name `xml:"Event"`
	System  struct {
		Provider struct {
			Name string `xml:"Name,attr"`
		}
		EventID     string
		Level       string
		Task        string
		TimeCreated struct {
			SystemTime string `xml:"SystemTime,attr"`
		}
		Channel  string
		Computer string
	}
	EventData struct {
		Data []struct {
			Name  string `xml:"Name,attr"`
			Value string `xml:",chardata"`
		}
	}
	UserData struct {
		Elems []xmlNode `xml:",any"`
	}
}

type xmlNode struct {
	XMLName xml.Name
	Text    string    `xml:",chardata"`
	Kids    []xmlNode `xml:",any"`
}

// windowsXML reads one <Event> document (Splunk XmlWinEventLog, wevtutil).
func windowsXML(line []byte) (Row, error) {
	var x xmlEvent
	if err := xml.Unmarshal(line, &x); err != nil {
		return Row{}, errors.New("windows xml: " + err.Error())
	}
	w := &winEvent{
		Provider: x.System.Provider.Name,
		Channel:  strings.TrimSpace(x.System.Channel),
		Computer: strings.TrimSpace(x.System.Computer),
		EventID:  strings.TrimSpace(x.System.EventID),
		Task:     x.System.Task,
		Level:    x.System.Level,
		Time:     x.System.TimeCreated.SystemTime,
		Data:     map[string]any{},
	}
	var unnamed []any
	for _, d := range x.EventData.Data {
		if d.Name == "" {
			unnamed = append(unnamed, d.Value)
			continue
		}
		w.Data[d.Name] = d.Value
	}
	if len(unnamed) > 0 {
		w.Data["Data"] = unnamed
	}
	for _, el := range x.UserData.Elems {
		for _, f := range el.Kids {
			w.Data[f.XMLName.Local] = f.Text
		}
	}
	return w.row(), nil
}
