package pattern

import (
	"net/netip"
	"strings"
	"testing"
	"time"
)

func obsOf(t *testing.T, fields map[string][]any) Observation {
	t.Helper()
	o, err := NewObservation("e1", time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC), fields)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func TestMatch(t *testing.T) {
	ev := obsOf(t, map[string][]any{
		"ipv4-addr:value":                {"198.51.100.7"},
		"domain-name:value":              {"WWW.Evil.Example."},
		"file:name":                      {"invoice_2024.pdf.exe"},
		"file:size":                      {int64(4096)},
		"file:hashes.SHA256":             {"AEC070645FE53EE3B3763059376134F058CC337247C978ADD178B6CCDFB0019F"},
		"file:created":                   {"2014-01-13T07:03:17Z"},
		"file:magic_number_hex":          {"FFD8"},
		"process:command_line":           {"powershell.exe -nop -enc SQBFAFgA"},
		"process:is_hidden":              {true},
		"process:pid":                    {"1700"},
		"network-traffic:dst_ref.value":  {"203.0.113.9"},
		"network-traffic:dst_port":       {443},
		"network-traffic:protocols[*]":   {"tcp", "tls"},
		"email-message:to_refs[0].value": {"a@example.com"},
		"email-message:to_refs[1].value": {"b@example.com"},
		"artifact:payload_bin":           {"dGhpcyBpcyBhIHRlc3Q="},
		"network-traffic:extensions.'http-request-ext'.request_header.'User-Agent'": {"curl/8.0"},
		"user-account:account_last_login":                                           {time.Date(2010, 12, 9, 20, 17, 34, 0, time.UTC)},
	})
	cases := []struct {
		pattern string
		want    bool
	}{
		{"[ipv4-addr:value = '198.51.100.7']", true},
		{"[ipv4-addr:value = '198.51.100.8']", false},
		{"[ipv4-addr:value = '198.51.100.0/24']", true}, // a CIDR literal means containment
		{"[ipv4-addr:value != '198.51.100.0/24']", false},
		{"[ipv4-addr:value ISSUBSET '198.51.0.0/16']", true},
		{"[ipv4-addr:value ISSUBSET '10.0.0.0/8']", false},
		{"[ipv4-addr:value NOT ISSUBSET '10.0.0.0/8']", true},
		{"[ipv4-addr:value ISSUPERSET '198.51.100.7/32']", true},
		{"[ipv4-addr:value ISSUPERSET '198.51.100.0/24']", false},
		{"[ipv4-addr:value IN ('10.0.0.1', '198.51.100.0/25')]", true},
		{"[domain-name:value = 'www.evil.example']", true}, // domains compare lower-cased
		{"[domain-name:value LIKE '%.EVIL.example']", true},
		{"[file:name LIKE 'invoice%.exe']", true},
		{"[file:name LIKE 'invoice_2024.pdf.ex_']", true},
		{"[file:name LIKE 'Invoice%']", false}, // LIKE is case-sensitive
		{"[file:name NOT LIKE 'setup%']", true},
		{"[file:size > 1024 AND file:size <= 4096]", true},
		{"[file:size < 4096]", false},
		{"[file:size >= 4095.5]", true},
		{"[file:size = '4096']", false}, // typed value vs string literal: mismatched types
		{"[file:size NOT = '4096']", false},
		{"[process:pid = 1700]", true}, // untyped text converts to the literal's type
		{"[process:pid > 1699.5]", true},
		{"[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']", true},
		{"[file:hashes.sha256 = 'AEC070645FE53EE3B3763059376134F058CC337247C978ADD178B6CCDFB0019F']", true},
		{"[file:hashes.MD5 = 'aec0']", false},
		{"[file:created = t'2014-01-13T07:03:17Z']", true},
		{"[file:created > t'2014-01-13T07:03:16.999Z']", true},
		{"[user-account:account_last_login < t'2011-01-01T00:00:00Z']", true},
		{"[file:magic_number_hex = h'ffd8']", true},
		{"[artifact:payload_bin = b'dGhpcyBpcyBhIHRlc3Q=']", true},
		{"[process:is_hidden = true]", true},
		{"[process:is_hidden != true]", false},
		{"[process:command_line MATCHES '^powershell.+-enc\\\\s']", true},
		{"[process:command_line MATCHES 'cmd\\\\.exe']", false},
		{"[process:command_line NOT MATCHES 'cmd\\\\.exe']", true},
		{"[network-traffic:dst_ref.value = '203.0.113.0/24' AND network-traffic:dst_port IN (80, 443)]", true},
		{"[network-traffic:dst_port NOT IN (80, 8080)]", true},
		{"[network-traffic:protocols[*] = 'tls']", true},
		{"[network-traffic:protocols[1] = 'tls']", true},
		{"[network-traffic:protocols[0] = 'tls']", false},
		{"[network-traffic:protocols[-1] = 'tls']", true},
		{"[email-message:to_refs[*].value = 'b@example.com']", true},
		{"[email-message:to_refs[0].value = 'b@example.com']", false},
		{"[email-message:to_refs[1].value = 'b@example.com']", true},
		{"[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'curl/8.0']", true},
		{"[EXISTS file:hashes.SHA256]", true},
		{"[EXISTS file:hashes.MD5]", false},
		{"[NOT EXISTS file:hashes.MD5]", true},
		{"[NOT EXISTS mutex:name]", false}, // no mutex object to test
		{"[mutex:name != 'x']", false},     // absent property: false, with or without NOT
		{"[mutex:name NOT = 'x']", false},
		{"[file:name = 'x' OR ipv4-addr:value = '198.51.100.7']", true},
		// AND inside [ ] must hold for one object: different types never do.
		{"[ipv4-addr:value = '198.51.100.7' AND domain-name:value = 'www.evil.example']", false},
		{"[(ipv4-addr:value = '198.51.100.7' OR file:name = 'x') AND file:size = 4096]", false},
		{"[(file:name = 'x' OR file:name LIKE '%.exe') AND file:size = 4096]", true},
		// Qualifiers on one observation.
		{"[file:size = 4096] START t'2024-05-01T00:00:00Z' STOP t'2024-05-02T00:00:00Z'", true},
		{"[file:size = 4096] START t'2024-04-01T00:00:00Z' STOP t'2024-05-01T12:00:00Z'", false}, // STOP is exclusive
		{"[file:size = 4096] WITHIN 5 SECONDS", true},
		{"[file:size = 4096] REPEATS 2 TIMES", false},
		{"[file:size = 4096] AND [file:size = 4096]", false}, // two observations: a Correlator's job
	}
	for _, c := range cases {
		p := mustParse(t, c.pattern)
		if got := p.Match(ev); got != c.want {
			t.Errorf("%s: Match = %v, want %v (warnings %v)", c.pattern, got, c.want, p.Warnings)
		}
	}
}

