package client

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"time"
)

// IngestOptions tunes file uploads.
type IngestOptions struct {
	ChunkBytes int                    // uncompressed bytes per request (default 4 MiB)
	Progress   func(p IngestProgress) // called about once a second and at the end
}

// IngestProgress reports an upload.
type IngestProgress struct {
	File      string
	ReadBytes int64 // of the file as stored (compressed if it is gzip)
	FileBytes int64
	Rows      int64
	Done      bool
}

// IngestFile sends a JSON-lines, JSON-array or gzip-compressed file to table in chunks,
// each stored all or nothing. It returns the number of rows stored.
func (c *Client) IngestFile(ctx context.Context, table, path string, opt IngestOptions) (int64, error) {
	if opt.ChunkBytes <= 0 {
		opt.ChunkBytes = 4 << 20
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	counter := &countingReader{r: f}
	br := bufio.NewReaderSize(counter, 1<<20)
	var rd io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", path, err)
		}
		rd = zr
	}
	records := newRecordReader(bufio.NewReaderSize(rd, 1<<20))
	prog := IngestProgress{File: path, FileBytes: st.Size()}
	last := time.Now()
	var chunk bytes.Buffer
	chunkFirst, chunkLines := 0, 0
	send := func() error {
		if chunkLines == 0 {
			return nil
		}
		n, err := c.sendChunk(ctx, table, chunk.Bytes())
		if err != nil {
			var ae *Error
			if errors.As(err, &ae) && ae.Line > 0 {
				return fmt.Errorf("%s: record %d: %s", path, chunkFirst+ae.Line-1, ae.Message)
			}
			return fmt.Errorf("%s: records %d-%d: %w", path, chunkFirst, chunkFirst+chunkLines-1, err)
		}
		prog.Rows += n
		chunk.Reset()
		chunkLines = 0
		return nil
	}
	for i := 1; ; i++ {
		rec, err := records.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return prog.Rows, fmt.Errorf("%s: record %d: %w", path, i, err)
		}
		if chunkLines == 0 {
			chunkFirst = i
		}
		chunk.Write(rec)
		chunk.WriteByte('\n')
		chunkLines++
		if chunk.Len() >= opt.ChunkBytes {
			if err := send(); err != nil {
				return prog.Rows, err
			}
		}
		if opt.Progress != nil && time.Since(last) > time.Second {
			prog.ReadBytes = counter.n
			opt.Progress(prog)
			last = time.Now()
		}
	}
	if err := send(); err != nil {
		return prog.Rows, err
	}
	if opt.Progress != nil {
		prog.ReadBytes, prog.Done = counter.n, true
		opt.Progress(prog)
	}
	return prog.Rows, nil
}

// sendChunk posts NDJSON gzip-compressed, retrying while the server says it is overloaded.
func (c *Client) sendChunk(ctx context.Context, table string, ndjson []byte) (int64, error) {
	var z bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&z, gzip.BestSpeed)
	zw.Write(ndjson)
	zw.Close()
	var out struct {
		Rows int64 `json:"rows"`
	}
	for attempt := 0; ; attempt++ {
		err := c.Do(ctx, Request{Method: "POST", Path: "/api/v1/ingest/" + url.PathEscape(table), Body: z.Bytes(),
			ContentType: "application/x-ndjson", Encoding: "gzip"}, &out)
		var ae *Error
		if errors.As(err, &ae) && (ae.Status == 503 || ae.Status == 429) && attempt < 60 {
			wait := ae.RetryAfter
			if wait <= 0 {
				wait = time.Second
			}
			select {
			case <-time.After(wait):
				continue
			case <-ctx.Done():
				return 0, ctx.Err()
			}
		}
		return out.Rows, err
	}
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// recordReader yields the records of a JSON array or of JSON lines, one compact JSON
// value each, without holding the whole file.
type recordReader struct {
	br    *bufio.Reader
	dec   *json.Decoder
	array bool
	init  bool
}

func newRecordReader(br *bufio.Reader) *recordReader { return &recordReader{br: br} }

func (r *recordReader) next() ([]byte, error) {
	if !r.init {
		r.init = true
		for {
			b, err := r.br.Peek(1)
			if err != nil {
				return nil, err
			}
			if b[0] == ' ' || b[0] == '\n' || b[0] == '\r' || b[0] == '\t' {
				r.br.ReadByte()
				continue
			}
			if b[0] == '[' {
				r.array = true
				r.dec = json.NewDecoder(r.br)
				if _, err := r.dec.Token(); err != nil {
					return nil, err
				}
			}
			break
		}
	}
	if r.array {
		if !r.dec.More() {
			return nil, io.EOF
		}
		var raw json.RawMessage
		if err := r.dec.Decode(&raw); err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, raw); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	}
	for {
		line, err := r.br.ReadBytes('\n')
		line = bytes.TrimSpace(line)
		if len(line) > 0 {
			return line, nil
		}
		if err != nil {
			return nil, err
		}
	}
}
