package pattern

import "testing"

func TestNormalizeHashName(t *testing.T) {
	cases := map[string]string{
		"SHA256": "SHA-256", "SHA-256": "SHA-256", "sha256": "SHA-256", "sha_256": "SHA-256",
		"md5": "MD5", "MD5": "MD5", "SHA1": "SHA-1", "SHA-1": "SHA-1", "sha-1": "SHA-1",
		"SHA512": "SHA-512", "sha3-256": "SHA3-256", "SHA3256": "SHA3-256", "ssdeep": "SSDEEP",
		"tlsh": "TLSH", "imphash": "IMPHASH", "AUTHENTIHASH": "AUTHENTIHASH", "vhash": "VHASH",
	}
	for in, want := range cases {
		if got := NormalizeHashName(in); got != want {
			t.Errorf("NormalizeHashName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCanonicalKey(t *testing.T) {
	cases := map[string]string{
		"file:hashes.SHA256":                "file:hashes.'SHA-256'",
		"file:hashes.'sha-1'":               "file:hashes.'SHA-1'",
		"file:hashes.md5":                   "file:hashes.MD5",
		"file:'name'":                       "file:name",
		"email-message:to_refs[ * ].value":  "email-message:to_refs[*].value",
		"x509-certificate:hashes.'SHA-256'": "x509-certificate:hashes.'SHA-256'",
		"network-traffic:extensions.'http-request-ext'.request_header.'User-Agent'": "network-traffic:extensions.'http-request-ext'.request_header.'User-Agent'",
	}
	for in, want := range cases {
		got, err := CanonicalKey(in)
		if err != nil || got != want {
			t.Errorf("CanonicalKey(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := CanonicalKey("file:hashes.SHA-256"); err == nil {
		t.Error("unquoted hyphen accepted")
	}
}

func TestNormalizeValues(t *testing.T) {
	if got := NormalizeDomain("WWW.Example.COM."); got != "www.example.com" {
		t.Errorf("NormalizeDomain = %q", got)
	}
	if got := NormalizeHashValue(" D41D8CD98F00B204E9800998ECF8427E "); got != "d41d8cd98f00b204e9800998ecf8427e" {
		t.Errorf("NormalizeHashValue hex = %q", got)
	}
	// SSDEEP is case-sensitive base64-like text: left alone.
	if got := NormalizeHashValue("768:mvAFYk0IOq:cDIOq"); got != "768:mvAFYk0IOq:cDIOq" {
		t.Errorf("NormalizeHashValue ssdeep = %q", got)
	}
	cidr := map[string]string{
		"198.51.100.7":    "198.51.100.7",
		"198.51.100.7/24": "198.51.100.0/24",
		"2001:0db8::0001": "2001:db8::1",
		"2001:db8:dead:beef:0000:0000:0000:0000/64": "2001:db8:dead:beef::/64",
		"::ffff:10.1.2.3":     "10.1.2.3",
		"::ffff:10.1.2.0/120": "10.1.2.0/24",
		"10.0.0.1/32":         "10.0.0.1",
	}
	for in, want := range cidr {
		p, ok := ParseIPOrCIDR(in)
		if !ok || prefixString(p) != want {
			t.Errorf("ParseIPOrCIDR(%q) = %v, %v; want %s", in, p, ok, want)
		}
	}
	for _, bad := range []string{"", "10.0.0", "10.0.0.1/33", "fe80::1%eth0", "example.com"} {
		if _, ok := ParseIPOrCIDR(bad); ok {
			t.Errorf("ParseIPOrCIDR(%q) accepted", bad)
		}
	}
	nv := map[[2]string]string{
		{"domain-name:value", "Evil.EXAMPLE."}:             "evil.example",
		{"file:hashes.SHA256", "ABCDEF"}:                   "abcdef",
		{"ipv6-addr:value", "2001:DB8::0:1"}:               "2001:db8::1",
		{"network-traffic:dst_ref.value", "010.1.1.1"}:     "010.1.1.1",
		{"network-traffic:dst_ref.value", "Evil.Example"}:  "evil.example",
		{"network-traffic:dst_ref.value", "2001:db8::0:1"}: "2001:db8::1",
		{"url:value", "http://Evil.Example/A"}:             "http://Evil.Example/A",
	}
	for in, want := range nv {
		if got := NormalizeValue(in[0], in[1]); got != want {
			t.Errorf("NormalizeValue(%q, %q) = %q, want %q", in[0], in[1], got, want)
		}
	}
}

func TestNewObservation(t *testing.T) {
	o, err := NewObservation("x", t0, map[string][]any{"file:hashes.sha1": {"A"}, "file:hashes.'SHA-1'": {"B"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := o.Fields["file:hashes.'SHA-1'"]; len(got) != 2 {
		t.Errorf("merged keys: %v", o.Fields)
	}
	if _, err := NewObservation("x", t0, map[string][]any{"file name": {"a"}}); err == nil {
		t.Error("bad key accepted")
	}
}
