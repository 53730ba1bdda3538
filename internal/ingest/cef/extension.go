package cef

import "strings"

// parseExtension splits "k1=v1 k2=v2 ..." where a value runs until the
// next " key=" (values may contain spaces and unescaped '=' that is not
// preceded by a key-like word). Keys are runs of letters, digits and
// _ . [ ] - starting after a space or tab; an '=' escaped with a backslash
// never ends a key.
func parseExtension(s string) []Extension {
	s = strings.Trim(s, " \t\r\n")
	if s == "" {
		return nil
	}
	type span struct{ start, eq int }
	var keys []span
	for eq := strings.IndexByte(s, '='); eq >= 0; {
		if k := keyStart(s, eq); k >= 0 {
			keys = append(keys, span{k, eq})
		}
		next := strings.IndexByte(s[eq+1:], '=')
		if next < 0 {
			break
		}
		eq += 1 + next
	}
	var out []Extension
	if len(keys) == 0 || strings.TrimSpace(s[:keys[0].start]) != "" {
		end := len(s)
		if len(keys) > 0 {
			end = keys[0].start
		}
		out = append(out, Extension{Value: unescape(strings.TrimRight(s[:end], " \t"))})
	}
	for i, k := range keys {
		end := len(s)
		if i+1 < len(keys) {
			end = keys[i+1].start
		}
		out = append(out, Extension{
			Key:   s[k.start:k.eq],
			Value: unescape(strings.TrimRight(s[k.eq+1:end], " \t")),
		})
	}
	return out
}

// keyStart returns where the key ending at s[eq] ('=') starts, or -1.
func keyStart(s string, eq int) int {
	bs := 0
	for j := eq - 1; j >= 0 && s[j] == '\\'; j-- {
		bs++
	}
	if bs%2 == 1 {
		return -1 // escaped '='
	}
	k := eq
	for k > 0 && isKeyByte(s[k-1]) {
		k--
	}
	if k == eq || !isKeyStartByte(s[k]) {
		return -1
	}
	if k > 0 && s[k-1] != ' ' && s[k-1] != '\t' {
		return -1
	}
	return k
}

func isKeyStartByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) || c == '_'
}

func isKeyByte(c byte) bool {
	return isKeyStartByte(c) || c == '.' || c == '[' || c == ']' || c == '-'
}

// unescape decodes \= \\ \n \r; any other backslash is kept as sent.
func unescape(v string) string {
	if strings.IndexByte(v, '\\') < 0 {
		return v
	}
	var b strings.Builder
	b.Grow(len(v))
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == '\\' && i+1 < len(v) {
			switch v[i+1] {
			case '=', '\\':
				b.WriteByte(v[i+1])
				i++
				continue
			case 'n':
				b.WriteByte('\n')
				i++
				continue
			case 'r':
				b.WriteByte('\r')
				i++
				continue
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}
