package stix

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"unicode/utf8"
)

// FuzzParse: any input gives objects, validation errors or an error, and
// never a panic; every returned object has a type and id.
func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"type":"bundle","id":"bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","objects":[{"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z","pattern":"[ipv4-addr:value = '1.2.3.4']","pattern_type":"stix","valid_from":"2020-01-01T00:00:00Z"}]}`))
	f.Add([]byte(`{"objects":[{"type":"malware","id":"malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2017-01-01T00:00:00Z","modified":"2017-01-01T00:00:00Z","labels":["x"]}]}`))
	f.Add([]byte(`[{"type":"url","id":"url--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","value":"x"}]` + "\n{}"))
	f.Add([]byte(`{"type":"marking-definition","id":"marking-definition--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2020-01-01T00:00:00.000Z","definition_type":"tlp","definition":{"tlp":"amber"}}`))
	f.Add([]byte{0x1f, 0x8b, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Parse(data, Options{MaxObjects: 1000})
		if err != nil {
			return
		}
		for _, o := range res.Objects {
			if o.Type == "" || o.ID == "" || len(o.Data) == 0 {
				t.Fatalf("incomplete object %+v", o)
			}
			if o.Indicator != nil {
				_, _ = SentinelIndicatorRow(o, RowOptions{})
			}
		}
	})
}

// FuzzSplitObject: splitObject agrees with encoding/json on every object it accepts (same
// members, same values, the last of repeated names), and never panics.
func FuzzSplitObject(f *testing.F) {
	f.Add([]byte(`{"type":"url","id":"url--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","value":"x"}`))
	f.Add([]byte(` { "a" : [1, {"b": "c\"}"}], "a": -1.5e3, "n": null, "t": true, "\u0061x": {} } `))
	f.Add([]byte(`[1]`))
	f.Add([]byte(`{"a":"\ud800"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := splitObject(data)
		if err != nil || !utf8.Valid(data) { // encoding/json rewrites invalid UTF-8
			return
		}
		var want map[string]any
		if err := json.Unmarshal(data, &want); err != nil {
			if !bytes.ContainsFunc(data, func(r rune) bool { return r < 0x20 && r != ' ' && r != '\t' && r != '\n' && r != '\r' }) {
				t.Fatalf("splitObject accepted what encoding/json rejects (%v): %q", err, data)
			}
			return
		}
		if len(m) != len(want) {
			t.Fatalf("%d members, encoding/json has %d: %q", len(m), len(want), data)
		}
		for k, raw := range m {
			var got any
			if err := json.Unmarshal(raw, &got); err != nil || !reflect.DeepEqual(got, want[k]) {
				t.Fatalf("member %q = %s (%v), encoding/json has %v", k, raw, err, want[k])
			}
		}
	})
}
