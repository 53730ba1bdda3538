// Package ti is Rampart's threat-intelligence service: STIX objects imported from files
// and feeds, kept (newest version wins) and persisted, written as
// ThreatIntelligenceIndicator rows, and every live indicator matched against every
// ingested event.
package ti

import (
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/rampart-soc/rampart/internal/ti/pattern"
	"github.com/rampart-soc/rampart/internal/ti/stix"
)

// kind groups observables by what an event column can hold.
type kind uint8

const (
	kindIP kind = iota + 1
	kindDomain
	kindURL
	kindHash
	kindEmail
)

func kindOf(key string) kind {
	switch {
	case strings.HasPrefix(key, "ipv4-addr:"), strings.HasPrefix(key, "ipv6-addr:"):
		return kindIP
	case strings.HasPrefix(key, "domain-name:"):
		return kindDomain
	case strings.HasPrefix(key, "url:"):
		return kindURL
	case strings.Contains(key, ":hashes."):
		return kindHash
	case strings.HasPrefix(key, "email-addr:"):
		return kindEmail
	}
	return 0
}

// entry is one indexed observable of an indicator, as lookups return it.
type entry struct {
	ind *stix.Object
	obs pattern.Observable
}

// slot is what the exact maps hold per (value, indicator): the value is the map's key and
// the object path one of a few shared strings, so a million indicators cost a map entry
// each rather than a slice and a full Observable.
type slot struct {
	ind *stix.Object
	key string
}

func (sl slot) entry(v string) entry {
	typ, _, _ := strings.Cut(sl.key, ":")
	return entry{ind: sl.ind, obs: pattern.Observable{Type: typ, Key: sl.key, Value: v}}
}

// index holds the live indicators' observables for exact and CIDR lookups.
type index struct {
	exact map[kind]map[string]slot   // the first indicator of each value
	more  map[kind]map[string][]slot // further indicators with the same value (rare)
	cidrs []entry                    // IP ranges wider than one address
	keys  map[string]string          // interned object paths
	n     int
}

func newIndex() *index {
	return &index{exact: map[kind]map[string]slot{}, more: map[kind]map[string][]slot{}, keys: map[string]string{}}
}

// add indexes an indicator's single-observation equality observables; it returns how many.
func (x *index) add(o *stix.Object) int {
	p, err := o.ParsePattern()
	if err != nil {
		return 0
	}
	return x.addObservables(o, p.Observables())
}

func isRange(obs pattern.Observable) bool {
	return obs.Prefix.IsValid() && obs.Prefix.Bits() < obs.Prefix.Addr().BitLen()
}

// addObservables indexes the observables of o's pattern (pattern.Observables).
func (x *index) addObservables(o *stix.Object, list []pattern.Observable) int {
	added := 0
	for _, obs := range list {
		k := kindOf(obs.Key)
		if k == 0 {
			continue
		}
		added++
		if k == kindIP && isRange(obs) {
			x.cidrs = append(x.cidrs, entry{ind: o, obs: obs})
			continue
		}
		key, ok := x.keys[obs.Key]
		if !ok {
			key = obs.Key
			x.keys[key] = key
		}
		v := normalize(k, obs.Value)
		m := x.exact[k]
		if m == nil {
			m = map[string]slot{}
			x.exact[k] = m
		}
		if _, taken := m[v]; !taken {
			m[v] = slot{o, key}
			continue
		}
		if x.more[k] == nil {
			x.more[k] = map[string][]slot{}
		}
		x.more[k][v] = append(x.more[k][v], slot{o, key})
	}
	x.n += added
	return added
}

// slots returns the indicators indexed under value v of kind k.
func (x *index) slots(k kind, v string, fn func(slot)) {
	if sl, ok := x.exact[k][v]; ok {
		fn(sl)
		for _, sl := range x.more[k][v] {
			fn(sl)
		}
	}
}

