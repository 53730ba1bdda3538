package stix

import (
	"bufio"
	"errors"
	"fmt"
	"io"
)

// scanner cuts a JSON stream into values without decoding them: encoding/json's Decoder
// (tokens, then Decode into RawMessage) was most of an import's time. It checks structure
// only (brackets, strings, separators); each object's bytes are validated when decoded.
type scanner struct {
	r   *bufio.Reader
	off int64 // bytes consumed
	rec []byte
	tmp []byte // scratch for member names
	val []byte // scratch for member values
	// recording: every byte consumed is also appended to rec (a top-level object that
	// may turn out to be a single STIX object).
	recording bool
}

var errTooDeep = errors.New("nesting deeper than 10,000")

// tooBig marks a value cut short at the size limit.
type tooBig struct{ size int64 }

func (s *scanner) errorf(format string, args ...any) error {
	return fmt.Errorf("stix: offset %d: %s", s.off, fmt.Sprintf(format, args...))
}

func (s *scanner) readByte() (byte, error) {
	c, err := s.r.ReadByte()
	if err != nil {
		if err == io.EOF {
			return 0, io.ErrUnexpectedEOF
		}
		return 0, err
	}
	s.off++
	if s.recording {
		s.rec = append(s.rec, c)
	}
	return c, nil
}

// peek skips white space and returns the next byte without consuming it; io.EOF at the
// end of input.
func (s *scanner) peek() (byte, error) {
	for {
		b, err := s.r.Peek(1)
		if err != nil {
			return 0, err
		}
		switch b[0] {
		case ' ', '\t', '\n', '\r':
			s.readByte()
		default:
			return b[0], nil
		}
	}
}

// expect consumes the next non-space byte, which must be c.
func (s *scanner) expect(c byte) error {
	got, err := s.peek()
	if err != nil {
		return s.errorf("expected %q: %v", c, unexpected(err))
	}
	if got != c {
		return s.errorf("expected %q, found %q", c, got)
	}
	s.readByte()
	return nil
}

func unexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// value reads one JSON value and appends its bytes to dst; past limit bytes it stops
// appending (the value is still consumed) and reports the size in *big.
func (s *scanner) value(dst []byte, limit int, big *tooBig) ([]byte, error) {
	c, err := s.peek()
	if err != nil {
		return dst, s.errorf("expected a value: %v", unexpected(err))
	}
	start := s.off
	depth := 0
	keep := func(b byte) {
		if len(dst) < limit {
			dst = append(dst, b)
		} else {
			big.size = s.off - start
		}
	}
	for {
		c, err = s.readByte()
		if err != nil {
			return dst, s.errorf("%v", err)
		}
		keep(c)
		switch c {
		case '"':
			for {
				c, err = s.readByte()
				if err != nil {
					return dst, s.errorf("unterminated string: %v", err)
				}
				keep(c)
				if c == '\\' {
					if c, err = s.readByte(); err != nil {
						return dst, s.errorf("unterminated string: %v", err)
					}
					keep(c)
				} else if c == '"' {
					break
				}
			}
		case '{', '[':
			if depth++; depth > 10_000 {
				return dst, s.errorf("%v", errTooDeep)
			}
		case '}', ']':
			depth--
		default:
			if depth == 0 { // a bare scalar ends at a delimiter or the end of input
				for {
					b, err := s.r.Peek(1)
					if err != nil || isDelim(b[0]) {
						break
					}
					c, _ = s.readByte()
					keep(c)
				}
			}
		}
		if depth < 0 {
			return dst, s.errorf("unbalanced %q", c)
		}
		if depth == 0 {
			if big.size > 0 {
				big.size = s.off - start
			}
			return dst, nil
		}
	}
}

func isDelim(c byte) bool {
	switch c {
	case ',', '}', ']', ' ', '\t', '\n', '\r', ':':
		return true
	}
	return false
}

// key reads an object member's name, quoted as in the input, and the ':' after it. The
// bytes are valid until the next call.
func (s *scanner) key() ([]byte, error) {
	c, err := s.peek()
	if err != nil || c != '"' {
		if err == nil {
			return nil, s.errorf("expected a member name, found %q", c)
		}
		return nil, s.errorf("expected a member name: %v", unexpected(err))
	}
	var big tooBig
	s.tmp, err = s.value(s.tmp[:0], 1<<16, &big)
	if err != nil {
		return nil, err
	}
	if big.size > 0 {
		return nil, s.errorf("member name of %d bytes", big.size)
	}
	return s.tmp, s.expect(':')
}

// next consumes the separator after a member or element: it reports whether another
// follows (',') or the container ended (close).
func (s *scanner) next(close byte) (bool, error) {
	c, err := s.peek()
	if err != nil {
		return false, s.errorf("expected ',' or %q: %v", close, unexpected(err))
	}
	s.readByte()
	switch c {
	case ',':
		return true, nil
	case close:
		return false, nil
	}
	return false, s.errorf("expected ',' or %q, found %q", close, c)
}
