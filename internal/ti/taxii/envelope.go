package taxii

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// ErrTooManyObjects: a page holds more objects than the client allows.
var ErrTooManyObjects = errors.New("taxii: too many objects in one response")

// ParseEnvelope decodes a TAXII envelope, refusing more than maxObjects
// objects (0: no limit) as soon as the limit is passed rather than after
// decoding them all. Unknown fields are ignored; each object must be a
// JSON object and stays raw.
func ParseEnvelope(data []byte, maxObjects int) (*Envelope, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := expectDelim(dec, '{'); err != nil {
		return nil, err
	}
	env := &Envelope{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("taxii: envelope: %w", err)
		}
		key, _ := tok.(string)
		switch key {
		case "more":
			if err := dec.Decode(&env.More); err != nil {
				return nil, fmt.Errorf("taxii: envelope more: %w", err)
			}
		case "next":
			if err := dec.Decode(&env.Next); err != nil {
				return nil, fmt.Errorf("taxii: envelope next: %w", err)
			}
		case "objects":
			if err := readObjects(dec, env, maxObjects); err != nil {
				return nil, err
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, fmt.Errorf("taxii: envelope %s: %w", key, err)
			}
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("taxii: envelope: %w", err)
	}
	if _, err := dec.Token(); err == nil {
		return nil, errors.New("taxii: envelope: data after the object")
	}
	return env, nil
}

func readObjects(dec *json.Decoder, env *Envelope, maxObjects int) error {
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("taxii: envelope objects: %w", err)
	}
	if tok == nil {
		return nil // "objects": null
	}
	if tok != json.Delim('[') {
		return errors.New("taxii: envelope objects is not a list")
	}
	for dec.More() {
		if maxObjects > 0 && len(env.Objects) >= maxObjects {
			return fmt.Errorf("%w (limit %d)", ErrTooManyObjects, maxObjects)
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fmt.Errorf("taxii: envelope object %d: %w", len(env.Objects), err)
		}
		if len(raw) == 0 || raw[0] != '{' {
			return fmt.Errorf("taxii: envelope object %d is not a JSON object", len(env.Objects))
		}
		env.Objects = append(env.Objects, raw)
	}
	_, err = dec.Token() // ']'
	return err
}

func expectDelim(dec *json.Decoder, d json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("taxii: %w", err)
	}
	if tok != d {
		return fmt.Errorf("taxii: expected %q, found %v", d, tok)
	}
	return nil
}
