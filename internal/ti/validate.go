package ti

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/rampart-soc/rampart/internal/ti/pattern"
	"github.com/rampart-soc/rampart/internal/ti/stix"
)

// Validate checks STIX input and writes one verdict per object (or, for JSON lines of
// {"pattern": ...}, per line), ending with "N passed, M failed".
func Validate(data []byte, w io.Writer) (passed, failed int, err error) {
	if isPatternLines(data) {
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		line := 0
		for sc.Scan() {
			line++
			var rec struct {
				Pattern     *string `json:"pattern"`
				SpecVersion string  `json:"spec_version"`
			}
			text := bytes.TrimSpace(sc.Bytes())
			if len(text) == 0 {
				continue
			}
			if err := json.Unmarshal(text, &rec); err != nil || rec.Pattern == nil {
				fmt.Fprintf(w, "line %d: FAIL not a {\"pattern\": ...} object\n", line)
				failed++
				continue
			}
			if rec.SpecVersion == "" {
				rec.SpecVersion = "2.1"
			}
			if _, err := pattern.ParseVersion(*rec.Pattern, rec.SpecVersion); err != nil {
				fmt.Fprintf(w, "line %d: FAIL %v\n", line, err)
				failed++
				continue
			}
			fmt.Fprintf(w, "line %d: ok\n", line)
			passed++
		}
		if err := sc.Err(); err != nil {
			return passed, failed, err
		}
	} else {
		res, err := stix.Read(bytes.NewReader(data), stix.Options{Strict: true})
		if err != nil {
			return 0, 0, err
		}
		bad := map[int][]string{}
		for _, e := range res.Errors {
			bad[e.Index] = append(bad[e.Index], e.Error())
		}
		for i := 0; i < res.Read; i++ {
			if msgs, ok := bad[i]; ok {
				for _, m := range msgs {
					fmt.Fprintf(w, "object %d: FAIL %s\n", i+1, m)
				}
				failed++
			} else {
				fmt.Fprintf(w, "object %d: ok\n", i+1)
				passed++
			}
		}
	}
	fmt.Fprintf(w, "%d passed, %d failed\n", passed, failed)
	return passed, failed, nil
}

// isPatternLines tells JSON lines of patterns from STIX: its first record has a pattern
// but no type.
func isPatternLines(data []byte) bool {
	first, _, _ := bytes.Cut(bytes.TrimSpace(data), []byte("\n"))
	var rec map[string]json.RawMessage
	if json.Unmarshal(first, &rec) != nil {
		return false
	}
	_, hasPattern := rec["pattern"]
	_, hasType := rec["type"]
	return hasPattern && !hasType
}
