package syslog

import (
	"bytes"
	"errors"
	"io"
)

// DefaultMaxMessageSize bounds a message when the caller gives no limit.
const DefaultMaxMessageSize = 64 << 10

// Scanner splits a syslog stream (TCP, TLS, a file) into messages. Framing
// is decided per message, as RFC 6587 senders may not be consistent:
//
//   - octet counting, "LEN SP MSG", when a message starts with a non-zero
//     digit, at most nine digits, a space and '<' (the PRI every framed
//     syslog message begins with);
//   - otherwise non-transparent framing: the message ends at LF or NUL, and
//     a CR before the LF is dropped.
//
// Empty frames (stray CR, LF, NUL between messages) are skipped.
//
// A message longer than maxSize is truncated to its first maxSize bytes,
// Truncated reports it, and the rest of that message is read and discarded,
// so memory stays bounded by maxSize. A stream that ends inside an
// octet-counted message yields the bytes received as a truncated message,
// then Scan returns false and Err returns io.ErrUnexpectedEOF.
type Scanner struct {
	r         io.Reader
	max       int
	limit     int // buffer capacity never exceeds this
	buf       []byte
	start     int
	end       int
	tok       []byte
	truncated bool
	err       error // sticky; io.EOF included
	skip      int64 // bytes of an oversize octet-counted message left to discard
	skipLine  bool  // discard up to the next delimiter (oversize line)
}

// NewScanner returns a Scanner reading r; maxSize <= 0 means
// DefaultMaxMessageSize.
func NewScanner(r io.Reader, maxSize int) *Scanner {
	if maxSize <= 0 {
		maxSize = DefaultMaxMessageSize
	}
	// Room for a whole message plus its delimiter or length prefix.
	limit := maxSize + 16
	return &Scanner{r: r, max: maxSize, limit: limit, buf: make([]byte, min(limit, 4096))}
}

// Bytes returns the current message. It is only valid until the next Scan.
func (s *Scanner) Bytes() []byte { return s.tok }

// Truncated reports whether the current message was cut short.
func (s *Scanner) Truncated() bool { return s.truncated }

// Err returns the first error other than io.EOF.
func (s *Scanner) Err() error {
	if s.err == io.EOF {
		return nil
	}
	return s.err
}

// Scan advances to the next message.
func (s *Scanner) Scan() bool {
	s.tok, s.truncated = nil, false
	if !s.discard() {
		return false
	}
	for {
		for s.start < s.end && isFrameJunk(s.buf[s.start]) {
			s.start++
		}
		if s.start < s.end {
			break
		}
		if !s.fill() {
			return false
		}
	}
	if n, plen, ok := s.octetPrefix(); ok {
		return s.octet(n, plen)
	}
	return s.line()
}

func isFrameJunk(c byte) bool { return c == '\n' || c == '\r' || c == 0 }

// fill reads more input after the buffered bytes, compacting and growing
// the buffer up to its limit. It returns false when nothing more was read.
// Slices of buf taken before a call are stale after it.
func (s *Scanner) fill() bool {
	if s.err != nil {
		return false
	}
	if s.start > 0 {
		copy(s.buf, s.buf[s.start:s.end])
		s.end -= s.start
		s.start = 0
	}
	if s.end == len(s.buf) {
		if len(s.buf) >= s.limit {
			s.err = errors.New("syslog: scanner buffer full") // unreachable by construction
			return false
		}
		nb := make([]byte, min(2*len(s.buf), s.limit))
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	for range 100 {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err != nil {
			s.err = err
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
	s.err = io.ErrNoProgress
	return false
}

// octetPrefix recognises "LEN SP <" and returns LEN and the prefix length.
func (s *Scanner) octetPrefix() (n int64, plen int, ok bool) {
	for {
		b := s.buf[s.start:s.end]
		if b[0] < '1' || b[0] > '9' {
			return 0, 0, false
		}
		i := 0
		n = 0
		for i < len(b) && isDigit(b[i]) {
			if i == 9 {
				return 0, 0, false
			}
			n = n*10 + int64(b[i]-'0')
			i++
		}
		if i < len(b) && b[i] != ' ' {
			return 0, 0, false
		}
		if i+1 < len(b) {
			return n, i + 1, b[i+1] == '<'
		}
		if !s.fill() {
			return 0, 0, false
		}
	}
}

func (s *Scanner) octet(n int64, plen int) bool {
	s.start += plen
	want := int(min(n, int64(s.max)))
	for s.end-s.start < want {
		if !s.fill() {
			s.tok = s.buf[s.start:s.end]
			s.start = s.end
			s.truncated = true
			if s.err == io.EOF {
				s.err = io.ErrUnexpectedEOF
			}
			return len(s.tok) > 0
		}
	}
	s.tok = s.buf[s.start : s.start+want]
	s.start += want
	if n > int64(want) {
		s.skip = n - int64(want)
		s.truncated = true
	}
	return true
}

func (s *Scanner) line() bool {
	checked := 0
	for {
		b := s.buf[s.start:s.end]
		if i := bytes.IndexAny(b[checked:], "\n\x00"); i >= 0 {
			s.start += checked + i + 1
			s.capped(trimCR(b[:checked+i]))
			return true
		}
		checked = len(b)
		if len(b) > s.max {
			s.tok = b[:s.max]
			s.start += s.max
			s.truncated = true
			s.skipLine = true
			return true
		}
		if !s.fill() {
			s.capped(trimCR(s.buf[s.start:s.end]))
			s.start = s.end
			return len(s.tok) > 0
		}
	}
}

// capped sets a line as the current message, cutting it to max: the
// delimiter may arrive in the same read as more than max bytes.
func (s *Scanner) capped(line []byte) {
	if len(line) > s.max {
		line = line[:s.max]
		s.truncated = true
	}
	s.tok = line
}

func trimCR(b []byte) []byte {
	if len(b) > 0 && b[len(b)-1] == '\r' {
		return b[:len(b)-1]
	}
	return b
}

// discard drops what is left of an oversize message before the next Scan.
func (s *Scanner) discard() bool {
	for s.skip > 0 {
		if s.start == s.end && !s.fill() {
			if s.err == io.EOF {
				s.err = io.ErrUnexpectedEOF
			}
			return false
		}
		k := min(int64(s.end-s.start), s.skip)
		s.start += int(k)
		s.skip -= k
	}
	for s.skipLine {
		b := s.buf[s.start:s.end]
		if i := bytes.IndexAny(b, "\n\x00"); i >= 0 {
			s.start += i + 1
			s.skipLine = false
			break
		}
		s.start = s.end
		if !s.fill() {
			return false
		}
	}
	return true
}
