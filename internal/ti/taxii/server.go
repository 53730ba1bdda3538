package taxii

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// AuthFunc authenticates a request. ok false means no or bad credentials
// (401). canRead and canWrite answer per collection id for this caller.
type AuthFunc func(r *http.Request) (who string, canRead, canWrite func(collectionID string) bool, ok bool)

// ServerConfig configures a Server.
type ServerConfig struct {
	Backend Backend
	// Auth authenticates callers; nil lets anyone read and no one write.
	Auth AuthFunc
	// Prefix is where the handler is mounted; API roots are served at
	// Prefix + name + "/". Default "/taxii2/".
	Prefix string
	// DiscoveryPath serves the discovery resource; default Prefix.
	DiscoveryPath string
	// BaseURL (scheme and host, e.g. "https://siem.example.com") makes
	// the discovery URLs absolute; default: taken from the request.
	BaseURL string
	// Title, Description, Contact and DefaultRoot fill discovery.
	Title, Description, Contact, DefaultRoot string
	// MaxPageSize caps limit and is the page size without one (default 1000).
	MaxPageSize int
	// HideInaccessible leaves collections the caller can neither read nor
	// write out of listings and answers 404 for them, so their existence
	// does not leak. Off by default, as in medallion.
	HideInaccessible bool
	// Realm of the WWW-Authenticate challenge; default "TAXII".
	Realm string
	// TokenTTL bounds the life of next tokens (default 1 hour).
	TokenTTL time.Duration
	// Now is the clock (tests); default time.Now.
	Now func() time.Time
}

// Server is the TAXII 2.1 http.Handler.
type Server struct {
	cfg ServerConfig
}

// NewServer returns a TAXII server over cfg.Backend.
func NewServer(cfg ServerConfig) *Server {
	if cfg.Prefix == "" {
		cfg.Prefix = "/taxii2/"
	}
	if !strings.HasSuffix(cfg.Prefix, "/") {
		cfg.Prefix += "/"
	}
	if cfg.DiscoveryPath == "" {
		cfg.DiscoveryPath = cfg.Prefix
	}
	if cfg.MaxPageSize <= 0 {
		cfg.MaxPageSize = 1000
	}
	if cfg.Realm == "" {
		cfg.Realm = "TAXII"
	}
	if cfg.TokenTTL <= 0 {
		cfg.TokenTTL = time.Hour
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Title == "" {
		cfg.Title = "Rampart TAXII Server"
	}
	return &Server{cfg: cfg}
}

// caller is an authenticated requester.
type caller struct {
	who             string
	canRead, canWrt func(string) bool
}

func (c caller) access(id string) (read, write bool) {
	return c.canRead != nil && c.canRead(id), c.canWrt != nil && c.canWrt(id)
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c, ok := s.authenticate(r)
	if !ok {
		w.Header().Set("WWW-Authenticate", `Basic realm="`+s.cfg.Realm+`"`)
		writeError(w, http.StatusUnauthorized, "Unauthorized", "Authentication is required.")
		return
	}
	if !acceptable(r.Header.Get("Accept")) {
		writeError(w, http.StatusNotAcceptable, "Not Acceptable", "The Accept header does not name a media type this server supports.")
		return
	}
	path := r.URL.Path
	if path == s.cfg.DiscoveryPath || path+"/" == s.cfg.DiscoveryPath {
		if s.method(w, r, http.MethodGet) {
			s.discovery(w, r)
		}
		return
	}
	rest, ok := strings.CutPrefix(path, s.cfg.Prefix)
	if !ok {
		writeError(w, http.StatusNotFound, "Not Found", "No such resource.")
		return
	}
	s.route(w, r, c, splitPath(rest))
}

func (s *Server) authenticate(r *http.Request) (caller, bool) {
	if s.cfg.Auth == nil {
		return caller{who: "anonymous", canRead: func(string) bool { return true }}, true
	}
	who, rd, wr, ok := s.cfg.Auth(r)
	return caller{who: who, canRead: rd, canWrt: wr}, ok
}

// splitPath splits "a/b/c/" into its segments; the trailing slash TAXII
// requires is optional here.
func splitPath(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

func (s *Server) route(w http.ResponseWriter, r *http.Request, c caller, seg []string) {
	if len(seg) == 0 {
		writeError(w, http.StatusNotFound, "Not Found", "No such resource.")
		return
	}
	root := seg[0]
	ctx := r.Context()
	info, err := s.cfg.Backend.APIRoot(ctx, root)
	if err != nil {
		s.backendError(w, err, "No such API root.")
		return
	}
	switch {
	case len(seg) == 1:
		if s.method(w, r, http.MethodGet) {
			writeJSON(w, http.StatusOK, info)
		}
	case len(seg) == 3 && seg[1] == "status":
		if s.method(w, r, http.MethodGet) {
			s.status(w, r, c, root, seg[2])
		}
	case seg[1] == "collections" && len(seg) == 2:
		if s.method(w, r, http.MethodGet) {
			s.collections(w, r, c, root)
		}
	case seg[1] == "collections" && len(seg) >= 3:
		s.collectionRoute(w, r, c, root, info, seg[2], seg[3:])
	default:
		writeError(w, http.StatusNotFound, "Not Found", "No such resource.")
	}
}

func (s *Server) collectionRoute(w http.ResponseWriter, r *http.Request, c caller, root string, info *APIRoot, id string, seg []string) {
	coll, err := s.cfg.Backend.Collection(r.Context(), root, id)
	if err != nil {
		s.backendError(w, err, "No such collection, or the requester may not know that it exists.")
		return
	}
	read, write := c.access(coll.ID)
	if s.cfg.HideInaccessible && !read && !write {
		writeError(w, http.StatusNotFound, "Not Found", "No such collection, or the requester may not know that it exists.")
		return
	}
	needRead := func() bool {
		if !read {
			writeError(w, http.StatusForbidden, "Forbidden", "The collection exists but can_read is false for this requester.")
		}
		return read
	}
	needWrite := func() bool {
		if !write {
			writeError(w, http.StatusForbidden, "Forbidden", "The collection exists but can_write is false for this requester.")
		}
		return write
	}
	switch {
	case len(seg) == 0:
		if s.method(w, r, http.MethodGet) {
			writeJSON(w, http.StatusOK, present(*coll, read, write))
		}
	case len(seg) == 1 && seg[0] == "manifest":
		if s.method(w, r, http.MethodGet) && needRead() {
			s.manifest(w, r, root, coll)
		}
	case len(seg) == 1 && seg[0] == "objects":
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			if needRead() {
				s.objects(w, r, root, coll, "")
			}
		case http.MethodPost:
			if needWrite() {
				s.addObjects(w, r, c, root, info, coll)
			}
		default:
			s.method(w, r, http.MethodGet, http.MethodPost)
		}
	case len(seg) == 2 && seg[0] == "objects":
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			if needRead() {
				s.objects(w, r, root, coll, seg[1])
			}
		case http.MethodDelete:
			if needRead() && needWrite() {
				s.deleteObject(w, r, root, coll, seg[1])
			}
		default:
			s.method(w, r, http.MethodGet, http.MethodDelete)
		}
	case len(seg) == 3 && seg[0] == "objects" && seg[2] == "versions":
		if s.method(w, r, http.MethodGet) && needRead() {
			s.versions(w, r, root, coll, seg[1])
		}
	default:
		writeError(w, http.StatusNotFound, "Not Found", "No such resource.")
	}
}

