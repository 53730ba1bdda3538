package cef

import (
	"fmt"
	"strconv"
)

// ParseError reports where a record stopped being CEF.
type ParseError struct {
	Offset int    // byte offset into the input
	Msg    string // what was expected or is missing
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("cef: at byte %d: %s", e.Offset, e.Msg)
}

func errAt(s string, off int, format string, args ...any) *ParseError {
	msg := fmt.Sprintf(format, args...)
	if off < len(s) {
		end := min(off+16, len(s))
		q := strconv.Quote(s[off:end])
		if end < len(s) {
			q += "..."
		}
		msg += ", found " + q
	} else {
		msg += ", found end of input"
	}
	return &ParseError{Offset: off, Msg: msg}
}
