package stix

import (
	"strings"
	"testing"
)

// The stream scanner: objects past the size limit are reported and skipped, their
// neighbours kept; a top-level object keeps its bytes as sent; broken input names its offset.
func TestScanner(t *testing.T) {
	obj := `{"type":"url","id":"url--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","value":"http://a.example/"}`
	big := `{"type":"url","id":"url--9e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","value":"` + strings.Repeat("x", 300) + `"}`
	for _, in := range []string{`[` + obj + `,` + big + `,` + obj + `]`, obj + "\n" + big + "\n" + obj} {
		res, err := Parse([]byte(in), Options{MaxObjectBytes: 200})
		if err != nil {
			t.Fatal(err)
		}
		if res.Read != 3 || len(res.Objects) != 2 || len(res.Errors) != 1 || res.Errors[0].Rule != RuleLimit || res.Errors[0].Index != 1 {
			t.Errorf("%.40s…: read %d, objects %d, errors %v", in, res.Read, len(res.Objects), res.Errors)
		}
	}
	spaced := "{ \"type\" : \"url\",\n  \"id\":\"url--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\", \"value\":\"a\\\"b\" }"
	res, err := Parse([]byte(spaced), Options{})
	if err != nil || len(res.Objects) != 1 || string(res.Objects[0].Original) != spaced || res.Objects[0].Value != `a"b` {
		t.Fatalf("%v %+v", err, res)
	}
	for in, want := range map[string]string{
		`{"type":"bundle","objects":[` + obj:        "offset",
		`{"type":"bundle" "objects":[]}`:            "expected ',' or '}'",
		`[` + obj + ` ` + obj + `]`:                 "expected ',' or ']'",
		`{"objects":[` + obj + `]}]`:                "expected a JSON object or array",
		`{"objects":[` + obj + `],"type":"x-acme"}`: "not a bundle",
	} {
		if _, err := Parse([]byte(in), Options{}); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%.50s: error %v, want %q", in, err, want)
		}
	}
}
