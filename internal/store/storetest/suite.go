// Package storetest is the conformance suite every event-store backend must pass.
package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/rampart-soc/rampart/internal/schema"
	"github.com/rampart-soc/rampart/internal/store"
)

// Run runs the suite against a fresh, empty store made by open.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	t.Run("AppendAndRead", func(t *testing.T) { testAppendAndRead(t, open(t)) })
	t.Run("AllOrNothing", func(t *testing.T) { testAllOrNothing(t, open(t)) })
	t.Run("ExtendTable", func(t *testing.T) { testExtend(t, open(t)) })
	t.Run("Retention", func(t *testing.T) { testRetention(t, open(t)) })
}

func table(t *testing.T) *schema.Table {
	tb, err := schema.NewTable("Test_CL", []schema.Column{
		{Name: "TimeGenerated", Type: schema.DateTime},
		{Name: "Msg", Type: schema.String},
		{Name: "Count", Type: schema.Long},
		{Name: "Ratio", Type: schema.Real},
		{Name: "Ok", Type: schema.Bool},
		{Name: "Id", Type: schema.GUID},
		{Name: "Bag", Type: schema.Dynamic},
		{Name: "Dur", Type: schema.TimeSpan},
		{Name: "Small", Type: schema.Int},
	})
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

// batch builds a batch from rows given as column index → value.
func batch(tb *schema.Table, rows ...map[int]any) *store.Batch {
	b := &store.Batch{Table: tb, IngestionTime: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	present := map[int]bool{}
	for _, r := range rows {
		for ci := 0; ci < len(tb.Columns); ci++ {
			if v, ok := r[ci]; ok {
				b.Cells = append(b.Cells, store.Cell{Col: int32(ci), Val: v})
				present[ci] = true
			}
		}
		b.RowEnds = append(b.RowEnds, int32(len(b.Cells)))
	}
	for ci := range tb.Columns {
		if present[ci] {
			b.Present = append(b.Present, ci)
		}
	}
	return b
}

func testAppendAndRead(t *testing.T, s store.Store) {
	ctx := context.Background()
	tb := table(t)
	if err := s.EnsureTables(ctx, tb); err != nil {
		t.Fatal(err)
	}
	ts := time.Date(2026, 1, 2, 3, 0, 0, 123456000, time.UTC)
	b := batch(tb,
		map[int]any{0: ts, 1: "hello", 2: int64(1) << 40, 3: 0.5, 4: true, 5: []byte{0x6f, 0x96, 0x19, 0xff, 0x8b, 0x86, 0xd0, 0x11, 0xb4, 0x2d, 0x00, 0xc0, 0x4f, 0xc9, 0x64, 0xff}, 6: `{"a":[1,2]}`, 7: int64(10_000_000), 8: int64(7)},
		map[int]any{0: ts, 2: int64(2)},
	)
	b.Extra = []string{`{"unknown":1}`, ""}
	if err := s.Append(ctx, []*store.Batch{b}); err != nil {
		t.Fatal(err)
	}
	rows, err := s.Query(ctx, `SELECT "Msg", "Count", "Ok", "Id"::VARCHAR, "Bag"::VARCHAR, "Dur", "_IngestionTime", coalesce("_AdditionalFields"::VARCHAR, '') FROM "Test_CL" ORDER BY "Count"`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	type rec struct {
		msg   string
		count int64
		ok    *bool
		id    *string
		bag   *string
		dur   *int64
		ing   time.Time
		extra string
	}
	var got []rec
	for rows.Next() {
		var r rec
		if err := rows.Scan(&r.msg, &r.count, &r.ok, &r.id, &r.bag, &r.dur, &r.ing, &r.extra); err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	if len(got) != 2 {
		t.Fatalf("got %d rows, want 2", len(got))
	}
	if got[0].msg != "" || got[0].ok != nil || got[0].extra != "" {
		t.Errorf("absent values: msg %q (want empty string: KQL strings are never null), ok %v, extra %q", got[0].msg, got[0].ok, got[0].extra)
	}
	r := got[1]
	if r.msg != "hello" || r.count != 1<<40 || r.ok == nil || !*r.ok || r.id == nil || *r.id != "6f9619ff-8b86-d011-b42d-00c04fc964ff" || r.bag == nil || *r.bag != `{"a":[1,2]}` || r.dur == nil || *r.dur != 10_000_000 {
		t.Errorf("row read back wrong: %+v", r)
	}
	if !r.ing.Equal(b.IngestionTime) {
		t.Errorf("ingestion time %v, want %v", r.ing, b.IngestionTime)
	}
	if r.extra != `{"unknown":1}` {
		t.Errorf("additional fields %q", r.extra)
	}
}

func testAllOrNothing(t *testing.T, s store.Store) {
	ctx := context.Background()
	tb := table(t)
	if err := s.EnsureTables(ctx, tb); err != nil {
		t.Fatal(err)
	}
	good := batch(tb, map[int]any{1: "a"})
	bad := batch(tb, map[int]any{5: []byte("short")})
	if err := s.Append(ctx, []*store.Batch{good, bad}); err == nil {
		t.Fatal("append of a bad batch succeeded")
	}
	var n int
	rows, err := s.Query(ctx, `SELECT count(*) FROM "Test_CL"`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	rows.Next()
	rows.Scan(&n)
	if n != 0 {
		t.Fatalf("%d rows stored from a failed transaction", n)
	}
	// The store stays usable.
	if err := s.Append(ctx, []*store.Batch{good}); err != nil {
		t.Fatal(err)
	}
}

func testExtend(t *testing.T, s store.Store) {
	ctx := context.Background()
	tb := table(t)
	if err := s.EnsureTables(ctx, tb); err != nil {
		t.Fatal(err)
	}
	nt, err := schema.Extend(tb, []schema.Column{{Name: "Later", Type: schema.String}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.EnsureTables(ctx, nt); err != nil {
		t.Fatal(err)
	}
	if err := s.Append(ctx, []*store.Batch{batch(nt, map[int]any{len(nt.Columns) - 1: "x"})}); err != nil {
		t.Fatal(err)
	}
}

func testRetention(t *testing.T, s store.Store) {
	ctx := context.Background()
	tb := table(t)
	if err := s.EnsureTables(ctx, tb); err != nil {
		t.Fatal(err)
	}
	old := time.Now().UTC().Add(-100 * 24 * time.Hour)
	recent := time.Now().UTC()
	if err := s.Append(ctx, []*store.Batch{batch(tb, map[int]any{0: old}, map[int]any{0: recent})}); err != nil {
		t.Fatal(err)
	}
	n, err := s.DeleteBefore(ctx, tb, time.Now().Add(-90*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("retention deleted %d rows, want 1", n)
	}
	st, err := s.Stats(ctx, tb)
	if err != nil {
		t.Fatal(err)
	}
	if st.Rows != 1 {
		t.Fatalf("stats rows %d, want 1", st.Rows)
	}
}
