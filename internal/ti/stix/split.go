package stix

import (
	"encoding/json"
	"fmt"

	"github.com/valyala/fastjson"
)

// splitObject checks that raw is one valid JSON object and returns its members as
// sub-slices of raw, without decoding or copying them: decoding into
// map[string]json.RawMessage with encoding/json was the single largest cost of an import.
// As with encoding/json, a repeated member name keeps its last value.
func splitObject(raw []byte) (map[string]json.RawMessage, error) {
	if err := fastjson.ValidateBytes(raw); err != nil {
		return nil, err
	}
	i := skipSpace(raw, 0)
	if raw[i] != '{' { // valid JSON is not empty
		return nil, fmt.Errorf("a JSON %s, not an object", jsonKind(raw[i]))
	}
	m := make(map[string]json.RawMessage) // no size hint: a hint above 8 costs a full table up front
	i = skipSpace(raw, i+1)
	if raw[i] == '}' {
		return m, nil
	}
	for {
		end := skipJSON(raw, i)                       // the member name
		name, ok := propNames[string(raw[i+1:end-1])] // no allocation for the usual names
		if !ok {
			if name, ok = str(raw[i:end]); !ok {
				return nil, fmt.Errorf("bad member name %s", raw[i:end])
			}
		}
		i = skipSpace(raw, end)
		i = skipSpace(raw, i+1) // ':'
		end = skipJSON(raw, i)
		m[name] = raw[i:end:end]
		i = skipSpace(raw, end)
		if raw[i] == '}' {
			return m, nil
		}
		i = skipSpace(raw, i+1) // ','
	}
}

// propNames interns the property names of the known types (an escaped spelling is not
// found here and goes through str).
var propNames = func() map[string]string {
	m := map[string]string{}
	for _, s := range schemas {
		for p := range s.props {
			m[p] = p
		}
	}
	return m
}()

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipJSON returns the end of the valid JSON value starting at b[i].
func skipJSON(b []byte, i int) int {
	depth := 0
	for ; i < len(b); i++ {
		switch b[i] {
		case '"':
			for i++; i < len(b) && b[i] != '"'; i++ {
				if b[i] == '\\' {
					i++
				}
			}
		case '{', '[':
			depth++
		case '}', ']':
			depth--
		default:
			if depth == 0 {
				for i+1 < len(b) && !isDelim(b[i+1]) {
					i++
				}
			}
		}
		if depth == 0 {
			return i + 1
		}
	}
	return i
}

func jsonKind(c byte) string {
	switch c {
	case '[':
		return "list"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}
