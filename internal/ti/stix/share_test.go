package stix

import "testing"

func TestMarkingsAndSharing(t *testing.T) {
	res, err := Parse([]byte(`{"type":"bundle","id":"bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","objects":[
	 {"type":"marking-definition","spec_version":"2.1","id":"marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421","created":"2022-10-01T00:00:00.000Z","name":"TLP:AMBER","extensions":{"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d":{"extension_type":"property-extension","tlp_2_0":"amber"}}},
	 {"type":"marking-definition","spec_version":"2.1","id":"marking-definition--11111111-1111-4111-8111-111111111111","created":"2022-10-01T00:00:00.000Z","definition_type":"tlp","definition":{"tlp":"red"}},
	 {"type":"marking-definition","spec_version":"2.1","id":"marking-definition--22222222-2222-4222-8222-222222222222","created":"2022-10-01T00:00:00.000Z","definition_type":"statement","definition":{"statement":"Copyright ACME"}},
	 {"type":"url","id":"url--00000000-0000-4000-8000-000000000001","value":"http://a.example/"},
	 {"type":"url","id":"url--00000000-0000-4000-8000-000000000002","value":"http://b.example/","object_marking_refs":["marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9","marking-definition--22222222-2222-4222-8222-222222222222"]},
	 {"type":"url","id":"url--00000000-0000-4000-8000-000000000003","value":"http://c.example/","object_marking_refs":["marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"]},
	 {"type":"url","id":"url--00000000-0000-4000-8000-000000000004","value":"http://d.example/","granular_markings":[{"marking_ref":"marking-definition--11111111-1111-4111-8111-111111111111","selectors":["value"]}]},
	 {"type":"url","id":"url--00000000-0000-4000-8000-000000000005","value":"http://e.example/","object_marking_refs":["marking-definition--99999999-9999-4999-8999-999999999999"]}
	]}`), Options{})
	if err != nil || !res.Valid() {
		t.Fatal(err, res.Errors)
	}
	st := NewStore()
	st.Import(res)
	m := st.Markings()
	want := map[string][]bool{ // shareable at CLEAR, GREEN, AMBER, AMBER+STRICT, RED
		"url--00000000-0000-4000-8000-000000000001": {true, true, true, true, true},
		"url--00000000-0000-4000-8000-000000000002": {true, true, true, true, true},
		"url--00000000-0000-4000-8000-000000000003": {false, false, true, true, true},
		"url--00000000-0000-4000-8000-000000000004": {false, false, false, false, true},
		"url--00000000-0000-4000-8000-000000000005": {false, false, false, false, false},
	}
	for id, w := range want {
		o := st.Get(id)
		for i, lvl := range []TLP{TLPClear, TLPGreen, TLPAmber, TLPAmberStrict, TLPRed} {
			if got := m.MayShareTLP(o, lvl); got != w[i] {
				t.Errorf("%s at %s: %v, want %v", id, lvl, got, w[i])
			}
		}
	}
	o5 := st.Get("url--00000000-0000-4000-8000-000000000005")
	if ok, _ := m.MayShare(o5, SharePolicy{Max: TLPRed, AllowUnknown: true}); !ok {
		t.Error("AllowUnknown ignored")
	}
	o1 := st.Get("url--00000000-0000-4000-8000-000000000001")
	if ok, _ := m.MayShare(o1, SharePolicy{Max: TLPGreen, Unmarked: TLPAmber}); ok {
		t.Error("Unmarked level ignored")
	}
	if TLPFromName("TLP:AMBER+STRICT") != TLPAmberStrict || TLPFromName("white") != TLPClear {
		t.Error("TLPFromName")
	}
}
