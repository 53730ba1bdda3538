// Package stix reads, validates, upgrades and versions STIX 2.1 content.
//
// Input is a bundle, a TAXII envelope, a bare object, a JSON array of
// objects or NDJSON of any of these, optionally gzip-compressed (Read,
// Stream, Parse). STIX 2.0 objects are upgraded to 2.1 as they are read
// (upgrade.go). Every object is validated against the rules of its type
// (schema.go, validate.go); an invalid object yields a *ValidationError
// naming the object's index, id, property and rule, and the valid objects
// around it are still returned. Each Object keeps its original JSON so
// unknown and custom properties survive a round trip.
//
// Store keeps the current version of each object (newest modified wins,
// revocation is final). Markings resolves TLP 1.0 and 2.0 markings and
// decides what may be shared (share.go). SentinelIndicatorRow maps an
// indicator to a ThreatIntelligenceIndicator row (sentinel.go).
package stix
