// Package inventory is the posture engine's resource model: every importer and collector
// produces Resources; policies assess them; the store keeps them with their change history.
package inventory

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Providers.
const (
	Azure      = "azure"
	AWS        = "aws"
	GCP        = "gcp"
	Kubernetes = "kubernetes"
)

// Resource is one cloud, Kubernetes or infrastructure-as-code resource.
//
// Type is the type as its source names it: ARM types lower-cased
// ("microsoft.storage/storageaccounts"), Kubernetes kinds as "k8s:<Kind>" ("k8s:Deployment"),
// Terraform resource types as written
// ("aws_s3_bucket"), CloudFormation types as written ("AWS::S3::Bucket"), AWS Config types
// ("AWS::S3::Bucket"), GCP asset types ("storage.googleapis.com/Bucket"). Policies name the
// types they apply to, so one policy may list an ARM type and its Terraform equivalent.
//
// Properties holds the provider's document unmodified, decoded as JSON values
// (map[string]any, []any, string, float64, bool, nil):
//   - ARM / Resource Graph: the whole resource object (id, name, type, location, properties, sku, ...)
//   - Kubernetes: the whole manifest (apiVersion, kind, metadata, spec, ...)
//   - Terraform: the resource's attributes; nested blocks are lists of objects, as in
//     `terraform show -json` values; unresolved expressions are the string "${...}"
//   - CloudFormation: the resource's Properties; intrinsic functions resolved where static,
//     otherwise kept as {"Fn::X": ...} / {"Ref": ...}
//   - GCP Cloud Asset Inventory: the asset's resource.data object
//   - AWS Config / describe output: the configuration item's configuration object
type Resource struct {
	ID            string            `json:"id"`
	Provider      string            `json:"provider"`
	Account       string            `json:"account,omitempty"`       // subscription, AWS account, GCP project, k8s cluster
	ResourceGroup string            `json:"resourceGroup,omitempty"` // resource group, k8s namespace
	Type          string            `json:"type"`
	Region        string            `json:"region,omitempty"`
	Name          string            `json:"name"`
	Tags          map[string]string `json:"tags,omitempty"`
	Properties    map[string]any    `json:"properties"`
	Source        string            `json:"source,omitempty"` // file:line or API the resource came from
	Format        string            `json:"format,omitempty"` // importer that produced it (arm, k8s, terraform, ...)
	Links         []Link            `json:"links,omitempty"`
	FirstSeen     time.Time         `json:"firstSeen,omitzero"`
	LastSeen      time.Time         `json:"lastSeen,omitzero"`

	related []Relation // filled by Resolve
}

// Link is a typed edge between two resources (VM -> NIC "uses", pod -> service account
// "runsAs", bucket -> policy "governedBy").
type Link struct {
	Kind   string `json:"kind"`
	Target string `json:"target"` // the target resource's ID
}

// ImportError is a per-resource (or per-document) failure: the rest of the input is still
// imported.
type ImportError struct {
	Source string `json:"source"` // file[:line] or document index
	Err    string `json:"error"`
}

func (e ImportError) Error() string { return e.Source + ": " + e.Err }

// Result is what an importer returns: the resources it could read and an error for each part
// it could not.
type Result struct {
	Resources []*Resource
	Errors    []ImportError
}

// Add appends resources, filling the fields every resource must have.
func (r *Result) Add(res ...*Resource) {
	for _, x := range res {
		if x.Properties == nil {
			x.Properties = map[string]any{}
		}
		r.Resources = append(r.Resources, x)
	}
}

// Errorf records a per-part import error.
func (r *Result) Errorf(source, format string, args ...any) {
	r.Errors = append(r.Errors, ImportError{Source: source, Err: fmt.Sprintf(format, args...)})
}

// Merge appends another result.
func (r *Result) Merge(o Result) {
	r.Resources = append(r.Resources, o.Resources...)
	r.Errors = append(r.Errors, o.Errors...)
}

// Get walks a dotted path ("properties.networkAcls.defaultAction") through Properties.
// Numeric segments index lists. It returns false when any step is missing.
func (r *Resource) Get(path string) (any, bool) {
	return Lookup(r.Properties, path)
}

// Lookup walks a dotted path through decoded JSON.
func Lookup(v any, path string) (any, bool) {
	if path == "" {
		return v, true
	}
	for _, seg := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			next, ok := x[seg]
			if !ok {
				// ARM property names are case-insensitive.
				for k, val := range x {
					if strings.EqualFold(k, seg) {
						next, ok = val, true
						break
					}
				}
			}
			if !ok {
				return nil, false
			}
			v = next
		case []any:
			var i int
			if _, err := fmt.Sscanf(seg, "%d", &i); err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// SortByID orders resources deterministically.
func SortByID(rs []*Resource) {
	sort.Slice(rs, func(i, j int) bool { return rs[i].ID < rs[j].ID })
}
