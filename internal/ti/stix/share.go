package stix

import "fmt"

// SharePolicy says what may leave Rampart (TAXII collections, exports).
type SharePolicy struct {
	// Max is the most restrictive TLP level that may be shared.
	Max TLP
	// Unmarked is the level assumed for objects without a TLP marking;
	// TLPUnknown (the zero value) places no restriction on them.
	Unmarked TLP
	// AllowUnknown lets through objects marked with ids the registry
	// cannot resolve; by default they are withheld, since the marking
	// could mean anything.
	AllowUnknown bool
}

// ObjectTLP returns the most restrictive TLP level among an object's
// object_marking_refs and granular marking_refs, and the marking ids the
// registry does not know. Granular markings count for the whole object:
// sharing the object shares the marked properties too.
func (r *Markings) ObjectTLP(o *Object) (TLP, []string) {
	level := TLPUnknown
	var unknown []string
	see := func(id string) {
		t, known := r.Lookup(id)
		if !known {
			unknown = append(unknown, id)
		}
		level = max(level, t)
	}
	for _, id := range o.ObjectMarkingRefs {
		see(id)
	}
	for _, g := range o.GranularMarkings {
		if g.MarkingRef != "" {
			see(g.MarkingRef)
		}
	}
	return level, unknown
}

// MayShare decides whether o may be shared under the policy; reason says
// why not.
func (r *Markings) MayShare(o *Object, p SharePolicy) (ok bool, reason string) {
	level, unknown := r.ObjectTLP(o)
	if len(unknown) > 0 && !p.AllowUnknown {
		return false, fmt.Sprintf("unknown marking %s", unknown[0])
	}
	if level == TLPUnknown {
		level = p.Unmarked
	}
	if level > p.Max && p.Max != TLPUnknown {
		return false, fmt.Sprintf("%s exceeds %s", level, p.Max)
	}
	if p.Max == TLPUnknown && level != TLPUnknown {
		return false, fmt.Sprintf("%s exceeds the policy (no TLP level allowed)", level)
	}
	return true, ""
}

// MayShareTLP is MayShare with only a maximum level: unmarked objects
// pass, unknown markings are withheld.
func (r *Markings) MayShareTLP(o *Object, maxTLP TLP) bool {
	ok, _ := r.MayShare(o, SharePolicy{Max: maxTLP})
	return ok
}
