package syslog

import (
	"fmt"
	"strconv"
)

// ParseError reports where a header stopped making sense.
type ParseError struct {
	Offset   int    // byte offset into the input
	Expected string // what the grammar wanted there
	Found    string // a short quote of the input at Offset, or "end of input"
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("syslog: at byte %d: expected %s, found %s", e.Offset, e.Expected, e.Found)
}

// errAt builds a ParseError quoting at most 16 bytes of b at off.
func errAt(b []byte, off int, expected string) *ParseError {
	found := "end of input"
	if off < len(b) {
		end := min(off+16, len(b))
		found = strconv.Quote(string(b[off:end]))
		if end < len(b) {
			found += "..."
		}
	}
	return &ParseError{Offset: off, Expected: expected, Found: found}
}
