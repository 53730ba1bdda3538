package rule

import "testing"

// FuzzParse: any input yields documents and/or problems, never a panic, and every
// problem carries a message.
func FuzzParse(f *testing.F) {
	f.Add([]byte(fullRule))
	f.Add([]byte(multiDoc))
	f.Add([]byte("title: x\nlogsource: {category: a}\ndetection: {s: [a, {b: [c, null]}], condition: '1 of s*'}\n"))
	f.Add([]byte("a: &x [*x, *x]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		docs, probs := Parse(data, "fuzz.yml")
		for _, p := range probs {
			if p.Msg == "" {
				t.Fatal("problem without message")
			}
		}
		for _, d := range docs {
			if d.Rule == nil && d.Correlation == nil && d.Filter == nil {
				t.Fatal("empty document")
			}
		}
	})
}
