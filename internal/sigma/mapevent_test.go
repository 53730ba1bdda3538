package sigma

import (
	"encoding/json"
	"fmt"
	"testing"
)

// Get must resolve paths as the plain walk does, with and without dotted keys.
func TestMapEventGetShortcut(t *testing.T) {
	rows := []map[string]any{
		{"EventData": map[string]any{"Image": "a.exe", "x.y": "xy", "Sub": map[string]any{"k": 1}}, "Channel": "c", "arr": []any{map[string]any{"k": "v"}}},
		{"EventData.Image": "flat", "EventData": map[string]any{"Image": "nested"}, "a.b": map[string]any{"c": "abc"}, "a": map[string]any{"b.c": "no"}},
		{"EventData": `{"Image":"embedded"}`, "n": nil},
	}
	paths := []string{"EventData.Image", "EventData.x.y", "EventData.Sub.k", "EventData.Sub", "Channel", "arr.k",
		"a.b.c", "EventData.Missing", "Missing.x", "n.x", "EventData", ".x", "x."}
	for i, m := range rows {
		e := NewMapEvent(m)
		ref := &MapEvent{M: m}
		for rep := 0; rep < 2; rep++ {
			for _, p := range paths {
				got, gok := e.Get(p)
				var want Value
				wok := false
				if v, ok := ref.M[p]; ok {
					want, wok = anyValue(v), true
				} else if len(p) > 0 {
					want, wok = ref.walk(ref.M, p)
				}
				if fmt.Sprint(got, gok) != fmt.Sprint(want, wok) {
					t.Errorf("row %d %q: got %v %v want %v %v", i, p, got, gok, want, wok)
				}
			}
		}
	}
}

// JSONEvent resolves paths as MapEvent does.
func TestJSONEventGetShortcut(t *testing.T) {
	docs := []string{
		`{"EventData":{"Image":"a.exe","x.y":"xy","Sub":{"k":1}},"Channel":"c","arr":[{"k":"v"}]}`,
		`{"EventData.Image":"flat","EventData":{"Image":"nested"},"a.b":{"c":"abc"},"a":{"b.c":"no"}}`,
		`{"EventData":"{\"Image\":\"embedded\"}","n":null}`,
	}
	paths := []string{"EventData.Image", "EventData.x.y", "EventData.Sub.k", "Channel", "arr.k",
		"a.b.c", "EventData.Missing", "Missing.x", "n.x", ".x", "x."}
	for _, d := range docs {
		var m map[string]any
		if err := json.Unmarshal([]byte(d), &m); err != nil {
			t.Fatal(err)
		}
		je, err := ParseJSONEventString(d)
		if err != nil {
			t.Fatal(err)
		}
		me := NewMapEvent(m)
		for _, p := range paths {
			g, gok := je.Get(p)
			w, wok := me.Get(p)
			if gok != wok || g.Str != w.Str && g.Kind == KindString {
				t.Errorf("%s %q: json %v %v, map %v %v", d, p, g, gok, w, wok)
			}
		}
	}
}
