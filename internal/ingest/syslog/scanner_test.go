package syslog

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

type frame struct {
	msg       string
	truncated bool
}

func scanAll(t *testing.T, r io.Reader, max int) ([]frame, error) {
	t.Helper()
	sc := NewScanner(r, max)
	var out []frame
	for sc.Scan() {
		if len(sc.Bytes()) > max {
			t.Fatalf("message of %d bytes exceeds max %d", len(sc.Bytes()), max)
		}
		out = append(out, frame{string(sc.Bytes()), sc.Truncated()})
	}
	return out, sc.Err()
}

func TestScanner(t *testing.T) {
	long := strings.Repeat("x", 40)
	cases := []struct {
		name    string
		in      string
		max     int
		want    []frame
		wantErr error
	}{
		{"LF", "<13>a\n<13>b\n", 100, []frame{{"<13>a", false}, {"<13>b", false}}, nil},
		{"CRLF and NUL, empty frames skipped", "<13>a\r\n\r\n<13>b\x00\x00<13>c", 100,
			[]frame{{"<13>a", false}, {"<13>b", false}, {"<13>c", false}}, nil},
		{"octet counting keeps embedded LF", "11 <13>a\nb c d9 <13>efghi", 100,
			[]frame{{"<13>a\nb c d", false}, {"<13>efghi", false}}, nil},
		{"mixed framing", "5 <13>a<13>b\n7 <13>cde\n<13>f", 100,
			[]frame{{"<13>a", false}, {"<13>b", false}, {"<13>cde", false}, {"<13>f", false}}, nil},
		{"digits not followed by SP< are a line", "2024-01-01T00:00:00Z h x\n12 apples\n", 100,
			[]frame{{"2024-01-01T00:00:00Z h x", false}, {"12 apples", false}}, nil},
		{"oversize line truncated, rest discarded", "<13>" + long + "\n<13>ok\n", 10,
			[]frame{{"<13>xxxxxx", true}, {"<13>ok", false}}, nil},
		{"line of exactly max", "<13>xxxxxx\n<13>ok", 10,
			[]frame{{"<13>xxxxxx", false}, {"<13>ok", false}}, nil},
		{"oversize octet frame truncated, rest discarded", "44 <13>" + long + "7 <13>ok\n", 10,
			[]frame{{"<13>xxxxxx", true}, {"<13>ok\n", false}}, nil},
		{"stream ends inside octet frame", "20 <13>abc", 100,
			[]frame{{"<13>abc", true}}, io.ErrUnexpectedEOF},
		{"stream ends in oversize octet frame", "30 <13>" + long[:12], 10,
			[]frame{{"<13>xxxxxx", true}}, io.ErrUnexpectedEOF},
		{"oversize last line without LF", "<13>" + long, 10,
			[]frame{{"<13>xxxxxx", true}}, nil},
		{"empty", "", 10, nil, nil},
		{"only junk", "\r\n\x00\n", 10, nil, nil},
	}
	for _, c := range cases {
		for _, mode := range []string{"whole", "byte-at-a-time"} {
			t.Run(c.name+"/"+mode, func(t *testing.T) {
				var r io.Reader = strings.NewReader(c.in)
				if mode != "whole" {
					r = iotest.OneByteReader(r)
				}
				got, err := scanAll(t, r, c.max)
				if !errors.Is(err, c.wantErr) {
					t.Errorf("err = %v, want %v", err, c.wantErr)
				}
				if len(got) != len(c.want) {
					t.Fatalf("got %+v, want %+v", got, c.want)
				}
				for i := range got {
					if got[i] != c.want[i] {
						t.Errorf("frame %d = %+v, want %+v", i, got[i], c.want[i])
					}
				}
			})
		}
	}
}

func TestScannerReadError(t *testing.T) {
	boom := errors.New("boom")
	r := io.MultiReader(strings.NewReader("<13>a\n<13>b"), iotest.ErrReader(boom))
	got, err := scanAll(t, r, 100)
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if len(got) != 2 || got[1].msg != "<13>b" {
		t.Fatalf("got %+v", got)
	}
}

// TestScannerBoundedMemory feeds 8 MiB without a delimiter: the buffer must
// stay near maxSize.
func TestScannerBoundedMemory(t *testing.T) {
	const max = 1024
	r := io.MultiReader(strings.NewReader("<13>"), io.LimitReader(neverLF{}, 8<<20), strings.NewReader("\n<13>end\n"))
	sc := NewScanner(r, max)
	var n int
	for sc.Scan() {
		n++
		if cap(sc.buf) > max+16 {
			t.Fatalf("buffer grew to %d", cap(sc.buf))
		}
	}
	if n != 2 || sc.Err() != nil {
		t.Fatalf("messages = %d, err = %v", n, sc.Err())
	}
}

type neverLF struct{}

func (neverLF) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a'
	}
	return len(p), nil
}
