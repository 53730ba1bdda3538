package stix

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// wantValidatorPassed: every case must agree (100 %).
const wantValidatorPassed = 10

// TestValidatorCases checks strict validation against the OASIS
// validator's cases: a file named invalid_* must fail (unparseable or an
// object rejected), every other file must pass.
func TestValidatorCases(t *testing.T) {
	files := corpusFiles(t, "validator-cases")
	passed, failed := 0, 0
	for _, f := range files {
		name := filepath.Base(f)
		wantValid := !strings.HasPrefix(name, "invalid")
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		res, err := Parse(data, Options{Strict: true})
		gotValid := err == nil && res.Valid() && len(res.Objects) > 0
		if gotValid == wantValid {
			passed++
			continue
		}
		failed++
		detail := fmt.Sprint(err)
		if res != nil && len(res.Errors) > 0 {
			detail = res.Errors[0].Error()
		}
		t.Errorf("%s: valid=%v, want %v (%s)", name, gotValid, wantValid, detail)
	}
	fmt.Printf("stix validator cases: %d passed, %d failed\n", passed, failed)
	if passed < wantValidatorPassed {
		t.Errorf("%d validator cases passed, want %d", passed, wantValidatorPassed)
	}
}

// TestValidationRules: one hand-made case per rule, checking the exact
// property and rule reported.
func TestValidationRules(t *testing.T) {
	const ind = `"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z"`
	cases := []struct {
		json       string
		prop       string
		rule       Rule
		strictOnly bool
	}{
		{`{` + ind + `,"pattern":"[ipv4-addr:value = '1.2.3.4']","pattern_type":"stix"}`, "valid_from", RuleRequired, false},
		{`{` + ind + `,"pattern":"x","pattern_type":"stix","valid_from":"2020-01-02T00:00:00Z","valid_until":"2020-01-01T00:00:00Z"}`, "valid_until", RuleOrder, false},
		{`{` + ind + `,"pattern":"x","pattern_type":"stix","valid_from":"yesterday"}`, "valid_from", RuleTimestamp, false},
		{`{` + ind + `,"pattern":"[x","pattern_type":"stix","valid_from":"2020-01-01T00:00:00Z"}`, "pattern", RulePattern, true},
		{`{` + ind + `,"pattern":"[a:b = 1]","pattern_type":"stix","valid_from":"2020-01-01T00:00:00Z","confidence":101}`, "confidence", RuleRange, false},
		{`{` + ind + `,"pattern":"[a:b = 1]","pattern_type":"stix","valid_from":"2020-01-01T00:00:00Z","created_by_ref":"malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"}`, "created_by_ref", RuleRefType, false},
		{`{` + ind + `,"pattern":"[a:b = 1]","pattern_type":"stix","valid_from":"2020-01-01T00:00:00Z","object_marking_refs":["tlp-red"]}`, "object_marking_refs[0]", RuleIdentifier, false},
		{`{` + ind + `,"pattern":"[a:b = 1]","pattern_type":"stix","valid_from":"2020-01-01T00:00:00Z","BadName":1}`, "BadName", RulePropertyName, true},
		{`{` + ind + `,"pattern":"[a:b = 1]","pattern_type":"stix","valid_from":"2020-01-01T00:00:00Z","kill_chain_phases":[{"phase_name":"x"}]}`, "kill_chain_phases[0].kill_chain_name", RuleRequired, false},
		{`{"type":"indicator","spec_version":"2.1","id":"malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"}`, "id", RuleIDType, false},
		{`{"type":"relationship","spec_version":"2.1","id":"relationship--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z","relationship_type":"indicates","source_ref":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","target_ref":"sighting--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"}`, "target_ref", RuleRefType, false},
		{`{"type":"observed-data","spec_version":"2.1","id":"observed-data--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z","first_observed":"2020-01-01T00:00:00Z","last_observed":"2020-01-01T00:00:00Z","number_observed":0,"object_refs":["ipv4-addr--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"]}`, "number_observed", RuleRange, false},
		{`{"type":"observed-data","spec_version":"2.1","id":"observed-data--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z","first_observed":"2020-01-01T00:00:00Z","last_observed":"2020-01-01T00:00:00Z","number_observed":1}`, "object_refs", RuleExclusive, false},
		{`{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2020-01-01T00:00:00.000Z","definition_type":"tlp","definition":{"tlp":"purple"}}`, "definition.tlp", RuleValue, false},
		{`{"type":"malware","spec_version":"2.1","id":"malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z","is_family":true}`, "name", RuleRequired, false},
		{`{"type":"malware","spec_version":"2.1","id":"malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z","name":"x"}`, "is_family", RuleRequired, true},
		{`{"type":"network-traffic","id":"network-traffic--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","protocols":["tcp"],"dst_port":70000,"dst_ref":"ipv4-addr--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"}`, "dst_port", RuleRange, false},
		{`{"type":"ipv4-addr","id":"ipv4-addr--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","value":1}`, "value", RuleType, false},
		{`{"type":"Bad_Type","id":"Bad_Type--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"}`, "type", RuleTypeName, false},
		{`{"type":"identity","spec_version":"2.2","id":"identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z","name":"x"}`, "spec_version", RuleSpecVersion, false},
		{`[1]`, "", RuleJSON, false},
	}
	for _, c := range cases {
		for _, strict := range []bool{false, true} {
			res, err := Parse([]byte(c.json), Options{Strict: strict})
			if err != nil {
				t.Fatalf("%s: %v", c.json, err)
			}
			want := strict || !c.strictOnly
			if got := len(res.Errors) > 0; got != want {
				t.Errorf("strict=%v %s: rejected=%v, want %v (%v)", strict, c.json, got, want, res.Errors)
				continue
			}
			if !want {
				continue
			}
			e := res.Errors[0]
			if e.Property != c.prop || e.Rule != c.rule || e.Index != 0 {
				t.Errorf("strict=%v %s: got %v, want property %q rule %s", strict, c.json, e, c.prop, c.rule)
			}
		}
	}
}

