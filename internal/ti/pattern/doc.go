// Package pattern parses and evaluates STIX 2.1 (and 2.0) patterns.
//
// Parse turns a pattern string into an AST (ast.go) or a positioned *Error.
// The AST offers three ways to use an indicator:
//
//   - Observables: the (type, key, value) triples of a pattern that is a plain
//     disjunction of equalities, for an exact-match index (the 84 % case);
//   - Match: one flattened event (Observation) against a single-observation
//     pattern;
//   - Correlator: multi-observation patterns (AND, OR, FOLLOWEDBY, WITHIN,
//     REPEATS, START/STOP) over a time-ordered stream, with bounded state.
//
// Everything here treats patterns as untrusted input: parsing is linear in the
// input, recursion is depth-limited, regular expressions use RE2, and every
// size has a limit (Limits).
package pattern
