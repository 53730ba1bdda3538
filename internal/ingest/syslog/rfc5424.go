package syslog

import (
	"bytes"
	"strings"
)

var bom = []byte("\xEF\xBB\xBF")

// rfc5424 parses everything after PRI:
// VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP SD [SP MSG].
// Field length limits of the RFC are not enforced: real senders exceed them
// and truncating would lose data.
func (p *parser) rfc5424(m *Message) error {
	for isDigit(p.peek()) {
		m.Version = m.Version*10 + int(p.b[p.pos]-'0')
		p.pos++
	}
	if err := p.expectSP("VERSION"); err != nil {
		return err
	}

	start := p.pos
	if ts := p.token(); !(len(ts) == 1 && ts[0] == '-') {
		t, n, err := parseISO(ts, p.received.Location(), false)
		if err != nil || n != len(ts) {
			return errAt(p.b, start, "TIMESTAMP (\"-\" or YYYY-MM-DDThh:mm:ss[.frac](Z|+hh:mm))")
		}
		m.Timestamp = t
	}
	if err := p.expectSP("TIMESTAMP"); err != nil {
		return err
	}

	for _, f := range []struct {
		name string
		dst  *string
	}{{"HOSTNAME", &m.Hostname}, {"APP-NAME", &m.AppName}, {"PROCID", &m.ProcID}, {"MSGID", &m.MsgID}} {
		start := p.pos
		v := p.token()
		if len(v) == 0 {
			return errAt(p.b, start, f.name+" (\"-\" or printable text)")
		}
		if !(len(v) == 1 && v[0] == '-') {
			*f.dst = string(v)
		}
		if f.name == "MSGID" && p.eof() {
			return nil // lenient: senders that omit STRUCTURED-DATA entirely
		}
		if err := p.expectSP(f.name); err != nil {
			return err
		}
	}

	if err := p.structuredData(m); err != nil {
		return err
	}
	if p.eof() {
		return nil
	}
	if err := p.expectSP("STRUCTURED-DATA"); err != nil {
		return err
	}
	m.Msg = string(bytes.TrimPrefix(p.b[p.pos:], bom))
	p.pos = len(p.b)
	return nil
}

// structuredData parses "-" or one or more [SD-ID *(SP PARAM-NAME="VALUE")].
func (p *parser) structuredData(m *Message) error {
	start := p.pos
	switch p.peek() {
	case '-':
		p.pos++
		return nil
	case '[':
	default:
		return errAt(p.b, p.pos, "STRUCTURED-DATA (\"-\" or '[')")
	}
	for p.peek() == '[' {
		p.pos++
		var el SDElement
		nameAt := p.pos
		if el.ID = p.sdName(); el.ID == "" {
			return errAt(p.b, nameAt, "SD-ID")
		}
		for {
			c := p.peek()
			if c == ']' {
				p.pos++
				break
			}
			if c != ' ' {
				return errAt(p.b, p.pos, "SP or ']' in SD-ELEMENT")
			}
			p.pos++
			prm, err := p.sdParam()
			if err != nil {
				return err
			}
			el.Params = append(el.Params, prm)
		}
		m.StructuredData = append(m.StructuredData, el)
	}
	m.StructuredDataRaw = string(p.b[start:p.pos])
	return nil
}

// sdParam parses PARAM-NAME="PARAM-VALUE", unescaping \" \\ and \].
// A backslash before any other byte is kept, as RFC 5424 section 6.3.3 says.
func (p *parser) sdParam() (SDParam, error) {
	at := p.pos
	name := p.sdName()
	if name == "" {
		return SDParam{}, errAt(p.b, at, "PARAM-NAME")
	}
	if p.peek() != '=' {
		return SDParam{}, errAt(p.b, p.pos, "'=' after PARAM-NAME")
	}
	p.pos++
	if p.peek() != '"' {
		return SDParam{}, errAt(p.b, p.pos, "'\"' opening PARAM-VALUE")
	}
	p.pos++
	var v strings.Builder
	for {
		if p.eof() {
			return SDParam{}, errAt(p.b, p.pos, "'\"' closing PARAM-VALUE")
		}
		c := p.b[p.pos]
		switch {
		case c == '"':
			p.pos++
			return SDParam{Name: name, Value: v.String()}, nil
		case c == '\\' && p.pos+1 < len(p.b) && (p.b[p.pos+1] == '"' || p.b[p.pos+1] == '\\' || p.b[p.pos+1] == ']'):
			v.WriteByte(p.b[p.pos+1])
			p.pos += 2
		default:
			v.WriteByte(c)
			p.pos++
		}
	}
}

// sdName reads an SD-NAME: printable US-ASCII except '=', SP, ']' and '"'.
func (p *parser) sdName() string {
	start := p.pos
	for !p.eof() {
		c := p.b[p.pos]
		if c < 33 || c > 126 || c == '=' || c == ']' || c == '"' {
			break
		}
		p.pos++
	}
	return string(p.b[start:p.pos])
}
