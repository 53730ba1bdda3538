// Command gendemo builds the demo dataset that `make run` loads, so that a newcomer has
// rows to query right away: Sentinel sample logs and a few labelled attack datasets from
// the shared corpora, converted to rows of Sentinel tables.
//
//	go run ./tools/gendemo -shared ../shared -out demo
//
// Output: demo/<Table>.jsonl.gz (one JSON object per line, keys = the table's columns)
// and demo/README.md. The output is deterministic: same inputs, same bytes.
package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

const command = "go run ./tools/gendemo -shared ../shared -out demo"

func main() {
	shared := flag.String("shared", "../shared", "shared material (corpus/sentinel, corpus/datasets)")
	out := flag.String("out", "demo", "output folder")
	flag.Parse()
	log.SetFlags(0)

	res, err := generate(*shared)
	if err != nil {
		log.Fatal(err)
	}
	if err := res.write(*out); err != nil {
		log.Fatal(err)
	}
	for _, name := range res.tableNames() {
		log.Printf("%-28s %6d rows", name, len(res.tables[name]))
	}
}

type outRow struct {
	time time.Time
	src  int // source order, then record order, keep equal times stable
	seq  int
	obj  *Object
}

type sourceReport struct {
	Kind   string // "sample" or "dataset"
	Name   string // sample file path, or dataset id
	Detail string // format / content, or why the dataset is in the demo
	Techs  []string
	Stats  *shapeStats
	Capped int            // records not used because of maxSampleRows
	Skip   map[string]int // records left out before shaping, by reason
}

type result struct {
	tables  map[string][]outRow
	sources []*sourceReport
	skipped map[string]string // sample files not used, with the reason
}

func (r *result) tableNames() []string {
	names := make([]string, 0, len(r.tables))
	for n := range r.tables {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (r *result) add(table string, tg time.Time, obj *Object) {
	r.tables[table] = append(r.tables[table], outRow{time: tg, src: len(r.sources) - 1, seq: len(r.tables[table]), obj: obj})
}

func generate(shared string) (*result, error) {
	sentinel := filepath.Join(shared, "corpus", "sentinel")
	schemas, err := loadSchemas(filepath.Join(sentinel, "schemas.json"))
	if err != nil {
		return nil, err
	}
	res := &result{tables: map[string][]outRow{}}

	sampleDir := filepath.Join(sentinel, "sample-data")
	files, err := readManifest(sampleDir)
	if err != nil {
		return nil, err
	}
	use, skipped := selectSamples(files)
	res.skipped = skipped
	for _, f := range use {
		t := schemas[f.Table]
		if t == nil {
			res.skipped[f.File] = "no schema for table " + f.Table
			continue
		}
		recs, zones, err := readSample(filepath.Join(sampleDir, filepath.FromSlash(f.File)), f.Format)
		if err != nil {
			return nil, err
		}
		rep := &sourceReport{Kind: "sample", Name: f.File, Detail: f.Format + ", " + f.Content, Stats: newShapeStats()}
		res.sources = append(res.sources, rep)
		for _, rec := range recs {
			rep.Stats.In++
			if rep.Stats.Out[t.Name] >= maxSampleRows {
				rep.Capped++
				continue
			}
			if f.Content == "raw payload" {
				rec = collectorFields(t, rec)
			}
			if obj, tg, ok := shapeRow(t, rec, zones, rep.Stats); ok {
				res.add(t.Name, tg, obj)
			}
		}
		if rep.Stats.Out[t.Name] == 0 {
			// Nothing usable (no time in any row): say so instead of listing an empty source.
			res.sources = res.sources[:len(res.sources)-1]
			res.skipped[f.File] = "no row has a time (no TimeGenerated or other datetime column)"
		}
	}

	dsDir := filepath.Join(shared, "corpus", "datasets")
	for _, spec := range datasetSpecs {
		dir := filepath.Join(dsDir, spec.ID)
		labels, err := readLabels(dir)
		if err != nil {
			return nil, err
		}
		rep := &sourceReport{Kind: "dataset", Name: spec.ID, Detail: spec.Why, Techs: labels.Techniques, Stats: newShapeStats(), Skip: map[string]int{}}
		res.sources = append(res.sources, rep)
		type file struct{ name, format string }
		var dsFiles []file
		for _, f := range labels.Files {
			dsFiles = append(dsFiles, file{f.File, f.Format})
		}
		if len(dsFiles) == 0 {
			return nil, fmt.Errorf("%s: labels.json lists no files", spec.ID)
		}
		for _, f := range dsFiles {
			conv, n, err := convertDatasetFile(filepath.Join(dir, f.name), f.format, spec, schemas, rep.Skip)
			if err != nil {
				return nil, fmt.Errorf("%s/%s: %v", spec.ID, f.name, err)
			}
			rep.Stats.In += n
			for _, c := range conv {
				obj, tg, ok := shapeRow(schemas[c.Table], c.Row, nil, rep.Stats)
				if ok {
					res.add(c.Table, tg, obj)
				}
			}
		}
	}

	for name, rows := range res.tables {
		sort.SliceStable(rows, func(i, j int) bool {
			a, b := rows[i], rows[j]
			if !a.time.Equal(b.time) {
				return a.time.Before(b.time)
			}
			if a.src != b.src {
				return a.src < b.src
			}
			return a.seq < b.seq
		})
		res.tables[name] = rows
	}
	return res, nil
}

// tableFile renders the JSON lines of one table.
func (r *result) tableFile(name string) []byte {
	var b bytes.Buffer
	for _, row := range r.tables[name] {
		writeJSON(&b, row.obj)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// gzipBytes compresses with a fixed level and an empty header (no name, zero mtime),
// so the same content always gives the same file.
func gzipBytes(data []byte) ([]byte, error) {
	var b bytes.Buffer
	z, err := gzip.NewWriterLevel(&b, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := z.Write(data); err != nil {
		return nil, err
	}
	if err := z.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func (r *result) write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	// Drop tables an earlier run wrote that this one does not.
	old, _ := filepath.Glob(filepath.Join(dir, "*.jsonl.gz"))
	for _, p := range old {
		if _, keep := r.tables[strings.TrimSuffix(filepath.Base(p), ".jsonl.gz")]; !keep {
			if err := os.Remove(p); err != nil {
				return err
			}
		}
	}
	for _, name := range r.tableNames() {
		gz, err := gzipBytes(r.tableFile(name))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, name+".jsonl.gz"), gz, 0o644); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(dir, "README.md"), r.readme(), 0o644)
}
