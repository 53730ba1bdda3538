// Package replay measures detection recall: it replays labelled attack datasets
// (shared/corpus/datasets layout: labels.json plus event files in their published
// formats) through the Sigma engine and reports, per dataset, whether a fired rule
// carries one of the labelled ATT&CK techniques.
//
// Each event is decoded from its format (EVTX rendered as JSON, flat NXLog-style
// Windows JSON, Winlogbeat, Windows event XML, Sentinel table rows, CloudTrail,
// Zeek, raw auditd lines, CSV) into the Sentinel-compatible table row the server
// would store (SecurityEvent, WindowsEvent, Syslog, AWSCloudTrail, ...); the Sigma
// pipeline then selects the rules whose logsource covers that row (channel and
// EventID for Windows, table for cloud sources). Zeek logs have no Sentinel table:
// this package adds a ZeekEvents table to the pipeline for them.
package replay
