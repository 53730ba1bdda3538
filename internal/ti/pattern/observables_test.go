package pattern

import (
	"fmt"
	"reflect"
	"testing"
)

func TestObservables(t *testing.T) {
	cases := []struct {
		pattern string
		want    []string // "type|key|value"; nil: not an index-only pattern
	}{
		{"[ipv4-addr:value = '198.51.100.1']", []string{"ipv4-addr|ipv4-addr:value|198.51.100.1"}},
		{"[ipv4-addr:value = '198.51.100.1/24']", []string{"ipv4-addr|ipv4-addr:value|198.51.100.0/24"}},
		{"[ipv6-addr:value = '2001:0DB8::1']", []string{"ipv6-addr|ipv6-addr:value|2001:db8::1"}},
		{"[domain-name:value = 'Evil.Example.']", []string{"domain-name|domain-name:value|evil.example"}},
		{"[file:hashes.SHA256 = 'AB12' OR file:hashes.'SHA-1' = 'CD' OR file:hashes.md5 = 'EF']", []string{
			"file|file:hashes.'SHA-256'|ab12", "file|file:hashes.'SHA-1'|cd", "file|file:hashes.MD5|ef"}},
		{"[url:value = 'http://x.example/a' OR email-addr:value = 'a@x.example']", []string{
			"url|url:value|http://x.example/a", "email-addr|email-addr:value|a@x.example"}},
		{"[file:name IN ('a.exe', 'b.exe', 'a.exe')]", []string{"file|file:name|a.exe", "file|file:name|b.exe"}},
		{"[user-account:user_id = '1001' OR user-account:account_login = 'fred']", []string{
			"user-account|user-account:user_id|1001", "user-account|user-account:account_login|fred"}},
		{"[process:name = 'x.exe' OR process:command_line = 'x.exe -a']", []string{
			"process|process:name|x.exe", "process|process:command_line|x.exe -a"}},
		{"[network-traffic:dst_ref.value = '10.0.0.1' OR network-traffic:src_ref.value = 'C2.Example' OR network-traffic:dst_port = 4444]", []string{
			"network-traffic|network-traffic:dst_ref.value|10.0.0.1", "network-traffic|network-traffic:src_ref.value|c2.example",
			"network-traffic|network-traffic:dst_port|4444"}},
		{`[windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\Software\\Run']`, []string{
			`windows-registry-key|windows-registry-key:key|HKEY_LOCAL_MACHINE\Software\Run`}},
		{"[domain-name:value = 'a.example'] WITHIN 10 SECONDS", []string{"domain-name|domain-name:value|a.example"}},
		{"[file:name = 'a' AND file:size = 1]", nil}, // AND: needs evaluation
		{"[file:name = 'a' OR file:size = 1]", nil},  // size is not indexable
		{"[file:name != 'a']", nil},                  // not equality
		{"[file:name NOT IN ('a')]", nil},            // negated
		{"[file:name LIKE 'a%']", nil},               // pattern, not value
		{"[network-traffic:dst_port = '443']", nil},  // a port is an integer
		{"[domain-name:value = 'a'] AND [domain-name:value = 'b']", nil},
		{"[domain-name:value = 'a'] REPEATS 2 TIMES", nil},
		{"[domain-name:value = 'a'] START t'2020-01-01T00:00:00Z' STOP t'2021-01-01T00:00:00Z'", nil},
		{"[file:extensions.'ntfs-ext'.alternate_data_streams[*].hashes.MD5 = 'ab']", nil},
	}
	for _, c := range cases {
		var got []string
		for _, o := range mustParse(t, c.pattern).Observables() {
			got = append(got, o.Type+"|"+o.Key+"|"+o.Value)
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\n got %q\nwant %q", c.pattern, got, c.want)
		}
	}
	o := mustParse(t, "[ipv4-addr:value = '10.0.0.0/8']").Observables()
	if len(o) != 1 || o[0].Prefix.String() != "10.0.0.0/8" {
		t.Errorf("prefix: %+v", o)
	}
}

// For every corpus pattern that reduces to index triples, each triple on
// its own must make Match true: the index and the evaluator agree.
func TestObservablesAgreeWithMatch(t *testing.T) {
	lines := readJSONL[corpusPattern](t, "patterns.jsonl")
	indexed, triples := 0, 0
	for _, l := range lines {
		p, err := ParseVersion(l.Pattern, version(l.SpecVersion))
		if err != nil {
			continue
		}
		obs := p.Observables()
		if obs == nil {
			continue
		}
		indexed++
		for _, o := range obs {
			triples++
			var v any = o.Value
			if o.Key == "network-traffic:dst_port" {
				var n int64
				fmt.Sscan(o.Value, &n)
				v = n
			}
			ev := Observation{Fields: map[string][]any{o.Key: {v}}}
			if !p.Match(ev) {
				t.Errorf("%.120s: triple %+v does not match", l.Pattern, o)
			}
		}
	}
	t.Logf("%d of %d corpus patterns are index-only (%d triples)", indexed, len(lines), triples)
	if indexed < len(lines)*2/5 {
		t.Errorf("only %d patterns indexable", indexed)
	}
}

func TestCandidates(t *testing.T) {
	cases := []struct {
		pattern string
		want    []string
	}{
		{"[file:hashes.MD5 = 'AB' AND file:size = 10]", []string{"file:hashes.MD5|ab"}},
		{"[file:name = 'a' AND (file:hashes.MD5 = 'x' OR file:hashes.MD5 = 'y')]", []string{"file:name|a"}},
		{"[(file:name = 'a' AND file:size = 1) OR domain-name:value = 'B.example']", []string{"file:name|a", "domain-name:value|b.example"}},
		{"[file:name = 'a' OR file:size > 1]", nil},
		{"[file:size > 1 AND file:name != 'x']", nil},
		{"[domain-name:value = 'a'] AND [domain-name:value = 'b']", nil},
	}
	for _, c := range cases {
		var got []string
		for _, o := range mustParse(t, c.pattern).Candidates() {
			got = append(got, o.Key+"|"+o.Value)
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got %q, want %q", c.pattern, got, c.want)
		}
	}
}
