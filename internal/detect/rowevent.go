// Package detect runs detection rules: Sigma rules on every event as it is committed,
// and Sentinel's scheduled and near-real-time KQL rules; what they find becomes alerts.
package detect

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/rampart-soc/rampart/internal/schema"
	"github.com/rampart-soc/rampart/internal/store"
)

// RowMap turns one stored row into the nested map the Sigma matcher reads: columns by
// name with dynamic columns parsed, and the row's additional fields at the top level
// where they do not shadow a column.
func RowMap(b *store.Batch, i int) map[string]any {
	cells := b.Row(i)
	m := make(map[string]any, len(cells)+4)
	for _, c := range cells {
		col := b.Table.Columns[c.Col]
		m[col.Name] = plain(col.Type, c.Val)
	}
	if b.Extra != nil && b.Extra[i] != "" {
		var extra map[string]any
		if json.Unmarshal([]byte(b.Extra[i]), &extra) == nil {
			for k, v := range extra {
				if _, ok := m[k]; !ok {
					m[k] = v
				}
			}
		}
	}
	return m
}

// plain converts a stored value to what a JSON decoder would have produced.
func plain(t schema.Type, v any) any {
	switch x := v.(type) {
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case int64:
		return float64(x)
	case []byte: // guid
		if len(x) == 16 {
			const hexd = "0123456789abcdef"
			out := make([]byte, 0, 36)
			for j, c := range x {
				if j == 4 || j == 6 || j == 8 || j == 10 {
					out = append(out, '-')
				}
				out = append(out, hexd[c>>4], hexd[c&0xf])
			}
			return string(out)
		}
	case string:
		if t == schema.Dynamic {
			var d any
			if json.Unmarshal([]byte(x), &d) == nil {
				return d
			}
		}
		return x
	}
	return v
}

// str reads a text value from a row map.
func str(m map[string]any, key string) string {
	switch v := m[key].(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return ""
}
