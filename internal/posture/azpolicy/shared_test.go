package azpolicy

import (
	"github.com/rampart-soc/rampart/internal/testutil"
	"testing"
)

// sharedDir returns the shared corpus folder beside the repository root.
// Tests skip without it, except in CI (CI=true), where it must exist.
func sharedDir(t *testing.T, rel string) string {
	t.Helper()
	return testutil.Shared(t, rel)
}
