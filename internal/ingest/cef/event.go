package cef

import (
	"strings"
	"time"
)

// Event is one parsed CEF record. Header fields and extension values are
// unescaped.
type Event struct {
	Version            int
	DeviceVendor       string
	DeviceProduct      string
	DeviceVersion      string
	DeviceEventClassID string
	Name               string
	Severity           string // as sent, trimmed: "0".."10" or a word such as "High"

	// Extensions in the order received, duplicates kept. Text before the
	// first key (malformed senders) is kept as an Extension with Key "".
	Extensions []Extension

	// Host is not part of CEF: the caller sets it from the syslog header
	// around the record. It becomes the Computer column.
	Host string
	// Received anchors year-less CEF dates; the caller sets it. Zero means now.
	Received time.Time
}

// Extension is one key=value pair of the extension.
type Extension struct {
	Key   string
	Value string
}

// Get returns the first value for key, matching the short (src) and long
// (sourceAddress) forms of standard keys, case-insensitively.
func (e *Event) Get(key string) (string, bool) {
	want := canonical(key)
	for _, x := range e.Extensions {
		if canonical(x.Key) == want {
			return x.Value, true
		}
	}
	return "", false
}

// canonical folds the long form of a standard key onto its short form.
func canonical(k string) string {
	lk := strings.ToLower(k)
	if d, ok := keyIndex[lk]; ok {
		return d.short
	}
	return lk
}
