package taxii

import "encoding/json"

// Discovery is the server's discovery resource.
type Discovery struct {
	Title       string   `json:"title"`
	Description string   `json:"description,omitempty"`
	Contact     string   `json:"contact,omitempty"`
	Default     string   `json:"default,omitempty"`
	APIRoots    []string `json:"api_roots,omitempty"`
}

// APIRoot describes one API root.
type APIRoot struct {
	Title            string   `json:"title"`
	Description      string   `json:"description,omitempty"`
	Versions         []string `json:"versions"`
	MaxContentLength int64    `json:"max_content_length"`
}

// Collection is a collection as presented to one requester.
type Collection struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description,omitempty"`
	Alias       string   `json:"alias,omitempty"`
	CanRead     bool     `json:"can_read"`
	CanWrite    bool     `json:"can_write"`
	MediaTypes  []string `json:"media_types,omitempty"`
}

// Collections is the collections resource.
type Collections struct {
	Collections []Collection `json:"collections,omitempty"`
}

// Envelope carries STIX objects; every field is optional.
type Envelope struct {
	More    bool              `json:"more"`
	Next    string            `json:"next,omitempty"`
	Objects []json.RawMessage `json:"objects,omitempty"`
}

// ManifestRecord describes one object version in a collection.
type ManifestRecord struct {
	ID        string `json:"id"`
	DateAdded string `json:"date_added"`
	Version   string `json:"version"`
	MediaType string `json:"media_type,omitempty"`
}

// Manifest is the manifest resource.
type Manifest struct {
	More    bool             `json:"more"`
	Objects []ManifestRecord `json:"objects,omitempty"`
}

// Versions is the versions resource.
type Versions struct {
	More     bool     `json:"more"`
	Versions []string `json:"versions,omitempty"`
}

// Status reports the processing of a POST.
type Status struct {
	ID               string         `json:"id"`
	Status           string         `json:"status"` // complete or pending
	RequestTimestamp string         `json:"request_timestamp,omitempty"`
	TotalCount       int            `json:"total_count"`
	SuccessCount     int            `json:"success_count"`
	Successes        []StatusDetail `json:"successes,omitempty"`
	FailureCount     int            `json:"failure_count"`
	Failures         []StatusDetail `json:"failures,omitempty"`
	PendingCount     int            `json:"pending_count"`
	Pendings         []StatusDetail `json:"pendings,omitempty"`
}

// StatusDetail names one object of a status.
type StatusDetail struct {
	ID      string `json:"id"`
	Version string `json:"version"`
	Message string `json:"message,omitempty"`
}

// Error is the TAXII error resource.
type Error struct {
	Title           string          `json:"title"`
	Description     string          `json:"description,omitempty"`
	ErrorID         string          `json:"error_id,omitempty"`
	ErrorCode       string          `json:"error_code,omitempty"`
	HTTPStatus      string          `json:"http_status,omitempty"`
	ExternalDetails string          `json:"external_details,omitempty"`
	Details         json.RawMessage `json:"details,omitempty"`
}
