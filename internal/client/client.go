// Package client talks to a Rampart server's HTTP API; the CLI commands use it.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Client is an API client.
type Client struct {
	Base string // e.g. http://127.0.0.1:8080
	Key  string
	HTTP *http.Client
}

// New returns a client for server with an API key.
func New(server, key string) *Client {
	return &Client{Base: strings.TrimRight(server, "/"), Key: key, HTTP: &http.Client{Timeout: 5 * time.Minute}}
}

// Error is an error answer of the API.
type Error struct {
	Status     int
	Code       string `json:"code"`
	Message    string `json:"message"`
	Line       int    `json:"line"`
	Field      string `json:"field"`
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	return fmt.Sprintf("server answered %d %s: %s", e.Status, e.Code, e.Message)
}

// Request is one API call.
type Request struct {
	Method      string
	Path        string
	Body        []byte
	ContentType string
	Encoding    string // Content-Encoding
}

// Do sends req and decodes a JSON answer into out (may be nil).
func (c *Client) Do(ctx context.Context, req Request, out any) error {
	var body io.Reader
	if req.Body != nil {
		body = bytes.NewReader(req.Body)
	}
	hr, err := http.NewRequestWithContext(ctx, req.Method, c.Base+req.Path, body)
	if err != nil {
		return err
	}
	if c.Key != "" {
		hr.Header.Set("Authorization", "Bearer "+c.Key)
	}
	if req.ContentType != "" {
		hr.Header.Set("Content-Type", req.ContentType)
	}
	if req.Encoding != "" {
		hr.Header.Set("Content-Encoding", req.Encoding)
	}
	resp, err := c.HTTP.Do(hr)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		e := &Error{Status: resp.StatusCode}
		var wrapped struct {
			Error *Error `json:"error"`
		}
		wrapped.Error = e
		if json.Unmarshal(data, &wrapped) != nil || e.Message == "" {
			e.Message = strings.TrimSpace(string(data))
		}
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil {
			e.RetryAfter = time.Duration(s) * time.Second
		}
		return e
	}
	if rs, ok := out.(*rawSink); ok {
		*rs.b = data
		return nil
	}
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("decoding answer: %w", err)
		}
	}
	return nil
}

// Raw sends a body-less request and returns the answer's body as is.
func (c *Client) Raw(ctx context.Context, method, path string) ([]byte, error) {
	var out json.RawMessage
	err := c.Do(ctx, Request{Method: method, Path: path}, &rawSink{&out})
	return out, err
}

// rawSink lets Do hand over the body without decoding it.
type rawSink struct{ b *json.RawMessage }

// JSON sends v as a JSON body.
func (c *Client) JSON(ctx context.Context, method, path string, v, out any) error {
	var b []byte
	if v != nil {
		var err error
		if b, err = json.Marshal(v); err != nil {
			return err
		}
	}
	return c.Do(ctx, Request{Method: method, Path: path, Body: b, ContentType: "application/json"}, out)
}
