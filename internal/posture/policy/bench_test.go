package policy

import (
	"fmt"
	"testing"

	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

// BenchmarkAssess: typical checks (property lookups, list predicates) over ARM-shaped
// resources; b.N resources per op group of 1000.
func BenchmarkAssess(b *testing.B) {
	s := sampleSet(b)
	rs := make([]*inventory.Resource, 1000)
	for i := range rs {
		rs[i] = &inventory.Resource{ID: fmt.Sprint("nsg-", i), Type: "microsoft.network/networksecuritygroups", Properties: map[string]any{
			"id": "x", "name": "n", "location": "westeurope", "tags": map[string]any{"a": "b"},
			"properties": map[string]any{"provisioningState": "Succeeded", "securityRules": []any{
				map[string]any{"name": "r1", "properties": map[string]any{"access": "Allow", "direction": "Inbound", "sourceAddressPrefix": "10.0.0.0/8", "destinationPortRange": "443"}},
				map[string]any{"name": "r2", "properties": map[string]any{"access": "Deny", "direction": "Inbound", "sourceAddressPrefix": "*", "destinationPortRange": "*"}},
			}}}}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.Assess(rs)
	}
	b.ReportMetric(float64(b.N*len(rs))/b.Elapsed().Seconds(), "resources/s")
}
