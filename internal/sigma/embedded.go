package sigma

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"strings"
)

// Sentinel tables keep structured payloads in string columns: SecurityEvent's
// EventData is XML, AWSCloudTrail's RequestParameters is JSON, Syslog's message
// holds auditd key=value pairs or Sysmon-for-Linux XML. A dotted path that runs
// into such a string decodes it (once per event) and continues inside it.

const maxEmbedded = 1 << 20

func decodeEmbedded(s string) (map[string]any, bool) {
	t := strings.TrimSpace(s)
	if t == "" || len(t) > maxEmbedded {
		return nil, false
	}
	switch t[0] {
	case '{':
		dec := json.NewDecoder(strings.NewReader(t))
		dec.UseNumber()
		var m map[string]any
		if dec.Decode(&m) != nil {
			return nil, false
		}
		return m, true
	case '<':
		return decodeEventXML(t)
	}
	if strings.IndexByte(t, '=') > 0 {
		m := decodeKV(t)
		return m, len(m) > 0
	}
	return nil, false
}

// decodeEventXML flattens Windows event XML: <Data Name="X">v</Data> becomes X,
// unnamed <Data> values collect under Data, other leaf elements keep their local
// name, and attributes become Element_Attribute (Provider_Name).
func decodeEventXML(s string) (map[string]any, bool) {
	if m, ok := fastEventXML(s); ok {
		return m, len(m) > 0
	}
	return slowEventXML(s)
}

// slowEventXML is decodeEventXML through encoding/xml.
func slowEventXML(s string) (map[string]any, bool) {
	d := xml.NewDecoder(strings.NewReader(s))
	d.Strict = false
	out := map[string]any{}
	type frame struct {
		name     string
		dataName string
		isData   bool
		text     bytes.Buffer
		children int
	}
	var stack []*frame
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			if len(out) == 0 {
				return nil, false
			}
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) > 64 {
				return out, true
			}
			if len(stack) > 0 {
				stack[len(stack)-1].children++
			}
			f := &frame{name: t.Name.Local, isData: t.Name.Local == "Data"}
			for _, a := range t.Attr {
				if f.isData && a.Name.Local == "Name" {
					f.dataName = a.Value
					continue
				}
				if a.Name.Space == "xmlns" || a.Name.Local == "xmlns" {
					continue
				}
				setFirst(out, t.Name.Local+"_"+a.Name.Local, a.Value)
			}
			stack = append(stack, f)
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			}
		case xml.EndElement:
			if len(stack) == 0 {
				continue
			}
			f := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			text := f.text.String()
			switch {
			case f.isData && f.dataName != "":
				setFirst(out, f.dataName, text)
			case f.isData:
				list, _ := out["Data"].([]any)
				out["Data"] = append(list, text)
			case f.children == 0 && strings.TrimSpace(text) != "":
				setFirst(out, f.name, text)
			}
		}
	}
	return out, len(out) > 0
}

func setFirst(m map[string]any, k string, v any) {
	if _, ok := m[k]; !ok {
		m[k] = v
	}
}

// decodeKV reads `key=value key2="quoted value"` text (auditd, many syslog formats).
func decodeKV(s string) map[string]any {
	out := map[string]any{}
	i := 0
	for i < len(s) {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == ',' || s[i] == ';') {
			i++
		}
		ks := i
		for i < len(s) && s[i] != '=' && s[i] != ' ' && s[i] != '\t' {
			i++
		}
		if i >= len(s) || s[i] != '=' || i == ks {
			for i < len(s) && s[i] != ' ' && s[i] != '\t' {
				i++
			}
			continue
		}
		key := s[ks:i]
		i++
		var val string
		if i < len(s) && (s[i] == '"' || s[i] == '\'') {
			q := s[i]
			j := strings.IndexByte(s[i+1:], q)
			if j < 0 {
				val = s[i+1:]
				i = len(s)
			} else {
				val = s[i+1 : i+1+j]
				i += j + 2
			}
		} else {
			vs := i
			for i < len(s) && s[i] != ' ' && s[i] != '\t' {
				i++
			}
			val = s[vs:i]
		}
		setFirst(out, key, val)
	}
	return out
}
