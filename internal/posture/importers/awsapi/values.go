package awsapi

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// normalize rewrites a decoded placebo value in place: botocore datetime objects become
// RFC 3339 strings, policy documents held as JSON text (URL-encoded by IAM) become objects,
// and ResponseMetadata is dropped.
func normalize(v any, depth int) any {
	if depth > 64 {
		return v
	}
	switch x := v.(type) {
	case map[string]any:
		if c, _ := x["__class__"].(string); c == "datetime" {
			return datetime(x)
		}
		delete(x, "ResponseMetadata")
		for k, val := range x {
			if s, ok := val.(string); ok && policyKeys[k] {
				if doc, ok := policyDocument(s); ok {
					x[k] = doc
					continue
				}
			}
			x[k] = normalize(val, depth+1)
		}
		return x
	case []any:
		for i, val := range x {
			x[i] = normalize(val, depth+1)
		}
	}
	return v
}

// policyKeys name fields whose string value is an IAM-style policy document.
var policyKeys = map[string]bool{
	"Policy": true, "Document": true, "PolicyDocument": true, "AssumeRolePolicyDocument": true,
	"DeliveryPolicy": true, "EffectiveDeliveryPolicy": true,
}

// policyDocument decodes a JSON (optionally URL-encoded) policy document.
func policyDocument(s string) (map[string]any, bool) {
	t := strings.TrimSpace(s)
	if strings.HasPrefix(t, "%7B") || strings.HasPrefix(t, "%7b") {
		u, err := url.QueryUnescape(t)
		if err != nil {
			return nil, false
		}
		t = strings.TrimSpace(u)
	}
	if !strings.HasPrefix(t, "{") {
		return nil, false
	}
	var m map[string]any
	if json.Unmarshal([]byte(t), &m) != nil {
		return nil, false
	}
	return m, true
}

// datetime converts botocore's {"__class__": "datetime", "year": ...} to RFC 3339 (UTC).
func datetime(m map[string]any) any {
	n := func(k string) int {
		f, _ := m[k].(float64)
		if f < 0 || f > 1e7 {
			return 0
		}
		return int(f)
	}
	if n("year") == 0 {
		return fmt.Sprint(m)
	}
	t := time.Date(n("year"), time.Month(max(n("month"), 1)), max(n("day"), 1), n("hour"), n("minute"), n("second"), n("microsecond")*1000, time.UTC)
	return t.Format(time.RFC3339Nano)
}

// str returns the string at a dotted path, or "".
func str(v any, path string) string {
	for _, seg := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[seg]
		case []any:
			var i int
			if _, err := fmt.Sscanf(seg, "%d", &i); err != nil || i < 0 || i >= len(x) {
				return ""
			}
			v = x[i]
		default:
			return ""
		}
	}
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return fmt.Sprint(x)
	}
	return ""
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

// arnParts splits an ARN into partition, service, region, account and resource.
func arnParts(s string) (service, region, account, resource string, ok bool) {
	p := strings.SplitN(s, ":", 6)
	if len(p) != 6 || p[0] != "arn" {
		return "", "", "", "", false
	}
	return p[2], p[3], p[4], p[5], true
}

// tagMap converts [{Key, Value}] or {k: v} tags.
func tagMap(v any) map[string]string {
	out := map[string]string{}
	switch x := v.(type) {
	case []any:
		for _, t := range x {
			if m, ok := t.(map[string]any); ok {
				k := str(m, "Key")
				if k == "" {
					k = str(m, "key")
				}
				val := str(m, "Value")
				if val == "" {
					val = str(m, "value")
				}
				if k != "" {
					out[k] = val
				}
			}
		}
	case map[string]any:
		for k, val := range x {
			if s, ok := val.(string); ok {
				out[k] = s
			} else if val != nil {
				out[k] = fmt.Sprint(val)
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
