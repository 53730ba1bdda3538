package ti

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"time"

	"github.com/rampart-soc/rampart/internal/ti/taxii"
)

// FeedConfig is a TAXII 2.1 collection polled on a schedule.
type FeedConfig struct {
	Name          string `json:"name"`
	CollectionURL string `json:"collectionUrl"`
	// Credentials: a bearer token, or a user name and password (basic).
	Token    string `json:"token,omitempty"`
	User     string `json:"user,omitempty"`
	Password string `json:"password,omitempty"`
	Interval string `json:"interval"` // e.g. "1h"; default 1h, at least 1m
}

// Feed is a feed with its polling state (credentials are not shown).
type Feed struct {
	Name          string          `json:"name"`
	CollectionURL string          `json:"collectionUrl"`
	Interval      string          `json:"interval"`
	State         taxii.FeedState `json:"state"`
}

var feedNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// Feeds polls TAXII feeds into the service, saving each feed's state (its added_after
// watermark) so nothing is fetched twice across restarts.
type Feeds struct {
	svc    *Service
	poller *taxii.Poller
}

// OpenFeeds creates the feed table if needed and schedules the saved feeds.
func (s *Service) OpenFeeds(ctx context.Context, client *taxii.Client) (*Feeds, error) {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS rampart_ti_feeds (name VARCHAR PRIMARY KEY, config VARCHAR NOT NULL, state VARCHAR NOT NULL)`); err != nil {
		return nil, err
	}
	f := &Feeds{svc: s}
	f.poller = taxii.NewPoller(client, func(ctx context.Context, feed string, objs []json.RawMessage) error {
		var nd bytes.Buffer
		for _, o := range objs {
			nd.Write(o)
			nd.WriteByte('\n')
		}
		_, err := s.importFrom(ctx, &nd, feed, "TAXIIFeed")
		return err
	})
	f.poller.OnState = func(feed string, st taxii.FeedState) {
		b, _ := json.Marshal(st)
		if _, err := s.db.Exec(`UPDATE rampart_ti_feeds SET state = ? WHERE name = ?`, string(b), feed); err != nil {
			s.log.Error("TAXII feed state", "feed", feed, "err", err)
		}
	}
	rows, err := s.db.QueryContext(ctx, `SELECT config, state FROM rampart_ti_feeds`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var cfgText, stText string
		if err := rows.Scan(&cfgText, &stText); err != nil {
			return nil, err
		}
		var cfg FeedConfig
		var st taxii.FeedState
		if json.Unmarshal([]byte(cfgText), &cfg) != nil || json.Unmarshal([]byte(stText), &st) != nil {
			continue
		}
		feed, err := cfg.feed()
		if err != nil {
			s.log.Error("TAXII feed", "feed", cfg.Name, "err", err)
			continue
		}
		f.poller.AddFeed(feed, st)
	}
	return f, rows.Err()
}

func (c FeedConfig) feed() (taxii.Feed, error) {
	if !feedNameRE.MatchString(c.Name) {
		return taxii.Feed{}, fmt.Errorf("feed name %q: 1-64 letters, digits, '.', '_' or '-'", c.Name)
	}
	u, err := url.Parse(c.CollectionURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return taxii.Feed{}, fmt.Errorf("collectionUrl %q must be an http(s) URL of a TAXII 2.1 collection", c.CollectionURL)
	}
	iv := time.Hour
	if c.Interval != "" {
		if iv, err = time.ParseDuration(c.Interval); err != nil || iv < time.Minute {
			return taxii.Feed{}, fmt.Errorf("interval %q must be a duration of at least 1m", c.Interval)
		}
	}
	f := taxii.Feed{Name: c.Name, CollectionURL: c.CollectionURL, Interval: iv}
	switch {
	case c.Token != "":
		f.Auth = taxii.BearerAuth{Token: c.Token}
	case c.User != "":
		f.Auth = taxii.BasicAuth{Username: c.User, Password: c.Password}
	}
	return f, nil
}

// Put adds or replaces a feed; a replaced feed keeps its watermark.
func (f *Feeds) Put(ctx context.Context, c FeedConfig) error {
	feed, err := c.feed()
	if err != nil {
		return &InvalidError{Msg: err.Error()}
	}
	st, _ := f.poller.State(c.Name)
	cfg, _ := json.Marshal(c)
	stText, _ := json.Marshal(st)
	tx, err := f.svc.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM rampart_ti_feeds WHERE name = ?`, c.Name); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO rampart_ti_feeds (name, config, state) VALUES (?, ?, ?)`, c.Name, string(cfg), string(stText)); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	f.poller.AddFeed(feed, st)
	return nil
}

// Delete removes a feed.
func (f *Feeds) Delete(ctx context.Context, name string) error {
	res, err := f.svc.db.ExecContext(ctx, `DELETE FROM rampart_ti_feeds WHERE name = ?`, name)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	f.poller.RemoveFeed(name)
	return nil
}

// List returns the feeds and their polling state.
func (f *Feeds) List(ctx context.Context) ([]Feed, error) {
	rows, err := f.svc.db.QueryContext(ctx, `SELECT config FROM rampart_ti_feeds`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Feed{}
	for rows.Next() {
		var cfgText string
		if err := rows.Scan(&cfgText); err != nil {
			return nil, err
		}
		var c FeedConfig
		if json.Unmarshal([]byte(cfgText), &c) != nil {
			continue
		}
		st, _ := f.poller.State(c.Name)
		out = append(out, Feed{Name: c.Name, CollectionURL: c.CollectionURL, Interval: c.Interval, State: st})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, rows.Err()
}

// Run polls until ctx ends.
func (f *Feeds) Run(ctx context.Context) error { return f.poller.Run(ctx) }

// ErrNotFound means there is no such feed.
var ErrNotFound = errors.New("no such feed")

// InvalidError is a request the caller got wrong.
type InvalidError struct{ Msg string }

func (e *InvalidError) Error() string { return e.Msg }
