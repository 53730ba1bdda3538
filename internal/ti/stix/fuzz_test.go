package stix

import (
	"testing"
)

// FuzzParse: any input gives objects, validation errors or an error, and
// never a panic; every returned object has a type and id.
func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"type":"bundle","id":"bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","objects":[{"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z","pattern":"[ipv4-addr:value = '1.2.3.4']","pattern_type":"stix","valid_from":"2020-01-01T00:00:00Z"}]}`))
	f.Add([]byte(`{"objects":[{"type":"malware","id":"malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2017-01-01T00:00:00Z","modified":"2017-01-01T00:00:00Z","labels":["x"]}]}`))
	f.Add([]byte(`[{"type":"url","id":"url--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","value":"x"}]` + "\n{}"))
	f.Add([]byte(`{"type":"marking-definition","id":"marking-definition--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2020-01-01T00:00:00.000Z","definition_type":"tlp","definition":{"tlp":"amber"}}`))
	f.Add([]byte{0x1f, 0x8b, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Parse(data, Options{MaxObjects: 1000})
		if err != nil {
			return
		}
		for _, o := range res.Objects {
			if o.Type == "" || o.ID == "" || len(o.Data) == 0 {
				t.Fatalf("incomplete object %+v", o)
			}
			if o.Indicator != nil {
				_, _ = SentinelIndicatorRow(o, RowOptions{})
			}
		}
	})
}
