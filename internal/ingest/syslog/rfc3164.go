package syslog

// rfc3164 parses a BSD message after the (optional) PRI:
// [TIMESTAMP[:] SP+ [HOSTNAME SP]] [TAG[\[pid\]][:] SP] MSG.
//
// Without a PRI a recognisable timestamp is required: otherwise the input is
// not distinguishable from arbitrary text and is reported as an error. With
// a PRI but no timestamp, RFC 3164 section 4.3.2 says the rest is content.
func (p *parser) rfc3164(m *Message) error {
	if m.HasPRI {
		for p.peek() == ' ' { // "<13> Jan  1 ..." from some appliances
			p.pos++
		}
	}
	t, n, err := parseBSDTime(p.b[p.pos:], p.received)
	if err != nil {
		return errAt(p.b, p.pos, "a valid timestamp ("+err.Error()+")")
	}
	if n == 0 {
		if !m.HasPRI {
			return errAt(p.b, p.pos, "\"<PRI>\" or a timestamp")
		}
		p.tagAndMsg(m)
		return nil
	}
	m.Timestamp = t
	p.pos += n
	if p.peek() == ':' {
		p.pos++
	}
	for p.peek() == ' ' {
		p.pos++
	}
	p.hostname(m)
	p.tagAndMsg(m)
	return nil
}

// hostname takes the next word as HOSTNAME unless it is the last word, has
// characters no host name or address has, or looks like a TAG. Senders that
// omit the host name are common; the RFC allows nothing better than this.
func (p *parser) hostname(m *Message) {
	start := p.pos
	end := start
	for end < len(p.b) && p.b[end] != ' ' {
		if !isHostByte(p.b[end]) {
			return
		}
		end++
	}
	if end == start || end >= len(p.b) || p.b[end-1] == ':' {
		return
	}
	m.Hostname = string(p.b[start:end])
	p.pos = end
	for p.peek() == ' ' {
		p.pos++
	}
}

// isHostByte admits names, IPv4 and IPv6 (with zone) literals.
func isHostByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) ||
		c == '.' || c == '-' || c == '_' || c == ':' || c == '%'
}

// maxTag bounds TAG and pid so that a long word is never taken for a tag.
const maxTag = 128

// tagAndMsg extracts "TAG: ", "TAG[pid]: " or "TAG[pid] " and takes the
// rest as MSG. Anything else leaves the whole rest as MSG.
func (p *parser) tagAndMsg(m *Message) {
	b, i := p.b, p.pos
	for i < len(b) && i-p.pos < maxTag && isTagByte(b[i]) {
		i++
	}
	tagEnd := i
	pid := ""
	ok := false
	if tagEnd > p.pos {
		switch {
		case i < len(b) && b[i] == '[':
			j := i + 1
			for j < len(b) && j-i <= maxTag && b[j] != ']' {
				j++
			}
			if j < len(b) && b[j] == ']' {
				pid = string(b[i+1 : j])
				i = j + 1
				if i < len(b) && b[i] == ':' {
					i++
				}
				ok = i >= len(b) || b[i] == ' '
			}
		case i < len(b) && b[i] == ':':
			i++
			ok = i >= len(b) || b[i] == ' '
		}
	}
	if ok && isRecordMarker(b[p.pos:tagEnd]) {
		ok = false
	}
	if !ok {
		m.Msg = string(b[p.pos:])
		p.pos = len(b)
		return
	}
	m.AppName = string(b[p.pos:tagEnd])
	m.ProcID = pid
	if i < len(b) {
		i++ // the single SP that separates TAG from content
	}
	m.Msg = string(b[i:])
	p.pos = len(b)
}

// isTagByte is lenient: RFC 3164 says alphanumeric, but real tags carry
// '/', '-', '.', '_' (postfix/smtpd, systemd-logind) and '%' (Cisco).
func isTagByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) ||
		c == '/' || c == '-' || c == '.' || c == '_' || c == '%'
}

// isRecordMarker reports "CEF" and "LEEF": "CEF: 0|..." starts a CEF record
// (some senders put a space after the colon), it is never a program name.
func isRecordMarker(tag []byte) bool {
	return string(tag) == "CEF" || string(tag) == "LEEF"
}
