package taxii

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/rampart-soc/rampart/internal/ti/stix"
)

// query runs a filtered GET and writes 400 for bad filters.
func (s *Server) query(w http.ResponseWriter, r *http.Request, root string, coll *CollectionInfo, q Query) (Page, bool) {
	p, err := s.cfg.Backend.Query(r.Context(), root, coll.ID, q)
	if err != nil {
		s.backendError(w, err, "No such collection.")
		return Page{}, false
	}
	return p, true
}

func (s *Server) parsed(w http.ResponseWriter, r *http.Request, allowed ...string) (Query, bool) {
	q, err := s.parseQuery(r.URL.Query(), allowed...)
	var bad badRequest
	if errors.As(err, &bad) {
		writeError(w, http.StatusBadRequest, "Bad Request", string(bad))
		return q, false
	}
	return q, err == nil
}

// dateHeaders sets X-TAXII-Date-Added-First/Last from a page's records.
func dateHeaders(w http.ResponseWriter, recs []Record) {
	if len(recs) == 0 {
		return
	}
	w.Header().Set("X-TAXII-Date-Added-First", FormatTimestamp(recs[0].DateAdded))
	w.Header().Set("X-TAXII-Date-Added-Last", FormatTimestamp(recs[len(recs)-1].DateAdded))
}

// objects serves GET objects/ and, with objectID set, objects/{id}/.
func (s *Server) objects(w http.ResponseWriter, r *http.Request, root string, coll *CollectionInfo, objectID string) {
	allowed := []string{"id", "type", "version"}
	if objectID != "" {
		allowed = []string{"version"}
	}
	q, ok := s.parsed(w, r, allowed...)
	if !ok {
		return
	}
	if objectID != "" {
		q.IDs = []string{objectID}
	}
	p, ok := s.query(w, r, root, coll, q)
	if !ok {
		return
	}
	if objectID != "" && len(p.Records) == 0 && q.After == nil {
		writeError(w, http.StatusNotFound, "Not Found", "No such object in this collection.")
		return
	}
	env := Envelope{More: p.More, Objects: make([]json.RawMessage, 0, len(p.Records))}
	for _, rec := range p.Records {
		env.Objects = append(env.Objects, rec.Object)
	}
	if len(env.Objects) == 0 {
		env.Objects = nil
	}
	if p.More {
		env.Next = s.encodeNext(p.Records[len(p.Records)-1], filterHash(r.URL.Query()))
	}
	dateHeaders(w, p.Records)
	writeJSON(w, http.StatusOK, env)
}

func (s *Server) manifest(w http.ResponseWriter, r *http.Request, root string, coll *CollectionInfo) {
	q, ok := s.parsed(w, r, "id", "type", "version")
	if !ok {
		return
	}
	q.NoBodies = true
	p, ok := s.query(w, r, root, coll, q)
	if !ok {
		return
	}
	m := Manifest{More: p.More}
	for _, rec := range p.Records {
		m.Objects = append(m.Objects, ManifestRecord{ID: rec.ID, DateAdded: FormatTimestamp(rec.DateAdded),
			Version: stix.FormatTime(rec.Version), MediaType: STIXMedia(rec.SpecVersion)})
	}
	// The manifest resource has no next: clients page on with
	// added_after = X-TAXII-Date-Added-Last.
	dateHeaders(w, p.Records)
	writeJSON(w, http.StatusOK, m)
}

func (s *Server) versions(w http.ResponseWriter, r *http.Request, root string, coll *CollectionInfo, objectID string) {
	q, ok := s.parsed(w, r)
	if !ok {
		return
	}
	q.IDs, q.Versions, q.NoBodies = []string{objectID}, VersionFilter{All: true}, true
	p, ok := s.query(w, r, root, coll, q)
	if !ok {
		return
	}
	if len(p.Records) == 0 && q.After == nil {
		writeError(w, http.StatusNotFound, "Not Found", "No such object in this collection.")
		return
	}
	v := Versions{More: p.More}
	for _, rec := range p.Records {
		v.Versions = append(v.Versions, stix.FormatTime(rec.Version))
	}
	dateHeaders(w, p.Records)
	writeJSON(w, http.StatusOK, v)
}

func (s *Server) deleteObject(w http.ResponseWriter, r *http.Request, root string, coll *CollectionInfo, objectID string) {
	q, ok := s.parsed(w, r, "version")
	if !ok {
		return
	}
	// DELETE without match[version] removes every version.
	if q.Versions.isDefault() && r.URL.Query().Get("match[version]") == "" {
		q.Versions.All = true
	}
	q.IDs, q.Limit, q.After = []string{objectID}, 0, nil
	n, err := s.cfg.Backend.Delete(r.Context(), root, coll.ID, q)
	if err != nil {
		s.backendError(w, err, "No such collection.")
		return
	}
	if n == 0 {
		writeError(w, http.StatusNotFound, "Not Found", "No such object in this collection.")
		return
	}
	w.WriteHeader(http.StatusOK)
}
