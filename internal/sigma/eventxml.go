package sigma

import (
	"strconv"
	"strings"
)

// fastEventXML decodes the usual shape of Windows event XML (elements,
// attributes, text with the predefined and numeric character references,
// comments, a leading declaration) exactly as decodeEventXML does, several times
// faster than encoding/xml. ok is false for anything else (non-ASCII text,
// CDATA, namespace prefixes, unknown entities, unbalanced tags...): the caller
// then takes the encoding/xml path, which defines the result.
func fastEventXML(s string) (out map[string]any, ok bool) {
	type frame struct {
		name     string
		dataName string
		isData   bool
		text     []byte
		children int
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return nil, false
		}
	}
	out = map[string]any{}
	var stack []frame
	i := 0
	for i < len(s) {
		if s[i] != '<' {
			j := strings.IndexByte(s[i:], '<')
			if j < 0 {
				j = len(s) - i
			}
			if len(stack) > 0 {
				t, good := unescapeXML(stack[len(stack)-1].text, s[i:i+j])
				if !good {
					return nil, false
				}
				stack[len(stack)-1].text = t
			} else if strings.ContainsAny(s[i:i+j], "&>") {
				return nil, false
			}
			i += j
			continue
		}
		rest := s[i:]
		switch {
		case strings.HasPrefix(rest, "<!--"):
			j := strings.Index(rest[4:], "-->")
			if j < 0 || strings.Contains(rest[4:4+j], "--") {
				return nil, false
			}
			i += 4 + j + 3
			continue
		case strings.HasPrefix(rest, "<?"):
			if len(stack) > 0 || i > 0 && strings.TrimSpace(s[:i]) != "" {
				return nil, false
			}
			j := strings.Index(rest, "?>")
			if j < 0 || !plainDeclaration(rest[:j+2]) {
				return nil, false
			}
			i += j + 2
			continue
		case strings.HasPrefix(rest, "</"):
			name, n := xmlName(rest[2:])
			k := 2 + n
			for k < len(rest) && isXMLSpace(rest[k]) {
				k++
			}
			if name == "" || k >= len(rest) || rest[k] != '>' || len(stack) == 0 || stack[len(stack)-1].name != name {
				return nil, false
			}
			i += k + 1
			f := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			endFrame(out, f.name, f.dataName, f.isData, string(f.text), f.children)
			continue
		}
		name, n := xmlName(rest[1:])
		if name == "" || strings.IndexByte(name, ':') >= 0 {
			return nil, false
		}
		if len(stack) > 64 {
			return out, true // as decodeEventXML: stop at this depth
		}
		if len(stack) > 0 {
			stack[len(stack)-1].children++
		}
		f := frame{name: name, isData: name == "Data"}
		k := 1 + n
		selfClose := false
		for {
			start := k
			for k < len(rest) && isXMLSpace(rest[k]) {
				k++
			}
			if k >= len(rest) {
				return nil, false
			}
			if rest[k] == '>' {
				k++
				break
			}
			if strings.HasPrefix(rest[k:], "/>") {
				k += 2
				selfClose = true
				break
			}
			if k == start {
				return nil, false // attributes must be separated by space
			}
			an, m := xmlName(rest[k:])
			if an == "" {
				return nil, false
			}
			k += m
			for k < len(rest) && isXMLSpace(rest[k]) {
				k++
			}
			if k >= len(rest) || rest[k] != '=' {
				return nil, false
			}
			k++
			for k < len(rest) && isXMLSpace(rest[k]) {
				k++
			}
			if k >= len(rest) || rest[k] != '"' && rest[k] != '\'' {
				return nil, false
			}
			q := rest[k]
			end := strings.IndexByte(rest[k+1:], q)
			if end < 0 {
				return nil, false
			}
			raw := rest[k+1 : k+1+end]
			k += end + 2
			if strings.IndexByte(raw, '<') >= 0 {
				return nil, false
			}
			v, good := unescapeXML(nil, raw)
			if !good {
				return nil, false
			}
			switch {
			case an == "xmlns" || strings.HasPrefix(an, "xmlns:"):
			case strings.IndexByte(an, ':') >= 0:
				return nil, false
			case f.isData && an == "Name":
				f.dataName = string(v)
			default:
				setFirst(out, name+"_"+an, string(v))
			}
		}
		i += k
		if selfClose {
			endFrame(out, f.name, f.dataName, f.isData, "", 0)
			continue
		}
		stack = append(stack, f)
	}
	if len(stack) > 0 {
		return nil, false
	}
	return out, len(out) > 0
}

// endFrame records a closed element as decodeEventXML does.
func endFrame(out map[string]any, name, dataName string, isData bool, text string, children int) {
	switch {
	case isData && dataName != "":
		setFirst(out, dataName, text)
	case isData:
		list, _ := out["Data"].([]any)
		out["Data"] = append(list, text)
	case children == 0 && strings.TrimSpace(text) != "":
		setFirst(out, name, text)
	}
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// xmlName reads an ASCII XML name at the start of s.
func xmlName(s string) (string, int) {
	n := 0
	for n < len(s) {
		c := s[n]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':' ||
			n > 0 && (c >= '0' && c <= '9' || c == '-' || c == '.') {
			n++
			continue
		}
		break
	}
	return s[:n], n
}

// unescapeXML appends raw with character references replaced and line ends
// normalised (\r\n and \r become \n), as encoding/xml reads text and attribute
// values; false for a reference it would not accept as is.
func unescapeXML(dst []byte, raw string) ([]byte, bool) {
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch c {
		case '\r':
			dst = append(dst, '\n')
			if i+1 < len(raw) && raw[i+1] == '\n' {
				i++
			}
			continue
		case '>':
			return nil, false // encoding/xml accepts it, but keep to the plain shape
		case '&':
		default:
			dst = append(dst, c)
			continue
		}
		end := strings.IndexByte(raw[i:], ';')
		if end < 0 {
			return nil, false
		}
		ref := raw[i+1 : i+end]
		switch ref {
		case "lt":
			dst = append(dst, '<')
		case "gt":
			dst = append(dst, '>')
		case "amp":
			dst = append(dst, '&')
		case "quot":
			dst = append(dst, '"')
		case "apos":
			dst = append(dst, '\'')
		default:
			if len(ref) < 2 || ref[0] != '#' {
				return nil, false
			}
			var n uint64
			var err error
			if ref[1] == 'x' {
				n, err = strconv.ParseUint(ref[2:], 16, 32)
			} else {
				n, err = strconv.ParseUint(ref[1:], 10, 32)
			}
			// Plain ASCII only: other code points go through encoding/xml.
			if err != nil || n >= 0x80 || n < 0x20 && n != '\t' && n != '\n' && n != '\r' || strings.HasPrefix(ref[1:], "+") {
				return nil, false
			}
			dst = append(dst, byte(n))
		}
		i += end
	}
	return dst, true
}

// plainDeclaration accepts the declarations encoding/xml reads without a charset
// reader or complaint.
func plainDeclaration(d string) bool {
	for _, q := range []string{`"`, `'`} {
		v := "version=" + q + "1.0" + q
		if d == "<?xml "+v+"?>" {
			return true
		}
		for _, enc := range []string{"utf-8", "UTF-8"} {
			if d == "<?xml "+v+" encoding="+q+enc+q+"?>" {
				return true
			}
		}
	}
	return false
}
