package taxii

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Auth adds credentials to a request.
type Auth interface {
	Apply(r *http.Request)
}

// BasicAuth is HTTP Basic authentication, which every TAXII server supports.
type BasicAuth struct{ Username, Password string }

func (a BasicAuth) Apply(r *http.Request) { r.SetBasicAuth(a.Username, a.Password) }

// BearerAuth sends "Authorization: Bearer <token>" (API keys, OAuth).
type BearerAuth struct{ Token string }

func (a BearerAuth) Apply(r *http.Request) { r.Header.Set("Authorization", "Bearer "+a.Token) }

// ErrResponseTooLarge: a response body exceeded Client.MaxResponseBytes.
var ErrResponseTooLarge = errors.New("taxii: response too large")

// HTTPError is a non-2xx answer; TAXII holds the error resource when the
// server sent one.
type HTTPError struct {
	StatusCode int
	URL        string
	TAXII      *Error
}

func (e *HTTPError) Error() string {
	msg := fmt.Sprintf("taxii: %s: HTTP %d", e.URL, e.StatusCode)
	if e.TAXII != nil {
		msg += ": " + e.TAXII.Title
		if e.TAXII.Description != "" {
			msg += ": " + e.TAXII.Description
		}
	}
	return msg
}

// Client talks to TAXII 2.1 servers. The zero value works; TLS settings
// (private CAs, client certificates) come with HTTP.
type Client struct {
	HTTP *http.Client // nil: http.DefaultClient's transport
	Auth Auth         // nil: no credentials
	// MaxResponseBytes caps one response body (default 64 MiB).
	MaxResponseBytes int64
	// MaxObjects caps the objects of one page (default 10,000).
	MaxObjects int
	// Timeout bounds one request, body included (default 2 minutes).
	Timeout time.Duration
	// MaxPages bounds one AllObjects walk (default 100,000).
	MaxPages  int
	UserAgent string
}

func (c *Client) maxBytes() int64 {
	if c.MaxResponseBytes > 0 {
		return c.MaxResponseBytes
	}
	return 64 << 20
}

func (c *Client) maxObjects() int {
	if c.MaxObjects > 0 {
		return c.MaxObjects
	}
	return 10000
}

func (c *Client) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return 2 * time.Minute
}

// response is a bounded, fully read answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

// do sends one request with TAXII headers and reads at most
// MaxResponseBytes of the answer within Timeout.
func (c *Client) do(ctx context.Context, auth Auth, method, rawURL string, body []byte) (*response, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout())
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, rawURL, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", MediaType)
	if body != nil {
		req.Header.Set("Content-Type", MediaType)
	}
	if c.UserAgent != "" {
		req.Header.Set("User-Agent", c.UserAgent)
	}
	if auth == nil {
		auth = c.Auth
	}
	if auth != nil {
		auth.Apply(req)
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.ContentLength > c.maxBytes() {
		return nil, fmt.Errorf("%w: %d bytes announced", ErrResponseTooLarge, resp.ContentLength)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBytes()+1))
	if err != nil {
		return nil, fmt.Errorf("taxii: %s: reading response: %w", rawURL, err)
	}
	if int64(len(data)) > c.maxBytes() {
		return nil, fmt.Errorf("%w: over %d bytes", ErrResponseTooLarge, c.maxBytes())
	}
	r := &response{status: resp.StatusCode, header: resp.Header, body: data}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		he := &HTTPError{StatusCode: resp.StatusCode, URL: rawURL}
		var e Error
		if json.Unmarshal(data, &e) == nil && e.Title != "" {
			he.TAXII = &e
		}
		return r, he
	}
	return r, nil
}

// getJSON fetches a resource and decodes it into v.
func (c *Client) getJSON(ctx context.Context, rawURL string, v any) (*response, error) {
	r, err := c.do(ctx, nil, http.MethodGet, rawURL, nil)
	if err != nil {
		return r, err
	}
	if err := json.Unmarshal(r.body, v); err != nil {
		return r, fmt.Errorf("taxii: %s: %w", rawURL, err)
	}
	return r, nil
}

// Discovery reads a server's discovery resource (https://host/taxii2/).
func (c *Client) Discovery(ctx context.Context, discoveryURL string) (*Discovery, error) {
	var d Discovery
	_, err := c.getJSON(ctx, dirURL(discoveryURL), &d)
	return &d, err
}

// APIRoot reads an API root's information.
func (c *Client) APIRoot(ctx context.Context, apiRootURL string) (*APIRoot, error) {
	var a APIRoot
	_, err := c.getJSON(ctx, dirURL(apiRootURL), &a)
	return &a, err
}

// Collections lists an API root's collections.
func (c *Client) Collections(ctx context.Context, apiRootURL string) ([]Collection, error) {
	var cs Collections
	_, err := c.getJSON(ctx, dirURL(apiRootURL)+"collections/", &cs)
	return cs.Collections, err
}

// Collection reads one collection.
func (c *Client) Collection(ctx context.Context, apiRootURL, id string) (*Collection, error) {
	var col Collection
	_, err := c.getJSON(ctx, CollectionURL(apiRootURL, id), &col)
	return &col, err
}

// Status reads a status resource.
func (c *Client) Status(ctx context.Context, apiRootURL, id string) (*Status, error) {
	var st Status
	_, err := c.getJSON(ctx, dirURL(apiRootURL)+"status/"+url.PathEscape(id)+"/", &st)
	return &st, err
}

// CollectionURL joins an API root URL and a collection id.
func CollectionURL(apiRootURL, id string) string {
	return dirURL(apiRootURL) + "collections/" + url.PathEscape(id) + "/"
}

// dirURL ensures the trailing slash TAXII URLs end with.
func dirURL(u string) string {
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	if !strings.HasSuffix(u, "/") {
		u += "/"
	}
	return u
}
