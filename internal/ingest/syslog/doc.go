// Package syslog receives and parses syslog: RFC 5424 and the lenient,
// real-world dialects of RFC 3164 (BSD), framed per RFC 6587 over TCP/TLS
// (octet counting or newline) and one message per datagram over UDP.
//
// Parsing never drops input: a message whose header cannot be understood
// yields an error that says what was expected at which byte offset, together
// with a Message carrying the whole input as Msg, so the caller can decide
// whether to keep it.
package syslog