func TestMatchTypedValues(t *testing.T) {
	ev := Observation{Fields: map[string][]any{
		"ipv4-addr:value":      {netip.MustParseAddr("10.1.2.3")},
		"ipv6-addr:value":      {netip.MustParsePrefix("2001:db8:1::/48")},
		"file:size":            {uint32(10), 3.5},
		"artifact:payload_bin": {[]byte("this is a test")},
	}}
	cases := map[string]bool{
		"[ipv4-addr:value = '10.1.2.0/24']":                true,
		"[ipv6-addr:value ISSUBSET '2001:db8::/32']":       true,
		"[ipv6-addr:value = '2001:db8:1::5']":              false,
		"[ipv6-addr:value ISSUPERSET '2001:db8:1::5']":     true,
		"[file:size = 10]":                                 true,
		"[file:size = 3.5]":                                true,
		"[file:size > 100]":                                false,
		"[artifact:payload_bin = b'dGhpcyBpcyBhIHRlc3Q=']": true,
		"[artifact:payload_bin MATCHES '^this']":           true,
		"[artifact:payload_bin > h'00']":                   true,
	}
	for src, want := range cases {
		if got := mustParse(t, src).Match(ev); got != want {
			t.Errorf("%s: %v, want %v", src, got, want)
		}
	}
}

func TestMatchWarnings(t *testing.T) {
	cases := map[string]string{
		"[a:b MATCHES '(a)\\\\1']":         "back-reference",
		"[a:b MATCHES 'foo(?=bar)']":       "look-around",
		"[a:b MATCHES '(?<!x)y']":          "look-around",
		"[a:b MATCHES '(?>a+)b']":          "atomic",
		"[a:b MATCHES 'a++']":              "possessive",
		"[a:b MATCHES 'SOFTWARE\\\\Time']": "invalid regular expression",
		"[a:b ISSUBSET 'example.com']":     "not an IP",
		"[a:x = 1 AND b:y = 2]":            "can never match",
	}
	for src, want := range cases {
		p := mustParse(t, src)
		if len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], want) {
			t.Errorf("%s: warnings %q, want one containing %q", src, p.Warnings, want)
		}
	}
}

func TestTranslatePCRE(t *testing.T) {
	cases := []struct {
		re, match string
		want      bool
	}{
		{`^evil\Z`, "evil\n", true},
		{`a\hb`, "a b", true},
		{`a\Hb`, "a b", false},
		{`a(?#comment)b`, "ab", true},
		{`(?'word'\w+)$`, "xyz", true},
		{`\e\[0m`, "\x1b[0m", true},
		{`[(?=]+`, "?=(", true},
		{`\Q(?=\E`, "(?=", true},
		{`(?i)EVIL`, "evil", true},
		{`[[:digit:]]+`, "42", true},
		{`[]a]`, "]", true},
		{`line\Rnext`, "line\r\nnext", true},
	}
	for _, c := range cases {
		re, why := compileRegex(c.re, 1<<10)
		if why != "" {
			t.Errorf("%q: %s", c.re, why)
			continue
		}
		if got := re.MatchString(c.match); got != c.want {
			t.Errorf("%q on %q = %v", c.re, c.match, got)
		}
	}
	for _, bad := range []string{`(?R)`, `(?1)`, `a(?(1)b|c)`, `\G`, `a\Kb`, `(?x) a b`, `(?|a)`, `\k<n>`} {
		if _, why := compileRegex(bad, 1<<10); why == "" {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestLike(t *testing.T) {
	cases := []struct {
		pat, s string
		want   bool
	}{
		{"%", "", true}, {"_", "", false}, {"_", "é", true}, {"a%b%c", "aXXbYYc", true},
		{"a%b%c", "aXXbYY", false}, {"%.exe", "setup.exe", true}, {"%.exe", "setup.exe.txt", false},
		{"%%a", "bba", true}, {"a_c", "abc", true}, {"a_c", "abbc", false}, {"", "", true}, {"", "x", false},
		{"%a%a%a%a%a%b", strings.Repeat("a", 2000), false},
		{"a%", "a", true}, {"%a", "a", true}, {"a%a", "a", false}, {"a%a", "aa", true},
		{"_%_", "ab", true}, {"_%_", "a", false}, {"%b%", "abc", true}, {"a%%c", "ac", true},
		{"%ab%abc", "xxabyyabc", true}, {"%abc%abc", "abcabc", true}, {"%abc%abc", "abc", false},
	}
	for _, c := range cases {
		if got := newLike(c.pat).match(c.s); got != c.want {
			t.Errorf("LIKE %q on %.20q = %v", c.pat, c.s, got)
		}
	}
}
