package stix

import "slices"

// propKind is the JSON shape a property must have.
type propKind uint8

const (
	pString    propKind = iota + 1
	pBool               // true/false
	pInt                // integer within [min, max]
	pNumber             // any JSON number within [min, max]
	pTime               // STIX timestamp
	pStrings            // list of strings
	pRef                // one identifier, of refTypes when given
	pRefs               // list of identifiers
	pKillChain          // list of kill-chain-phase
	pExtRefs            // list of external-reference
	pGranular           // list of granular-marking
	pDict               // JSON object
	pList               // JSON array of anything
	pHashes             // dictionary of strings
)

type prop struct {
	kind     propKind
	required bool
	nonEmpty bool // lists: at least one element
	min, max int64
	refTypes []string // allowed target types (pRef/pRefs); nil: any
	notTypes []string // forbidden target types
}

type typeSchema struct {
	kind  Kind
	props map[string]prop
	// typesProp is the open-vocabulary list copied into Object.Types.
	typesProp string
	// required lists the required properties, sorted (see requiredProps).
	required []string
}

// requiredProps fills each schema's required list, so that validation walks an object's
// own members and this short list instead of every property of its type.
func requiredProps(all map[string]typeSchema) map[string]typeSchema {
	for name, s := range all {
		for p, def := range s.props {
			if def.required {
				s.required = append(s.required, p)
			}
		}
		slices.Sort(s.required)
		all[name] = s
	}
	return all
}

func req(k propKind) prop { return prop{kind: k, required: true} }
func opt(k propKind) prop { return prop{kind: k} }
func ref(types ...string) prop {
	return prop{kind: pRef, refTypes: types}
}
func refs(types ...string) prop { return prop{kind: pRefs, refTypes: types} }
func intRange(min, max int64) prop {
	return prop{kind: pInt, min: min, max: max}
}

// notReferable lists types a relationship or sighting may not point at.
var notReferable = []string{"relationship", "sighting", "bundle", "marking-definition", "language-content"}

var sdoCommon = map[string]prop{
	"type": req(pString), "spec_version": req(pString), "id": req(pString),
	"created": req(pTime), "modified": req(pTime),
	"created_by_ref": ref("identity"), "revoked": opt(pBool), "labels": opt(pStrings),
	"confidence": intRange(0, 100), "lang": opt(pString), "external_references": opt(pExtRefs),
	"object_marking_refs": refs("marking-definition"), "granular_markings": opt(pGranular),
	"extensions": opt(pDict),
}

var scoCommon = map[string]prop{
	"type": req(pString), "id": req(pString), "spec_version": opt(pString),
	"object_marking_refs": refs("marking-definition"), "granular_markings": opt(pGranular),
	"defanged": opt(pBool), "extensions": opt(pDict),
}

