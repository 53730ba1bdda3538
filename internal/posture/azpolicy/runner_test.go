package azpolicy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunCasesOutput(t *testing.T) {
	dir := t.TempDir()
	eval := `aliases: cat.json
policy_rule: |
  {"if": {"field": "Microsoft.Storage/storageAccounts/supportsHttpsTrafficOnly", "equals": false},
   "then": {"effect": "[parameters('effect')]"}}
cases:
  - note: insecure
    resource: {type: Microsoft.Storage/storageAccounts, properties: {supportsHttpsTrafficOnly: false}}
    parameters: {effect: Deny}
    want_effect: Deny
  - note: secure
    resource: {type: Microsoft.Storage/storageAccounts, properties: {supportsHttpsTrafficOnly: true}}
    parameters: {effect: Deny}
    want_undefined: true
  - note: wrong expectation
    resource: {type: Microsoft.Storage/storageAccounts, properties: {supportsHttpsTrafficOnly: true}}
    parameters: {effect: Deny}
    want_effect: Deny
  - note: broken rule
    policy_rule: '{"if": {}}'
    want_parse_error: true
`
	builtin := `builtin: azure.policy.fn.pad_left
cases:
  - note: pads
    args: ["42", 5, "0"]
    want: "00042"
  - note: bad count
    args: ["42", "x"]
    want_undefined: true
`
	files := map[string]string{"eval.yaml": eval, "fn.yaml": builtin, "cat.json": testCatalogue, "bad.yaml": "cases: ["}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var out strings.Builder
	passed, failed, err := RunCases([]string{dir}, &out)
	if err != nil {
		t.Fatal(err)
	}
	if passed != 5 || failed != 2 {
		t.Errorf("passed %d, failed %d; output:\n%s", passed, failed, out.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "FAIL "+filepath.Join(dir, "bad.yaml")+": file: ") ||
		!strings.Contains(lines[1], "wrong expectation: expected effect \"Deny\", got none") || lines[2] != "5 passed, 2 failed" {
		t.Errorf("unexpected output:\n%s", out.String())
	}
	if _, _, err := RunCases([]string{filepath.Join(dir, "missing.yaml")}, &out); err == nil {
		t.Error("a missing path should be an error")
	}
}
