package taxii

import (
	"mime"
	"strconv"
	"strings"
)

// Media types of TAXII 2.1 and of the STIX content it carries.
const (
	MediaType     = "application/taxii+json;version=2.1"
	STIXMediaType = "application/stix+json;version=2.1"
	stix20Media   = "application/stix+json;version=2.0"
)

// STIXMedia returns the media type of a STIX object of the given spec
// version (2.0 or 2.1).
func STIXMedia(specVersion string) string {
	if specVersion == "2.0" {
		return stix20Media
	}
	return STIXMediaType
}

// isTAXII21 reports whether one media range names TAXII 2.1: the exact
// type with version 2.1 or no version ("latest"), parsed leniently
// (spaces, quotes, case of parameter names).
func isTAXII21(mediaRange string, wildcards bool) bool {
	typ, params, err := mime.ParseMediaType(mediaRange)
	if err != nil {
		return false
	}
	switch typ {
	case "application/taxii+json":
		v, ok := params["version"]
		return !ok || v == "2.1"
	case "*/*", "application/*":
		return wildcards
	}
	return false
}

// acceptable reports whether an Accept header allows a TAXII 2.1
// response. A missing header accepts anything; q=0 refuses a range.
func acceptable(accept string) bool {
	if strings.TrimSpace(accept) == "" {
		return true
	}
	for _, r := range strings.Split(accept, ",") {
		if q := qValue(r); q == 0 {
			continue
		}
		if isTAXII21(r, true) {
			return true
		}
	}
	return false
}

func qValue(mediaRange string) float64 {
	_, params, err := mime.ParseMediaType(mediaRange)
	if err != nil {
		return 1
	}
	q, ok := params["q"]
	if !ok {
		return 1
	}
	f, err := strconv.ParseFloat(q, 64)
	if err != nil {
		return 1
	}
	return f
}

// contentTypeOK reports whether a request body's Content-Type is TAXII 2.1.
func contentTypeOK(ct string) bool { return isTAXII21(ct, false) }
