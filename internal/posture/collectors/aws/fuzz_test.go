package aws

import "testing"

// The credential report and policy documents are service responses decoded by us rather
// than the SDK.
func FuzzCredentialReport(f *testing.F) {
	f.Add([]byte("user,arn,mfa_active\n<root_account>,arn:aws:iam::1:root,true\nbob,arn:aws:iam::1:user/bob,N/A\n"))
	f.Add([]byte("a,b\n\"unterminated"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := credentialReport(data)
		if err == nil && rows == nil {
			t.Fatal("nil rows without an error")
		}
	})
}

func FuzzPolicyDocument(f *testing.F) {
	f.Add(`{"Version":"2012-10-17","Statement":[]}`)
	f.Add(`%7B%22Version%22%3A%222012-10-17%22%7D`)
	f.Add(`%7Bnot-escaped%ZZ`)
	f.Fuzz(func(t *testing.T, s string) {
		if doc, ok := policyDocument(s); ok && doc == nil {
			t.Fatal("ok without a document")
		}
		m := map[string]any{"Policy": s, "Nested": map[string]any{"PolicyDocument": s, "x": []any{s, nil}}}
		clean(m, 0)
	})
}
