package replay

import (
	"strconv"
	"strings"

	"github.com/rampart-soc/rampart/internal/sigma/pipeline"
)

// winEvent is a Windows event once its shipper's layout is removed: the System
// values and the event data (named fields; unnamed <Data> values under "Data").
type winEvent struct {
	Provider string
	Channel  string
	Computer string
	EventID  any // int64 when it parses, else the text
	Task     any
	Level    any
	Time     string
	Message  string // rendered text, when the shipper kept it
	Data     map[string]any
}

// providerChannels gives the channel of records that lost it (ETW-derived EVTX
// records, some shippers): the Sigma pipeline selects Windows rules by channel.
var providerChannels = map[string]string{
	"microsoft-windows-security-auditing": "Security",
	"microsoft-windows-sysmon":            "Microsoft-Windows-Sysmon/Operational",
	"microsoft-windows-powershell":        "Microsoft-Windows-PowerShell/Operational",
	"powershell":                          "Windows PowerShell",
	"service control manager":             "System",
}

// eventID turns "4624", 4624 or json.Number("4624") into int64 4624; other values stay.
func eventID(v any) any {
	switch x := v.(type) {
	case string:
		if n, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64); err == nil {
			return n
		}
	case interface{ String() string }: // json.Number
		if n, err := strconv.ParseInt(x.String(), 10, 64); err == nil {
			return n
		}
	case float64:
		return int64(x)
	case int:
		return int64(x)
	case int64:
		return x
	}
	return v
}

var securityTable = pipeline.Default().Tables["SecurityEvent"]

// row builds the table row the server stores: SecurityEvent for the Security
// channel (columns promoted from the event data, as Sentinel does) and
// WindowsEvent for every other channel. EventData is kept as an object; the
// pipeline maps non-column Sigma fields to EventData.<name>.
func (w *winEvent) row() Row {
	if w.Data == nil {
		w.Data = map[string]any{}
	}
	// Defender and other providers name fields with spaces ("Threat Name");
	// Sigma rules spell them without (ThreatName), as sigma.WindowsRow does.
	for k, v := range w.Data {
		if strings.Contains(k, " ") {
			alias := strings.ReplaceAll(k, " ", "")
			if _, taken := w.Data[alias]; !taken {
				w.Data[alias] = v
			}
		}
	}
	ch := w.Channel
	if ch == "" {
		ch = providerChannels[strings.ToLower(w.Provider)]
	}
	// Classic PowerShell events carry their text as unnamed Data; shippers that
	// only kept the rendered message lose it, and Sigma rules read Data.
	if strings.EqualFold(ch, "Windows PowerShell") && w.Data["Data"] == nil && w.Message != "" {
		w.Data["Data"] = w.Message
	}
	m := map[string]any{
		"TimeGenerated": w.Time,
		"Channel":       ch,
		"Computer":      w.Computer,
		"EventID":       eventID(w.EventID),
		"Task":          w.Task,
		"EventData":     w.Data,
	}
	if strings.EqualFold(ch, "Security") {
		m["Channel"] = "Security"
		m["Type"] = "SecurityEvent"
		m["EventSourceName"] = w.Provider
		m["Level"] = w.Level
		for k, v := range w.Data {
			if _, taken := m[k]; !taken && securityTable.HasColumn(k) {
				m[k] = v
			}
		}
		return Row{Table: "SecurityEvent", Fields: m}
	}
	m["Type"] = "WindowsEvent"
	m["Provider"] = w.Provider
	m["EventLevel"] = w.Level
	// WindowsEvent has a Data column, so the pipeline reads Sigma's Data (the
	// unnamed values of classic PowerShell events) there, not in EventData.
	if d, ok := w.Data["Data"]; ok {
		m["Data"] = d
	}
	return Row{Table: "WindowsEvent", Fields: m}
}

// textOf unwraps {"#text": v} element renderings.
func textOf(v any) any {
	if m, ok := v.(map[string]any); ok {
		if t, ok := m["#text"]; ok {
			return t
		}
	}
	return v
}

// str renders a scalar JSON value as text ("" for nil and containers).
func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil, map[string]any, []any:
		return ""
	case interface{ String() string }:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return ""
}
