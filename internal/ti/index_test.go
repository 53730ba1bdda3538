package ti

import (
	"testing"
	"time"
)

// Indicators sharing a value are all found, and removing one leaves the others.
func TestIndexSharedValues(t *testing.T) {
	x := newIndex()
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	var pats = []string{"[ipv4-addr:value = '192.0.2.1']", "[ipv4-addr:value = '192.0.2.1' OR domain-name:value = 'a.example']",
		"[ipv4-addr:value = '192.0.2.1' OR ipv4-addr:value = '192.0.2.9']", "[ipv4-addr:value = '192.0.2.0/24']"}
	for i, p := range pats {
		x.add(indicator(t, i, p))
	}
	if n := len(x.lookup(kindIP, "192.0.2.1", now)); n != 4 || x.n != 6 {
		t.Fatalf("%d matches, %d indexed", n, x.n)
	}
	for _, i := range []int{0, 2, 3} { // the first, a later one, the range
		o := indicator(t, i, pats[i])
		p, _ := o.ParsePattern()
		x.remove(o, p.Observables())
	}
	got := x.lookup(kindIP, "192.0.2.1", now)
	if len(got) != 1 || got[0].ind.ID != indicator(t, 1, "").ID || got[0].obs.Key != "ipv4-addr:value" || x.n != 2 {
		t.Fatalf("after removal: %+v, %d indexed", got, x.n)
	}
	if len(x.lookup(kindURL, "http://A.example/x", now)) != 1 {
		t.Error("a URL's host did not find the domain")
	}
}
