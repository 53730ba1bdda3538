package ti

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rampart-soc/rampart/internal/ti/stix"
)

var w0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// indicator decodes an indicator with the given pattern.
func indicator(t testing.TB, n int, pat string) *stix.Object {
	t.Helper()
	raw := fmt.Sprintf(`{"type":"indicator","spec_version":"2.1","id":"indicator--%08x-0000-4000-8000-000000000000","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","pattern":%q,"pattern_type":"stix","valid_from":"2026-01-01T00:00:00.000Z"}`, n, pat)
	o, errs, _ := stix.DecodeObject([]byte(raw), 0, stix.Options{})
	if o == nil {
		t.Fatal(errs)
	}
	return o
}

// obsEvent makes an event at w0+sec holding "column=value" pairs (columns of
// observableColumns).
func obsEvent(id string, sec int, pairs ...string) *event {
	ev := &event{id: id, time: w0.Add(time.Duration(sec) * time.Second)}
	for _, p := range pairs {
		col, v, _ := strings.Cut(p, "=")
		for k, names := range observableColumns {
			for _, n := range names {
				if n == col {
					ev.kvs = columnKeys(k, col).keysOf(col, v, ev.kvs)
				}
			}
		}
	}
	return ev
}

// watchRun feeds the events to one watched pattern and renders each hit as the ids of its
// events joined by "+", then "@" and the id of the event that completed it.
func watchRun(t *testing.T, opt WatchOptions, pat string, evs ...*event) string {
	t.Helper()
	ws := newWatches(opt, func() time.Time { return w0 })
	o := indicator(t, 1, pat)
	p, err := o.ParsePattern()
	if err != nil {
		t.Fatal(err)
	}
	if err := ws.put(o, p); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, ev := range evs {
		for _, h := range ws.observe(ev, w0) {
			var ids []string
			for _, o := range h.obs {
				ids = append(ids, o.ID)
			}
			out = append(out, strings.Join(ids, "+")+"@"+ev.id)
		}
	}
	return strings.Join(out, " ")
}

func TestWatchOperators(t *testing.T) {
	ip := func(id string, sec int) *event { return obsEvent(id, sec, "DestinationIP=198.51.100.7") }
	dom := func(id string, sec int) *event { return obsEvent(id, sec, "DomainName=Evil.Example.") }
	other := func(id string, sec int) *event {
		return obsEvent(id, sec, "DestinationIP=10.0.0.1", "DomainName=fine.example")
	}
	const a, b = "[ipv4-addr:value = '198.51.100.7']", "[domain-name:value = 'evil.example']"
	cases := []struct {
		name, pattern string
		evs           []*event
		want          string
	}{
		{"AND in either order", a + " AND " + b, []*event{dom("d1", 0), other("x", 1), ip("i1", 2)}, "d1+i1@i1"},
		{"AND needs both", a + " AND " + b, []*event{ip("i1", 0), ip("i2", 1)}, ""},
		{"OR across observations", a + " OR " + b, []*event{ip("i1", 0), other("x", 1), dom("d1", 2)}, "i1@i1 d1@d1"},
		{"FOLLOWEDBY in order", a + " FOLLOWEDBY " + b, []*event{ip("i1", 0), dom("d1", 5)}, "i1+d1@d1"},
		{"FOLLOWEDBY out of order", a + " FOLLOWEDBY " + b, []*event{dom("d1", 0), ip("i1", 5)}, ""},
		{"WITHIN met", "(" + a + " AND " + b + ") WITHIN 60 SECONDS", []*event{ip("i1", 0), dom("d1", 60)}, "i1+d1@d1"},
		{"WITHIN expired", "(" + a + " AND " + b + ") WITHIN 60 SECONDS", []*event{ip("i1", 0), dom("d1", 61), ip("i2", 100)}, "d1+i2@i2"},
		{"REPEATS count", a + " REPEATS 3 TIMES", []*event{ip("i1", 0), other("x", 1), ip("i2", 2), ip("i3", 3), ip("i4", 4)}, "i1+i2+i3@i3"},
		{"REPEATS within", a + " REPEATS 2 TIMES WITHIN 10 SECONDS", []*event{ip("i1", 0), ip("i2", 20), ip("i3", 25)}, "i2+i3@i3"},
		{"one observation with AND", "[ipv4-addr:value = '198.51.100.7' AND ipv4-addr:value ISSUBSET '198.51.100.0/24']", []*event{other("x", 0), ip("i1", 1)}, "i1@i1"},
		{"CIDR candidate", "[ipv4-addr:value = '198.51.100.0/24'] AND " + b, []*event{ip("i1", 0), dom("d1", 1)}, "i1+d1@d1"},
		{"direction", "[network-traffic:dst_ref.value = '198.51.100.7'] FOLLOWEDBY [network-traffic:src_ref.value = '198.51.100.7']",
			[]*event{ip("i1", 0), obsEvent("s1", 1, "SourceIP=198.51.100.7")}, "i1+s1@s1"},
		{"hash by column", "[file:hashes.MD5 = 'D41D8CD98F00B204E9800998ECF8427E'] AND [file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
			[]*event{obsEvent("h1", 0, "MD5=d41d8cd98f00b204e9800998ecf8427e"), obsEvent("h2", 1, "FileHash=AEC070645FE53EE3B3763059376134F058CC337247C978ADD178B6CCDFB0019F")}, "h1+h2@h2"},
	}
	for _, c := range cases {
		if got := watchRun(t, WatchOptions{}, c.pattern, c.evs...); got != c.want {
			t.Errorf("%s: %s\n got %q\nwant %q", c.name, c.pattern, got, c.want)
		}
	}
}

