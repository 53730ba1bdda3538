package stix

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkReadBundle reads the 4,810-object FireEye bundle (gzip),
// validating every object and parsing every pattern.
func BenchmarkReadBundle(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(corpusDir(b), "bundles", "fireeye-pivy-report-with-indicators.json.gz"))
	if err != nil {
		b.Fatal(err)
	}
	indicators := 0
	for b.Loop() {
		res, err := Read(bytes.NewReader(data), Options{})
		if err != nil {
			b.Fatal(err)
		}
		indicators = 0
		for _, o := range res.Objects {
			if o.Indicator != nil {
				indicators++
			}
		}
	}
	b.ReportMetric(float64(4810*b.N)/b.Elapsed().Seconds(), "objects/s")
	b.ReportMetric(float64(indicators*b.N)/b.Elapsed().Seconds(), "indicators/s")
}
