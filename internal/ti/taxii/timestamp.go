package taxii

import (
	"strings"
	"time"
)

// FormatTimestamp writes a TAXII timestamp with microsecond precision,
// the form medallion and the recorded exchanges use for date_added.
func FormatTimestamp(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000000Z")
}

// ParseTimestamp reads an RFC 3339 timestamp; TAXII requires UTC ("Z").
func ParseTimestamp(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, err
	}
	if !strings.HasSuffix(s, "Z") {
		return time.Time{}, &time.ParseError{Layout: "Z", Value: s, Message: ": timestamp must be UTC (Z)"}
	}
	return t.UTC(), nil
}
