package azure

import (
	"fmt"
	"strings"
)

// armID is a parsed Azure Resource Manager id.
//
// An id is a scope (tenant, subscription, resource group) followed by zero or more
// provider blocks "/providers/<namespace>/<type>/<name>[/<childType>/<childName>...]".
// Every provider block but the last is the scope of an extension resource: the last block
// names the resource itself ("…/storageAccounts/sa/providers/Microsoft.Insights/
// diagnosticSettings/x" is a diagnostic setting extending the storage account).
type armID struct {
	id            string // lower-cased, no trailing slash
	subscription  string // lower-cased
	resourceGroup string // lower-cased
	typ           string // lower-cased "namespace/type[/childType...]"
	name          string // last name segment, as written
	parent        string // lower-cased id of the parent (nested type) or extended resource, or ""
}

// parseARMID parses an ARM resource id. It accepts tenant-level ids ("/providers/..."),
// subscriptions, resource groups and resources, nested and extension resources.
func parseARMID(s string) (armID, error) {
	trimmed := strings.TrimRight(strings.TrimSpace(s), "/")
	if !strings.HasPrefix(trimmed, "/") {
		return armID{}, fmt.Errorf("resource id %q does not start with /", clip(s))
	}
	seg := strings.Split(trimmed[1:], "/")
	for _, x := range seg {
		if x == "" {
			return armID{}, fmt.Errorf("resource id %q has an empty segment", clip(s))
		}
	}
	out := armID{id: strings.ToLower(trimmed)}
	i := 0
	if strings.EqualFold(seg[0], "subscriptions") {
		if len(seg) < 2 {
			return armID{}, fmt.Errorf("resource id %q has no subscription", clip(s))
		}
		out.subscription = strings.ToLower(seg[1])
		i = 2
		if i < len(seg) && strings.EqualFold(seg[i], "resourceGroups") {
			if i+1 >= len(seg) {
				return armID{}, fmt.Errorf("resource id %q has no resource group name", clip(s))
			}
			out.resourceGroup = strings.ToLower(seg[i+1])
			i += 2
		}
	} else if !strings.EqualFold(seg[0], "providers") {
		return armID{}, fmt.Errorf("resource id %q starts with neither /subscriptions nor /providers", clip(s))
	}
	if i == len(seg) {
		// A scope on its own.
		if out.resourceGroup != "" {
			out.typ, out.name = "microsoft.resources/resourcegroups", seg[len(seg)-1]
		} else {
			out.typ, out.name = "microsoft.resources/subscriptions", seg[len(seg)-1]
		}
		return out, nil
	}
	// Provider blocks; remember where the last one starts so the scope before it is known.
	lastStart := -1
	for i < len(seg) {
		if !strings.EqualFold(seg[i], "providers") {
			return armID{}, fmt.Errorf("resource id %q: expected providers at segment %d, found %q", clip(s), i+1, seg[i])
		}
		if i+1 >= len(seg) {
			return armID{}, fmt.Errorf("resource id %q has no provider namespace", clip(s))
		}
		lastStart = i
		j := i + 2
		for j < len(seg) && !strings.EqualFold(seg[j], "providers") {
			j++
		}
		// Type/name pairs after the namespace; a lone type is a collection URL, not a
		// resource. A child named "providers" would be ambiguous; ARM does not use one.
		pairs := j - (i + 2)
		if pairs == 0 || pairs%2 != 0 {
			return armID{}, fmt.Errorf("resource id %q: provider %s is not followed by type/name pairs", clip(s), seg[i+1])
		}
		i = j
	}
	ns := seg[lastStart+1]
	rest := seg[lastStart+2:]
	types := []string{strings.ToLower(ns)}
	for k := 0; k < len(rest); k += 2 {
		types = append(types, strings.ToLower(rest[k]))
	}
	out.typ = strings.Join(types, "/")
	out.name = rest[len(rest)-1]
	switch {
	case len(rest) > 2:
		// Nested type: the parent drops the last type/name pair.
		out.parent = "/" + strings.ToLower(strings.Join(seg[:len(seg)-2], "/"))
	case hasProviders(seg[:lastStart]):
		// Extension resource on another resource.
		out.parent = "/" + strings.ToLower(strings.Join(seg[:lastStart], "/"))
	}
	return out, nil
}

func hasProviders(seg []string) bool {
	for _, x := range seg {
		if strings.EqualFold(x, "providers") {
			return true
		}
	}
	return false
}

// looksLikeARMID is the cheap test run on every string in a resource before parsing it.
func looksLikeARMID(s string) bool {
	return hasPrefixFold(s, "/subscriptions/") || hasPrefixFold(s, "/providers/")
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// clip keeps error messages readable when the input is huge.
func clip(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}
