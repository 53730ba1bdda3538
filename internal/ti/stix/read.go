package stix

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
)

// Item is one object read from an input: Object on success, or Errors
// when the object was rejected. Warnings may accompany either.
type Item struct {
	Index    int
	Object   *Object
	Errors   []*ValidationError
	Warnings []*ValidationError
}

// Header describes the container the objects came in.
type Header struct {
	Form        string // "bundle", "envelope", "object", "array"
	BundleID    string
	SpecVersion string // a bundle's spec_version ("2.0" bundles carry one)
}

// Stream reads r (gzip detected by its magic bytes) and calls fn for each
// object in order, without holding the whole input in memory. Several
// top-level values (NDJSON) are read one after another. It returns the
// headers of the containers read; an error means the input itself is not
// usable JSON from that point on, or fn failed.
func Stream(r io.Reader, opt Options, fn func(Item) error) ([]Header, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("stix: gzip: %w", err)
		}
		defer zr.Close()
		br = bufio.NewReaderSize(zr, 64<<10)
	}
	s := &streamer{sc: &scanner{r: br}, opt: opt, fn: fn}
	var heads []Header
	for {
		h, err := s.value()
		if errors.Is(err, io.EOF) {
			if len(heads) == 0 {
				return nil, ErrEmpty
			}
			return heads, nil
		}
		if err != nil {
			return heads, err
		}
		heads = append(heads, h)
	}
}

type streamer struct {
	sc    *scanner
	opt   Options
	fn    func(Item) error
	index int
	buf   []byte
}

var errLimit = errors.New("stix: too many objects")

// ErrEmpty is an input without any JSON value.
var ErrEmpty = errors.New("stix: empty input")

func (s *streamer) emit(raw []byte, big tooBig) error {
	if s.opt.MaxObjects > 0 && s.index >= s.opt.MaxObjects {
		return fmt.Errorf("%w (limit %d)", errLimit, s.opt.MaxObjects)
	}
	var it Item
	if big.size > 0 {
		c := &checker{idx: s.index}
		c.fail("", RuleLimit, "object of %d bytes exceeds %d", big.size, s.opt.maxObjectBytes())
		it = Item{Index: s.index, Errors: c.errs}
	} else {
		o, errs, warns := DecodeObject(raw, s.index, s.opt)
		it = Item{Index: s.index, Object: o, Errors: errs, Warnings: warns}
	}
	s.index++
	return s.fn(it)
}

// value reads one top-level JSON value: a bundle, envelope, object or array.
func (s *streamer) value() (Header, error) {
	c, err := s.sc.peek()
	if err != nil {
		if err == io.EOF {
			return Header{}, io.EOF
		}
		return Header{}, s.sc.errorf("%v", err)
	}
	switch c {
	case '[':
		s.sc.readByte()
		return Header{Form: "array"}, s.elements()
	case '{':
		return s.object()
	}
	return Header{}, s.sc.errorf("expected a JSON object or array, found %q", c)
}

// elements streams the members of an array whose '[' was consumed, as objects. Each is
// copied out of the read buffer: the Object keeps its bytes.
func (s *streamer) elements() error {
	if c, err := s.sc.peek(); err == nil && c == ']' {
		s.sc.readByte()
		return nil
	}
	for {
		var big tooBig
		raw, err := s.sc.value(s.buf[:0], s.opt.maxObjectBytes(), &big)
		if err != nil {
			return fmt.Errorf("stix: object %d: %w", s.index, err)
		}
		s.buf = raw
		if err := s.emit(clone(raw), big); err != nil {
			return err
		}
		more, err := s.sc.next(']')
		if err != nil || !more {
			return err
		}
	}
}

func clone(b []byte) []byte { return append(make([]byte, 0, len(b)), b...) }

// object reads a top-level object member by member. An "objects" array met before any
// non-bundle "type" is streamed as a bundle or envelope; any other object is kept, byte
// for byte, and emitted as a single STIX object.
func (s *streamer) object() (Header, error) {
	var h Header
	sc := s.sc
	sc.rec, sc.recording = sc.rec[:0], true
	defer func() { sc.recording = false }()
	start := sc.off
	sc.readByte() // '{'
	typ, container, oversize := "", false, false
	if c, err := sc.peek(); err == nil && c == '}' {
		sc.readByte()
	} else {
		for {
			qkey, err := sc.key()
			if err != nil {
				return h, err
			}
			// The three names of interest have no escapes: compare the quoted bytes.
			key := ""
			switch string(qkey) {
			case `"objects"`, `"type"`, `"id"`, `"spec_version"`:
				key = string(qkey[1 : len(qkey)-1])
			}
			c, err := sc.peek()
			if err != nil {
				return h, sc.errorf("expected a value: %v", unexpected(err))
			}
			if key == "objects" && (typ == "" || typ == "bundle") && c == '[' {
				container, sc.recording = true, false
				sc.readByte()
				if err := s.elements(); err != nil {
					return h, err
				}
			} else {
				var cut tooBig // only short header members are read from raw
				raw, err := sc.value(sc.val[:0], 1<<10, &cut)
				if err != nil {
					return h, err
				}
				sc.val = raw
				if sc.recording && len(sc.rec) > s.opt.maxObjectBytes() {
					// Stop keeping a huge object's bytes; it is reported, not decoded.
					sc.recording, sc.rec, oversize = false, nil, true
				}
				switch key {
				case "type":
					typ, _ = str(raw)
				case "id":
					h.BundleID, _ = str(raw)
				case "spec_version":
					h.SpecVersion, _ = str(raw)
				}
			}
			more, err := sc.next('}')
			if err != nil {
				return h, err
			}
			if !more {
				break
			}
		}
	}
	switch {
	case container && typ == "bundle":
		h.Form = "bundle"
	case container && typ == "":
		h.Form = "envelope"
	case container:
		return h, fmt.Errorf("stix: a %q object holding an objects list is not a bundle", typ)
	case typ == "bundle":
		h.Form = "bundle" // a bundle without objects is legal
	default:
		h.Form, h.BundleID, h.SpecVersion = "object", "", ""
		var big tooBig
		if oversize {
			big.size = sc.off - start
		}
		return h, s.emit(clone(sc.rec), big)
	}
	return h, nil
}

// Result is a whole input read into memory.
type Result struct {
	Headers  []Header
	Objects  []*Object // valid objects, in input order
	Errors   []*ValidationError
	Warnings []*ValidationError
	Read     int // objects read, valid or not
}

// Read reads all objects of r; see Stream.
func Read(r io.Reader, opt Options) (*Result, error) {
	res := &Result{}
	heads, err := Stream(r, opt, func(it Item) error {
		res.Read++
		if it.Object != nil {
			res.Objects = append(res.Objects, it.Object)
		}
		res.Errors = append(res.Errors, it.Errors...)
		res.Warnings = append(res.Warnings, it.Warnings...)
		return nil
	})
	res.Headers = heads
	return res, err
}

// Parse reads all objects of data; see Stream.
func Parse(data []byte, opt Options) (*Result, error) {
	return Read(bytes.NewReader(data), opt)
}

// Valid reports whether the input had no rejected objects.
func (r *Result) Valid() bool { return len(r.Errors) == 0 }