// remove drops the entries of indicator o's observables (those addObservables added).
func (x *index) remove(o *stix.Object, list []pattern.Observable) {
	for _, obs := range list {
		k := kindOf(obs.Key)
		if k == 0 {
			continue
		}
		if k == kindIP && isRange(obs) {
			keep := x.cidrs[:0]
			for _, e := range x.cidrs {
				if e.ind.ID == o.ID {
					x.n--
					continue
				}
				keep = append(keep, e)
			}
			clear(x.cidrs[len(keep):])
			x.cidrs = keep
			continue
		}
		v := normalize(k, obs.Value)
		first, ok := x.exact[k][v]
		if !ok {
			continue
		}
		rest := x.more[k][v]
		keep := rest[:0]
		for _, sl := range rest {
			if sl.ind.ID == o.ID {
				x.n--
				continue
			}
			keep = append(keep, sl)
		}
		clear(rest[len(keep):])
		if first.ind.ID == o.ID {
			x.n--
			if len(keep) == 0 {
				delete(x.exact[k], v)
			} else {
				x.exact[k][v], keep = keep[0], keep[1:]
			}
		}
		if len(keep) == 0 {
			delete(x.more[k], v)
		} else {
			x.more[k][v] = keep
		}
	}
}

func normalize(k kind, v string) string {
	v = strings.TrimSpace(v)
	switch k {
	case kindDomain:
		return pattern.NormalizeDomain(v)
	case kindHash, kindEmail:
		return strings.ToLower(v)
	case kindIP:
		if a, err := netip.ParseAddr(v); err == nil {
			return a.Unmap().String()
		}
		if p, ok := pattern.ParseIPOrCIDR(v); ok {
			return p.Addr().Unmap().String()
		}
	case kindURL:
		return strings.TrimSuffix(v, "/")
	}
	return v
}

// lookup returns the live entries matching a value of kind k at time t.
func (x *index) lookup(k kind, v string, t time.Time) []entry {
	v = normalize(k, v)
	if v == "" {
		return nil
	}
	var out []entry
	if sl, ok := x.exact[k][v]; ok { // inline x.slots: this is the per-event path
		if sl.ind.ActiveAt(t) {
			out = append(out, sl.entry(v))
		}
		for _, sl := range x.more[k][v] {
			if sl.ind.ActiveAt(t) {
				out = append(out, sl.entry(v))
			}
		}
	}
	if k == kindIP && len(x.cidrs) > 0 {
		if a, err := netip.ParseAddr(v); err == nil {
			for _, e := range x.cidrs {
				if e.obs.Prefix.Contains(a) && e.ind.ActiveAt(t) {
					out = append(out, e)
				}
			}
		}
	}
	if k == kindURL { // a URL's host may be a listed domain
		if u, err := url.Parse(v); err == nil && u.Hostname() != "" {
			out = append(out, x.lookup(kindDomain, u.Hostname(), t)...)
		}
	}
	return out
}

// Columns of Sentinel's tables that hold each kind of observable.
var observableColumns = map[kind][]string{
	kindIP: {"SourceIP", "DestinationIP", "IpAddress", "IPAddress", "ClientIP", "CallerIpAddress", "RemoteIP", "LocalIP",
		"SrcIpAddr", "DstIpAddr", "HostIP", "DeviceAddress", "ClientIPAddress", "RemoteIpAddress", "SourceIpAddress",
		"sourceIPAddress", "DestinationIp", "SourceIp", "MaliciousIP", "CsIp", "cIP", "c_ip"},
	kindDomain: {"DestinationHostName", "DomainName", "Name", "QueryName", "DnsQuery", "RemoteUrl", "SourceHostName", "Fqdn"},
	kindURL:    {"RequestURL", "Url", "RemoteUrl", "UrlOriginal", "csUriStem"},
	kindHash:   {"FileHash", "SHA256", "SHA1", "MD5", "InitiatingProcessSHA256", "InitiatingProcessSHA1", "InitiatingProcessMD5", "FileHashValue", "Sha256"},
	kindEmail:  {"SenderFromAddress", "SenderMailFromAddress", "RecipientEmailAddress", "SenderAddress", "EmailSenderAddress"},
}
