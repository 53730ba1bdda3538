package syslog

import "time"

// Format says which header grammar a message was parsed with.
type Format uint8

const (
	RFC3164 Format = iota + 1 // BSD syslog, parsed leniently
	RFC5424                   // IETF syslog
)

func (f Format) String() string {
	switch f {
	case RFC3164:
		return "RFC3164"
	case RFC5424:
		return "RFC5424"
	}
	return "unknown"
}

// Defaults that RFC 3164 section 4.3.3 prescribes when PRI is missing.
const (
	DefaultFacility = 1 // user
	DefaultSeverity = 5 // notice
)

// Message is one parsed syslog message. Strings never alias the input.
type Message struct {
	Format   Format
	HasPRI   bool // false when the defaults above were applied
	Facility int  // 0..23
	Severity int  // 0..7
	Version  int  // RFC 5424 VERSION; 0 for RFC 3164

	// Timestamp is zero when the message has none (NILVALUE, or a BSD
	// message without a recognisable timestamp). It keeps the sender's
	// offset when one was given.
	Timestamp time.Time

	Hostname string // "" when absent or NILVALUE
	AppName  string // RFC 5424 APP-NAME, or the RFC 3164 TAG
	ProcID   string // RFC 5424 PROCID, or the pid in "TAG[pid]:"
	MsgID    string // RFC 5424 only

	StructuredData    []SDElement
	StructuredDataRaw string // the STRUCTURED-DATA text as received; "" for NILVALUE

	Msg string // the free-form message, without a leading UTF-8 BOM
}

// SDElement is one RFC 5424 SD-ELEMENT: [id name="value" ...].
type SDElement struct {
	ID     string
	Params []SDParam
}

// SDParam is one SD-PARAM with its value unescaped.
type SDParam struct {
	Name  string
	Value string
}

// Param returns the value of the first parameter with that name.
func (e SDElement) Param(name string) (string, bool) {
	for _, p := range e.Params {
		if p.Name == name {
			return p.Value, true
		}
	}
	return "", false
}
