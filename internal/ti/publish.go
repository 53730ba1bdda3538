package ti

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/rampart-soc/rampart/internal/ti/stix"
	"github.com/rampart-soc/rampart/internal/ti/taxii"
)

// The TAXII API root and collection Rampart publishes its intelligence in.
const (
	TAXIIRoot       = "rampart"
	TAXIICollection = "5b6c1a9e-2f3d-4c8b-9e7a-1d0f3b2a4c6e"
)

// publisher serves the service's shareable objects over TAXII and takes objects POSTed
// to the collection as imports.
type publisher struct {
	*taxii.MemoryBackend
	svc    *Service
	maxTLP stix.TLP
}

// TAXII returns a TAXII backend with one collection: every object of this service that may
// be shared at maxTLP, kept current as objects are imported. Objects added through TAXII
// are imported like any other.
func (s *Service) TAXII(maxTLP stix.TLP) taxii.Backend {
	mem := taxii.NewMemoryBackend(nil)
	mem.AddAPIRoot(TAXIIRoot, taxii.APIRoot{Title: "Rampart", Description: "Threat intelligence held by this Rampart",
		Versions: []string{"application/taxii+json;version=2.1"}, MaxContentLength: 64 << 20})
	mem.AddCollection(TAXIIRoot, taxii.CollectionInfo{ID: TAXIICollection, Title: "Rampart intelligence", Alias: "rampart",
		MediaTypes: []string{"application/stix+json;version=2.1"}})
	p := &publisher{MemoryBackend: mem, svc: s, maxTLP: maxTLP}
	var all []*stix.Object
	s.objs.Each(func(o *stix.Object) bool {
		all = append(all, o)
		return true
	})
	p.publish(all)
	s.mu.Lock()
	s.onImport = append(s.onImport, p.publish)
	s.mu.Unlock()
	return p
}

func (p *publisher) publish(objs []*stix.Object) {
	now := time.Now().UTC().Truncate(time.Microsecond)
	var recs []taxii.Record
	for _, o := range objs {
		if !p.svc.objs.Markings().MayShareTLP(o, p.maxTLP) {
			continue
		}
		recs = append(recs, taxii.Record{ID: o.ID, Type: o.Type, Version: o.Version(), DateAdded: now, SpecVersion: "2.1", Object: o.Data})
	}
	if len(recs) > 0 {
		if err := p.Load(TAXIIRoot, TAXIICollection, recs...); err != nil {
			p.svc.log.Error("TAXII publish", "err", err)
		}
	}
}

// Add imports objects POSTed to the collection; they appear in it once imported.
func (p *publisher) Add(ctx context.Context, root, collection string, recs []taxii.Record) ([]error, error) {
	if root != TAXIIRoot || collection != TAXIICollection {
		return nil, taxii.ErrNotFound
	}
	var nd bytes.Buffer
	for _, r := range recs {
		nd.Write(r.Object)
		nd.WriteByte('\n')
	}
	res, err := p.svc.importFrom(ctx, &nd, "taxii", "TAXIIPost")
	if err != nil {
		return nil, err
	}
	errs := make([]error, len(recs))
	for _, e := range res.Errors {
		if e.Index >= 0 && e.Index < len(errs) {
			errs[e.Index] = fmt.Errorf("%s", e.Error())
		}
	}
	return errs, nil
}
