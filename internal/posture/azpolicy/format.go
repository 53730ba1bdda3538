package azpolicy

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// format() follows .NET composite formatting: {index[,alignment][:format]},
// "{{" and "}}" for literal braces, and the standard numeric format
// specifiers C, D, E, F, G, N, P and X with the invariant culture.

// maxAlignment bounds padding so a format string cannot allocate at will.
const maxAlignment = 10000

func formatComposite(f string, args []any) (string, error) {
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		switch f[i] {
		case '{':
			if i+1 < len(f) && f[i+1] == '{' {
				b.WriteByte('{')
				i++
				continue
			}
			end := strings.IndexByte(f[i:], '}')
			if end < 0 {
				return "", fmt.Errorf("unmatched opening brace at offset %d", i)
			}
			s, err := formatItem(f[i+1:i+end], args)
			if err != nil {
				return "", err
			}
			b.WriteString(s)
			i += end
		case '}':
			if i+1 < len(f) && f[i+1] == '}' {
				b.WriteByte('}')
				i++
				continue
			}
			return "", fmt.Errorf("unmatched closing brace at offset %d", i)
		default:
			b.WriteByte(f[i])
		}
	}
	return b.String(), nil
}

// formatItem formats one placeholder body: index[,alignment][:format].
func formatItem(item string, args []any) (string, error) {
	spec, format, hasFormat := strings.Cut(item, ":")
	idxText, align, hasAlign := strings.Cut(spec, ",")
	idx, err := strconv.Atoi(strings.TrimSpace(idxText))
	if err != nil || idx < 0 || strings.HasPrefix(idxText, " ") {
		return "", fmt.Errorf("invalid placeholder {%s}", item)
	}
	if idx >= len(args) {
		return "", fmt.Errorf("placeholder {%d} references argument index %d, but only %d argument(s) were given", idx, idx, len(args))
	}
	width := 0
	if hasAlign {
		a := strings.TrimSpace(align)
		if a == "" {
			return "", fmt.Errorf("empty alignment value in {%s}", item)
		}
		w, err := strconv.Atoi(a)
		if err != nil {
			return "", fmt.Errorf("invalid alignment %q in {%s}", align, item)
		}
		if w > maxAlignment || w < -maxAlignment {
			return "", fmt.Errorf("alignment %d exceeds maximum allowed (%d)", w, maxAlignment)
		}
		width = w
	}
	s, err := formatValue(args[idx], format, hasFormat)
	if err != nil {
		return "", err
	}
	if pad := abs(width) - utf8.RuneCountInString(s); pad > 0 {
		if width > 0 {
			s = strings.Repeat(" ", pad) + s
		} else {
			s += strings.Repeat(" ", pad)
		}
	}
	return s, nil
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func formatValue(v any, format string, hasFormat bool) (string, error) {
	f, isInt, isNum := number(v)
	if !hasFormat || format == "" || !isNum {
		return scalarString(v), nil
	}
	spec := format[0]
	prec := -1
	if len(format) > 1 {
		p, err := strconv.Atoi(format[1:])
		if err != nil || p < 0 || p > 99 {
			return "", fmt.Errorf("invalid numeric format specifier %q", format)
		}
		prec = p
	}
	orDefault := func(d int) int {
		if prec < 0 {
			return d
		}
		return prec
	}
	switch spec {
	case 'D', 'd':
		if !isInt {
			return "", fmt.Errorf("format %q needs an integer", format)
		}
		i, _ := asInt(v)
		digits := strconv.FormatInt(absInt(i), 10)
		if n := orDefault(0) - len(digits); n > 0 {
			digits = strings.Repeat("0", n) + digits
		}
		if i < 0 {
			digits = "-" + digits
		}
		return digits, nil
	case 'X', 'x':
		if !isInt {
			return "", fmt.Errorf("format %q needs an integer", format)
		}
		i, _ := asInt(v)
		h := strconv.FormatUint(uint64(i), 16)
		if spec == 'X' {
			h = strings.ToUpper(h)
		}
		if n := orDefault(0) - len(h); n > 0 {
			h = strings.Repeat("0", n) + h
		}
		return h, nil
	case 'F', 'f':
		return strconv.FormatFloat(f, 'f', orDefault(2), 64), nil
	case 'N', 'n':
		return groupThousands(strconv.FormatFloat(f, 'f', orDefault(2), 64)), nil
	case 'P', 'p':
		return groupThousands(strconv.FormatFloat(f*100, 'f', orDefault(2), 64)) + " %", nil
	case 'C', 'c':
		return "¤" + groupThousands(strconv.FormatFloat(math.Abs(f), 'f', orDefault(2), 64)), nil
	case 'E', 'e':
		return dotnetExponent(f, orDefault(6), spec), nil
	case 'G', 'g':
		if prec > 0 {
			return strconv.FormatFloat(f, 'g', prec, 64), nil
		}
		return formatNumber(v), nil
	}
	return "", fmt.Errorf("invalid numeric format specifier %q", format)
}

func absInt(i int64) int64 {
	if i < 0 {
		return -i
	}
	return i
}

// groupThousands inserts ',' between groups of three integer digits.
func groupThousands(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		return sign + b.String() + "." + frac
	}
	return sign + b.String()
}

// dotnetExponent formats like .NET's "E": 1.234560E+003.
func dotnetExponent(f float64, prec int, spec byte) string {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	s := strconv.FormatFloat(f, 'e', prec, 64)
	mant, exp, _ := strings.Cut(s, "e")
	sign := exp[0]
	digits := exp[1:]
	for len(digits) < 3 {
		digits = "0" + digits
	}
	return mant + string(spec) + string(sign) + digits
}
