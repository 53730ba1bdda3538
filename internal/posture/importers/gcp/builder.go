package gcp

import (
	"sort"
	"strings"

	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

// builder collects the resources of one import so that an asset read twice is merged or
// reported, and references can be resolved once every asset is known.
type builder struct {
	res   *inventory.Result
	byID  map[string]*inventory.Resource
	refs  map[*inventory.Resource][]string // candidate asset names this resource mentions
	order []*inventory.Resource
	// bucket IAM policies recorded before (or without) their bucket, by asset name.
	iam map[string]any
}

func newBuilder(res *inventory.Result) *builder {
	return &builder{
		res:  res,
		byID: map[string]*inventory.Resource{},
		refs: map[*inventory.Resource][]string{},
		iam:  map[string]any{},
	}
}

// add records a resource. quiet merges a repeat silently (REST recordings fetch the same
// resource in many calls); otherwise a second full copy of an asset is reported. Content
// types of one asset (resource, IAM policy, org policy) exported separately are merged.
func (b *builder) add(r *inventory.Resource, refs []string, quiet bool) {
	old, ok := b.byID[r.ID]
	if !ok {
		b.byID[r.ID] = r
		b.order = append(b.order, r)
		b.refs[r] = refs
		return
	}
	if !quiet && hasData(old) && hasData(r) {
		b.res.Errorf(r.Source, "duplicate asset %s (first read from %s); keeping the first", r.ID, old.Source)
		return
	}
	for k, v := range r.Properties {
		if _, exists := old.Properties[k]; !exists {
			old.Properties[k] = v
		}
	}
	if old.Region == "" {
		old.Region = r.Region
	}
	if old.Account == "" {
		old.Account = r.Account
	}
	if len(old.Tags) == 0 {
		old.Tags = r.Tags
	}
	b.refs[old] = append(b.refs[old], refs...)
}

// hasData reports whether a resource carries more than its policies.
func hasData(r *inventory.Resource) bool {
	for k := range r.Properties {
		switch k {
		case "iamPolicy", "orgPolicy", "accessPolicy":
		default:
			return true
		}
	}
	return false
}

// finish attaches pending IAM policies, resolves references and hands the resources over.
func (b *builder) finish() {
	for name, pol := range b.iam {
		if r, ok := b.byID[name]; ok {
			if _, has := r.Properties["iamPolicy"]; !has {
				r.Properties["iamPolicy"] = pol
			}
		}
	}
	for _, r := range b.order {
		seen := map[string]bool{}
		for _, ref := range b.refs[r] {
			if ref == r.ID || seen[ref] {
				continue
			}
			if _, ok := b.byID[ref]; ok {
				seen[ref] = true
				r.Links = append(r.Links, inventory.Link{Kind: "references", Target: ref})
			}
		}
		// Compute resources inherit project-wide metadata (OS Login, SSH keys) from the
		// compute Project asset; link to it so checks can read it as related.
		if proj := "//compute.googleapis.com/projects/" + segmentAfter(r.ID, "projects"); strings.HasPrefix(r.ID, "//compute.googleapis.com/projects/") && proj != r.ID && !seen[proj] {
			if _, ok := b.byID[proj]; ok {
				r.Links = append(r.Links, inventory.Link{Kind: "inProject", Target: proj})
			}
		}
		sort.Slice(r.Links, func(i, j int) bool { return r.Links[i].Target < r.Links[j].Target })
	}
	b.res.Add(b.order...)
	b.order = nil
}
