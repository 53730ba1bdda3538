package aws

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
)

// props converts an SDK output or item struct to decoded JSON in the botocore layout the
// awsapi importer stores: the SDK's field names are the API's member names, so marshalling
// gives the same keys. Absent members (nil pointers and slices, and the empty strings of
// unset enum fields) are dropped as botocore omits them, SDK bookkeeping (ResultMetadata) is dropped, and policy documents held as
// JSON text (URL-encoded by IAM) become objects.
func props(v any) (map[string]any, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, fmt.Errorf("%T is not an object", v)
	}
	delete(m, "ResultMetadata")
	clean(m, 0)
	return m, nil
}

// mustProps is props for SDK types, which always marshal; a failure is a programming error
// reported in the properties rather than a panic.
func mustProps(v any) map[string]any {
	m, err := props(v)
	if err != nil {
		return map[string]any{"CollectorError": err.Error()}
	}
	return m
}

func clean(v any, depth int) any {
	if depth > 64 {
		return v
	}
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if val == nil || val == "" {
				delete(x, k)
				continue
			}
			if s, ok := val.(string); ok && policyKeys[k] {
				if doc, ok := policyDocument(s); ok {
					x[k] = doc
					continue
				}
			}
			x[k] = clean(val, depth+1)
		}
	case []any:
		for i, val := range x {
			x[i] = clean(val, depth+1)
		}
	}
	return v
}

// policyKeys name fields whose string value is an IAM-style policy document (the awsapi
// importer's list).
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

// tagMap reads [{Key, Value}] tags (Tags, TagList) from properties.
func tagMap(p map[string]any) map[string]string {
	for _, k := range []string{"Tags", "TagList", "TagSet"} {
		list, ok := p[k].([]any)
		if !ok {
			continue
		}
		out := map[string]string{}
		for _, t := range list {
			m, _ := t.(map[string]any)
			key, _ := m["Key"].(string)
			val, _ := m["Value"].(string)
			if key != "" {
				out[key] = val
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	return nil
}

// arnParts splits an ARN into partition, service, region and account.
func arnParts(s string) (partition, service, region, account string, ok bool) {
	p := strings.SplitN(s, ":", 6)
	if len(p) != 6 || p[0] != "arn" {
		return "", "", "", "", false
	}
	return p[1], p[2], p[3], p[4], true
}