// TestPartialBundle: an invalid object is reported by index and id while
// its neighbours are imported.
func TestPartialBundle(t *testing.T) {
	data := `{"type":"bundle","id":"bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","objects":[
	 {"type":"identity","spec_version":"2.1","id":"identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z","name":"A"},
	 {"type":"identity","spec_version":"2.1","id":"identity--9e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z"},
	 {"type":"x-acme-widget","id":"x-acme-widget--ae2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","x_color":"red"}]}`
	res, err := Parse([]byte(data), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Objects) != 2 || len(res.Errors) != 1 {
		t.Fatalf("objects %d errors %v", len(res.Objects), res.Errors)
	}
	want := "object 1 (identity--9e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f): property name: required: required property is missing"
	if got := res.Errors[0].Error(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if string(res.Objects[1].Original) != `{"type":"x-acme-widget","id":"x-acme-widget--ae2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","x_color":"red"}` {
		t.Errorf("custom object not kept verbatim: %s", res.Objects[1].Original)
	}
}

// TestInputForms: bundle, envelope, bare object, array and NDJSON.
func TestInputForms(t *testing.T) {
	obj := `{"type":"url","id":"url--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","value":"http://a.example/"}`
	for _, c := range []struct {
		in    string
		forms string
		n     int
	}{
		{`{"type":"bundle","id":"bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","objects":[` + obj + `]}`, "bundle", 1},
		{`{"objects":[` + obj + `,` + obj + `],"more":false}`, "envelope", 2},
		{obj, "object", 1},
		{`[` + obj + `]`, "array", 1},
		{obj + "\n" + obj + "\n", "object,object", 2},
		{`{"id":"bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","objects":[` + obj + `],"type":"bundle","spec_version":"2.0"}`, "bundle", 1},
	} {
		res, err := Parse([]byte(c.in), Options{})
		if err != nil {
			t.Fatalf("%s: %v", c.in, err)
		}
		var forms []string
		for _, h := range res.Headers {
			forms = append(forms, h.Form)
		}
		if strings.Join(forms, ",") != c.forms || len(res.Objects) != c.n {
			t.Errorf("%s: forms %v objects %d", c.in, forms, len(res.Objects))
		}
	}
	for _, bad := range []string{``, `"x"`, `{"objects":[1,`} {
		if _, err := Parse([]byte(bad), Options{}); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
