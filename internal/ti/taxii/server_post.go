package taxii

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"

	"github.com/rampart-soc/rampart/internal/ti/stix"
)

// addObjects serves POST objects/: validate each object, store the valid
// ones, answer 202 with a complete status.
func (s *Server) addObjects(w http.ResponseWriter, r *http.Request, c caller, root string, info *APIRoot, coll *CollectionInfo) {
	if !contentTypeOK(r.Header.Get("Content-Type")) {
		writeError(w, http.StatusUnsupportedMediaType, "Unsupported Media Type", "The Content-Type must be "+MediaType+".")
		return
	}
	limit := info.MaxContentLength
	if limit > 0 && r.ContentLength > limit {
		writeError(w, http.StatusRequestEntityTooLarge, "Request Entity Too Large", "The request body is larger than max_content_length of the API root.")
		return
	}
	body := io.Reader(r.Body)
	if limit > 0 {
		body = http.MaxBytesReader(w, r.Body, limit)
	}
	data, err := io.ReadAll(body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		writeError(w, http.StatusRequestEntityTooLarge, "Request Entity Too Large", "The request body is larger than max_content_length of the API root.")
		return
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, "Bad Request", "The request body could not be read.")
		return
	}
	var env struct {
		Objects []json.RawMessage `json:"objects"`
	}
	if err := json.Unmarshal(data, &env); err != nil {
		writeError(w, http.StatusBadRequest, "Bad Request", "The body is not a TAXII envelope: "+err.Error())
		return
	}

	now := s.cfg.Now().UTC()
	st := Status{ID: newUUID(), Status: "complete", RequestTimestamp: FormatTimestamp(now), TotalCount: len(env.Objects)}
	var recs []Record
	var recDetail []StatusDetail
	for i, raw := range env.Objects {
		o, errs, _ := stix.DecodeObject(raw, i, stix.Options{SkipPatterns: true})
		if o == nil {
			st.Failures = append(st.Failures, StatusDetail{ID: idOf(raw), Version: versionOf(raw), Message: errs[0].Error()})
			continue
		}
		spec := "2.1"
		if o.Upgraded {
			spec = "2.0"
		}
		if len(coll.MediaTypes) > 0 && !slices.Contains(coll.MediaTypes, STIXMedia(spec)) {
			st.Failures = append(st.Failures, StatusDetail{ID: o.ID, Version: versionText(o),
				Message: fmt.Sprintf("the collection does not accept %s", STIXMedia(spec))})
			continue
		}
		recs = append(recs, Record{ID: o.ID, Type: o.Type, Version: o.Version(), SpecVersion: spec, Object: o.Original})
		recDetail = append(recDetail, StatusDetail{ID: o.ID, Version: versionText(o)})
	}
	if len(recs) > 0 {
		errs, err := s.cfg.Backend.Add(r.Context(), root, coll.ID, recs)
		if err != nil {
			s.backendError(w, err, "No such collection.")
			return
		}
		for i, d := range recDetail {
			if i < len(errs) && errs[i] != nil {
				d.Message = errs[i].Error()
				st.Failures = append(st.Failures, d)
			} else {
				st.Successes = append(st.Successes, d)
			}
		}
	}
	st.SuccessCount, st.FailureCount = len(st.Successes), len(st.Failures)
	if err := s.cfg.Backend.SaveStatus(r.Context(), root, StatusRecord{Owner: c.who, Status: st}); err != nil {
		s.backendError(w, err, "No such API root.")
		return
	}
	writeJSON(w, http.StatusAccepted, st)
}

// versionText is the version a status names: modified, else created.
func versionText(o *stix.Object) string {
	if v := o.Version(); !v.IsZero() {
		return stix.FormatTime(v)
	}
	return ""
}

// idOf and versionOf pick what they can out of an invalid object.
func idOf(raw json.RawMessage) string {
	var o struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(raw, &o)
	return o.ID
}

func versionOf(raw json.RawMessage) string {
	var o struct {
		Modified, Created string
	}
	_ = json.Unmarshal(raw, &o)
	if o.Modified != "" {
		return o.Modified
	}
	return o.Created
}

// newUUID returns a random (version 4) UUID for status resources.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
