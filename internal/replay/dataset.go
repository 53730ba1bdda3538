package replay

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Labels is the contract part of a dataset's labels.json, plus its file list.
type Labels struct {
	Dataset    string   `json:"dataset"`
	Source     string   `json:"source"`
	Format     string   `json:"format"`
	Techniques []string `json:"techniques"`
	Events     int      `json:"events"`
	LabelsFrom string   `json:"labels_from"`
	Platform   string   `json:"platform"`
	Files      []struct {
		File   string `json:"file"`
		Format string `json:"format"`
	} `json:"files"`
}

// dataFile is one event file of a dataset and its format identifier.
type dataFile struct {
	path   string
	format string
}

// maxLine bounds one event line; longer lines are an error for their file.
const maxLine = 64 << 20

// readLabels reads and checks dir/labels.json and lists the event files.
func readLabels(dir string) (*Labels, []dataFile, error) {
	p := filepath.Join(dir, "labels.json")
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, nil, err
	}
	var l Labels
	if err := json.Unmarshal(b, &l); err != nil {
		return nil, nil, fmt.Errorf("%s: %v", p, err)
	}
	if l.Dataset == "" {
		l.Dataset = filepath.Base(dir)
	}
	if len(l.Techniques) == 0 {
		return nil, nil, fmt.Errorf("%s: no techniques labelled", p)
	}
	for i, t := range l.Techniques {
		l.Techniques[i] = strings.ToUpper(strings.TrimSpace(t))
	}
	var files []dataFile
	for _, f := range l.Files {
		if f.File == "" || strings.Contains(f.File, "..") || filepath.IsAbs(f.File) {
			return nil, nil, fmt.Errorf("%s: bad file entry %q", p, f.File)
		}
		format := f.Format
		if format == "" {
			format = l.Format
		}
		files = append(files, dataFile{path: filepath.Join(dir, f.File), format: FormatID(format)})
	}
	if len(files) == 0 { // no list: every events.* and *.jsonl file, in the dataset's format
		ents, err := os.ReadDir(dir)
		if err != nil {
			return nil, nil, err
		}
		for _, e := range ents {
			n := e.Name()
			if e.IsDir() || n == "labels.json" {
				continue
			}
			base := strings.TrimSuffix(n, ".gz")
			if strings.HasPrefix(base, "events.") || strings.HasSuffix(base, ".jsonl") {
				files = append(files, dataFile{path: filepath.Join(dir, n), format: FormatID(l.Format)})
			}
		}
		sort.Slice(files, func(i, j int) bool { return files[i].path < files[j].path })
	}
	if len(files) == 0 {
		return nil, nil, fmt.Errorf("%s: no event files", dir)
	}
	return &l, files, nil
}

// openEvents opens a file, decompressing gzip (by magic number, whatever the name).
func openEvents(path string) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(f, 1<<16)
	magic, _ := br.Peek(2)
	if len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		return struct {
			io.Reader
			io.Closer
		}{zr, f}, nil
	}
	return struct {
		io.Reader
		io.Closer
	}{br, f}, nil
}

// fileStats counts what reading one file gave.
type fileStats struct {
	lines, rows, bad int
	errs             []string // the first few bad lines, "file:line: reason"
}

const keepErrors = 3

func (s *fileStats) fail(path string, line int, err error) {
	s.bad++
	if len(s.errs) < keepErrors {
		s.errs = append(s.errs, fmt.Sprintf("%s:%d: %v", filepath.Base(path), line, err))
	}
}

// readFile decodes every event of one file and hands each row to fn. A bad line
// is counted and the rest of the file is still read; an unreadable file is an error.
func readFile(df dataFile, fn func(Row)) (fileStats, error) {
	var st fileStats
	rc, err := openEvents(df.path)
	if err != nil {
		return st, err
	}
	defer rc.Close()
	if df.format == FormatCSV || (df.format == "" && strings.HasSuffix(strings.TrimSuffix(df.path, ".gz"), ".csv")) {
		return st, readCSV(rc, df, &st, fn)
	}
	dec := Decoder{Format: df.format}
	if df.format == FormatSentinel || df.format == "" {
		dec.Table = tableFromFile(df.path)
	}
	sc := bufio.NewScanner(rc)
	sc.Buffer(make([]byte, 0, 1<<20), maxLine)
	for sc.Scan() {
		st.lines++
		line := sc.Bytes()
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		rows, err := dec.Decode(line)
		if err != nil {
			st.fail(df.path, st.lines, err)
			continue
		}
		for _, r := range rows {
			st.rows++
			fn(r)
		}
	}
	if err := sc.Err(); err != nil {
		return st, fmt.Errorf("%s: line %d: %v", df.path, st.lines+1, err)
	}
	return st, nil
}

// readCSV reads a CSV export with a header row; dotted headers (userIdentity.arn)
// become nested objects, empty cells are absent.
func readCSV(r io.Reader, df dataFile, st *fileStats, fn func(Row)) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return fmt.Errorf("%s: header: %v", df.path, err)
	}
	header = append([]string(nil), header...)
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	dec := Decoder{Table: tableFromFile(df.path)}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		st.lines++
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return fmt.Errorf("%s: %v", df.path, err)
			}
			st.fail(df.path, st.lines+1, err)
			continue
		}
		m := csvRecord(header, rec)
		rows, err := dec.Record(m)
		if err != nil {
			st.fail(df.path, st.lines+1, err)
			continue
		}
		for _, r := range rows {
			st.rows++
			fn(r)
		}
	}
}

func csvRecord(header, rec []string) map[string]any {
	m := make(map[string]any, len(header))
	for i, v := range rec {
		if i >= len(header) || v == "" || header[i] == "" {
			continue
		}
		setPath(m, header[i], v)
	}
	return m
}

// setPath sets a.b.c in nested maps; a key already holding a scalar keeps the
// dotted name at that level instead.
func setPath(m map[string]any, path, v string) {
	for {
		head, rest, ok := strings.Cut(path, ".")
		if !ok || head == "" || rest == "" {
			m[path] = v
			return
		}
		child, exists := m[head]
		sub, isMap := child.(map[string]any)
		if exists && !isMap {
			m[path] = v
			return
		}
		if !exists {
			sub = map[string]any{}
			m[head] = sub
		}
		m, path = sub, rest
	}
}
