package cef

import "strings"

// headerFields names the six '|'-terminated fields after the version.
var headerFields = [6]string{"Device Vendor", "Device Product", "Device Version", "Device Event Class ID", "Name", "Severity"}

// Parse parses one CEF record starting with "CEF:" (leading whitespace and
// a UTF-8 BOM are skipped; use Find for records inside syslog lines).
//
// Leniencies seen in real devices: spaces after "CEF:" and around the
// extension, a missing '|' after Severity when there is no extension, and
// backslashes before characters that need no escaping (kept as sent).
func Parse(s string) (Event, error) {
	var e Event
	i := 0
	if strings.HasPrefix(s, "\xEF\xBB\xBF") {
		i = 3
	}
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	if !strings.HasPrefix(s[i:], "CEF:") {
		return e, errAt(s, i, `expected "CEF:"`)
	}
	i += 4
	for i < len(s) && s[i] == ' ' {
		i++
	}
	vStart := i
	for i < len(s) && isDigit(s[i]) && i-vStart < 9 {
		e.Version = e.Version*10 + int(s[i]-'0')
		i++
	}
	if i == vStart {
		return e, errAt(s, i, "expected the CEF version (digits)")
	}
	if i >= len(s) || s[i] != '|' {
		return e, errAt(s, i, "expected '|' after the CEF version")
	}
	i++

	dst := [6]*string{&e.DeviceVendor, &e.DeviceProduct, &e.DeviceVersion, &e.DeviceEventClassID, &e.Name, &e.Severity}
	for f := range dst {
		v, next, closed := headerField(s, i)
		*dst[f] = v
		i = next
		if !closed {
			if f == len(dst)-1 {
				break // "...|Severity" with no extension
			}
			return e, errAt(s, i, "header ends after %s: missing %s (a CEF header has 7 '|'-separated fields)",
				headerFields[f], strings.Join(headerFields[f+1:], ", "))
		}
	}
	e.Severity = strings.TrimSpace(e.Severity)
	e.Extensions = parseExtension(s[i:])
	return e, nil
}

// headerField reads up to the next unescaped '|', unescaping \| and \\.
func headerField(s string, i int) (val string, next int, closed bool) {
	var b strings.Builder
	start := i
	plain := true // no escapes seen: return a substring without copying
	for i < len(s) {
		c := s[i]
		switch {
		case c == '|':
			if plain {
				return s[start:i], i + 1, true
			}
			return b.String(), i + 1, true
		case c == '\\' && i+1 < len(s) && (s[i+1] == '|' || s[i+1] == '\\'):
			if plain {
				b.WriteString(s[start:i])
				plain = false
			}
			b.WriteByte(s[i+1])
			i += 2
		default:
			if !plain {
				b.WriteByte(c)
			}
			i++
		}
	}
	if plain {
		return s[start:], i, false
	}
	return b.String(), i, false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
