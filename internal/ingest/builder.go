package ingest

import (
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/valyala/fastjson"

	"github.com/rampart-soc/rampart/internal/schema"
	"github.com/rampart-soc/rampart/internal/store"
)

// FieldError says which input record and field could not be stored, and why.
type FieldError struct {
	Line  int    // 1-based record number (line of NDJSON, element of a JSON array)
	Field string // "" when the whole record is at fault
	Err   error
}

func (e *FieldError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("line %d: %v", e.Line, e.Err)
	}
	return fmt.Sprintf("line %d, field %q: %v", e.Line, e.Field, e.Err)
}

func (e *FieldError) Unwrap() error { return e.Err }

// Builder accumulates the rows of one batch for one table.
type Builder struct {
	t        *schema.Table
	b        *store.Batch
	present  []bool
	rowStart int
	hasTime  bool
	tgIdx    int
	extra    []byte // the current row's unknown fields, as a JSON object under construction
	anyExtra bool
	strs     map[string]any // interned short strings, already boxed
}

// Logs repeat their short values (host, account, activity) from row to row: sharing one
// boxed copy per batch saves two allocations per value, the main cost of decoding.
const (
	maxInternLen   = 64
	maxInternCount = 8192
)

// intern returns s as a boxed string, shared with earlier equal values of the batch.
func (b *Builder) intern(s []byte) any {
	if len(s) > maxInternLen {
		return string(s)
	}
	if v, ok := b.strs[string(s)]; ok {
		return v
	}
	str := string(s)
	var v any = str
	if b.strs == nil {
		b.strs = make(map[string]any, 256)
	}
	if len(b.strs) < maxInternCount {
		b.strs[str] = v
	}
	return v
}

// NewBuilder starts a batch for table t, ingested at now.
func NewBuilder(t *schema.Table, now time.Time) *Builder {
	tg, ok := t.Lookup("TimeGenerated")
	if !ok {
		tg = -1
	}
	return &Builder{
		t:       t,
		b:       &store.Batch{Table: t, IngestionTime: now.UTC()},
		present: make([]bool, len(t.Columns)),
		tgIdx:   tg,
	}
}

// Table is the builder's table.
func (b *Builder) Table() *schema.Table { return b.t }

// Set stores a coerced value into column ci of the current row.
func (b *Builder) Set(ci int, v any) {
	b.b.Cells = append(b.b.Cells, store.Cell{Col: int32(ci), Val: v})
	b.present[ci] = true
	if ci == b.tgIdx {
		b.hasTime = true
	}
}

// SetString coerces text into the named column; a name without a column is kept in the
// row's additional fields.
func (b *Builder) SetString(col, val string) error {
	ci, ok := b.t.Lookup(col)
	if !ok {
		b.SetExtraString(col, val)
		return nil
	}
	v, ok, err := FromString(b.t.Columns[ci].Type, val, b.b.IngestionTime)
	if err != nil {
		return err
	}
	if ok {
		b.Set(ci, v)
	}
	return nil
}

// SetExtraString keeps a text field in the row's additional fields.
func (b *Builder) SetExtraString(key, val string) {
	b.extraKey(key)
	b.extra = appendJSONString(b.extra, val)
}

// AddExtra keeps an input field that has no column.
func (b *Builder) AddExtra(key string, v *fastjson.Value) {
	b.extraKey(key)
	b.extra = v.MarshalTo(b.extra)
}

func (b *Builder) extraKey(key string) {
	if len(b.extra) == 0 {
		b.extra = append(b.extra, '{')
	} else {
		b.extra = append(b.extra, ',')
	}
	b.extra = appendJSONString(b.extra, key)
	b.extra = append(b.extra, ':')
}

// EndRow closes the current row. A row without TimeGenerated gets its ingestion time.
func (b *Builder) EndRow() {
	if !b.hasTime && b.tgIdx >= 0 {
		b.Set(b.tgIdx, b.b.IngestionTime)
	}
	b.b.RowEnds = append(b.b.RowEnds, int32(len(b.b.Cells)))
	if len(b.extra) > 0 {
		if b.b.Extra == nil {
			b.b.Extra = make([]string, len(b.b.RowEnds)-1, cap(b.b.RowEnds))
		}
		b.extra = append(b.extra, '}')
		b.b.Extra = append(b.b.Extra, string(b.extra))
		b.anyExtra = true
	} else if b.b.Extra != nil {
		b.b.Extra = append(b.b.Extra, "")
	}
	b.extra = b.extra[:0]
	b.hasTime = false
	b.rowStart = len(b.b.Cells)
}

// DiscardRow drops the cells of the current, unfinished row.
func (b *Builder) DiscardRow() {
	b.b.Cells = b.b.Cells[:b.rowStart]
	b.extra = b.extra[:0]
	b.hasTime = false
}

// Len is the number of finished rows.
func (b *Builder) Len() int { return len(b.b.RowEnds) }

// Batch finishes and returns the batch; the builder must not be used afterwards.
func (b *Builder) Batch(inputBytes int) *store.Batch {
	for ci, p := range b.present {
		if p {
			b.b.Present = append(b.b.Present, ci)
		}
	}
	b.b.Bytes = inputBytes
	return b.b
}

func appendJSONString(dst []byte, s string) []byte {
	const hexd = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c < 0x20:
			dst = append(dst, '\\', 'u', '0', '0', hexd[c>>4], hexd[c&0xf])
		case c < utf8.RuneSelf:
			dst = append(dst, c)
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				dst = append(dst, `\ufffd`...)
			} else {
				dst = append(dst, s[i:i+size]...)
			}
			i += size - 1
		}
	}
	return append(dst, '"')
}
