// Package auth holds API keys and their roles. Keys are random secrets; only their SHA-256
// is stored, and every request is checked against an in-memory copy.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

// Role limits what a key may do.
type Role string

// The roles, from least to most powerful (ingest is separate: it may only write events).
const (
	Reader    Role = "reader"
	Ingest    Role = "ingest"
	Responder Role = "responder"
	Admin     Role = "admin"
)

// ParseRole validates a role name.
func ParseRole(s string) (Role, error) {
	switch r := Role(s); r {
	case Reader, Ingest, Responder, Admin:
		return r, nil
	}
	return "", fmt.Errorf("unknown role %q (want reader, ingest, responder or admin)", s)
}

// Permission is an action a request needs.
type Permission int

// Permissions checked by the API.
const (
	PermRead    Permission = iota // query events, read tables and platform state
	PermIngest                    // write events
	PermRespond                   // act on incidents and run playbooks
	PermAdmin                     // manage keys, tables and configuration
)

// Allows reports whether role r grants p.
func (r Role) Allows(p Permission) bool {
	switch r {
	case Admin:
		return true
	case Responder:
		return p == PermRead || p == PermRespond
	case Reader:
		return p == PermRead
	case Ingest:
		return p == PermIngest
	}
	return false
}

// Key describes an API key (never its secret).
type Key struct {
	ID      string    `json:"id"`
	Name    string    `json:"name"`
	Role    Role      `json:"role"`
	Created time.Time `json:"created"`
}

// Keys stores keys in the state database.
type Keys struct {
	db     *sql.DB
	mu     sync.RWMutex
	byHash map[string]Key
}

// MinSecretLen bounds how short a key supplied by an operator may be.
const MinSecretLen = 16

// OpenKeys creates the key table if needed and loads the keys.
func OpenKeys(ctx context.Context, db *sql.DB) (*Keys, error) {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS rampart_api_keys (
		id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, role VARCHAR NOT NULL,
		hash VARCHAR NOT NULL UNIQUE, created_at TIMESTAMP NOT NULL)`); err != nil {
		return nil, fmt.Errorf("api keys: %w", err)
	}
	k := &Keys{db: db}
	return k, k.reload(ctx)
}

func (k *Keys) reload(ctx context.Context) error {
	rows, err := k.db.QueryContext(ctx, `SELECT id, name, role, hash, created_at FROM rampart_api_keys`)
	if err != nil {
		return fmt.Errorf("api keys: %w", err)
	}
	defer rows.Close()
	m := map[string]Key{}
	for rows.Next() {
		var key Key
		var hash string
		if err := rows.Scan(&key.ID, &key.Name, &key.Role, &hash, &key.Created); err != nil {
			return err
		}
		m[hash] = key
	}
	if err := rows.Err(); err != nil {
		return err
	}
	k.mu.Lock()
	k.byHash = m
	k.mu.Unlock()
	return nil
}

func hashSecret(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// NewSecret returns a fresh random key secret.
func NewSecret() string {
	var b [25]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return "rmp_" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
}

// Create stores a key with the given secret ("" generates one) and returns it with its secret.
func (k *Keys) Create(ctx context.Context, name string, role Role, secret string) (Key, string, error) {
	if _, err := ParseRole(string(role)); err != nil {
		return Key{}, "", err
	}
	if name == "" || len(name) > 100 {
		return Key{}, "", errors.New("key name must be 1 to 100 characters")
	}
	if secret == "" {
		secret = NewSecret()
	}
	if len(secret) < MinSecretLen || len(secret) > 256 {
		return Key{}, "", fmt.Errorf("key secret must be %d to 256 characters", MinSecretLen)
	}
	var id [6]byte
	if _, err := rand.Read(id[:]); err != nil {
		return Key{}, "", err
	}
	key := Key{ID: hex.EncodeToString(id[:]), Name: name, Role: role, Created: time.Now().UTC().Truncate(time.Microsecond)}
	if _, err := k.db.ExecContext(ctx, `INSERT INTO rampart_api_keys (id, name, role, hash, created_at) VALUES (?, ?, ?, ?, ?)`,
		key.ID, key.Name, string(key.Role), hashSecret(secret), key.Created); err != nil {
		return Key{}, "", fmt.Errorf("create key: %w", err)
	}
	return key, secret, k.reload(ctx)
}

// Delete removes a key by id.
func (k *Keys) Delete(ctx context.Context, id string) (bool, error) {
	res, err := k.db.ExecContext(ctx, `DELETE FROM rampart_api_keys WHERE id = ?`, id)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n > 0, k.reload(ctx)
}

// List returns the keys sorted by creation time.
func (k *Keys) List() []Key {
	k.mu.RLock()
	defer k.mu.RUnlock()
	out := make([]Key, 0, len(k.byHash))
	for _, key := range k.byHash {
		out = append(out, key)
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Created.Before(out[j].Created) || (out[i].Created.Equal(out[j].Created) && out[i].ID < out[j].ID)
	})
	return out
}

// Authenticate returns the key a secret belongs to.
func (k *Keys) Authenticate(secret string) (Key, bool) {
	if secret == "" {
		return Key{}, false
	}
	// The map lookup is on a hash of the secret, so its timing tells nothing about it.
	h := hashSecret(secret)
	k.mu.RLock()
	defer k.mu.RUnlock()
	key, ok := k.byHash[h]
	return key, ok
}

// Bootstrap makes sure an admin key exists. With envSecret set (RAMPART_ADMIN_KEY) that
// secret is an admin key; otherwise, when there is no key at all, one is generated and
// returned so the caller can print it once.
func (k *Keys) Bootstrap(ctx context.Context, envSecret string) (created string, err error) {
	if envSecret != "" {
		if key, ok := k.Authenticate(envSecret); ok {
			if key.Role != Admin {
				return "", fmt.Errorf("RAMPART_ADMIN_KEY is the secret of key %s, whose role is %s, not admin", key.ID, key.Role)
			}
			return "", nil
		}
		_, _, err := k.Create(ctx, "admin (RAMPART_ADMIN_KEY)", Admin, envSecret)
		return "", err
	}
	if len(k.List()) > 0 {
		return "", nil
	}
	_, secret, err := k.Create(ctx, "admin", Admin, "")
	return secret, err
}