func merge(base map[string]prop, extra map[string]prop) map[string]prop {
	out := make(map[string]prop, len(base)+len(extra))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

func sdo(typesProp string, extra map[string]prop) typeSchema {
	return typeSchema{kind: KindSDO, props: merge(sdoCommon, extra), typesProp: typesProp}
}

func sco(extra map[string]prop) typeSchema {
	return typeSchema{kind: KindSCO, props: merge(scoCommon, extra)}
}

// schemas: required and typed properties per type, from the OASIS STIX
// 2.1 JSON schemas. Properties not listed are custom and unchecked.
var schemas = requiredProps(map[string]typeSchema{
	"attack-pattern": sdo("", map[string]prop{"name": req(pString), "description": opt(pString),
		"aliases": opt(pStrings), "kill_chain_phases": opt(pKillChain)}),
	"campaign": sdo("", map[string]prop{"name": req(pString), "description": opt(pString),
		"aliases": opt(pStrings), "first_seen": opt(pTime), "last_seen": opt(pTime), "objective": opt(pString)}),
	"course-of-action": sdo("", map[string]prop{"name": req(pString), "description": opt(pString)}),
	"grouping": sdo("", map[string]prop{"name": opt(pString), "description": opt(pString),
		"context": req(pString), "object_refs": {kind: pRefs, required: true, nonEmpty: true}}),
	"identity": sdo("", map[string]prop{"name": req(pString), "description": opt(pString),
		"roles": opt(pStrings), "identity_class": opt(pString), "sectors": opt(pStrings),
		"contact_information": opt(pString)}),
	"incident": sdo("", map[string]prop{"name": req(pString), "description": opt(pString),
		"kill_chain_phases": opt(pKillChain)}),
	"indicator": sdo("indicator_types", map[string]prop{"name": opt(pString), "description": opt(pString),
		"indicator_types": opt(pStrings), "pattern": req(pString), "pattern_type": req(pString),
		"pattern_version": opt(pString), "valid_from": req(pTime), "valid_until": opt(pTime),
		"kill_chain_phases": opt(pKillChain)}),
	"infrastructure": sdo("infrastructure_types", map[string]prop{"name": req(pString), "description": opt(pString),
		"infrastructure_types": opt(pStrings), "aliases": opt(pStrings), "kill_chain_phases": opt(pKillChain),
		"first_seen": opt(pTime), "last_seen": opt(pTime)}),
	"intrusion-set": sdo("", map[string]prop{"name": req(pString), "description": opt(pString),
		"aliases": opt(pStrings), "first_seen": opt(pTime), "last_seen": opt(pTime), "goals": opt(pStrings),
		"resource_level": opt(pString), "primary_motivation": opt(pString), "secondary_motivations": opt(pStrings)}),
	"location": sdo("", map[string]prop{"name": opt(pString), "description": opt(pString),
		"latitude": {kind: pNumber, min: -90, max: 90}, "longitude": {kind: pNumber, min: -180, max: 180},
		"precision": {kind: pNumber, min: 0, max: 1 << 53}, "region": opt(pString), "country": opt(pString),
		"administrative_area": opt(pString), "city": opt(pString), "street_address": opt(pString),
		"postal_code": opt(pString)}),
	"malware": sdo("malware_types", map[string]prop{"name": opt(pString), "description": opt(pString),
		"malware_types": opt(pStrings), "is_family": req(pBool), "aliases": opt(pStrings),
		"kill_chain_phases": opt(pKillChain), "first_seen": opt(pTime), "last_seen": opt(pTime),
		"operating_system_refs": refs("software"), "architecture_execution_envs": opt(pStrings),
		"implementation_languages": opt(pStrings), "capabilities": opt(pStrings),
		"sample_refs": refs("file", "artifact")}),
	"malware-analysis": sdo("", map[string]prop{"product": req(pString), "version": opt(pString),
		"result": opt(pString), "analysis_sco_refs": refs(), "sample_ref": ref(),
		"submitted": opt(pTime), "analysis_started": opt(pTime), "analysis_ended": opt(pTime)}),
	"note": sdo("", map[string]prop{"abstract": opt(pString), "content": req(pString), "authors": opt(pStrings),
		"object_refs": {kind: pRefs, required: true, nonEmpty: true}}),
	"observed-data": sdo("", map[string]prop{"first_observed": req(pTime), "last_observed": req(pTime),
		"number_observed": {kind: pInt, required: true, min: 1, max: 999999999},
		"objects":         opt(pDict), "object_refs": {kind: pRefs, nonEmpty: true}}),
	"opinion": sdo("", map[string]prop{"explanation": opt(pString), "authors": opt(pStrings),
		"opinion": req(pString), "object_refs": {kind: pRefs, required: true, nonEmpty: true}}),
	"report": sdo("report_types", map[string]prop{"name": req(pString), "description": opt(pString),
		"report_types": opt(pStrings), "published": req(pTime),
		"object_refs": {kind: pRefs, required: true, nonEmpty: true}}),
	"threat-actor": sdo("threat_actor_types", map[string]prop{"name": req(pString), "description": opt(pString),
		"threat_actor_types": opt(pStrings), "aliases": opt(pStrings), "first_seen": opt(pTime),
		"last_seen": opt(pTime), "roles": opt(pStrings), "goals": opt(pStrings),
		"sophistication": opt(pString), "resource_level": opt(pString), "primary_motivation": opt(pString),
		"secondary_motivations": opt(pStrings), "personal_motivations": opt(pStrings)}),
	"tool": sdo("tool_types", map[string]prop{"name": req(pString), "description": opt(pString),
		"tool_types": opt(pStrings), "aliases": opt(pStrings), "kill_chain_phases": opt(pKillChain),
		"tool_version": opt(pString)}),
	"vulnerability": sdo("", map[string]prop{"name": req(pString), "description": opt(pString)}),

	"relationship": {kind: KindSRO, props: merge(sdoCommon, map[string]prop{
		"relationship_type": req(pString), "description": opt(pString),
		"source_ref": {kind: pRef, required: true, notTypes: notReferable},
		"target_ref": {kind: pRef, required: true, notTypes: notReferable},
		"start_time": opt(pTime), "stop_time": opt(pTime)})},
	"sighting": {kind: KindSRO, props: merge(sdoCommon, map[string]prop{
		"description": opt(pString), "first_seen": opt(pTime), "last_seen": opt(pTime),
		"count":              intRange(0, 999999999),
		"sighting_of_ref":    {kind: pRef, required: true, notTypes: notReferable},
		"observed_data_refs": refs("observed-data"), "where_sighted_refs": refs("identity", "location"),
		"summary": opt(pBool)})},

	"marking-definition": {kind: KindSMO, props: map[string]prop{
		"type": req(pString), "spec_version": req(pString), "id": req(pString), "created": req(pTime),
		"created_by_ref": ref("identity"), "external_references": opt(pExtRefs),
		"object_marking_refs": refs("marking-definition"), "granular_markings": opt(pGranular),
		"name": opt(pString), "definition_type": opt(pString), "definition": opt(pDict),
		"extensions": opt(pDict)}},
	"language-content": {kind: KindSMO, props: merge(sdoCommon, map[string]prop{
		"object_ref": {kind: pRef, required: true}, "object_modified": opt(pTime), "contents": req(pDict)})},
	"extension-definition": {kind: KindSMO, props: merge(sdoCommon, map[string]prop{
		"name": req(pString), "description": opt(pString), "schema": req(pString), "version": req(pString),
		"extension_types":      {kind: pStrings, required: true, nonEmpty: true},
		"extension_properties": opt(pStrings)})},

	"artifact": sco(map[string]prop{"mime_type": opt(pString), "payload_bin": opt(pString),
		"url": opt(pString), "hashes": opt(pHashes), "encryption_algorithm": opt(pString),
		"decryption_key": opt(pString)}),
	"autonomous-system": sco(map[string]prop{"number": {kind: pInt, required: true, min: 0, max: 1<<32 - 1},
		"name": opt(pString), "rir": opt(pString)}),
	"directory": sco(map[string]prop{"path": req(pString), "path_enc": opt(pString),
		"ctime": opt(pTime), "mtime": opt(pTime), "atime": opt(pTime), "contains_refs": refs("file", "directory")}),
	"domain-name": sco(map[string]prop{"value": req(pString),
		"resolves_to_refs": refs("ipv4-addr", "ipv6-addr", "domain-name")}),
	"email-addr": sco(map[string]prop{"value": req(pString), "display_name": opt(pString),
		"belongs_to_ref": ref("user-account")}),
	"email-message": sco(map[string]prop{"is_multipart": req(pBool), "date": opt(pTime),
		"content_type": opt(pString), "from_ref": ref("email-addr"), "sender_ref": ref("email-addr"),
		"to_refs": refs("email-addr"), "cc_refs": refs("email-addr"), "bcc_refs": refs("email-addr"),
		"message_id": opt(pString), "subject": opt(pString), "received_lines": opt(pStrings),
		"additional_header_fields": opt(pDict), "body": opt(pString), "body_multipart": opt(pList),
		"raw_email_ref": ref("artifact")}),
	"file": sco(map[string]prop{"hashes": opt(pHashes), "size": intRange(0, 1<<62), "name": opt(pString),
		"name_enc": opt(pString), "magic_number_hex": opt(pString), "mime_type": opt(pString),
		"ctime": opt(pTime), "mtime": opt(pTime), "atime": opt(pTime),
		"parent_directory_ref": ref("directory"), "contains_refs": refs(), "content_ref": ref("artifact")}),
	"ipv4-addr": sco(map[string]prop{"value": req(pString),
		"resolves_to_refs": refs("mac-addr"), "belongs_to_refs": refs("autonomous-system")}),
	"ipv6-addr": sco(map[string]prop{"value": req(pString),
		"resolves_to_refs": refs("mac-addr"), "belongs_to_refs": refs("autonomous-system")}),
	"mac-addr": sco(map[string]prop{"value": req(pString)}),
	"mutex":    sco(map[string]prop{"name": req(pString)}),
	"network-traffic": sco(map[string]prop{"start": opt(pTime), "end": opt(pTime), "is_active": opt(pBool),
		"src_ref":  ref("ipv4-addr", "ipv6-addr", "mac-addr", "domain-name"),
		"dst_ref":  ref("ipv4-addr", "ipv6-addr", "mac-addr", "domain-name"),
		"src_port": intRange(0, 65535), "dst_port": intRange(0, 65535),
		"protocols":      {kind: pStrings, required: true, nonEmpty: true},
		"src_byte_count": intRange(0, 1<<62), "dst_byte_count": intRange(0, 1<<62),
		"src_packets": intRange(0, 1<<62), "dst_packets": intRange(0, 1<<62), "ipfix": opt(pDict),
		"src_payload_ref": ref("artifact"), "dst_payload_ref": ref("artifact"),
		"encapsulates_refs": refs("network-traffic"), "encapsulated_by_ref": ref("network-traffic")}),
	"process": sco(map[string]prop{"is_hidden": opt(pBool), "pid": intRange(-1<<62, 1<<62),
		"created_time": opt(pTime), "cwd": opt(pString), "command_line": opt(pString),
		"environment_variables": opt(pDict), "opened_connection_refs": refs("network-traffic"),
		"creator_user_ref": ref("user-account"), "image_ref": ref("file"), "parent_ref": ref("process"),
		"child_refs": refs("process")}),
	"software": sco(map[string]prop{"name": req(pString), "cpe": opt(pString), "swid": opt(pString),
		"languages": opt(pStrings), "vendor": opt(pString), "version": opt(pString)}),
	"url": sco(map[string]prop{"value": req(pString)}),
	"user-account": sco(map[string]prop{"user_id": opt(pString), "credential": opt(pString),
		"account_login": opt(pString), "account_type": opt(pString), "display_name": opt(pString),
		"is_service_account": opt(pBool), "is_privileged": opt(pBool), "can_escalate_privs": opt(pBool),
		"is_disabled": opt(pBool), "account_created": opt(pTime), "account_expires": opt(pTime),
		"credential_last_changed": opt(pTime), "account_first_login": opt(pTime),
		"account_last_login": opt(pTime)}),
	"windows-registry-key": sco(map[string]prop{"key": opt(pString), "values": opt(pList),
		"modified_time": opt(pTime), "creator_user_ref": ref("user-account"), "number_of_subkeys": intRange(0, 1<<62)}),
	"x509-certificate": sco(map[string]prop{"is_self_signed": opt(pBool), "hashes": opt(pHashes),
		"version": opt(pString), "serial_number": opt(pString), "signature_algorithm": opt(pString),
		"issuer": opt(pString), "validity_not_before": opt(pTime), "validity_not_after": opt(pTime),
		"subject": opt(pString), "subject_public_key_algorithm": opt(pString),
		"subject_public_key_modulus": opt(pString), "subject_public_key_exponent": intRange(0, 1<<62),
		"x509_v3_extensions": opt(pDict)}),
})
