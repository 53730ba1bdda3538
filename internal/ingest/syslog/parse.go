package syslog

import (
	"bytes"
	"time"
)

// Parse parses one syslog message, choosing RFC 5424 when the input starts
// with "<PRI>VERSION SP" followed by a timestamp or NILVALUE, and lenient
// RFC 3164 otherwise. Trailing CR, LF and NUL bytes are ignored.
//
// received is when the message arrived: it supplies the year (and the zone)
// of BSD timestamps that lack them. A zero received means now.
//
// On error the Message is still usable: it has the PRI when one was read,
// the defaults otherwise, and the whole input as Msg.
func Parse(b []byte, received time.Time) (Message, error) {
	if received.IsZero() {
		received = time.Now()
	}
	b = bytes.TrimRight(b, "\r\n\x00")
	p := parser{b: b, received: received}
	m := Message{Format: RFC3164, Facility: DefaultFacility, Severity: DefaultSeverity}
	if len(b) == 0 {
		return m, errAt(b, 0, "a syslog message")
	}
	var err error
	if b[0] == '<' {
		if err = p.pri(&m); err != nil {
			m.Msg = string(b)
			return m, err
		}
	}
	if m.HasPRI && p.looks5424() {
		m.Format = RFC5424
		err = p.rfc5424(&m)
	} else {
		err = p.rfc3164(&m)
	}
	if err != nil {
		// Keep what identifies the sender's intent, but hand back all bytes.
		m = Message{Format: m.Format, HasPRI: m.HasPRI, Facility: m.Facility, Severity: m.Severity, Msg: string(b)}
	}
	return m, err
}

// parser walks one message; pos only moves forward so parsing is linear.
type parser struct {
	b        []byte
	pos      int
	received time.Time
}

func (p *parser) eof() bool { return p.pos >= len(p.b) }

func (p *parser) peek() byte {
	if p.pos < len(p.b) {
		return p.b[p.pos]
	}
	return 0
}

// pri reads "<N>" with N in 0..191 (1 to 3 digits).
func (p *parser) pri(m *Message) error {
	const want = "PRI \"<0>\"..\"<191>\""
	i := 1
	v := 0
	for i < len(p.b) && i <= 3 && isDigit(p.b[i]) {
		v = v*10 + int(p.b[i]-'0')
		i++
	}
	if i == 1 || i >= len(p.b) || p.b[i] != '>' || v > 191 {
		if i == 1 || v > 191 {
			return errAt(p.b, 0, want)
		}
		return errAt(p.b, i, "'>' closing "+want)
	}
	m.HasPRI = true
	m.Facility = v / 8
	m.Severity = v % 8
	p.pos = i + 1
	return nil
}

// looks5424 reports whether "VERSION SP" followed by '-' or a digit comes next.
func (p *parser) looks5424() bool {
	b, i := p.b, p.pos
	if i >= len(b) || b[i] < '1' || b[i] > '9' {
		return false
	}
	i++
	if i < len(b) && isDigit(b[i]) {
		i++
	}
	if i+1 >= len(b) || b[i] != ' ' {
		return false
	}
	return b[i+1] == '-' || isDigit(b[i+1])
}

// token returns the bytes up to the next space (or the end).
func (p *parser) token() []byte {
	start := p.pos
	for p.pos < len(p.b) && p.b[p.pos] != ' ' {
		p.pos++
	}
	return p.b[start:p.pos]
}

func (p *parser) expectSP(what string) error {
	if p.peek() != ' ' {
		return errAt(p.b, p.pos, "SP after "+what)
	}
	p.pos++
	return nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
