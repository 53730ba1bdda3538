package azpolicy

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBuiltInDefinitionsParse compiles every built-in definition of the
// corpus (the policies Defender for Cloud's initiatives reference).
func TestBuiltInDefinitionsParse(t *testing.T) {
	dir := sharedDir(t, "corpus/posture/azure-policy/policyDefinitions")
	var parsed, failed int
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if _, err := ParseDefinition(data, nil); err != nil {
			failed++
			rel, _ := filepath.Rel(dir, path)
			t.Errorf("%s: %v", rel, err)
			return nil
		}
		parsed++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("azure policy built-in definitions: %d parsed, %d failed\n", parsed, failed)
	if parsed == 0 {
		t.Fatal("no definitions found")
	}
}
