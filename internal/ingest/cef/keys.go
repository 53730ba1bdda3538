package cef

import (
	"fmt"
	"strings"
)

// kind is the CommonSecurityLog type of a column, for validating values.
type kind uint8

const (
	kString kind = iota
	kInt         // Kusto int: 32 bits
	kLong        // Kusto long
	kReal
	kDatetime
)

// keyDef ties a standard CEF key (short and long forms, from the ArcSight
// CEF specification) to its CommonSecurityLog column, following Microsoft's
// "CEF and CommonSecurityLog field mapping". Keys without a column (cat,
// agt, ahost, ...) are not listed: they go to AdditionalExtensions.
type keyDef struct {
	short, long, column string
	kind                kind
}

var keyDefs = []keyDef{
	{"act", "deviceAction", "DeviceAction", kString},
	{"app", "applicationProtocol", "ApplicationProtocol", kString},
	{"cnt", "baseEventCount", "EventCount", kInt},
	{"destinationDnsDomain", "", "DestinationDnsDomain", kString},
	{"destinationServiceName", "", "DestinationServiceName", kString},
	{"destinationTranslatedAddress", "", "DestinationTranslatedAddress", kString},
	{"destinationTranslatedPort", "", "DestinationTranslatedPort", kInt},
	{"deviceDirection", "", "CommunicationDirection", kString},
	{"deviceDnsDomain", "", "DeviceDnsDomain", kString},
	{"deviceExternalId", "", "DeviceExternalID", kString},
	{"deviceFacility", "", "DeviceFacility", kString},
	{"deviceInboundInterface", "", "DeviceInboundInterface", kString},
	{"deviceNtDomain", "", "DeviceNtDomain", kString},
	{"deviceOutboundInterface", "", "DeviceOutboundInterface", kString},
	{"devicePayloadId", "", "DevicePayloadId", kString},
	{"deviceProcessName", "", "ProcessName", kString},
	{"deviceTranslatedAddress", "", "DeviceTranslatedAddress", kString},
	{"dhost", "destinationHostName", "DestinationHostName", kString},
	{"dmac", "destinationMacAddress", "DestinationMACAddress", kString},
	{"dntdom", "destinationNtDomain", "DestinationNTDomain", kString},
	{"dpid", "destinationProcessId", "DestinationProcessId", kInt},
	{"dpriv", "destinationUserPrivileges", "DestinationUserPrivileges", kString},
	{"dproc", "destinationProcessName", "DestinationProcessName", kString},
	{"dpt", "destinationPort", "DestinationPort", kInt},
	{"dst", "destinationAddress", "DestinationIP", kString},
	{"dtz", "deviceTimeZone", "DeviceTimeZone", kString},
	{"duid", "destinationUserId", "DestinationUserID", kString},
	{"duser", "destinationUserName", "DestinationUserName", kString},
	{"dvc", "deviceAddress", "DeviceAddress", kString},
	{"dvchost", "deviceHostName", "DeviceName", kString},
	{"dvcmac", "deviceMacAddress", "DeviceMacAddress", kString},
	{"dvcpid", "deviceProcessId", "ProcessID", kInt},
	{"end", "endTime", "EndTime", kDatetime},
	{"externalId", "", "ExternalID", kInt},
	{"fileCreateTime", "", "FileCreateTime", kString},
	{"fileHash", "", "FileHash", kString},
	{"fileId", "", "FileID", kString},
	{"fileModificationTime", "", "FileModificationTime", kString},
	{"filePath", "", "FilePath", kString},
	{"filePermission", "", "FilePermission", kString},
	{"fileType", "", "FileType", kString},
	{"fname", "filename", "FileName", kString},
	{"fsize", "fileSize", "FileSize", kInt},
	{"in", "bytesIn", "ReceivedBytes", kLong},
	{"msg", "message", "Message", kString},
	{"oldFileCreateTime", "", "OldFileCreateTime", kString},
	{"oldFileHash", "", "OldFileHash", kString},
	{"oldFileId", "", "OldFileID", kString},
	{"oldFileModificationTime", "", "OldFileModificationTime", kString},
	{"oldFileName", "", "OldFileName", kString},
	{"oldFilePath", "", "OldFilePath", kString},
	{"oldFilePermission", "", "OldFilePermission", kString},
	{"oldFileSize", "", "OldFileSize", kInt},
	{"oldFileType", "", "OldFileType", kString},
	{"out", "bytesOut", "SentBytes", kLong},
	{"outcome", "eventOutcome", "Outcome", kString},
	{"proto", "transportProtocol", "Protocol", kString},
	{"reason", "", "Reason", kString},
	{"request", "requestUrl", "RequestURL", kString},
	{"requestClientApplication", "", "RequestClientApplication", kString},
	{"requestContext", "", "RequestContext", kString},
	{"requestCookies", "", "RequestCookies", kString},
	{"requestMethod", "", "RequestMethod", kString},
	{"rt", "deviceReceiptTime", "ReceiptTime", kString},
	{"shost", "sourceHostName", "SourceHostName", kString},
	{"smac", "sourceMacAddress", "SourceMACAddress", kString},
	{"sntdom", "sourceNtDomain", "SourceNTDomain", kString},
	{"sourceDnsDomain", "", "SourceDnsDomain", kString},
	{"sourceServiceName", "", "SourceServiceName", kString},
	{"sourceTranslatedAddress", "", "SourceTranslatedAddress", kString},
	{"sourceTranslatedPort", "", "SourceTranslatedPort", kInt},
	{"spid", "sourceProcessId", "SourceProcessId", kInt},
	{"spriv", "sourceUserPrivileges", "SourceUserPrivileges", kString},
	{"sproc", "sourceProcessName", "SourceProcessName", kString},
	{"spt", "sourcePort", "SourcePort", kInt},
	{"src", "sourceAddress", "SourceIP", kString},
	{"start", "startTime", "StartTime", kDatetime},
	{"suid", "sourceUserId", "SourceUserID", kString},
	{"suser", "sourceUserName", "SourceUserName", kString},
	{"type", "", "EventType", kInt},
	{"deviceCustomDate1", "", "DeviceCustomDate1", kString},
	{"deviceCustomDate1Label", "", "DeviceCustomDate1Label", kString},
	{"deviceCustomDate2", "", "DeviceCustomDate2", kString},
	{"deviceCustomDate2Label", "", "DeviceCustomDate2Label", kString},
	{"flexDate1", "", "FlexDate1", kString},
	{"flexDate1Label", "", "FlexDate1Label", kString},
	{"flexNumber1", "", "FlexNumber1", kInt},
	{"flexNumber1Label", "", "FlexNumber1Label", kString},
	{"flexNumber2", "", "FlexNumber2", kInt},
	{"flexNumber2Label", "", "FlexNumber2Label", kString},
	{"flexString1", "", "FlexString1", kString},
	{"flexString1Label", "", "FlexString1Label", kString},
	{"flexString2", "", "FlexString2", kString},
	{"flexString2Label", "", "FlexString2Label", kString},
}

