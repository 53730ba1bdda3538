// Package sigma compiles Sigma rules into streaming matchers over Rampart's
// Sentinel-compatible table rows.
//
// Use:
//
//	comp := sigma.NewCompiler(nil)           // built-in Sentinel pipeline
//	loaded, err := comp.LoadDir(dir)          // or rule.ParseFile + comp.Compile
//	// loaded.Failures: every rule that cannot run, with the reason
//	rs := sigma.NewRuleset(loaded.Rules)
//	ev, err := sigma.ParseJSONEvent(rowJSON)  // or sigma.NewMapEvent(row)
//	hits := rs.Match(nil, "SecurityEvent", ev)
//
// A compiled Rule names the tables it reads (Rule.Tables); the pipeline (package
// pipeline) decides them from the logsource, together with the row conditions of
// that logsource in the table (e.g. WindowsEvent rows of the Sysmon channel with
// EventID 1) and the mapping from Sigma field names to column paths. Correlation
// rules run in package correlation over the matches (see CorrelationMatch).
package sigma
