// Command genschema turns the Sentinel table schemas of the shared corpus into the
// project's built-in table catalogue (internal/schema/builtin.json), so the server never
// reads the corpus at run time.
//
//	go run ./tools/genschema -in ../shared/corpus/sentinel/schemas.json -out internal/schema/builtin.json
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"sort"
	"strings"
)

type srcColumn struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

func main() {
	in := flag.String("in", "../shared/corpus/sentinel/schemas.json", "Sentinel schemas.json")
	index := flag.String("index", "../shared/corpus/sentinel/schemas/index.json", "schema index (names that are really functions)")
	out := flag.String("out", "internal/schema/builtin.json", "output catalogue")
	flag.Parse()

	raw, err := os.ReadFile(*in)
	if err != nil {
		log.Fatal(err)
	}
	var src map[string][]srcColumn
	if err := json.Unmarshal(raw, &src); err != nil {
		log.Fatalf("%s: %v", *in, err)
	}
	funcs := map[string]bool{}
	if b, err := os.ReadFile(*index); err == nil {
		var idx struct {
			Names []string `json:"tableNamesThatAreFunctions"`
		}
		if err := json.Unmarshal(b, &idx); err != nil {
			log.Fatalf("%s: %v", *index, err)
		}
		for _, n := range idx.Names {
			funcs[n] = true
		}
	}

	names := make([]string, 0, len(src))
	for n := range src {
		names = append(names, n)
	}
	sort.Strings(names)

	// One line per table keeps the generated file diffable.
	var buf bytes.Buffer
	buf.WriteString("[\n")
	for i, name := range names {
		cols := src[name]
		hasTG := false
		for i, c := range cols {
			if c.Name == "TimeGenerated" {
				hasTG = true
				// Log Analytics always stores TimeGenerated as a datetime; three validator
				// schemas say string.
				cols[i].Type = "datetime"
			}
		}
		// Every event table has TimeGenerated; a few validator schemas left it out.
		if !hasTG {
			cols = append(cols, srcColumn{Name: "TimeGenerated", Type: "datetime"})
		}
		t := map[string]any{"name": name, "columns": columnsOut(cols)}
		if funcs[name] {
			t["functionOutput"] = true
		}
		b, err := json.Marshal(t)
		if err != nil {
			log.Fatal(err)
		}
		buf.Write(b)
		if i < len(names)-1 {
			buf.WriteString(",")
		}
		buf.WriteString("\n")
	}
	buf.WriteString("]\n")
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "genschema: %d tables -> %s\n", len(names), *out)
}

// columnsOut emits [name, type] pairs; the physical name is derived at load time.
func columnsOut(cols []srcColumn) [][2]string {
	out := make([][2]string, len(cols))
	for i, c := range cols {
		out[i] = [2]string{c.Name, strings.ToLower(c.Type)}
	}
	return out
}
