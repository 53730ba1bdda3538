package stix

import (
	"strings"
	"time"
)

// validType reports whether s is a legal STIX type name: 3–250 characters
// of a–z, 0–9 and '-', not starting or ending with '-' and without "--".
func validType(s string) bool {
	if len(s) < 3 || len(s) > 250 || s[0] == '-' || s[len(s)-1] == '-' || strings.Contains(s, "--") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// SplitID splits "type--uuid" into its parts; ok is false when id is not
// a well-formed STIX identifier.
func SplitID(id string) (typ, uuid string, ok bool) {
	i := strings.LastIndex(id, "--")
	if i <= 0 {
		return "", "", false
	}
	typ, uuid = id[:i], id[i+2:]
	return typ, uuid, validType(typ) && validUUID(uuid)
}

// TypeOfID returns the type part of an identifier, or "" when malformed.
func TypeOfID(id string) string {
	t, _, ok := SplitID(id)
	if !ok {
		return ""
	}
	return t
}

// validUUID checks the 8-4-4-4-12 hex layout. The version and variant
// bits are not checked: real producers emit all sorts.
func validUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// ParseTime parses a STIX timestamp (RFC 3339, any fraction up to
// nanoseconds). strict is false when the value is parseable but not in
// the required UTC "Z" form.
func ParseTime(s string) (t time.Time, strict bool, err error) {
	t, err = time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, false, err
	}
	return t.UTC(), strings.HasSuffix(s, "Z") && strings.Contains(s, "T"), nil
}

// FormatTime writes a timestamp in the STIX form with millisecond
// precision, or micro- or nanoseconds when the value carries them.
func FormatTime(t time.Time) string {
	t = t.UTC()
	switch ns := t.Nanosecond(); {
	case ns%int(time.Millisecond) == 0:
		return t.Format("2006-01-02T15:04:05.000Z")
	case ns%int(time.Microsecond) == 0:
		return t.Format("2006-01-02T15:04:05.000000Z")
	}
	return t.Format("2006-01-02T15:04:05.000000000Z")
}

// hasMillis reports whether a timestamp text has at least three fraction
// digits, which STIX 2.1 requires for created and modified.
func hasMillis(s string) bool {
	i := strings.IndexByte(s, '.')
	if i < 0 {
		return false
	}
	n := 0
	for _, c := range s[i+1:] {
		if c < '0' || c > '9' {
			break
		}
		n++
	}
	return n >= 3
}

// propertyNameOK applies the STIX 2.1 property-name rule: ASCII a–z, 0–9
// and '_', 3 to 250 characters (shorter names are the spec's own).
func propertyNameOK(s string) bool {
	if len(s) > 250 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return len(s) >= 3
}
