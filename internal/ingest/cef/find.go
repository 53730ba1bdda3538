package cef

import "strings"

// Find returns the index of the CEF record in msg, or -1. The record may
// start the string or follow a prefix (a syslog header, a host name, a
// timestamp): "CEF:" must then follow a non-alphanumeric byte, and be
// followed by optional spaces, version digits and '|'.
func Find(msg string) int {
	for off := 0; ; {
		i := strings.Index(msg[off:], "CEF:")
		if i < 0 {
			return -1
		}
		i += off
		if (i == 0 || !isAlnum(msg[i-1])) && versionFollows(msg, i+4) {
			return i
		}
		off = i + 4
	}
}

// IsCEF reports whether msg contains a CEF record.
func IsCEF(msg string) bool { return Find(msg) >= 0 }

func versionFollows(s string, i int) bool {
	for i < len(s) && s[i] == ' ' {
		i++
	}
	start := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i > start && i < len(s) && s[i] == '|'
}

func isAlnum(c byte) bool {
	return isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
