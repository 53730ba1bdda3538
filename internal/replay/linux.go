package replay

import (
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
)

// auditdLine turns one raw audit.log record into the Syslog row the server stores
// for it: the record text in SyslogMessage, which the Sigma pipeline reads as
// key=value pairs (type, exe, comm, a0, ...). Records of one event (same
// audit(<time>:<serial>) id) stay separate rows, as Sigma's auditd rules expect.
func auditdLine(line string) (Row, error) {
	line = strings.TrimSpace(line)
	if !strings.HasPrefix(line, "type=") {
		return Row{}, errors.New("auditd: record does not start with type=")
	}
	row := map[string]any{"SyslogMessage": decodeProctitle(line)}
	if ts, ok := auditTime(line); ok {
		row["TimeGenerated"] = ts
	}
	return Row{Table: "Syslog", Fields: row}, nil
}

// auditTime reads the epoch of msg=audit(1604994496.155:92733).
func auditTime(line string) (string, bool) {
	i := strings.Index(line, "audit(")
	if i < 0 {
		return "", false
	}
	rest := line[i+len("audit("):]
	j := strings.IndexByte(rest, ':')
	if j < 0 {
		return "", false
	}
	return epochText(rest[:j])
}

// epochText renders "1604994496.155" (seconds, optional fraction) as RFC 3339,
// without going through a float.
func epochText(s string) (string, bool) {
	secText, fracText, _ := strings.Cut(s, ".")
	sec, err := strconv.ParseInt(secText, 10, 64)
	if err != nil || sec < 0 || sec > 1e11 {
		return "", false
	}
	var nsec int64
	if fracText != "" {
		if len(fracText) > 9 {
			fracText = fracText[:9]
		}
		f, err := strconv.ParseInt(fracText, 10, 64)
		if err != nil || f < 0 {
			return "", false
		}
		for k := len(fracText); k < 9; k++ {
			f *= 10
		}
		nsec = f
	}
	return time.Unix(sec, nsec).UTC().Format(time.RFC3339Nano), true
}

// decodeProctitle rewrites a hex-encoded proctitle (auditd encodes it when the
// command line has spaces or NULs) as quoted text with NULs as spaces, as
// `ausearch -i` shows it, so command-line patterns can match.
func decodeProctitle(line string) string {
	const key = " proctitle="
	i := strings.Index(line, key)
	if i < 0 {
		return line
	}
	start := i + len(key)
	end := strings.IndexByte(line[start:], ' ')
	if end < 0 {
		end = len(line)
	} else {
		end += start
	}
	raw := line[start:end]
	if len(raw) == 0 || len(raw)%2 != 0 || strings.HasPrefix(raw, `"`) {
		return line
	}
	b, err := hex.DecodeString(raw)
	if err != nil {
		return line
	}
	text := strings.TrimRight(strings.ReplaceAll(string(b), "\x00", " "), " ")
	text = strings.ReplaceAll(text, `"`, `'`)
	return line[:start] + `"` + text + `"` + line[end:]
}
