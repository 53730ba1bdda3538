// Package testdata locates the shared corpus for tests.
package testdata

import (
	"github.com/rampart-soc/rampart/internal/testutil"
	"testing"
)

// Shared returns the path of a folder inside the `shared` directory that sits beside
// the repository root. When it is absent the test is skipped, except under CI=true,
// where absence is a failure.
func Shared(t testing.TB, rel string) string {
	t.Helper()
	return testutil.Shared(t, rel)
}
