package taxii

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// badRequest is a filter error answered with 400.
type badRequest string

func (e badRequest) Error() string { return string(e) }

// values returns the comma-separated values of a parameter, over all its
// occurrences.
func values(q url.Values, name string) []string {
	var out []string
	for _, v := range q[name] {
		for _, part := range strings.Split(v, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}

// parseQuery reads the filter and paging parameters of a GET. allowed
// lists the match[] filters the endpoint supports; others are ignored, as
// the spec lets servers do.
func (s *Server) parseQuery(q url.Values, allowed ...string) (Query, error) {
	var out Query
	if v := q.Get("added_after"); v != "" {
		t, err := ParseTimestamp(v)
		if err != nil {
			return out, badRequest("added_after is not a valid timestamp.")
		}
		out.AddedAfter = t
	}
	out.Limit = s.cfg.MaxPageSize
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return out, badRequest("limit must be a positive integer.")
		}
		out.Limit = min(n, s.cfg.MaxPageSize)
	}
	if slices.Contains(allowed, "id") {
		out.IDs = values(q, "match[id]")
	}
	if slices.Contains(allowed, "type") {
		out.Types = values(q, "match[type]")
	}
	if slices.Contains(allowed, "version") {
		for _, v := range values(q, "match[version]") {
			switch v {
			case "first":
				out.Versions.First = true
			case "last":
				out.Versions.Last = true
			case "all":
				out.Versions.All = true
			default:
				t, err := ParseTimestamp(v)
				if err != nil {
					return out, badRequest(fmt.Sprintf("match[version] value %q is not first, last, all or a timestamp.", v))
				}
				out.Versions.Exact = append(out.Versions.Exact, t)
			}
		}
	}
	out.SpecVersions = values(q, "match[spec_version]")
	for _, v := range out.SpecVersions {
		if v != "2.0" && v != "2.1" {
			return out, badRequest(fmt.Sprintf("match[spec_version] value %q is not a STIX version.", v))
		}
	}
	if tok := q.Get("next"); tok != "" {
		c, err := s.decodeNext(tok, filterHash(q))
		if err != nil {
			return out, err
		}
		out.After = c
	}
	return out, nil
}

// filterHash identifies the filter set a next token belongs to: every
// parameter except next and limit, in a canonical order.
func filterHash(q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		if k != "next" && k != "limit" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	h := sha256.New()
	for _, k := range keys {
		fmt.Fprintf(h, "%s=%q;", k, q[k])
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// nextToken is the opaque pagination state. It is self-contained, so the
// server keeps no sessions; the filter hash makes a token useless with
// other filters, and the expiry bounds its life.
type nextToken struct {
	DateAdded int64  `json:"d"`
	ID        string `json:"i"`
	Version   int64  `json:"v"`
	Filters   string `json:"f"`
	Expires   int64  `json:"x"`
}

func (s *Server) encodeNext(r Record, filters string) string {
	b, _ := json.Marshal(nextToken{DateAdded: r.DateAdded.UnixNano(), ID: r.ID, Version: r.Version.UnixNano(),
		Filters: filters, Expires: s.cfg.Now().Add(s.cfg.TokenTTL).Unix()})
	return base64.RawURLEncoding.EncodeToString(b)
}

func (s *Server) decodeNext(tok, filters string) (*Cursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	var t nextToken
	if err != nil || len(b) > 1024 || json.Unmarshal(b, &t) != nil {
		return nil, badRequest("The next parameter is not a token this server issued.")
	}
	if t.Filters != filters {
		return nil, badRequest("The next token was issued for other filters.")
	}
	if s.cfg.Now().Unix() > t.Expires {
		return nil, badRequest("The next token has expired.")
	}
	return &Cursor{DateAdded: time.Unix(0, t.DateAdded).UTC(), ID: t.ID, Version: time.Unix(0, t.Version).UTC()}, nil
}
