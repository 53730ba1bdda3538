package syslog

import (
	"strings"
	"unicode/utf8"
)

// facilityNames follows Azure Monitor's syslog facility names, which is what
// Sentinel's Syslog.Facility holds: codes 13, 14 and 15 are "audit", "alert"
// and "clock" (not "security"/"console"/"cron2" as some daemons call them).
var facilityNames = [24]string{
	"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
	"uucp", "cron", "authpriv", "ftp", "ntp", "audit", "alert", "clock",
	"local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7",
}

// severityNames are Sentinel's Syslog.SeverityLevel spellings (the syslog(3)
// keywords). Data collected by legacy agents may show "warn" instead.
var severityNames = [8]string{"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"}

// FacilityName returns the Sentinel name of a facility code, "" if out of range.
func FacilityName(f int) string {
	if f < 0 || f >= len(facilityNames) {
		return ""
	}
	return facilityNames[f]
}

// SeverityName returns the Sentinel name of a severity code, "" if out of range.
func SeverityName(s int) string {
	if s < 0 || s >= len(severityNames) {
		return ""
	}
	return severityNames[s]
}

// eventTimeLayout is RFC 3339 with a fixed nine-digit fraction.
const eventTimeLayout = "2006-01-02T15:04:05.000000000Z07:00"

// Columns maps m onto Sentinel's Syslog table. peerIP is the sender's
// address as seen by the listener. Empty values are not set.
//
// The table has no place for RFC 5424 MSGID, and SyslogMessage would lose
// STRUCTURED-DATA, so when present the raw STRUCTURED-DATA text is kept in
// front of the message, separated by a space. Invalid UTF-8 is replaced.
func (m *Message) Columns(peerIP string, set func(col, val string)) {
	put := func(col, val string) {
		if val == "" {
			return
		}
		if !utf8.ValidString(val) {
			val = strings.ToValidUTF8(val, "\uFFFD")
		}
		set(col, val)
	}
	host := m.Hostname
	if host == "" {
		host = peerIP
	}
	put("Computer", host)
	put("HostName", host)
	put("HostIP", peerIP)
	put("Facility", FacilityName(m.Facility))
	put("SeverityLevel", SeverityName(m.Severity))
	put("ProcessName", m.AppName)
	if isNumber(m.ProcID) {
		put("ProcessID", m.ProcID)
	}
	msg := m.Msg
	if m.StructuredDataRaw != "" {
		if msg == "" {
			msg = m.StructuredDataRaw
		} else {
			msg = m.StructuredDataRaw + " " + msg
		}
	}
	put("SyslogMessage", msg)
	if !m.Timestamp.IsZero() {
		put("EventTime", m.Timestamp.UTC().Format(eventTimeLayout))
	}
}

// isNumber accepts what fits the int ProcessID column: 1 to 9 digits.
func isNumber(s string) bool {
	if s == "" || len(s) > 9 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}
