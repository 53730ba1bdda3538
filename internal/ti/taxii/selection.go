package taxii

import (
	"cmp"
	"slices"
	"time"
)

// Select applies q to all records of a collection, for backends that can
// hold a collection in memory. The steps follow medallion: added_after,
// then id/type, then spec_version, then version, then order and paging.
func Select(all []Record, q Query) Page {
	byID := map[string][]Record{}
	var order []string
	for _, r := range all {
		if !q.AddedAfter.IsZero() && !r.DateAdded.After(q.AddedAfter) {
			continue
		}
		if len(q.IDs) > 0 && !slices.Contains(q.IDs, r.ID) || len(q.Types) > 0 && !slices.Contains(q.Types, r.Type) {
			continue
		}
		if _, ok := byID[r.ID]; !ok {
			order = append(order, r.ID)
		}
		byID[r.ID] = append(byID[r.ID], r)
	}
	var out []Record
	for _, id := range order {
		out = append(out, pickVersions(byID[id], q)...)
	}
	slices.SortFunc(out, compareRecords)
	if q.After != nil {
		i, _ := slices.BinarySearchFunc(out, *q.After, func(r Record, c Cursor) int {
			return compareRecords(r, Record{DateAdded: c.DateAdded, ID: c.ID, Version: c.Version})
		})
		for i < len(out) && compareRecords(out[i], Record{DateAdded: q.After.DateAdded, ID: q.After.ID, Version: q.After.Version}) <= 0 {
			i++
		}
		out = out[i:]
	}
	p := Page{Records: out}
	if q.Limit > 0 && len(out) > q.Limit {
		p.Records, p.More = out[:q.Limit], true
	}
	return p
}

func compareRecords(a, b Record) int {
	return cmp.Or(a.DateAdded.Compare(b.DateAdded), cmp.Compare(a.ID, b.ID), a.Version.Compare(b.Version))
}

// pickVersions applies match[spec_version] and match[version] to the
// versions of one object.
func pickVersions(vs []Record, q Query) []Record {
	if len(q.SpecVersions) > 0 {
		vs = slices.DeleteFunc(slices.Clone(vs), func(r Record) bool { return !slices.Contains(q.SpecVersions, r.SpecVersion) })
	} else {
		// Default: only the latest spec version the server has of it.
		latest := ""
		for _, r := range vs {
			latest = max(latest, r.SpecVersion)
		}
		vs = slices.DeleteFunc(slices.Clone(vs), func(r Record) bool { return r.SpecVersion != latest })
	}
	if len(vs) == 0 {
		return nil
	}
	v := q.Versions
	if v.All {
		return vs
	}
	var out []Record
	if v.First {
		out = append(out, slices.MinFunc(vs, byVersion))
	}
	if v.Last || v.isDefault() {
		last := slices.MaxFunc(vs, byVersion)
		if !v.First || compareRecords(last, out[0]) != 0 {
			out = append(out, last)
		}
	}
	for _, r := range vs {
		if slices.ContainsFunc(v.Exact, func(t time.Time) bool { return t.Equal(r.Version) }) &&
			!slices.ContainsFunc(out, func(o Record) bool { return compareRecords(o, r) == 0 }) {
			out = append(out, r)
		}
	}
	return out
}

func byVersion(a, b Record) int {
	return cmp.Or(a.Version.Compare(b.Version), a.DateAdded.Compare(b.DateAdded))
}
