// Command genattack derives the compact MITRE ATT&CK Enterprise catalogue the product
// embeds (internal/attack/enterprise.json) from the shared ATT&CK technique list.
//
//	go run ./tools/genattack -in ../shared/data/attack/attack-techniques.json -out internal/attack/enterprise.json
package main

import (
	"encoding/json"
	"flag"
	"log"
	"os"
	"sort"
)

type tactic struct {
	ID        string `json:"id"`
	ShortName string `json:"shortname"`
	Name      string `json:"name"`
}

type technique struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Parent  string   `json:"parent,omitempty"`
	Tactics []string `json:"tactics"`
}

func main() {
	in := flag.String("in", "../shared/data/attack/attack-techniques.json", "ATT&CK technique list")
	out := flag.String("out", "internal/attack/enterprise.json", "output")
	flag.Parse()
	raw, err := os.ReadFile(*in)
	if err != nil {
		log.Fatal(err)
	}
	var src struct {
		Source     map[string]any `json:"source"`
		Tactics    []tactic       `json:"tactics"`
		Techniques []struct {
			technique
			Parent *string `json:"parent"`
		} `json:"techniques"`
	}
	if err := json.Unmarshal(raw, &src); err != nil {
		log.Fatal(err)
	}
	var techs []technique
	for _, t := range src.Techniques {
		tt := t.technique
		if t.Parent != nil {
			tt.Parent = *t.Parent
		}
		techs = append(techs, tt)
	}
	sort.Slice(techs, func(i, j int) bool { return techs[i].ID < techs[j].ID })
	doc := map[string]any{"version": src.Source["attack_version"], "tactics": src.Tactics, "techniques": techs}
	b, err := json.Marshal(doc)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, append(b, '\n'), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("genattack: %d tactics, %d techniques -> %s", len(src.Tactics), len(techs), *out)
}
