// Package taxii implements TAXII 2.1: a server (Server, an http.Handler
// over a Backend) and a client (Client, Poller).
//
// Server serves discovery, API roots, collections, objects (GET with
// added_after, limit/next, match[type|id|version|spec_version]; POST with
// status resources), object by id, versions, manifest and DELETE, with
// the TAXII media type, 406/415 negotiation and TAXII error bodies.
// Authentication is a callback (AuthFunc); storage is a Backend, with
// MemoryBackend for tests and small deployments.
//
// Client walks discovery → API root → collections and pages through
// objects and manifests with byte, object-count and time limits, since
// feeds are untrusted. Poller polls many feeds on schedules with a saved
// added_after watermark per feed, backing off failing feeds without
// holding up the others.
package taxii