func present(c CollectionInfo, read, write bool) Collection {
	return Collection{ID: c.ID, Title: c.Title, Description: c.Description, Alias: c.Alias,
		CanRead: read, CanWrite: write, MediaTypes: c.MediaTypes}
}

func (s *Server) discovery(w http.ResponseWriter, r *http.Request) {
	names, err := s.cfg.Backend.APIRoots(r.Context())
	if err != nil {
		s.backendError(w, err, "")
		return
	}
	base := s.baseURL(r)
	d := Discovery{Title: s.cfg.Title, Description: s.cfg.Description, Contact: s.cfg.Contact}
	for _, n := range names {
		d.APIRoots = append(d.APIRoots, base+s.cfg.Prefix+n+"/")
	}
	if s.cfg.DefaultRoot != "" {
		d.Default = base + s.cfg.Prefix + s.cfg.DefaultRoot + "/"
	}
	writeJSON(w, http.StatusOK, d)
}

func (s *Server) baseURL(r *http.Request) string {
	if s.cfg.BaseURL != "" {
		return strings.TrimSuffix(s.cfg.BaseURL, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (s *Server) collections(w http.ResponseWriter, r *http.Request, c caller, root string) {
	list, err := s.cfg.Backend.Collections(r.Context(), root)
	if err != nil {
		s.backendError(w, err, "No such API root.")
		return
	}
	var out Collections
	for _, coll := range list {
		read, write := c.access(coll.ID)
		if s.cfg.HideInaccessible && !read && !write {
			continue
		}
		out.Collections = append(out.Collections, present(coll, read, write))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) status(w http.ResponseWriter, r *http.Request, c caller, root, id string) {
	st, err := s.cfg.Backend.LoadStatus(r.Context(), root, id)
	if err == nil && st.Owner != "" && st.Owner != c.who {
		err = ErrNotFound // another requester's status does not exist for this one
	}
	if err != nil {
		s.backendError(w, err, "No such status resource.")
		return
	}
	writeJSON(w, http.StatusOK, st.Status)
}

// method answers 405 unless r uses one of the allowed methods.
func (s *Server) method(w http.ResponseWriter, r *http.Request, allowed ...string) bool {
	for _, m := range allowed {
		if r.Method == m || m == http.MethodGet && r.Method == http.MethodHead {
			return true
		}
	}
	w.Header().Set("Allow", strings.Join(allowed, ", "))
	writeError(w, http.StatusMethodNotAllowed, "Method Not Allowed", r.Method+" is not supported here.")
	return false
}

func (s *Server) backendError(w http.ResponseWriter, err error, notFound string) {
	switch {
	case errors.Is(err, ErrNotFound):
		writeError(w, http.StatusNotFound, "Not Found", notFound)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		writeError(w, http.StatusServiceUnavailable, "Service Unavailable", "The request was cancelled.")
	default:
		writeError(w, http.StatusInternalServerError, "Internal Server Error", "The server could not complete the request.")
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"title":"Internal Server Error","http_status":"500"}`)
	}
	w.Header().Set("Content-Type", MediaType)
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

func writeError(w http.ResponseWriter, status int, title, desc string) {
	writeJSON(w, status, Error{Title: title, Description: desc, HTTPStatus: strconv.Itoa(status)})
}
