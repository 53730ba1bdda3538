package pattern

import (
	"slices"
	"testing"
)

func TestObservationCandidates(t *testing.T) {
	keys := func(obs []Observable) []string {
		var out []string
		for _, o := range obs {
			out = append(out, o.Key+"="+o.Value)
		}
		slices.Sort(out)
		return out
	}
	cases := map[string][]string{
		"[ipv4-addr:value = '1.2.3.4'] AND [domain-name:value = 'Evil.Example.']":                    {"domain-name:value=evil.example", "ipv4-addr:value=1.2.3.4"},
		"([url:value = 'http://x/'] FOLLOWEDBY [url:value = 'http://x/']) WITHIN 5 SECONDS":          {"url:value=http://x/"},
		"[file:hashes.MD5 = 'AA' AND file:size > 3] REPEATS 3 TIMES":                                 {"file:hashes.MD5=aa"},
		"[ipv4-addr:value = '1.2.3.4'] OR [file:size > 3]":                                           nil, // one [ ] has no candidates
		"[ipv4-addr:value = '10.0.0.0/8'] AND [email-addr:value = 'a@b.example' OR url:value = 'u']": {"email-addr:value=a@b.example", "ipv4-addr:value=10.0.0.0/8", "url:value=u"},
	}
	for src, want := range cases {
		got := keys(mustParse(t, src).ObservationCandidates())
		if !slices.Equal(got, want) {
			t.Errorf("%s: got %v, want %v", src, got, want)
		}
	}
}
