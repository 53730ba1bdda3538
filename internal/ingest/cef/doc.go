// Package cef parses ArcSight Common Event Format records
//
//	CEF:Version|Device Vendor|Device Product|Device Version|Device Event Class ID|Name|Severity|Extension
//
// and maps them onto Microsoft Sentinel's CommonSecurityLog table. CEF
// usually travels inside syslog; Find locates the record in such a line.
package cef
