package pattern

import (
	"regexp"
	"strconv"
	"strings"
)

// compileRegex turns a MATCHES operand (PCRE by the spec) into an RE2
// regexp. RE2 runs in linear time, which untrusted feed content needs,
// but it lacks some PCRE features. A few have exact RE2 spellings and are
// rewritten; the rest are reported with the reason so the indicator can
// be flagged instead of silently never matching:
//
//   - back-references (\1, \k<name>): need backtracking;
//   - look-ahead/behind ((?=, (?!, (?<=, (?<!): need backtracking;
//   - atomic groups (?>...) and possessive quantifiers (a*+): RE2 has no
//     notion of refusing to give back;
//   - recursion and subroutines ((?R), (?1), (?&n)), conditionals (?(...)),
//     \G, \K and extended mode (?x).
//
// Rewritten: \Z (end, or before a final newline), \h and \H, \e, \R,
// (?#comments) and (?'name'...) groups. One difference stays: PCRE's '$'
// also matches before a final newline, RE2's only at the very end.
func compileRegex(src string, maxBytes int) (*regexp.Regexp, string) {
	if len(src) > maxBytes {
		return nil, "regular expression longer than " + strconv.Itoa(maxBytes) + " bytes"
	}
	tr, why := translatePCRE(src)
	if why != "" {
		return nil, why
	}
	if len(tr) > maxBytes {
		return nil, "regular expression longer than " + strconv.Itoa(maxBytes) + " bytes once rewritten for RE2"
	}
	re, err := regexp.Compile(tr)
	if err != nil {
		return nil, "invalid regular expression: " + err.Error()
	}
	return re, ""
}

// translatePCRE rewrites the PCRE spellings above and rejects the
// unsupported ones. It tracks character classes so that, for example,
// "[(?=]" is left alone.
func translatePCRE(s string) (string, string) {
	var b strings.Builder
	inClass := false
	noPosixEnd := false // set once no ":]" remains, keeping the scan linear
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) {
			n := s[i+1]
			switch {
			case n == 'Q':
				// \Q...\E quotes everything up to \E; copy it untouched.
				end := strings.Index(s[i+2:], `\E`)
				if end < 0 {
					b.WriteString(s[i:])
					return b.String(), ""
				}
				b.WriteString(s[i : i+2+end+2])
				i += 1 + end + 2
				continue
			case !inClass && n >= '1' && n <= '9':
				return "", "back-reference \\" + string(n) + " is not supported by RE2"
			case !inClass && (n == 'k' || n == 'g'):
				return "", "back-reference or subroutine \\" + string(n) + " is not supported by RE2"
			case n == 'G' || n == 'K':
				return "", "\\" + string(n) + " is not supported by RE2"
			case !inClass && n == 'Z':
				b.WriteString(`(?:\n?\z)`)
			case n == 'h':
				b.WriteString(wrapClass(`\t\x{20}\x{A0}\x{1680}\x{180E}\x{2000}-\x{200A}\x{202F}\x{205F}\x{3000}`, inClass, false))
			case n == 'H' && !inClass:
				b.WriteString(wrapClass(`\t\x{20}\x{A0}\x{1680}\x{180E}\x{2000}-\x{200A}\x{202F}\x{205F}\x{3000}`, false, true))
			case n == 'e':
				b.WriteString(`\x1B`)
			case n == 'R' && !inClass:
				b.WriteString(`(?:\r\n|[\n\v\f\r\x{85}\x{2028}\x{2029}])`)
			default:
				b.WriteByte(c)
				b.WriteByte(n)
			}
			i++
			continue
		}
		if inClass {
			if c == '[' && !noPosixEnd && strings.HasPrefix(s[i:], "[:") {
				// POSIX class inside a bracket: copy through its ":]".
				end := strings.Index(s[i+2:], ":]")
				if end >= 0 {
					b.WriteString(s[i : i+2+end+2])
					i += 2 + end + 1
					continue
				}
				noPosixEnd = true
			}
			if c == ']' {
				inClass = false
			}
			b.WriteByte(c)
			continue
		}
		switch c {
		case '[':
			inClass = true
			b.WriteByte(c)
			// A ']' right after '[' or '[^' is a literal member.
			if i+1 < len(s) && s[i+1] == '^' {
				b.WriteByte('^')
				i++
			}
			if i+1 < len(s) && s[i+1] == ']' {
				b.WriteString(`\]`)
				i++
			}
			continue
		case '(':
			rest := s[i+1:]
			switch {
			case strings.HasPrefix(rest, "?#"):
				end := strings.IndexByte(rest, ')')
				if end < 0 {
					return "", "unterminated (?# comment"
				}
				i += end + 1
				continue
			case strings.HasPrefix(rest, "?="), strings.HasPrefix(rest, "?!"),
				strings.HasPrefix(rest, "?<="), strings.HasPrefix(rest, "?<!"):
				return "", "look-around assertions are not supported by RE2"
			case strings.HasPrefix(rest, "?>"):
				return "", "atomic groups (?>...) are not supported by RE2"
			case strings.HasPrefix(rest, "?|"):
				return "", "branch-reset groups (?|...) are not supported by RE2"
			case strings.HasPrefix(rest, "?("):
				return "", "conditional groups are not supported by RE2"
			case strings.HasPrefix(rest, "?R"), strings.HasPrefix(rest, "?&"), strings.HasPrefix(rest, "?P>"),
				len(rest) > 1 && rest[0] == '?' && (isDigit(rest[1]) || rest[1] == '+' || rest[1] == '-') && !isFlagGroup(rest[1:]):
				return "", "recursion and subroutine calls are not supported by RE2"
			case strings.HasPrefix(rest, "?'"):
				end := strings.IndexByte(rest[2:], '\'')
				if end < 0 {
					return "", "unterminated (?'name' group"
				}
				b.WriteString("(?P<" + rest[2:2+end] + ">")
				i += 2 + end + 1
				continue
			case len(rest) > 1 && rest[0] == '?' && isFlagGroup(rest[1:]) && strings.ContainsRune(flagRun(rest[1:]), 'x'):
				return "", "extended mode (?x) is not supported by RE2"
			}
		case '*', '+', '?', '}':
			if i+1 < len(s) && s[i+1] == '+' {
				return "", "possessive quantifiers (" + string(c) + "+) are not supported by RE2"
			}
		}
		b.WriteByte(c)
	}
	return b.String(), ""
}

// isFlagGroup reports whether s (after "(?") starts an inline flag group
// such as "i)", "-i)", "i:" or "im-s:".
func isFlagGroup(s string) bool {
	run := flagRun(s)
	return run != "" && len(run) < len(s) && (s[len(run)] == ')' || s[len(run)] == ':')
}

func flagRun(s string) string {
	i := 0
	for i < len(s) && strings.IndexByte("imsxUJn-", s[i]) >= 0 {
		i++
	}
	return s[:i]
}

// wrapClass writes a set of class members as a class or, inside a class
// already, as bare members.
func wrapClass(members string, inClass, negate bool) string {
	if inClass {
		return members
	}
	if negate {
		return "[^" + members + "]"
	}
	return "[" + members + "]"
}
