package ti

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	var out bytes.Buffer
	p, f, err := Validate([]byte("{\"pattern\":\"[ipv4-addr:value = '1.2.3.4']\"}\n{\"pattern\":\"[ipv4-addr:value = \"}\n"), &out)
	if err != nil || p != 1 || f != 1 || !strings.HasSuffix(out.String(), "1 passed, 1 failed\n") || !strings.Contains(out.String(), "line 2: FAIL") {
		t.Fatalf("%d %d %v\n%s", p, f, err, out.String())
	}
	out.Reset()
	bundle := `{"type":"bundle","id":"bundle--6c3c3b47-9b5a-4b0c-8a39-8e2a58a3e5a1","objects":[{"type":"identity","spec_version":"2.1","id":"identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","name":"ACME"},{"type":"identity","spec_version":"2.1","id":"identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3e","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z"}]}`
	p, f, err = Validate([]byte(bundle), &out)
	if err != nil || p != 1 || f != 1 || !strings.Contains(out.String(), "object 2: FAIL") {
		t.Fatalf("%d %d %v\n%s", p, f, err, out.String())
	}
}

// indicators makes n indicators over IPs, domains, URLs and SHA-256 hashes.
func indicators(n int) []byte {
	var b bytes.Buffer
	for i := 0; i < n; i++ {
		var pat string
		switch i % 4 {
		case 0:
			pat = fmt.Sprintf("[ipv4-addr:value = '10.%d.%d.%d']", i>>16&255, i>>8&255, i&255)
		case 1:
			pat = fmt.Sprintf("[domain-name:value = 'host%d.bad.example']", i)
		case 2:
			pat = fmt.Sprintf("[url:value = 'http://bad.example/%d']", i)
		default:
			pat = fmt.Sprintf("[file:hashes.'SHA-256' = '%064x']", i)
		}
		fmt.Fprintf(&b, `{"type":"indicator","spec_version":"2.1","id":"indicator--%08x-0000-4000-8000-%012x","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","pattern":%q,"pattern_type":"stix","valid_from":"2026-01-01T00:00:00.000Z"}`+"\n", i, i, pat)
	}
	return b.Bytes()
}
