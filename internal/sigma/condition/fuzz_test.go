package condition

import "testing"

// FuzzParse: the parser never panics, and what it accepts prints back to a form it
// accepts again with the same meaning.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"a", "a or b and not c", "1 of sel* and not 1 of filter_*", "all of them",
		"(a or b) and (c or not d)", "2 of x_*", "sel | count() > 5", "((", "not", "any of _x*"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := Parse(s)
		if err != nil {
			return
		}
		out := String(n)
		n2, err := Parse(out)
		if err != nil {
			t.Fatalf("%q printed as %q, which does not parse: %v", s, out, err)
		}
		if String(n2) != out {
			t.Fatalf("%q: %q reprints as %q", s, out, String(n2))
		}
	})
}
