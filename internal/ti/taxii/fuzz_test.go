package taxii

import "testing"

// FuzzParseEnvelope: hostile envelopes give an envelope or an error,
// never a panic, and never more objects than the limit.
func FuzzParseEnvelope(f *testing.F) {
	f.Add([]byte(`{"more":true,"next":"abc","objects":[{"type":"indicator"}]}`))
	f.Add([]byte(`{"objects":null}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"objects":[1,2]}`))
	f.Add([]byte(`{"objects":[{},{},{},{},{}]} {}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		env, err := ParseEnvelope(data, 4)
		if err != nil {
			return
		}
		if len(env.Objects) > 4 {
			t.Fatalf("%d objects past the limit", len(env.Objects))
		}
		for _, o := range env.Objects {
			if len(o) == 0 || o[0] != '{' {
				t.Fatalf("non-object %q", o)
			}
		}
	})
}
