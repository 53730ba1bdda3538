package taxii

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Filter holds the query parameters of objects, manifest and versions
// requests. Lists are sent comma-separated (ORed).
type Filter struct {
	AddedAfter   time.Time
	Limit        int
	Next         string
	IDs          []string
	Types        []string
	Versions     []string // "first", "last", "all" or timestamps
	SpecVersions []string
}

func (f Filter) encode() string {
	q := url.Values{}
	if !f.AddedAfter.IsZero() {
		q.Set("added_after", FormatTimestamp(f.AddedAfter))
	}
	if f.Limit > 0 {
		q.Set("limit", strconv.Itoa(f.Limit))
	}
	if f.Next != "" {
		q.Set("next", f.Next)
	}
	set := func(k string, l []string) {
		if len(l) > 0 {
			q.Set(k, strings.Join(l, ","))
		}
	}
	set("match[id]", f.IDs)
	set("match[type]", f.Types)
	set("match[version]", f.Versions)
	set("match[spec_version]", f.SpecVersions)
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}

// ObjectsPage is one envelope with its date-added headers.
type ObjectsPage struct {
	Envelope
	DateAddedFirst, DateAddedLast time.Time // zero when the server sent none
}

// ManifestPage is one manifest page with its date-added headers.
type ManifestPage struct {
	Manifest
	DateAddedFirst, DateAddedLast time.Time
}

func dateAdded(h http.Header) (first, last time.Time) {
	first, _ = ParseTimestamp(h.Get("X-TAXII-Date-Added-First"))
	last, _ = ParseTimestamp(h.Get("X-TAXII-Date-Added-Last"))
	return first, last
}

// Objects fetches one page of a collection's objects.
func (c *Client) Objects(ctx context.Context, collectionURL string, f Filter) (*ObjectsPage, error) {
	return c.objects(ctx, nil, dirURL(collectionURL)+"objects/"+f.encode())
}

// Object fetches the versions of one object selected by f (default: last).
func (c *Client) Object(ctx context.Context, collectionURL, id string, f Filter) (*ObjectsPage, error) {
	return c.objects(ctx, nil, dirURL(collectionURL)+"objects/"+url.PathEscape(id)+"/"+f.encode())
}

func (c *Client) objects(ctx context.Context, auth Auth, u string) (*ObjectsPage, error) {
	r, err := c.do(ctx, auth, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	env, err := ParseEnvelope(r.body, c.maxObjects())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", u, err)
	}
	p := &ObjectsPage{Envelope: *env}
	p.DateAddedFirst, p.DateAddedLast = dateAdded(r.header)
	return p, nil
}

// Versions lists the versions of one object.
func (c *Client) Versions(ctx context.Context, collectionURL, id string, f Filter) (*Versions, error) {
	var v Versions
	_, err := c.getJSON(ctx, dirURL(collectionURL)+"objects/"+url.PathEscape(id)+"/versions/"+f.encode(), &v)
	return &v, err
}

// Manifest fetches one page of a collection's manifest.
func (c *Client) Manifest(ctx context.Context, collectionURL string, f Filter) (*ManifestPage, error) {
	var m Manifest
	r, err := c.getJSON(ctx, dirURL(collectionURL)+"manifest/"+f.encode(), &m)
	if err != nil {
		return nil, err
	}
	if len(m.Objects) > c.maxObjects() {
		return nil, fmt.Errorf("%w (limit %d)", ErrTooManyObjects, c.maxObjects())
	}
	p := &ManifestPage{Manifest: m}
	p.DateAddedFirst, p.DateAddedLast = dateAdded(r.header)
	return p, nil
}

// AddObjects posts objects to a collection and returns the status the
// server answered with (poll Status until it is complete).
func (c *Client) AddObjects(ctx context.Context, collectionURL string, objects []json.RawMessage) (*Status, error) {
	body, err := json.Marshal(Envelope{Objects: objects})
	if err != nil {
		return nil, err
	}
	r, err := c.do(ctx, nil, http.MethodPost, dirURL(collectionURL)+"objects/", body)
	if err != nil {
		return nil, err
	}
	var st Status
	if err := json.Unmarshal(r.body, &st); err != nil {
		return nil, fmt.Errorf("taxii: status: %w", err)
	}
	return &st, nil
}

// DeleteObject deletes the versions of an object selected by f.
func (c *Client) DeleteObject(ctx context.Context, collectionURL, id string, f Filter) error {
	_, err := c.do(ctx, nil, http.MethodDelete, dirURL(collectionURL)+"objects/"+url.PathEscape(id)+"/"+f.encode(), nil)
	return err
}

// ErrNoProgress: the server said more but gave no way to get it.
var ErrNoProgress = errors.New("taxii: server reports more objects but pagination does not advance")

// AllObjects walks every page of a collection's objects matching f and
// calls fn for each, in order. It follows next tokens; a server that
// says more without next is paged with added_after set to the last
// page's X-TAXII-Date-Added-Last. Loops (a repeated token, no advance)
// end with ErrNoProgress rather than running forever.
func (c *Client) AllObjects(ctx context.Context, collectionURL string, f Filter, fn func(*ObjectsPage) error) error {
	return c.allObjects(ctx, nil, collectionURL, f, fn)
}

func (c *Client) allObjects(ctx context.Context, auth Auth, collectionURL string, f Filter, fn func(*ObjectsPage) error) error {
	maxPages := c.MaxPages
	if maxPages <= 0 {
		maxPages = 100000
	}
	seen := map[string]bool{}
	for pages := 0; ; pages++ {
		if pages >= maxPages {
			return fmt.Errorf("taxii: more than %d pages", maxPages)
		}
		p, err := c.objects(ctx, auth, dirURL(collectionURL)+"objects/"+f.encode())
		if err != nil {
			return err
		}
		if err := fn(p); err != nil {
			return err
		}
		if !p.More {
			return nil
		}
		switch {
		case p.Next != "" && !seen[p.Next]:
			seen[p.Next] = true
			f.Next = p.Next
		case p.Next == "" && !p.DateAddedLast.IsZero() && p.DateAddedLast.After(f.AddedAfter):
			f.Next, f.AddedAfter = "", p.DateAddedLast
		default:
			return ErrNoProgress
		}
	}
}
