// Package sigma compiles Sigma rules into streaming matchers over Rampart's
// Sentinel-compatible table rows.
//
// A caller parses rules (package rule), compiles them with a Compiler bound to a
// field-mapping pipeline (package pipeline), and collects them in a Ruleset. Each
// compiled Rule names the tables it reads (Rule.Tables); Ruleset.Match evaluates
// one event of one table against every rule that reads that table. Correlation
// rules run in package correlation over the matches.
package sigma
