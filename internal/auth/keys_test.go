package auth

import (
	"context"
	"testing"

	"github.com/rampart-soc/rampart/internal/store/duckdb"
)

func TestRoles(t *testing.T) {
	want := map[Role][4]bool{ // read, ingest, respond, admin
		Reader:    {true, false, false, false},
		Ingest:    {false, true, false, false},
		Responder: {true, false, true, false},
		Admin:     {true, true, true, true},
	}
	for role, perms := range want {
		for p, ok := range perms {
			if role.Allows(Permission(p)) != ok {
				t.Errorf("%s allows %d = %v", role, p, !ok)
			}
		}
	}
	if _, err := ParseRole("root"); err == nil {
		t.Error("unknown role accepted")
	}
}

func TestKeysBootstrapAndAuthenticate(t *testing.T) {
	st, err := duckdb.Open("", duckdb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	k, err := OpenKeys(ctx, st.DB())
	if err != nil {
		t.Fatal(err)
	}
	secret, err := k.Bootstrap(ctx, "")
	if err != nil || secret == "" {
		t.Fatalf("first start: %q, %v", secret, err)
	}
	if again, _ := k.Bootstrap(ctx, ""); again != "" {
		t.Fatal("a second admin key was generated")
	}
	if key, ok := k.Authenticate(secret); !ok || key.Role != Admin {
		t.Fatalf("generated key: %+v %v", key, ok)
	}
	if _, err := k.Bootstrap(ctx, "short"); err == nil {
		t.Fatal("a short RAMPART_ADMIN_KEY was accepted")
	}
	if _, err := k.Bootstrap(ctx, "automation-admin-key-1"); err != nil {
		t.Fatal(err)
	}
	if key, ok := k.Authenticate("automation-admin-key-1"); !ok || key.Role != Admin {
		t.Fatal("RAMPART_ADMIN_KEY not an admin key")
	}
	r, rs, _ := k.Create(ctx, "analyst", Reader, "")
	if _, err := k.Bootstrap(ctx, rs); err == nil {
		t.Fatal("a reader's secret was taken as RAMPART_ADMIN_KEY")
	}
	if ok, _ := k.Delete(ctx, r.ID); !ok {
		t.Fatal("delete")
	}
	if _, ok := k.Authenticate(rs); ok {
		t.Fatal("deleted key still works")
	}
	// Keys persist: a new Keys over the same database knows them.
	k2, _ := OpenKeys(ctx, st.DB())
	if _, ok := k2.Authenticate(secret); !ok {
		t.Fatal("keys not persisted")
	}
}
