// Package policies holds Rampart's built-in posture policies as YAML data, one folder per
// provider (azure, aws, gcp, kubernetes). internal/posture/policy loads and compiles them.
package policies

import "embed"

// FS is every built-in policy file; files not ending in .yaml are ignored by the loader.
//
//go:embed *
var FS embed.FS
