package sigma

import (
	"math/rand"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestRegexClause(t *testing.T) {
	cases := []struct {
		re   string
		want []string // nil: nothing selective
	}{
		{`abc`, []string{"abc"}},
		{`(?i)ABC`, []string{"abc"}},
		{`sekurlsa::[a-z]+`, []string{"sekurlsa::"}},
		{`\w+` + "`" + `(?:\w+|-|.)` + "`" + `[\w+|\s]`, []string{"`"}},
		{`\\[a-zA-Z0-9]{1,32}\.[a-zA-Z0-9]{1,6}\.[ "']{1}`, nil},
		{`(foo|barbaz)\d`, []string{"foo", "barbaz"}},
		{`(foo|b)x`, nil},
		{`a*`, nil},
		{`[0-9a-f]{32}`, nil},
		{`(?i)\$\{` + "`?e`?n`?v", []string{"${"}},
	}
	for _, c := range cases {
		got := strict.regexClause(c.re)
		slices.Sort(got)
		want := slices.Clone(c.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: got %q want %q", c.re, got, want)
		}
	}
}

// Every string a regex matches contains (in canonical case) one of the
// alternatives of its clause.
func TestRegexClauseSound(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	atoms := []string{"a", "b", "ab", "bca", "`", "^", "[ab]", "[a-c]", ".", "\\d", "é", "K", "(?i)k"}
	ops := []string{"", "", "*", "+", "?", "{2}", "{1,3}"}
	gen := func() string {
		var b strings.Builder
		for i := 0; i < 1+r.Intn(5); i++ {
			if r.Intn(4) == 0 {
				b.WriteString("(" + atoms[r.Intn(len(atoms))] + "|" + atoms[r.Intn(len(atoms))] + ")")
			} else {
				b.WriteString("(?:" + atoms[r.Intn(len(atoms))] + ")")
			}
			b.WriteString(ops[r.Intn(len(ops))])
		}
		return b.String()
	}
	text := func() string {
		const alpha = "abcK\u212a`^1é"
		rs := []rune(alpha)
		var b strings.Builder
		for i := 0; i < r.Intn(12); i++ {
			b.WriteRune(rs[r.Intn(len(rs))])
		}
		return b.String()
	}
	for i := 0; i < 3000; i++ {
		expr := gen()
		re := regexp.MustCompile(expr)
		alts := strict.regexClause(expr)
		if alts == nil {
			continue
		}
		for j := 0; j < 50; j++ {
			s := text()
			m := re.FindString(s)
			if m == "" && !re.MatchString(s) {
				continue
			}
			c := canonString(s)
			ok := false
			for _, a := range alts {
				ok = ok || strings.Contains(c, a)
			}
			if !ok {
				t.Fatalf("%s matches %q but no alternative of %q occurs", expr, s, alts)
			}
		}
	}
}

func FuzzRegexClause(f *testing.F) {
	f.Add(`sekurlsa::[a-z]+`, "x sekurlsa::logonpasswords")
	f.Add(`(?i)(foo|barbaz)\d{2,3}`, "BARBAZ12")
	f.Fuzz(func(t *testing.T, expr, s string) {
		re, err := regexp.Compile(expr)
		if err != nil {
			return
		}
		alts := strict.regexClause(expr)
		if alts == nil || !re.MatchString(s) {
			return
		}
		c := canonString(s)
		for _, a := range alts {
			if strings.Contains(c, a) {
				return
			}
		}
		t.Fatalf("%s matches %q but no alternative of %q occurs", expr, s, alts)
	})
}

// A rule with no selective literal settles for two-byte ones rather than being
// evaluated on every event.
func TestRegexClauseRelaxed(t *testing.T) {
	got := relaxed.regexClause(`\\[a-zA-Z0-9]{1,32}\.[a-zA-Z0-9]{1,6}\.[ "']{1}`)
	slices.Sort(got)
	if want := []string{". ", `."`, ".'"}; !slices.Equal(got, want) {
		t.Errorf("got %q want %q", got, want)
	}
	r := mustCompile(t, indent(`sel:
    CommandLine|re: '\\[a-z]{1,32}\.[a-z]{1,6}\.[ "'']'
condition: sel`))
	if r.Targets[0].req.top() {
		t.Error("relaxed requirement expected")
	}
}
