package sigma

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/rampart-soc/rampart/internal/sigma/pipeline"
)

// WindowsRow converts one Windows event rendered as JSON from EVTX XML
// ({"Event": {"System": {...}, "EventData": {...}}}, attributes under
// "#attributes", element text under "#text") into the row of the Sentinel table
// that holds it: SecurityEvent for the Security channel (promoted columns plus the
// EventData XML string, as Sentinel stores it) and WindowsEvent for every other
// channel (EventData as an object).
func WindowsRow(rec map[string]any) (table string, row map[string]any, err error) {
	ev, ok := rec["Event"].(map[string]any)
	if !ok {
		return "", nil, errors.New("evtx json: no Event object")
	}
	sys, ok := ev["System"].(map[string]any)
	if !ok {
		return "", nil, errors.New("evtx json: no Event.System object")
	}
	system := map[string]any{}
	for k, v := range sys {
		switch x := v.(type) {
		case map[string]any:
			if attrs, ok := x["#attributes"].(map[string]any); ok {
				for a, av := range attrs {
					system[k+"_"+a] = av
				}
			}
			if t, ok := x["#text"]; ok {
				system[k] = t
			}
		case nil:
		default:
			system[k] = x
		}
	}
	data := map[string]any{}
	if ed, ok := ev["EventData"].(map[string]any); ok {
		for k, v := range ed {
			if k == "#attributes" {
				continue
			}
			v = textOf(v)
			data[k] = v
			if strings.Contains(k, " ") {
				data[strings.ReplaceAll(k, " ", "")] = v
			}
		}
	}
	if ud, ok := ev["UserData"].(map[string]any); ok {
		for k, v := range ud {
			inner, ok := v.(map[string]any)
			if k == "#attributes" || !ok {
				continue
			}
			for f, fv := range inner {
				if f != "#attributes" {
					data[f] = textOf(fv)
				}
			}
		}
	}
	channel, _ := system["Channel"].(string)
	common := func(row map[string]any) {
		row["TimeGenerated"] = system["TimeCreated_SystemTime"]
		row["Channel"] = channel
		row["Computer"] = system["Computer"]
		row["EventID"] = system["EventID"]
		row["Task"] = system["Task"]
	}
	if strings.EqualFold(channel, "Security") {
		row = map[string]any{"Type": "SecurityEvent", "EventSourceName": system["Provider_Name"], "Level": fmt.Sprint(system["Level"])}
		common(row)
		sec := pipeline.Default().Tables["SecurityEvent"]
		for k, v := range data {
			if sec != nil && sec.HasColumn(k) {
				if _, taken := row[k]; !taken {
					row[k] = v
				}
			}
		}
		row["EventData"] = eventDataXML(data)
		return "SecurityEvent", row, nil
	}
	row = map[string]any{"Type": "WindowsEvent", "Provider": system["Provider_Name"], "EventLevel": system["Level"], "EventData": data}
	// Unnamed <Data> values (classic PowerShell, many services) also fill WindowsEvent's Data
	// column, which is where Sigma's `Data` field is mapped.
	if d, ok := data["Data"]; ok {
		row["Data"] = joinData(d)
	}
	common(row)
	return "WindowsEvent", row, nil
}

// joinData renders one or several unnamed data values as one text.
func joinData(v any) string {
	l, ok := v.([]any)
	if !ok {
		return fmt.Sprint(textOf(v))
	}
	parts := make([]string, len(l))
	for i, e := range l {
		parts[i] = fmt.Sprint(textOf(e))
	}
	return strings.Join(parts, "\n")
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

// eventDataXML renders event data the way SecurityEvent.EventData holds it.
func eventDataXML(data map[string]any) string {
	keys := make([]string, 0, len(data))
	for k := range data {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(`<EventData xmlns="http://schemas.microsoft.com/win/2004/08/events/event">`)
	for _, k := range keys {
		b.WriteString(`<Data Name="`)
		xmlEscape(&b, k)
		b.WriteString(`">`)
		switch v := data[k].(type) {
		case nil:
		case string:
			xmlEscape(&b, v)
		case json.Number:
			b.WriteString(v.String())
		default:
			xmlEscape(&b, fmt.Sprint(v))
		}
		b.WriteString(`</Data>`)
	}
	b.WriteString(`</EventData>`)
	return b.String()
}

func xmlEscape(b *strings.Builder, s string) {
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '"':
			b.WriteString("&quot;")
		default:
			b.WriteRune(r)
		}
	}
}
