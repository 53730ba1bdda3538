// Package terraform imports Terraform configurations (HCL .tf modules) and `terraform show
// -json` plan/state documents into posture inventory resources.
//
// HCL is evaluated statically: variables (defaults, terraform.tfvars, *.auto.tfvars), locals,
// interpolation and a table of pure functions are resolved; anything that needs a provider or
// the filesystem (resource ids, data sources, file()) stays as the string "${<expression>}".
// Resource references become "references" links so policies can see, for instance, the
// public access block attached to a bucket.
package terraform
