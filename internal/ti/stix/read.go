package stix

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
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
	s := &streamer{dec: json.NewDecoder(br), opt: opt, fn: fn}
	var heads []Header
	for {
		h, err := s.value()
		if errors.Is(err, io.EOF) {
			if len(heads) == 0 {
				return nil, errors.New("stix: empty input")
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
	dec   *json.Decoder
	opt   Options
	fn    func(Item) error
	index int
}

var errLimit = errors.New("stix: too many objects")

func (s *streamer) emit(raw json.RawMessage) error {
	if s.opt.MaxObjects > 0 && s.index >= s.opt.MaxObjects {
		return fmt.Errorf("%w (limit %d)", errLimit, s.opt.MaxObjects)
	}
	o, errs, warns := DecodeObject(raw, s.index, s.opt)
	s.index++
	return s.fn(Item{Index: s.index - 1, Object: o, Errors: errs, Warnings: warns})
}

// value reads one top-level JSON value: a bundle, envelope, object or array.
func (s *streamer) value() (Header, error) {
	tok, err := s.dec.Token()
	if err != nil {
		if err == io.EOF {
			return Header{}, io.EOF
		}
		return Header{}, fmt.Errorf("stix: offset %d: %w", s.dec.InputOffset(), err)
	}
	switch tok {
	case json.Delim('['):
		return Header{Form: "array"}, s.array()
	case json.Delim('{'):
		return s.object()
	}
	return Header{}, fmt.Errorf("stix: offset %d: expected a JSON object or array, found %v", s.dec.InputOffset(), tok)
}

func (s *streamer) array() error {
	for s.dec.More() {
		var raw json.RawMessage
		if err := s.dec.Decode(&raw); err != nil {
			return fmt.Errorf("stix: object %d: offset %d: %w", s.index, s.dec.InputOffset(), err)
		}
		if err := s.emit(raw); err != nil {
			return err
		}
	}
	_, err := s.dec.Token() // ']'
	return err
}

// object reads a top-level object key by key. An "objects" array met
// before any non-bundle "type" is streamed as a bundle or envelope; any
// other object is collected and emitted as a single STIX object.
func (s *streamer) object() (Header, error) {
	var h Header
	fields := map[string]json.RawMessage{}
	typ, container := "", false
	for s.dec.More() {
		kt, err := s.dec.Token()
		if err != nil {
			return h, fmt.Errorf("stix: offset %d: %w", s.dec.InputOffset(), err)
		}
		key, _ := kt.(string)
		if key == "objects" && (typ == "" || typ == "bundle") && s.peek() == '[' {
			container = true
			if _, err := s.dec.Token(); err != nil {
				return h, err
			}
			if err := s.array(); err != nil {
				return h, err
			}
			continue
		}
		var raw json.RawMessage
		if err := s.dec.Decode(&raw); err != nil {
			return h, fmt.Errorf("stix: offset %d: %w", s.dec.InputOffset(), err)
		}
		if key == "objects" && (typ == "" || typ == "bundle") && len(raw) > 0 && raw[0] == '[' {
			// The decoder had not buffered the '[' yet: same as above,
			// from memory.
			container = true
			var list []json.RawMessage
			if err := json.Unmarshal(raw, &list); err != nil {
				return h, fmt.Errorf("stix: objects: %w", err)
			}
			for _, o := range list {
				if err := s.emit(o); err != nil {
					return h, err
				}
			}
			continue
		}
		fields[key] = raw
		if key == "type" {
			typ, _ = str(raw)
		}
	}
	if _, err := s.dec.Token(); err != nil { // '}'
		return h, err
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
		h.Form = "object"
		raw, err := json.Marshal(fields)
		if err != nil {
			return h, err
		}
		return h, s.emit(raw)
	}
	h.BundleID, _ = str(fields["id"])
	h.SpecVersion, _ = str(fields["spec_version"])
	return h, nil
}

// peek returns the next non-space byte of the decoder's buffered input.
func (s *streamer) peek() byte {
	buf, _ := io.ReadAll(io.LimitReader(s.dec.Buffered(), 64))
	for _, c := range buf {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != ':' {
			return c
		}
	}
	return 0
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
