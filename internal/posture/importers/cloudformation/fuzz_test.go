package cloudformation

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParseTemplate feeds arbitrary bytes to the template importer: no panics, no hangs,
// and every resource it returns is complete.
func FuzzParseTemplate(f *testing.F) {
	f.Add([]byte(template))
	f.Add([]byte(`{"Resources":{"A":{"Type":"AWS::S3::Bucket","Properties":{"B":{"Fn::Sub":["${x}-${!y}",{"x":{"Ref":"A"}}]}}}}}`))
	f.Add([]byte("Conditions:\n  A: !Condition B\n  B: !Condition A\nResources:\n  R:\n    Type: X\n    Condition: A\n    Properties:\n      P: !If [A, !GetAtt R.Arn, !Select [9, [1]]]\n"))
	if files, err := filepath.Glob("../../../../../shared/corpus/posture/inventories/aws/cfngoat/iac/*.yaml"); err == nil {
		for _, name := range files {
			if data, err := os.ReadFile(name); err == nil {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		res := ImportTemplate(data, "fuzz.yaml")
		for _, r := range res.Resources {
			if r.ID == "" || r.Type == "" || r.Properties == nil {
				t.Fatalf("incomplete resource %+v", r)
			}
		}
	})
}
