package replay

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Row is one event as the Sigma engine sees it: the table that stores it and its
// columns (nested objects allowed).
type Row struct {
	Table  string
	Fields map[string]any
}

// Format identifiers: the stable prefix of a labels.json format string.
const (
	FormatEVTXJSON    = "windows-evtx-json"
	FormatFlatWindows = "windows-eventlog-flat-json"
	FormatWinlogbeat  = "windows-winlogbeat6-json"
	FormatWindowsXML  = "windows-xml-event"
	FormatSentinel    = "sentinel-table-json"
	FormatCloudTrail  = "aws-cloudtrail-json"
	FormatAuditd      = "linux-auditd-raw"
	FormatZeek        = "zeek-json"
	FormatCSV         = "csv"
)

// FormatID extracts the identifier from a labels.json format description
// ("sentinel-table-json: AuditLogs (...)" gives "sentinel-table-json").
func FormatID(desc string) string {
	desc = strings.TrimSpace(desc)
	if i := strings.IndexAny(desc, " \t:("); i >= 0 {
		desc = desc[:i]
	}
	return strings.ToLower(desc)
}

// Decoder converts lines of one file into rows.
type Decoder struct {
	// Format is a format identifier; empty or unknown formats are recognised per line.
	Format string
	// Table is the table a Sentinel export's file name gives, for rows without Type.
	Table string
}

// DecodeLine converts one line of a dataset file in the given format into rows.
func DecodeLine(format string, line []byte) ([]Row, error) {
	return Decoder{Format: format}.Decode(line)
}

// Decode converts one line into rows (usually one; a CloudTrail Records object
// or a Zeek HTTP/DNS record gives several).
func (d Decoder) Decode(line []byte) ([]Row, error) {
	line = bytes.TrimSpace(line)
	if len(line) == 0 {
		return nil, nil
	}
	switch d.Format {
	case FormatAuditd:
		r, err := auditdLine(string(line))
		return one(r, err)
	case FormatWindowsXML:
		r, err := windowsXML(line)
		return one(r, err)
	case FormatCSV:
		return nil, errors.New("csv is read per file (header row), not per line")
	}
	if line[0] != '{' {
		switch {
		case d.Format == "" || !knownFormat(d.Format):
			if line[0] == '<' {
				r, err := windowsXML(line)
				return one(r, err)
			}
			if bytes.HasPrefix(line, []byte("type=")) {
				r, err := auditdLine(string(line))
				return one(r, err)
			}
		}
		return nil, fmt.Errorf("%s: line is not a JSON object", d.formatName())
	}
	rec, err := decodeObject(line)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", d.formatName(), err)
	}
	return d.Record(rec)
}

// Record converts one decoded JSON (or CSV) record.
func (d Decoder) Record(rec map[string]any) ([]Row, error) {
	format := d.Format
	if !knownFormat(format) || format == FormatCSV {
		format = sniff(rec)
		if format == "" {
			return nil, errors.New("unrecognised record: not EVTX JSON, Windows, Winlogbeat, Sentinel, CloudTrail or Zeek")
		}
	}
	switch format {
	case FormatEVTXJSON:
		return one(evtxJSON(rec))
	case FormatFlatWindows:
		return one(flatWindows(rec))
	case FormatWinlogbeat:
		return one(winlogbeat(rec))
	case FormatSentinel:
		return one(sentinelRow(rec, d.Table))
	case FormatCloudTrail:
		return cloudTrail(rec)
	case FormatZeek:
		return zeekRows(rec)
	}
	return nil, fmt.Errorf("format %q holds no JSON records", format)
}

func (d Decoder) formatName() string {
	if d.Format == "" {
		return "event"
	}
	return d.Format
}

func knownFormat(f string) bool {
	switch f {
	case FormatEVTXJSON, FormatFlatWindows, FormatWinlogbeat, FormatWindowsXML, FormatSentinel,
		FormatCloudTrail, FormatAuditd, FormatZeek, FormatCSV:
		return true
	}
	return false
}

// sniff recognises a record's layout from its keys.
func sniff(rec map[string]any) string {
	has := func(k string) bool { _, ok := rec[k]; return ok }
	switch {
	case has("Event"):
		if _, ok := rec["Event"].(map[string]any); ok {
			return FormatEVTXJSON
		}
	case has("@stream") || has("_path") && has("uid"):
		return FormatZeek
	case has("Records") || has("eventSource") && has("eventName"):
		return FormatCloudTrail
	case has("winlog") || has("event_id") && has("log_name"):
		return FormatWinlogbeat
	}
	switch {
	case has("Type"):
		return FormatSentinel
	case has("EventID"):
		return FormatFlatWindows
	}
	return ""
}

func one(r Row, err error) ([]Row, error) {
	if err != nil {
		return nil, err
	}
	return []Row{r}, nil
}

// decodeObject parses exactly one JSON object, keeping numbers as json.Number.
func decodeObject(b []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errors.New("not a JSON object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the JSON object")
	}
	return m, nil
}
