package rules

import "strings"

// Sentinel's entity types and their identifiers (the facts of Sentinel's entity mapping
// reference). Keys are lower-cased type names; values map lower-cased identifiers to their
// canonical spelling.
var entityTypes = map[string]struct {
	Name        string
	Identifiers []string
}{
	"account":           {"Account", []string{"Name", "FullName", "NTDomain", "DnsDomain", "UPNSuffix", "Sid", "AadTenantId", "AadUserId", "PUID", "IsDomainJoined", "DisplayName", "ObjectGuid"}},
	"host":              {"Host", []string{"DnsDomain", "NTDomain", "HostName", "FullName", "NetBiosName", "AzureID", "OMSAgentID", "OSFamily", "OSVersion", "IsDomainJoined"}},
	"ip":                {"IP", []string{"Address"}},
	"malware":           {"Malware", []string{"Name", "Category"}},
	"file":              {"File", []string{"Directory", "Name"}},
	"process":           {"Process", []string{"ProcessId", "CommandLine", "ElevationToken", "CreationTimeUtc"}},
	"cloudapplication":  {"CloudApplication", []string{"AppId", "Name", "InstanceName"}},
	"dns":               {"DNS", []string{"DomainName", "IpAddress"}},
	"azureresource":     {"AzureResource", []string{"ResourceId"}},
	"filehash":          {"FileHash", []string{"Algorithm", "Value"}},
	"registrykey":       {"RegistryKey", []string{"Hive", "Key"}},
	"registryvalue":     {"RegistryValue", []string{"Name", "Value", "ValueType"}},
	"securitygroup":     {"SecurityGroup", []string{"DistinguishedName", "SID", "ObjectGuid"}},
	"url":               {"URL", []string{"Url"}},
	"iotdevice":         {"IoTDevice", []string{"IoTHub", "DeviceId", "DeviceName", "IoTSecurityAgentId", "DeviceType", "Source", "SourceRef", "FirmwareVersion", "OperatingSystem", "Manufacturer", "Model", "SerialNumber", "Protocols", "Owners", "Site", "Zone", "Sensor", "Importance", "PurdueLayer", "IsAuthorized", "IsProgramming", "IsScanner", "MacAddress"}},
	"mailbox":           {"Mailbox", []string{"MailboxPrimaryAddress", "DisplayName", "Upn", "ExternalDirectoryObjectId", "RiskLevel"}},
	"mailcluster":       {"MailCluster", []string{"NetworkMessageIds", "CountByDeliveryStatus", "CountByThreatType", "CountByProtectionStatus", "Threats", "Query", "QueryTime", "MailCount", "IsVolumeAnomaly", "Source", "ClusterSourceIdentifier", "ClusterSourceType", "ClusterQueryStartTime", "ClusterQueryEndTime", "ClusterGroup"}},
	"mailmessage":       {"MailMessage", []string{"Recipient", "Urls", "Threats", "Sender", "P1Sender", "P1SenderDisplayName", "P1SenderDomain", "SenderIP", "P2Sender", "P2SenderDisplayName", "P2SenderDomain", "ReceivedDate", "NetworkMessageId", "InternetMessageId", "Subject", "BodyFingerprintBin1", "BodyFingerprintBin2", "BodyFingerprintBin3", "BodyFingerprintBin4", "BodyFingerprintBin5", "AntispamDirection", "DeliveryAction", "DeliveryLocation", "Language", "ThreatDetectionMethods"}},
	"submissionmail":    {"SubmissionMail", []string{"SubmissionId", "SubmissionDate", "Submitter", "NetworkMessageId", "Timestamp", "Recipient", "Sender", "SenderIp", "Subject", "ReportType"}},
	"networkconnection": {"NetworkConnection", []string{"SourceAddress", "SourcePort", "DestinationAddress", "DestinationPort", "Protocol"}},
	"cloudlogonsession": {"CloudLogonSession", []string{"SessionId", "Account", "UserAgent", "StartTime"}},
}

// entityType resolves a mapping's entity type and identifier to canonical spellings.
func entityType(typ, identifier string) (string, string, bool) {
	et, ok := entityTypes[strings.ToLower(strings.ReplaceAll(typ, " ", ""))]
	if !ok {
		return "", "", false
	}
	for _, id := range et.Identifiers {
		if strings.EqualFold(id, identifier) {
			return et.Name, id, true
		}
	}
	return et.Name, "", false
}