// numbered adds the cs1..cs6, cn1..cn3, cfp1..cfp4 and c6a1..c6a4 families
// with their labels.
func numbered() []keyDef {
	var out []keyDef
	fam := []struct {
		short, long, column string
		n                   int
		kind                kind
	}{
		{"cs", "deviceCustomString", "DeviceCustomString", 6, kString},
		{"cn", "deviceCustomNumber", "DeviceCustomNumber", 3, kInt},
		{"cfp", "deviceCustomFloatingPoint", "DeviceCustomFloatingPoint", 4, kReal},
		{"c6a", "deviceCustomIPv6Address", "DeviceCustomIPv6Address", 4, kString},
	}
	for _, f := range fam {
		for i := 1; i <= f.n; i++ {
			out = append(out,
				keyDef{fmt.Sprint(f.short, i), fmt.Sprint(f.long, i), fmt.Sprint(f.column, i), f.kind},
				keyDef{fmt.Sprint(f.short, i, "Label"), fmt.Sprint(f.long, i, "Label"), fmt.Sprint(f.column, i, "Label"), kString})
		}
	}
	return out
}

// keyIndex finds a definition by either form, lower-cased: CEF keys are
// case-sensitive, but senders disagree on "deviceExternalId" vs "...ID".
var keyIndex = func() map[string]*keyDef {
	all := append(append([]keyDef(nil), keyDefs...), numbered()...)
	m := make(map[string]*keyDef, 2*len(all))
	for i := range all {
		d := &all[i]
		m[strings.ToLower(d.short)] = d
		if d.long != "" {
			m[strings.ToLower(d.long)] = d
		}
	}
	return m
}()

// lookup returns the definition of a standard key, or nil.
func lookup(key string) *keyDef {
	if d, ok := keyIndex[key]; ok { // fast path: keys are usually lower-case short forms
		return d
	}
	return keyIndex[strings.ToLower(key)]
}
