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

// entry is one indexed observable of an indicator.
type entry struct {
	ind *stix.Object
	obs pattern.Observable
}

// index holds the live indicators' observables for exact and CIDR lookups.
type index struct {
	exact map[kind]map[string][]entry
	cidrs []entry // IP ranges wider than one address
	n     int
}

func newIndex() *index { return &index{exact: map[kind]map[string][]entry{}} }

// add indexes an indicator's single-observation equality observables; it returns how many.
func (x *index) add(o *stix.Object) int {
	p, err := o.ParsePattern()
	if err != nil {
		return 0
	}
	return x.addObservables(o, p.Observables())
}

// addObservables indexes the observables of o's pattern (pattern.Observables).
func (x *index) addObservables(o *stix.Object, list []pattern.Observable) int {
	added := 0
	for _, obs := range list {
		k := kindOf(obs.Key)
		if k == 0 {
			continue
		}
		e := entry{ind: o, obs: obs}
		if k == kindIP && obs.Prefix.IsValid() && obs.Prefix.Bits() < obs.Prefix.Addr().BitLen() {
			x.cidrs = append(x.cidrs, e)
		} else {
			v := normalize(k, obs.Value)
			if x.exact[k] == nil {
				x.exact[k] = map[string][]entry{}
			}
			x.exact[k][v] = append(x.exact[k][v], e)
		}
		added++
	}
	x.n += added
	return added
}

// remove drops the entries of indicator o's observables (those addObservables added).
func (x *index) remove(o *stix.Object, list []pattern.Observable) {
	for _, obs := range list {
		k := kindOf(obs.Key)
		if k == 0 {
			continue
		}
		if k == kindIP && obs.Prefix.IsValid() && obs.Prefix.Bits() < obs.Prefix.Addr().BitLen() {
			x.cidrs = dropEntries(x.cidrs, o.ID, &x.n)
			continue
		}
		v := normalize(k, obs.Value)
		if l := dropEntries(x.exact[k][v], o.ID, &x.n); len(l) > 0 {
			x.exact[k][v] = l
		} else {
			delete(x.exact[k], v)
		}
	}
}

// dropEntries removes id's entries from l in place, counting them off n.
func dropEntries(l []entry, id string, n *int) []entry {
	keep := l[:0]
	for _, e := range l {
		if e.ind.ID == id {
			*n--
			continue
		}
		keep = append(keep, e)
	}
	clear(l[len(keep):])
	return keep
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
	for _, e := range x.exact[k][v] {
		if e.ind.ActiveAt(t) {
			out = append(out, e)
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
