package ti

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/rampart-soc/rampart/internal/store/duckdb"
)

func openTest(t *testing.T, db *duckdb.Store) (*Service, *nullSink) {
	t.Helper()
	sink := &nullSink{}
	s, err := Open(context.Background(), db.DB(), sink, &nullRaiser{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return s, sink
}

func version(mod, pat string, revoked bool) string {
	return fmt.Sprintf(`{"type":"indicator","spec_version":"2.1","id":"indicator--5e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-0%sT00:00:00.000Z","pattern":%q,"pattern_type":"stix","valid_from":"2026-01-01T00:00:00.000Z","revoked":%v}`, mod, pat, revoked)
}

// Versions replace each other in the index and in storage; revocation is final; a restart
// loads what was kept; a bad pattern is a warning naming the object.
func TestImportLifecycle(t *testing.T) {
	ctx := context.Background()
	db, err := duckdb.Open(t.TempDir(), duckdb.Options{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, sink := openTest(t, db)
	hits := func(s *Service, v string) int { return len(s.Lookup(v)) }
	imp := func(docs ...string) *ImportResult {
		t.Helper()
		res, err := s.Import(ctx, strings.NewReader(strings.Join(docs, "\n")), "test")
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	// Two versions in one input: the second wins, and the first's observable never shows.
	res := imp(version("1", "[ipv4-addr:value = '192.0.2.1']", false), version("2", "[ipv4-addr:value = '192.0.2.2']", false))
	if res.Inserted != 1 || res.Updated != 1 || hits(s, "192.0.2.1") != 0 || hits(s, "192.0.2.2") != 1 || res.Indexed != 1 {
		t.Fatalf("import = %+v", res)
	}
	res = imp(version("3", "[domain-name:value = 'a.example'] AND [domain-name:value = 'b.example']", false))
	if res.Updated != 1 || hits(s, "192.0.2.2") != 0 || s.watch.len() != 1 || res.Indexed != 0 {
		t.Fatalf("update to a two-observation pattern = %+v, watched %d", res, s.watch.len())
	}
	res = imp(version("4", "[ipv4-addr:value = '192.0.2.4']", true), version("5", "[ipv4-addr:value = '192.0.2.5']", false))
	if res.Updated != 1 || res.Revoke != 1 || hits(s, "192.0.2.5") != 0 || hits(s, "192.0.2.4") != 0 || s.watch.len() != 0 {
		t.Fatalf("revocation = %+v", res)
	}
	// One row per indicator version per table, and none for the un-revoke attempt.
	if sink.rows != 4+4 {
		t.Errorf("%d rows emitted", sink.rows)
	}
	res = imp(`{"type":"indicator","spec_version":"2.1","id":"indicator--6e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","pattern":"[ipv4-addr:value = ","pattern_type":"stix","valid_from":"2026-01-01T00:00:00.000Z"}`,
		`{"type":"indicator","id":"indicator--7e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"}`)
	if res.Inserted != 1 || res.Invalid != 1 || len(res.Warnings) != 1 || len(res.Errors) == 0 {
		t.Fatalf("bad pattern = %+v", res)
	}
	if w := res.Warnings[0]; w.Index != 0 || w.ID != "indicator--6e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f" || w.Property != "pattern" || !strings.Contains(w.Error(), "object 0 (indicator--6e2e2d2b") {
		t.Errorf("warning = %v", w)
	}
	if e := res.Errors[0]; e.Index != 1 {
		t.Errorf("error = %v", e)
	}
	// A restart loads the revoked version and the kept broken one.
	s2, _ := openTest(t, db)
	if n := s2.objs.Len(); n != 2 {
		t.Fatalf("%d objects after restart", n)
	}
	if o := s2.objs.Get("indicator--5e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"); o == nil || !o.Revoked || hits(s2, "192.0.2.4") != 0 {
		t.Fatalf("after restart: %+v", o)
	}
	var n int
	db.DB().QueryRow(`SELECT count(*) FROM rampart_ti_objects`).Scan(&n)
	if n != 2 {
		t.Errorf("%d stored rows", n)
	}
}

// A stored document that no longer loads is replaced by the next version of its id.
func TestImportReplacesOrphan(t *testing.T) {
	ctx := context.Background()
	db, err := duckdb.Open("", duckdb.Options{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	openTest(t, db)
	if _, err := db.DB().Exec(`INSERT INTO rampart_ti_objects VALUES ('indicator--5e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', 'indicator', 'x', '{"type":"indicator","id":"indicator--5e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"}')`); err != nil {
		t.Fatal(err)
	}
	s, _ := openTest(t, db)
	if _, err := s.Import(ctx, strings.NewReader(version("1", "[ipv4-addr:value = '192.0.2.1']", false)), ""); err != nil {
		t.Fatal(err)
	}
	if len(s.Lookup("192.0.2.1")) != 1 {
		t.Fatal("not indexed")
	}
}