// Only events holding a candidate observable reach a pattern; patterns without candidates
// see every event.
func TestWatchCandidates(t *testing.T) {
	ws := newWatches(WatchOptions{}, func() time.Time { return w0 })
	for i, pat := range []string{"[ipv4-addr:value = '198.51.100.7'] AND [domain-name:value = 'evil.example']", "[url:value LIKE 'http://%/x'] REPEATS 2 TIMES"} {
		o := indicator(t, i, pat)
		p, _ := o.ParsePattern()
		if err := ws.put(o, p); err != nil {
			t.Fatal(err)
		}
	}
	ws.observe(obsEvent("a", 0, "DestinationIP=10.1.1.1"), w0)
	if ws.byID[indicator(t, 0, "").ID].corr != nil {
		t.Error("an event without candidates reached the AND pattern")
	}
	if hits := ws.observe(obsEvent("u1", 1, "RequestURL=http://a/x"), w0); len(hits) != 0 {
		t.Fatal(hits)
	}
	if hits := ws.observe(obsEvent("u2", 2, "RequestURL=http://b/x"), w0); len(hits) != 1 || len(hits[0].obs) != 2 {
		t.Fatalf("LIKE REPEATS: %v", hits)
	}
}

// State is bounded: idle indicators lose theirs after the horizon, and past MaxState the
// least recently used lose theirs first.
func TestWatchEviction(t *testing.T) {
	now := w0
	ws := newWatches(WatchOptions{Horizon: time.Minute, MaxState: 10}, func() time.Time { return now })
	for i := 0; i < 5; i++ {
		o := indicator(t, i, fmt.Sprintf("[ipv4-addr:value = '10.0.0.%d'] FOLLOWEDBY [domain-name:value = 'never.example']", i))
		p, _ := o.ParsePattern()
		ws.put(o, p)
	}
	for sec := 0; sec < 20; sec++ {
		now = w0.Add(time.Duration(sec) * time.Second)
		for i := 0; i < 5; i++ {
			ws.observe(obsEvent("e", sec, fmt.Sprintf("DestinationIP=10.0.0.%d", i)), now)
		}
		ws.sweep()
		if ws.state > 10 {
			t.Fatalf("second %d: %d partial matches held, cap 10", sec, ws.state)
		}
	}
	if ws.state == 0 {
		t.Fatal("no state kept under the cap")
	}
	now = now.Add(2 * time.Minute)
	ws.sweep()
	if ws.state != 0 {
		t.Errorf("%d partial matches held after the horizon", ws.state)
	}
	// A replaced indicator starts afresh; the same version keeps its state.
	o := indicator(t, 9, "[ipv4-addr:value = '10.0.0.9'] FOLLOWEDBY [domain-name:value = 'x.example']")
	p, _ := o.ParsePattern()
	ws.put(o, p)
	ws.observe(obsEvent("e1", 0, "DestinationIP=10.0.0.9"), now)
	ws.put(o, p)
	if hits := ws.observe(obsEvent("e2", 1, "DomainName=x.example"), now); len(hits) != 1 {
		t.Fatalf("state lost on a repeated put: %v", hits)
	}
}
