package replay

import (
	"encoding/xml"
	"io"
	"strings"
)

// eventColumns are the columns of Sentinel's legacy Event table (the agent's
// non-Security Windows logs); other keys of an exported row are event data that
// the export flattened (Log Analytics adds _dynamic/_string to resolve type clashes).
var eventColumns = map[string]bool{
	"TenantId": true, "SourceSystem": true, "TimeGenerated": true, "Source": true, "EventLog": true,
	"Computer": true, "EventCategory": true, "EventLevel": true, "EventLevelName": true, "UserName": true,
	"Message": true, "ParameterXml": true, "EventData": true, "EventID": true, "RenderedDescription": true,
	"MG": true, "TimeCollected": true, "ManagementGroupName": true, "AzureDeploymentID": true, "Role": true,
	"Type": true, "_ResourceId": true, "EventData_string": true,
}

// legacyEvent turns an Event row into the WindowsEvent row the Sigma pipeline
// reads (channel, provider, event data by name): the pipeline has no Event table.
func legacyEvent(rec map[string]any) Row {
	w := &winEvent{
		Provider: str(rec["Source"]),
		Channel:  str(rec["EventLog"]),
		Computer: str(rec["Computer"]),
		EventID:  rec["EventID"],
		Level:    rec["EventLevel"],
		Time:     str(rec["TimeGenerated"]),
		Message:  str(rec["RenderedDescription"]),
		Data:     map[string]any{},
	}
	for _, k := range []string{"EventData", "EventData_string"} {
		if s, ok := rec[k].(string); ok {
			for n, v := range eventDataXML(s) {
				w.Data[n] = v
			}
		}
	}
	for k, v := range rec {
		if eventColumns[k] {
			continue
		}
		k = strings.TrimSuffix(strings.TrimSuffix(k, "_dynamic"), "_string")
		if _, ok := w.Data[k]; !ok {
			w.Data[k] = v
		}
	}
	return w.row()
}

// eventDataXML reads <Data Name="X">v</Data> elements (named) and unnamed <Data>
// values (under "Data") from an EventData XML fragment; malformed XML gives what
// was read before the error.
func eventDataXML(s string) map[string]any {
	out := map[string]any{}
	d := xml.NewDecoder(strings.NewReader(s))
	d.Strict = false
	var unnamed []any
	name, inData := "", false
	var text strings.Builder
	for {
		tok, err := d.Token()
		if err == io.EOF || err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "Data" {
				inData, name = true, ""
				text.Reset()
				for _, a := range t.Attr {
					if a.Name.Local == "Name" {
						name = a.Value
					}
				}
			}
		case xml.CharData:
			if inData {
				text.Write(t)
			}
		case xml.EndElement:
			if t.Name.Local == "Data" && inData {
				inData = false
				if name != "" {
					out[name] = text.String()
				} else {
					unnamed = append(unnamed, text.String())
				}
			}
		}
	}
	if len(unnamed) > 0 {
		out["Data"] = unnamed
	}
	return out
}
