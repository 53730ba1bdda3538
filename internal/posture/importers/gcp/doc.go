// Package gcp imports Google Cloud inventories: Cloud Asset Inventory exports (a JSON array of
// assets, newline-delimited JSON as `gcloud asset export` writes it, or single asset objects)
// and recorded REST responses of GCP get/list calls ({headers, body}, as Cloud Custodian's
// test recordings hold them). Every asset becomes an inventory.Resource whose Type is the CAI
// asset type and whose Properties is the asset's resource.data (plus iamPolicy / orgPolicy
// when the asset carries them).
package gcp

// Format is the inventory.Resource.Format of everything this package produces.
const Format = "cai"
