package syntax

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// sharedDir finds the project's shared material: the "shared" folder beside
// the repository root. Tests skip without it, except under CI=true.
func sharedDir(t testing.TB) string {
	t.Helper()
	if dir := sharedDirIfPresent(); dir != "" {
		return dir
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("shared folder (beside the repository root) is missing; it is required when CI=true")
	}
	t.Skip("shared folder beside the repository root not found; skipping corpus test")
	return ""
}

// sharedDirIfPresent returns the shared folder beside the repository root
// (the directory holding go.mod), or "".
func sharedDirIfPresent() string {
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			shared := filepath.Join(filepath.Dir(dir), "shared")
			if st, err := os.Stat(shared); err == nil && st.IsDir() {
				return shared
			}
			return ""
		}
		if filepath.Dir(dir) == dir {
			return ""
		}
	}
}

// readJSONL decodes every line of a JSON-lines file into T.
func readJSONL[T any](t testing.TB, path string) []T {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []T
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, v)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
