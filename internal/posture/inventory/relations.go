package inventory

// Relation is a resolved link seen from one end.
type Relation struct {
	Kind     string
	Outgoing bool // true when this resource holds the link
	Resource *Resource
}

// Resolve connects every resource's links to the resources they name, in both directions,
// so policies can look at neighbours (a bucket's public access block, a VM's NSG). Links to
// resources outside the set are ignored. Call it once per assessed set.
func Resolve(rs []*Resource) {
	byID := make(map[string]*Resource, len(rs))
	for _, r := range rs {
		byID[r.ID] = r
		r.related = nil
	}
	for _, r := range rs {
		for _, l := range r.Links {
			t, ok := byID[l.Target]
			if !ok || t == r {
				continue
			}
			r.related = append(r.related, Relation{Kind: l.Kind, Outgoing: true, Resource: t})
			t.related = append(t.related, Relation{Kind: l.Kind, Resource: r})
		}
	}
}

// Related returns the links Resolve found.
func (r *Resource) Related() []Relation { return r.related }
