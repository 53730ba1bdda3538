package rule

import (
	"fmt"
	"strings"
)

// Severity separates problems that make a rule unusable from style findings.
type Severity uint8

const (
	SevError Severity = iota
	SevWarning
)

// Problem is one finding about a rule file, located by line and column.
type Problem struct {
	File     string
	Line     int
	Col      int
	Severity Severity
	Msg      string
}

func (p *Problem) Error() string {
	sev := "error"
	if p.Severity == SevWarning {
		sev = "warning"
	}
	loc := p.File
	if p.Line > 0 {
		loc = fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
	}
	return fmt.Sprintf("%s: %s: %s", loc, sev, p.Msg)
}

// Problems is every finding in a file; it is an error only when it holds errors.
type Problems []*Problem

func (ps Problems) Error() string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(p.Error())
	}
	return b.String()
}

// HasErrors reports whether any finding is an error (not a warning).
func (ps Problems) HasErrors() bool {
	for _, p := range ps {
		if p.Severity == SevError {
			return true
		}
	}
	return false
}

// Errors returns only the error findings.
func (ps Problems) Errors() Problems {
	var out Problems
	for _, p := range ps {
		if p.Severity == SevError {
			out = append(out, p)
		}
	}
	return out
}

// Pos is a 1-based position in the rule file.
type Pos struct {
	Line int
	Col  int
}
