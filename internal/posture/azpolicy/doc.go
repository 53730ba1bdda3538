// Package azpolicy evaluates Azure Policy definitions, as published by
// Microsoft and written by users, against ARM-shaped resource JSON.
//
// A definition is compiled once with ParseDefinition (or ParseRule for a bare
// policyRule) and then evaluated per resource with (*Policy).Evaluate. The
// interpreter follows Azure Policy's documented semantics: case-insensitive
// property names and string comparisons, implicit allOf over [*] aliases,
// field and value count, the template expression language, parameters with
// defaults, and every effect including auditIfNotExists/deployIfNotExists,
// whose related resources the caller supplies through Input.Related
// (InventoryLookup answers it from a list of resources).
//
// Aliases map names such as Microsoft.Storage/storageAccounts/minimumTlsVersion
// to ARM property paths. They come from an alias catalogue in the format of
// `az provider list --expand resourceTypes/aliases` (LoadAliases). Without a
// catalogue entry, an alias falls back to a best-effort property path.
//
// RunCases runs conformance case files (the YAML layout of the Azure Policy
// language suite in the shared corpus) for `rampart posture policy-test`.
package azpolicy
