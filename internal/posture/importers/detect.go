// Package importers reads inventories of any supported format from files and folders,
// deciding per file (by name and content) which importer applies: Terraform modules and
// plans, CloudFormation templates, Kubernetes manifests and kustomizations, Azure Resource
// Graph and ARM exports, GCP Cloud Asset Inventory exports and recorded API responses, AWS
// Config items and recorded API responses.
package importers

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/rampart-soc/rampart/internal/posture/importers/awsapi"
)

// Formats Detect returns.
const (
	Terraform      = "terraform"
	TerraformPlan  = "terraform-plan"
	CloudFormation = "cloudformation"
	Kubernetes     = "kubernetes"
	Azure          = "azure"
	GCP            = "gcp"
	AWSAPI         = "aws"
	Unknown        = ""
)

var (
	cfnYAML      = regexp.MustCompile(`(?m)^AWSTemplateFormatVersion:|^\s+Type:\s*["']?AWS::`)
	k8sAPI       = regexp.MustCompile(`(?m)^\s*"?apiVersion"?\s*:`)
	k8sKind      = regexp.MustCompile(`(?m)^\s*"?kind"?\s*:`)
	sniffLimit   = 1 << 16
	kustomizeSet = map[string]bool{"kustomization.yaml": true, "kustomization.yml": true, "Kustomization": true}
)

// Detect names the format of one file from its name and content, or Unknown.
func Detect(name string, data []byte) string {
	base := filepath.Base(name)
	ext := strings.ToLower(filepath.Ext(base))
	switch {
	case ext == ".tf" || strings.HasSuffix(base, ".tfvars"):
		return Terraform
	case kustomizeSet[base]:
		return Kubernetes
	case awsapi.IsPlaceboFile(base):
		return AWSAPI
	}
	head := data
	if len(head) > sniffLimit {
		head = head[:sniffLimit]
	}
	switch ext {
	case ".yaml", ".yml", ".template":
		if cfnYAML.Match(head) {
			return CloudFormation
		}
		if k8sAPI.Match(head) && k8sKind.Match(head) {
			return Kubernetes
		}
		return Unknown
	case ".json", ".jsonl", ".ndjson":
		return detectJSON(data)
	}
	return Unknown
}

func detectJSON(data []byte) string {
	trimmed := bytes.TrimSpace(data)
	var doc any
	if err := json.Unmarshal(trimmed, &doc); err != nil {
		// JSON lines: decide by the first line.
		line, _, _ := bytes.Cut(trimmed, []byte("\n"))
		if json.Unmarshal(line, &doc) != nil {
			return Unknown
		}
	}
	if l, ok := doc.([]any); ok {
		if len(l) == 0 {
			return Unknown
		}
		doc = l[0]
	}
	m, ok := doc.(map[string]any)
	if !ok {
		return Unknown
	}
	has := func(k string) bool { _, ok := m[k]; return ok }
	switch {
	case has("format_version") && (has("planned_values") || has("values") || has("resource_changes")):
		return TerraformPlan
	case has("AWSTemplateFormatVersion") || cfnResources(m["Resources"]):
		return CloudFormation
	case has("apiVersion") && has("kind"):
		return Kubernetes
	case has("status_code") && has("data"), has("configurationItems"), has("resourceType") && has("configuration"):
		return AWSAPI
	case has("assetType") || has("asset_type") || has("assets") || (has("headers") && has("body")):
		return GCP
	case strings.HasPrefix(strings.ToLower(str(m["kind"])), "compute#") || strings.HasPrefix(str(m["kind"]), "storage#") || strings.HasPrefix(str(m["kind"]), "sql#"):
		return GCP
	case armish(m):
		return Azure
	}
	return Unknown
}

func str(v any) string { s, _ := v.(string); return s }

func cfnResources(v any) bool {
	m, ok := v.(map[string]any)
	if !ok {
		return false
	}
	for _, r := range m {
		if rm, ok := r.(map[string]any); ok && strings.HasPrefix(str(rm["Type"]), "AWS::") {
			return true
		}
	}
	return false
}

// armish recognises Resource Graph results and ARM list/get responses.
func armish(m map[string]any) bool {
	if strings.HasPrefix(strings.ToLower(str(m["id"])), "/subscriptions/") {
		return true
	}
	for _, k := range []string{"value", "data"} {
		switch x := m[k].(type) {
		case []any:
			if len(x) == 0 {
				return k == "value" && m["nextLink"] != nil
			}
			if e, ok := x[0].(map[string]any); ok && strings.HasPrefix(strings.ToLower(str(e["id"])), "/subscriptions/") {
				return true
			}
		case map[string]any:
			if _, ok := x["columns"]; ok {
				return true
			}
		}
	}
	return false
}
