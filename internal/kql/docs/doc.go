// Package docs holds the conformance harness that runs the KQL documentation examples
// (shared/corpus/kql-docs) through the query engine and compares their results with the
// tables the documentation prints. It has no code outside its tests.
package docs
