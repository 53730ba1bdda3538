// Package testutil holds what tests across the project share.
package testutil

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Shared returns the path of rel inside the shared corpus folder that sits beside the
// repository root. When it is absent the test is skipped with a message, except under CI
// (CI=true), where its absence is a failure: CI must measure the corpora.
func Shared(t testing.TB, rel ...string) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0) // <repo>/internal/testutil/shared.go
	repo := filepath.Join(filepath.Dir(file), "..", "..")
	dir := filepath.Join(append([]string{repo, "..", "shared"}, rel...)...)
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared corpus %s is missing (it is required when CI=true): %v", dir, err)
		}
		t.Skipf("shared corpus %s not present; skipping: %v", dir, err)
	}
	return dir
}
