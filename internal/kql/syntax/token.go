package syntax

import "fmt"

// Kind classifies a token. Words (including KQL keywords) are all Name:
// KQL keywords are contextual, so the parser decides what a word means.
type Kind uint8

const (
	EOF      Kind = iota
	Illegal       // a character or literal the lexer could not read
	Name          // name or keyword: where, $left, project
	Long          // 123, 0x1F
	Real          // 1.5, 1e3
	Timespan      // 5m, 1.5h, 100ms
	String        // '...', "...", @'...', ```...```, h'...'; Value holds the decoded text
	RawLit        // datetime(...), timespan(...), time(...), guid(...): Value holds the text inside ()

	LParen   // (
	RParen   // )
	LBracket // [
	RBracket // ]
	LBrace   // {
	RBrace   // }
	Comma    // ,
	Semi     // ;
	Colon    // :
	Dot      // .
	DotDot   // ..
	Bar      // |
	Equal    // =
	Eq       // ==
	NotEq    // !=
	LtGt     // <>
	Lt       // <
	Le       // <=
	Gt       // >
	Ge       // >=
	EqTilde  // =~
	NotTilde // !~
	Arrow    // =>
	Plus     // +
	Minus    // -
	Star     // *
	Slash    // /
	Percent  // %
	Bang     // !
	Tilde    // ~
	Question // ?
)

var kindNames = [...]string{
	EOF: "end of query", Illegal: "invalid token", Name: "name", Long: "number",
	Real: "number", Timespan: "timespan", String: "string", RawLit: "literal",
	LParen: "(", RParen: ")", LBracket: "[", RBracket: "]", LBrace: "{", RBrace: "}",
	Comma: ",", Semi: ";", Colon: ":", Dot: ".", DotDot: "..", Bar: "|",
	Equal: "=", Eq: "==", NotEq: "!=", LtGt: "<>", Lt: "<", Le: "<=", Gt: ">",
	Ge: ">=", EqTilde: "=~", NotTilde: "!~", Arrow: "=>", Plus: "+", Minus: "-",
	Star: "*", Slash: "/", Percent: "%", Bang: "!", Tilde: "~", Question: "?",
}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Token is one lexical unit. Text is the exact source slice.
type Token struct {
	Kind  Kind
	Pos   Pos    // byte offset of the first byte
	End   Pos    // byte offset just past the last byte
	Text  string // source text
	Value string // decoded string value (String), or the inner text (RawLit)
	// Depth is the number of brackets open before this token; error
	// recovery uses it to find the '|' or ';' that belongs to the outer level.
	Depth int
}

// describe renders the token for an error message: 'where', end of query.
func (t Token) describe() string {
	switch t.Kind {
	case EOF:
		return "end of query"
	case String:
		return "string " + shorten(t.Text)
	}
	return "'" + shorten(t.Text) + "'"
}

func shorten(s string) string {
	const max = 24
	r := []rune(s)
	if len(r) > max {
		return string(r[:max]) + "..."
	}
	return s
}
