package pattern

import (
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"
)

// checkTimestamp validates the body of t'...': YYYY-MM-DDTHH:MM:SS[.frac]Z
// with upper-case T and Z, field ranges as in the grammar (second 60 is a
// leap second), and a date that exists. It returns "" when valid.
func checkTimestamp(s string) string {
	_, msg := parseTimestamp(s)
	return msg
}

// parseTimestamp returns the instant of a STIX timestamp body.
func parseTimestamp(s string) (time.Time, string) {
	const shape = "YYYY-MM-DDTHH:MM:SS"
	if len(s) < len(shape)+1 {
		return time.Time{}, "want YYYY-MM-DDTHH:MM:SS[.fraction]Z"
	}
	for i := 0; i < len(shape); i++ {
		c := s[i]
		switch shape[i] {
		case '-', ':', 'T':
			if c != shape[i] {
				return time.Time{}, "want YYYY-MM-DDTHH:MM:SS[.fraction]Z with upper-case T"
			}
		default:
			if !isDigit(c) {
				return time.Time{}, "want YYYY-MM-DDTHH:MM:SS[.fraction]Z"
			}
		}
	}
	rest := s[len(shape):]
	frac := ""
	if rest[0] == '.' {
		j := 1
		for j < len(rest) && isDigit(rest[j]) {
			j++
		}
		if j == 1 {
			return time.Time{}, "empty fraction of a second"
		}
		frac = rest[1:j]
		rest = rest[j:]
	}
	if rest != "Z" {
		return time.Time{}, "timestamps must be UTC and end in upper-case Z"
	}
	num := func(a, b int) int {
		n := 0
		for _, c := range s[a:b] {
			n = n*10 + int(c-'0')
		}
		return n
	}
	year, month, day := num(0, 4), num(5, 7), num(8, 10)
	hour, minute, sec := num(11, 13), num(14, 16), num(17, 19)
	switch {
	case month < 1 || month > 12:
		return time.Time{}, "month out of range"
	case day < 1 || day > 31:
		return time.Time{}, "day out of range"
	case hour > 23:
		return time.Time{}, "hour out of range"
	case minute > 59:
		return time.Time{}, "minute out of range"
	case sec > 60:
		return time.Time{}, "second out of range"
	}
	t := time.Date(year, time.Month(month), day, hour, minute, 0, 0, time.UTC)
	if t.Day() != day {
		return time.Time{}, "no such date"
	}
	ns := 0
	for i := 0; i < 9; i++ {
		ns *= 10
		if i < len(frac) {
			ns += int(frac[i] - '0')
		}
	}
	// A leap second (:60) is the first instant of the next minute.
	return t.Add(time.Duration(sec)*time.Second + time.Duration(ns)), ""
}

// checkHex validates the body of h'...': whole bytes of hex digits.
func checkHex(s string) string {
	if len(s)%2 != 0 {
		return "odd number of hex digits (need whole bytes)"
	}
	if _, err := hex.DecodeString(s); err != nil {
		return "not hexadecimal"
	}
	return ""
}

// checkBase64 validates the body of b'...'. STIX 2.1 wants at least one
// group of padded base64; the STIX 2.0 grammar allowed any run of base64
// characters, so 2.0 mode accepts missing padding and the empty string.
func checkBase64(s string, lenient bool) string {
	if _, ok := decodeBase64(s, lenient); !ok {
		if lenient {
			return "not base64"
		}
		return "not padded base64"
	}
	return ""
}

func isBase64Char(c byte) bool {
	return c == '+' || c == '/' || isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

// decodeBase64 checks the character set itself: the standard decoder
// skips newlines, which the grammar does not allow.
func decodeBase64(s string, lenient bool) ([]byte, bool) {
	body := strings.TrimRight(s, "=")
	pad := len(s) - len(body)
	for i := 0; i < len(body); i++ {
		if !isBase64Char(body[i]) {
			return nil, false
		}
	}
	if !lenient && (len(s) == 0 || len(s)%4 != 0 || pad > 2) {
		return nil, false
	}
	if lenient && (pad > 2 || len(body)%4 == 1) {
		return nil, false
	}
	// Not Strict: the grammar accepts non-zero trailing bits.
	b, err := base64.RawStdEncoding.DecodeString(body)
	return b, err == nil
}

func hexBytes(s string) []byte {
	b, _ := hex.DecodeString(s)
	return b
}
