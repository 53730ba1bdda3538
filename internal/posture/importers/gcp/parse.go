package gcp

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

// Parse reads one file's content; source names it in Resource.Source and in errors. The
// content is one JSON document or several (JSON lines or concatenated documents). A broken
// line is reported and reading resumes on the next line, so one bad asset in a large export
// does not lose the rest.
func Parse(data []byte, source string) inventory.Result {
	var res inventory.Result
	b := newBuilder(&res)
	b.parse(data, source)
	b.finish()
	return res
}

func (b *builder) parse(data []byte, source string) {
	base, doc := 0, 0
	for base < len(data) {
		dec := json.NewDecoder(bytes.NewReader(data[base:]))
		for {
			var v any
			err := dec.Decode(&v)
			if err == io.EOF {
				base = len(data)
				break
			}
			if err != nil {
				off := base + int(dec.InputOffset())
				var se *json.SyntaxError
				if errors.As(err, &se) {
					off = base + int(se.Offset)
				}
				off = min(max(off, base), len(data))
				b.res.Errorf(lineOf(data, source, off), "invalid JSON: %v", err)
				// Resume after the line holding the error.
				next := bytes.IndexByte(data[off:], '\n')
				if next < 0 {
					base = len(data)
				} else {
					base = off + next + 1
				}
				break
			}
			doc++
			name := source
			if doc > 1 || base > 0 {
				name = fmt.Sprintf("%s: document %d", source, doc)
			}
			b.document(v, name)
		}
	}
	if doc == 0 && len(b.res.Errors) == 0 {
		b.res.Errorf(source, "empty input")
	}
}

// lineOf names the line of a byte offset.
func lineOf(data []byte, source string, off int) string {
	return fmt.Sprintf("%s:%d", source, 1+bytes.Count(data[:off], []byte("\n")))
}

// document recognises the shape of one JSON document.
func (b *builder) document(v any, source string) {
	switch x := v.(type) {
	case []any:
		for i, el := range x {
			b.item(el, fmt.Sprintf("%s[%d]", source, i))
		}
	case map[string]any:
		if list, ok := x["assets"].([]any); ok && !isAsset(x) {
			// ListAssets response (assets.list REST call).
			for i, el := range list {
				b.item(el, fmt.Sprintf("%s: assets[%d]", source, i))
			}
			return
		}
		b.item(x, source)
	default:
		b.res.Errorf(source, "expected an asset object or a list of assets, got %s", jsonKind(v))
	}
}

// item reads one object: a CAI asset or a recorded REST response.
func (b *builder) item(v any, source string) {
	obj, ok := v.(map[string]any)
	if !ok {
		b.res.Errorf(source, "expected an asset object, got %s", jsonKind(v))
		return
	}
	switch {
	case isAsset(obj):
		b.asset(obj, source)
	case isRecording(obj):
		b.recording(obj, source)
	default:
		b.res.Errorf(source, "not a Cloud Asset Inventory asset (no name/asset_type) nor a recorded response ({headers, body})")
	}
}

func isAsset(obj map[string]any) bool {
	_, snake := obj["asset_type"]
	_, camel := obj["assetType"]
	return snake || camel
}

func isRecording(obj map[string]any) bool {
	_, h := obj["headers"]
	_, body := obj["body"]
	return h && body
}

// jsonKind names a decoded JSON value's type for error messages.
func jsonKind(v any) string {
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
