// Package collectors groups the live posture collectors: each subpackage calls one cloud's
// API with its official SDK and returns an inventory.Result shaped exactly like the matching
// file importer's (azure: Resource Graph rows; aws: AWS Config types with describe output as
// Properties; kube: whole manifests as "k8s:<Kind>"), so the same policies assess both.
package collectors
