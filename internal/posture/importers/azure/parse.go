// Package azure imports Azure inventories: Azure Resource Graph results (as `az graph query`
// and the REST API return them, in object or table form), ARM list responses and single ARM
// GET objects. Every row becomes an inventory.Resource whose Properties is the row unmodified.
package azure

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

// Format is the inventory.Resource.Format of everything this package produces.
const Format = "arm"

// Parse reads one file's content. source names it in Resource.Source and in errors. The
// content is one JSON document, or several (JSON lines, or concatenated documents).
func Parse(data []byte, source string) inventory.Result {
	var res inventory.Result
	newBuilder(&res).parse(data, source)
	return res
}

func (b *builder) parse(data []byte, source string) {
	res := b.res
	dec := json.NewDecoder(bytes.NewReader(data))
	for doc := 0; ; doc++ {
		var v any
		err := dec.Decode(&v)
		if err == io.EOF {
			if doc == 0 {
				res.Errorf(source, "empty input")
			}
			break
		}
		if err != nil {
			res.Errorf(where(data, source, dec.InputOffset(), err), "invalid JSON: %v", err)
			break // a decoder cannot resynchronise after a syntax error
		}
		name := source
		if doc > 0 {
			name = fmt.Sprintf("%s: document %d", source, doc+1)
		}
		b.document(v, name)
	}
}

// where names the line of a JSON syntax error.
func where(data []byte, source string, off int64, err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off = se.Offset
	}
	if off < 0 || off > int64(len(data)) {
		return source
	}
	return fmt.Sprintf("%s:%d", source, 1+bytes.Count(data[:off], []byte("\n")))
}

// document recognises the shape of one JSON document and adds its rows.
func (b *builder) document(v any, source string) {
	switch x := v.(type) {
	case []any:
		// Resource Graph rows (az graph query --output json of older CLIs, exports).
		b.rows(x, source, "")
	case map[string]any:
		if data, ok := x["data"]; ok {
			b.graphData(data, source)
			return
		}
		if value, ok := x["value"]; ok {
			// ARM list response; nextLink pages are separate documents.
			list, ok := value.([]any)
			if !ok {
				b.res.Errorf(source, "value is %s, not a list of resources", kind(value))
				return
			}
			b.rows(list, source, "value")
			return
		}
		if _, ok := x["id"]; ok {
			b.row(x, source)
			return
		}
		b.res.Errorf(source, "not an Azure Resource Graph or ARM response: expected a list of rows, an object with data or value, or a resource with an id")
	default:
		b.res.Errorf(source, "not an Azure Resource Graph or ARM response: the document is %s", kind(v))
	}
}

// graphData reads a Resource Graph response's data: a list of rows (objectArray format) or a
// {columns, rows} table.
func (b *builder) graphData(data any, source string) {
	switch d := data.(type) {
	case []any:
		b.rows(d, source, "data")
	case map[string]any:
		cols, ok1 := d["columns"].([]any)
		rows, ok2 := d["rows"].([]any)
		if !ok1 || !ok2 {
			b.res.Errorf(source, "data is an object without columns and rows lists")
			return
		}
		names := make([]string, len(cols))
		for i, c := range cols {
			switch c := c.(type) {
			case map[string]any:
				names[i], _ = c["name"].(string)
			case string:
				names[i] = c
			}
			if names[i] == "" {
				b.res.Errorf(source, "data.columns[%d] has no name", i)
				return
			}
		}
		for i, r := range rows {
			at := fmt.Sprintf("%s: data.rows[%d]", source, i)
			cells, ok := r.([]any)
			if !ok {
				b.res.Errorf(at, "row is %s, not a list of cells", kind(r))
				continue
			}
			if len(cells) != len(names) {
				b.res.Errorf(at, "row has %d cells for %d columns", len(cells), len(names))
				continue
			}
			obj := make(map[string]any, len(names))
			for j, n := range names {
				obj[n] = cells[j]
			}
			b.row(obj, at)
		}
	case nil:
		// An empty result.
	default:
		b.res.Errorf(source, "data is %s, not rows or a table", kind(data))
	}
}

func (b *builder) rows(list []any, source, field string) {
	for i, r := range list {
		at := fmt.Sprintf("%s: [%d]", source, i)
		if field != "" {
			at = fmt.Sprintf("%s: %s[%d]", source, field, i)
		}
		obj, ok := r.(map[string]any)
		if !ok {
			b.res.Errorf(at, "row is %s, not an object", kind(r))
			continue
		}
		b.row(obj, at)
	}
}

func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "an object"
	case []any:
		return "a list"
	case string:
		return "a string"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	}
	return fmt.Sprintf("%T", v)
}
