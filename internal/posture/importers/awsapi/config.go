package awsapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

// ParseConfig reads AWS Config configuration items: a JSON array, {configurationItems: [...]}
// (a Config snapshot or history file), {baseConfigurationItems: [...]} (BatchGetResourceConfig),
// single items, or JSON lines of any of these. Type is the item's resourceType; Properties its
// configuration, with supplementaryConfiguration under that key.
func ParseConfig(data []byte, source string) inventory.Result {
	var res inventory.Result
	seen := map[string]string{}
	dec := json.NewDecoder(bytes.NewReader(data))
	for doc := 1; ; doc++ {
		var v any
		err := dec.Decode(&v)
		if err == io.EOF {
			if doc == 1 {
				res.Errorf(source, "empty input")
			}
			break
		}
		if err != nil {
			off := dec.InputOffset()
			var se *json.SyntaxError
			if errors.As(err, &se) {
				off = se.Offset
			}
			off = min(max(off, 0), int64(len(data)))
			res.Errorf(fmt.Sprintf("%s:%d", source, 1+bytes.Count(data[:off], []byte("\n"))), "invalid JSON: %v", err)
			break
		}
		name := source
		if doc > 1 {
			name = fmt.Sprintf("%s: document %d", source, doc)
		}
		configDocument(&res, v, name, seen)
	}
	return res
}

func configDocument(res *inventory.Result, v any, source string, seen map[string]string) {
	switch x := v.(type) {
	case []any:
		for i, el := range x {
			configItem(res, el, fmt.Sprintf("%s[%d]", source, i), seen)
		}
	case map[string]any:
		for _, k := range []string{"configurationItems", "ConfigurationItems", "baseConfigurationItems", "BaseConfigurationItems"} {
			if list, ok := x[k].([]any); ok {
				for i, el := range list {
					configItem(res, el, fmt.Sprintf("%s: %s[%d]", source, k, i), seen)
				}
				return
			}
		}
		if _, ok := x["configurationItem"]; ok {
			// Config rule invocation event / change notification.
			configItem(res, x["configurationItem"], source+": configurationItem", seen)
			return
		}
		configItem(res, x, source, seen)
	default:
		res.Errorf(source, "expected configuration items, got %s", jsonKind(v))
	}
}

// configItem converts one configuration item (field names as in snapshots and as in the
// API, which differ in case).
func configItem(res *inventory.Result, v any, source string, seen map[string]string) {
	m, ok := v.(map[string]any)
	if !ok {
		res.Errorf(source, "expected a configuration item object, got %s", jsonKind(v))
		return
	}
	get := func(keys ...string) string {
		for _, k := range keys {
			if s := str(m, k); s != "" {
				return s
			}
		}
		return ""
	}
	typ := get("resourceType", "ResourceType")
	rid := get("resourceId", "ResourceId")
	if typ == "" {
		res.Errorf(source, "not an AWS Config configuration item (no resourceType)")
		return
	}
	id := get("ARN", "arn", "Arn")
	if id == "" {
		if rid == "" {
			res.Errorf(source, "%s item has neither ARN nor resourceId", typ)
			return
		}
		id = typ + "/" + rid
	}
	if first, dup := seen[id]; dup {
		res.Errorf(source, "duplicate configuration item %s (first in %s); keeping the first", id, first)
		return
	}
	seen[id] = source
	props := map[string]any{}
	cfg := m["configuration"]
	if s, ok := cfg.(string); ok {
		// The Config API returns configuration as JSON text.
		var decoded any
		if err := json.Unmarshal([]byte(s), &decoded); err != nil {
			res.Errorf(source, "%s: configuration is not JSON: %v", id, err)
			return
		}
		cfg = decoded
	}
	switch c := cfg.(type) {
	case map[string]any:
		props = c
	case nil:
	default:
		res.Errorf(source, "%s: configuration is %s, not an object", id, jsonKind(cfg))
		return
	}
	if sup, ok := m["supplementaryConfiguration"].(map[string]any); ok && len(sup) > 0 {
		for k, val := range sup {
			if s, ok := val.(string); ok {
				var decoded any
				if json.Unmarshal([]byte(s), &decoded) == nil {
					sup[k] = decoded
				}
			}
		}
		props["supplementaryConfiguration"] = sup
	}
	normalize(props, 0)
	name := get("resourceName", "ResourceName")
	if name == "" {
		name = rid
	}
	r := &inventory.Resource{
		ID: id, Provider: inventory.AWS, Type: typ, Name: name,
		Account: get("awsAccountId", "accountId", "AccountId"),
		Region:  get("awsRegion", "awsRegion", "AwsRegion"),
		Tags:    tagMap(m["tags"]), Properties: props, Source: source, Format: Format,
	}
	res.Add(r)
}
