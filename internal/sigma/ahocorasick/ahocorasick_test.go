package ahocorasick

import (
	"math/rand"
	"sort"
	"strings"
	"testing"
)

func naive(pats []string, text string) []int {
	var ids []int
	for id, p := range pats {
		if p == "" {
			continue
		}
		for i := 0; i+len(p) <= len(text); i++ {
			if text[i:i+len(p)] == p {
				ids = append(ids, id)
			}
		}
	}
	sort.Ints(ids)
	return ids
}

func TestAgainstNaive(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	alpha := "abc\x00\xff"
	word := func(n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteByte(alpha[r.Intn(len(alpha))])
		}
		return b.String()
	}
	for iter := 0; iter < 300; iter++ {
		var pats []string
		for i := 0; i < 1+r.Intn(12); i++ {
			pats = append(pats, word(r.Intn(5)))
		}
		text := word(r.Intn(60))
		a := New(pats)
		got := a.FindAll(text)
		sort.Ints(got)
		want := naive(pats, text)
		if len(got) != len(want) {
			t.Fatalf("pats %q text %q: got %v want %v", pats, text, got, want)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("pats %q text %q: got %v want %v", pats, text, got, want)
			}
		}
	}
}

func TestIncrementalAndReset(t *testing.T) {
	a := New([]string{"hello", "lo w"})
	s := a.Scanner()
	var ids []int
	hit := func(id int) { ids = append(ids, id) }
	s.FeedString("hel", hit)
	s.FeedString("lo", hit)
	if len(ids) != 1 || ids[0] != 0 {
		t.Fatalf("split match: %v", ids)
	}
	s.Reset()
	s.FeedString(" w", hit)
	if len(ids) != 1 {
		t.Fatalf("match across reset: %v", ids)
	}
}

func TestFoldASCII(t *testing.T) {
	a := NewFoldASCII([]string{"powershell", "-enc"})
	got := a.FindAll("C:\\Windows\\PowerShell.exe -EnC abc")
	if len(got) != 2 {
		t.Fatalf("got %v", got)
	}
}

func BenchmarkScan(b *testing.B) {
	var pats []string
	for i := 0; i < 5000; i++ {
		pats = append(pats, strings.Repeat(string(rune('a'+i%26)), 3)+string(rune('a'+(i/26)%26))+"xyz"[i%3:])
	}
	a := New(pats)
	text := strings.Repeat("the quick brown fox jumps over the lazy dog ", 25)
	b.SetBytes(int64(len(text)))
	s := a.Scanner()
	n := 0
	for i := 0; i < b.N; i++ {
		s.Reset()
		s.FeedString(text, func(int) { n++ })
	}
}

func TestAppendString(t *testing.T) {
	a := NewFoldASCII([]string{"abc", "bc", "abc", "zz"})
	s := a.Scanner()
	ids := s.AppendString("xABcz", nil)
	s.Reset()
	ids = s.AppendString("zz", ids)
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	if len(ids) != 4 || ids[0] != 0 || ids[1] != 1 || ids[2] != 2 || ids[3] != 3 {
		t.Fatalf("ids %v", ids)
	}
}

func TestAppendASCII(t *testing.T) {
	a := NewFoldASCII([]string{"ab", "b\xc3"})
	s := a.Scanner()
	ids, n := s.AppendASCII("xAB\xc3\xa9ab", nil)
	if n != 3 || len(ids) != 1 || ids[0] != 0 {
		t.Fatalf("ids %v n %d", ids, n)
	}
}
