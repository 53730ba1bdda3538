package syntax

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Pos is a byte offset into the query text.
type Pos int

// NoPos marks a node or field that has no source position.
const NoPos Pos = -1

// Position is a resolved source location. Line and Column are 1-based;
// Column counts characters (runes), not bytes.
type Position struct {
	Offset int
	Line   int
	Column int
}

func (p Position) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Column) }

// PositionOf resolves a byte offset in src to a line and column.
// Offsets past the end clamp to the end of the text.
func PositionOf(src string, off Pos) Position {
	o := int(off)
	if o < 0 {
		o = 0
	}
	if o > len(src) {
		o = len(src)
	}
	lineStart := strings.LastIndexByte(src[:o], '\n') + 1
	line := strings.Count(src[:lineStart], "\n") + 1
	return Position{Offset: o, Line: line, Column: utf8.RuneCountInString(src[lineStart:o]) + 1}
}

// Error is a syntax error with its location.
type Error struct {
	Offset  int // byte offset
	Line    int // 1-based
	Column  int // 1-based, in characters
	Message string
}

func newError(src string, at Pos, format string, args ...any) *Error {
	p := PositionOf(src, at)
	return &Error{Offset: p.Offset, Line: p.Line, Column: p.Column, Message: fmt.Sprintf(format, args...)}
}

func (e *Error) Error() string { return fmt.Sprintf("%d:%d: %s", e.Line, e.Column, e.Message) }

// Format renders the error with the offending source line and a caret under
// the column, e.g.
//
//	2:9: expected ')' after function arguments, found 'where'
//	| where count(x where
//	              ^
func (e *Error) Format(src string) string {
	var b strings.Builder
	b.WriteString(e.Error())
	off := e.Offset
	if off < 0 || off > len(src) {
		return b.String()
	}
	start := strings.LastIndexByte(src[:off], '\n') + 1
	end := strings.IndexByte(src[off:], '\n')
	if end < 0 {
		end = len(src)
	} else {
		end += off
	}
	line := strings.TrimRight(src[start:end], "\r")
	b.WriteString("\n")
	b.WriteString(line)
	b.WriteString("\n")
	// Keep tabs so the caret lines up with the text above it.
	for _, r := range src[start:off] {
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
	}
	b.WriteString("^")
	return b.String()
}

// ErrorList formats several errors, one per block.
func ErrorList(src string, errs []*Error) string {
	parts := make([]string, len(errs))
	for i, e := range errs {
		parts[i] = e.Format(src)
	}
	return strings.Join(parts, "\n")
}
