package aws

import (
	"bytes"
	"encoding/csv"
)

// credentialReport parses IAM's CSV credential report into one object per user, as the
// awsapi importer does: "N/A", "not_supported" and "no_information" become null,
// "true"/"false" booleans.
func credentialReport(content []byte) ([]any, error) {
	r := csv.NewReader(bytes.NewReader(content))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return []any{}, nil
	}
	head := recs[0]
	out := make([]any, 0, len(recs)-1)
	for _, rec := range recs[1:] {
		row := map[string]any{}
		for i, h := range head {
			if i >= len(rec) {
				break
			}
			switch v := rec[i]; v {
			case "N/A", "not_supported", "no_information":
				row[h] = nil
			case "true":
				row[h] = true
			case "false":
				row[h] = false
			default:
				row[h] = v
			}
		}
		out = append(out, row)
	}
	return out, nil
}
