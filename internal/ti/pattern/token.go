package pattern

// tokKind is the lexical class of a token.
type tokKind int

const (
	tEOF   tokKind = iota
	tIdent         // identifier; token.hyphen tells whether it holds a '-'
	tString
	tInt
	tFloat
	tBool
	tTimestamp
	tHex
	tBinary

	// punctuation
	tLParen
	tRParen
	tLBrack
	tRBrack
	tComma
	tColon
	tDot
	tStar

	// comparison operators
	tEq
	tNeq
	tLt
	tLe
	tGt
	tGe

	// keywords (upper case, case-sensitive)
	tAnd
	tOr
	tNot
	tFollowedBy
	tLike
	tMatches
	tIsSubset
	tIsSuperset
	tExists
	tIn
	tWithin
	tSeconds
	tRepeats
	tTimes
	tStart
	tStop
	tLast
)

var keywords = map[string]tokKind{
	"AND": tAnd, "OR": tOr, "NOT": tNot, "FOLLOWEDBY": tFollowedBy,
	"LIKE": tLike, "MATCHES": tMatches, "ISSUBSET": tIsSubset,
	"ISSUPERSET": tIsSuperset, "EXISTS": tExists, "IN": tIn,
	"WITHIN": tWithin, "SECONDS": tSeconds, "REPEATS": tRepeats,
	"TIMES": tTimes, "START": tStart, "STOP": tStop, "LAST": tLast,
}

var tokNames = [...]string{
	tEOF: "end of pattern", tIdent: "identifier", tString: "string",
	tInt: "integer", tFloat: "float", tBool: "boolean",
	tTimestamp: "timestamp", tHex: "hex literal", tBinary: "binary literal",
	tLParen: "'('", tRParen: "')'", tLBrack: "'['", tRBrack: "']'",
	tComma: "','", tColon: "':'", tDot: "'.'", tStar: "'*'",
	tEq: "'='", tNeq: "'!='", tLt: "'<'", tLe: "'<='", tGt: "'>'", tGe: "'>='",
}

func (k tokKind) String() string {
	for w, kk := range keywords {
		if kk == k {
			return w
		}
	}
	if int(k) < len(tokNames) && tokNames[k] != "" {
		return tokNames[k]
	}
	return "token"
}

// token is one lexeme. text is the source slice; val is the decoded
// value of strings and the body of typed literals (t'...', h'...', b'...').
type token struct {
	kind   tokKind
	pos    int // byte offset
	text   string
	val    string
	hyphen bool
}

// describe renders a token for "found ..." in error messages.
func (t token) describe() string {
	switch t.kind {
	case tEOF:
		return "end of pattern"
	case tIdent:
		return "identifier " + quoteShort(t.text)
	case tString:
		return "string " + quoteShort(t.text)
	}
	return quoteShort(t.text)
}

// quoteShort shows at most 40 characters of source in a message.
func quoteShort(s string) string {
	r := []rune(s)
	if len(r) > 40 {
		s = string(r[:40]) + "…"
	}
	if len(s) > 0 && s[0] == '\'' {
		return s
	}
	return "'" + s + "'"
}
