package pattern

import (
	"fmt"
	"unicode/utf8"
)

// ErrorClass groups parse errors so callers can report or count them.
type ErrorClass string

const (
	ClassLexical ErrorClass = "lexical" // bad character, unterminated string or comment, bad escape
	ClassSyntax  ErrorClass = "syntax"  // token sequence not allowed by the grammar
	ClassLiteral ErrorClass = "literal" // malformed typed literal: timestamp, hex, base64, number
	ClassVersion ErrorClass = "version" // valid in another STIX version only (EXISTS in 2.0)
	ClassRule    ErrorClass = "rule"    // grammatical but breaks a spec rule (REPEATS 0, STOP <= START)
	ClassLimit   ErrorClass = "limit"   // exceeds a resource limit
)

// Error is a parse error with its position and, for syntax errors, what
// the parser expected there.
type Error struct {
	Class    ErrorClass
	Offset   int    // byte offset into the pattern
	Line     int    // 1-based
	Column   int    // 1-based, in characters
	Expected string // what would have been accepted, when known
	Found    string // what was there instead
	Msg      string // message when Expected is empty
}

func (e *Error) Error() string {
	where := fmt.Sprintf("stix pattern: line %d, column %d (offset %d): ", e.Line, e.Column, e.Offset)
	if e.Expected != "" {
		return where + "expected " + e.Expected + ", found " + e.Found
	}
	return where + e.Msg
}

// newError fills in the line and column of offset pos in src.
func newError(src string, pos int, class ErrorClass, expected, found, msg string) *Error {
	if pos > len(src) {
		pos = len(src)
	}
	line, col := 1, 1
	for i := 0; i < pos; {
		r, n := utf8.DecodeRuneInString(src[i:])
		if r == '\n' {
			line++
			col = 1
		} else {
			col++
		}
		i += n
	}
	return &Error{Class: class, Offset: pos, Line: line, Column: col, Expected: expected, Found: found, Msg: msg}
}
