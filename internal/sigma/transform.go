package sigma

import (
	"encoding/base64"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Value transformations applied by modifiers before a pattern is compiled.

func utf16Bytes(s string, bigEndian, bom bool) string {
	units := utf16.Encode([]rune(s))
	b := make([]byte, 0, 2*len(units)+2)
	if bom {
		b = append(b, 0xFF, 0xFE)
	}
	for _, u := range units {
		if bigEndian {
			b = append(b, byte(u>>8), byte(u))
		} else {
			b = append(b, byte(u), byte(u>>8))
		}
	}
	return string(b)
}

// base64Offsets returns the three Base64 fragments the value produces when it
// sits at byte offset 0, 1 or 2 of a longer encoded blob: only the characters that
// depend on the value's bytes alone are kept.
func base64Offsets(s string) []string {
	startDrop := [3]int{0, 2, 3}
	endDrop := [3]int{0, 3, 2}
	out := make([]string, 0, 3)
	for i := 0; i < 3; i++ {
		enc := base64.StdEncoding.EncodeToString(append(make([]byte, i), s...))
		a, b := startDrop[i], len(enc)-endDrop[(len(s)+i)%3]
		if a < b {
			out = append(out, enc[a:b])
		}
	}
	return out
}

func isWordRune(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

// windash turns every `-` or `/` that starts a word (preceded by the start, a
// wildcard or a non-word character, and followed by a word character) into a dash
// class, instead of expanding 5^n variants.
func windash(t tokens) tokens {
	var out tokens
	for _, x := range t {
		if x.kind != tokLit {
			out = append(out, x)
			continue
		}
		s := x.s
		start := 0
		prevWord := false // start of value or after a wildcard counts as non-word
		for i := 0; i < len(s); {
			r, n := utf8.DecodeRuneInString(s[i:])
			if (r == '-' || r == '/') && !prevWord {
				next, _ := utf8.DecodeRuneInString(s[i+n:])
				if i+n < len(s) && isWordRune(next) {
					if i > start {
						out = append(out, token{tokLit, s[start:i]})
					}
					out = append(out, token{kind: tokDash})
					start = i + n
				}
			}
			prevWord = isWordRune(r)
			i += n
		}
		if start < len(s) {
			out = append(out, token{tokLit, s[start:]})
		}
	}
	return out
}

// expandPlaceholders resolves `%name%` placeholders in a raw value into every
// combination of the configured values; `\%` stays a literal percent.
func expandPlaceholders(raw string, values map[string][]string) ([]string, error) {
	const maxVariants = 10000
	variants := []string{""}
	for i := 0; i < len(raw); {
		if raw[i] == '\\' && i+1 < len(raw) && raw[i+1] == '%' {
			for k := range variants {
				variants[k] += "%"
			}
			i += 2
			continue
		}
		if raw[i] == '%' {
			if j := strings.IndexByte(raw[i+1:], '%'); j > 0 {
				name := raw[i+1 : i+1+j]
				vals, ok := values[name]
				if !ok || len(vals) == 0 {
					return nil, fmt.Errorf("placeholder %%%s%% has no configured values", name)
				}
				if len(variants)*len(vals) > maxVariants {
					return nil, fmt.Errorf("placeholder %%%s%% expands to more than %d values", name, maxVariants)
				}
				next := make([]string, 0, len(variants)*len(vals))
				for _, v := range variants {
					for _, x := range vals {
						next = append(next, v+x)
					}
				}
				variants = next
				i += j + 2
				continue
			}
		}
		for k := range variants {
			variants[k] += raw[i : i+1]
		}
		i++
	}
	return variants, nil
}
