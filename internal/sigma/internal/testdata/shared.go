// Package testdata locates the shared corpus for tests.
package testdata

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Shared returns the path of a folder inside the `shared` directory that sits beside
// the repository root. When it is absent the test is skipped, except under CI=true,
// where absence is a failure.
func Shared(t testing.TB, rel string) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	// file = <repo>/internal/sigma/internal/testdata/shared.go
	repo := filepath.Join(filepath.Dir(file), "..", "..", "..", "..")
	dir := filepath.Join(repo, "..", "shared", rel)
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared corpus %s is missing (CI=true): %v", dir, err)
		}
		t.Skipf("shared corpus %s not present: %v", dir, err)
	}
	return dir
}
