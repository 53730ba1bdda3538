package pattern

import "time"

// Version selects the grammar: STIX 2.1 (default) or STIX 2.0.
type Version int

const (
	V21 Version = iota
	V20
)

func (v Version) String() string {
	if v == V20 {
		return "2.0"
	}
	return "2.1"
}

// VersionOf maps an indicator's spec_version to a grammar version; empty
// or unknown values mean 2.1.
func VersionOf(specVersion string) Version {
	if specVersion == "2.0" {
		return V20
	}
	return V21
}

// Pattern is a parsed STIX pattern. It is immutable after Parse and safe
// for concurrent use by Match, Observables and any number of Correlators.
type Pattern struct {
	Root    ObsExpr
	Version Version
	Source  string

	// Warnings lists things that parse but will not match as a reader
	// might expect: PCRE-only regex syntax, AND across object types.
	Warnings []string

	brackets map[*ObsBracket]*bracketInfo
}

// ObsExpr is an observation expression: *ObsBracket, *ObsGroup or
// *ObsQualified.
type ObsExpr interface{ obsExpr() }

// ObsBracket is one observation, "[ comparison expression ]".
type ObsBracket struct {
	Expr   CmpExpr
	Offset int
}

// ObsOp joins observation expressions.
type ObsOp int

const (
	ObsFollowedBy ObsOp = iota // lowest precedence
	ObsOr
	ObsAnd // highest precedence
)

func (o ObsOp) String() string {
	return [...]string{"FOLLOWEDBY", "OR", "AND"}[o]
}

// ObsGroup is two or more operands joined by one operator. Chains of one
// operator are kept flat: A OR B OR C is one group of three.
type ObsGroup struct {
	Op       ObsOp
	Operands []ObsExpr
}

// ObsQualified applies qualifiers, in source order, to an expression.
type ObsQualified struct {
	Expr       ObsExpr
	Qualifiers []Qualifier
}

func (*ObsBracket) obsExpr()   {}
func (*ObsGroup) obsExpr()     {}
func (*ObsQualified) obsExpr() {}

// QualKind names a qualifier.
type QualKind int

const (
	QualWithin QualKind = iota
	QualRepeats
	QualStartStop
)

// Qualifier is WITHIN n SECONDS, REPEATS n TIMES or START t STOP t.
type Qualifier struct {
	Kind    QualKind
	Seconds float64       // WITHIN, as written
	Window  time.Duration // WITHIN, saturated at the largest Duration
	Times   int           // REPEATS
	Start   time.Time     // START/STOP: the half-open interval [Start, Stop)
	Stop    time.Time
	Raw     string // source text of the number or timestamps, for printing
	Offset  int
}

// CmpExpr is a comparison expression: *CmpGroup or *Comparison.
type CmpExpr interface{ cmpExpr() }

// BoolOp joins comparison expressions.
type BoolOp int

const (
	BoolOr BoolOp = iota
	BoolAnd
)

func (o BoolOp) String() string {
	if o == BoolAnd {
		return "AND"
	}
	return "OR"
}

// CmpGroup is two or more comparison expressions joined by one operator.
type CmpGroup struct {
	Op       BoolOp
	Operands []CmpExpr
}

// CmpOp is a comparison operator.
type CmpOp int

const (
	OpEq CmpOp = iota
	OpNeq
	OpLt
	OpLe
	OpGt
	OpGe
	OpIn
	OpLike
	OpMatches
	OpIsSubset
	OpIsSuperset
	OpExists
)

func (o CmpOp) String() string {
	return [...]string{"=", "!=", "<", "<=", ">", ">=", "IN", "LIKE", "MATCHES", "ISSUBSET", "ISSUPERSET", "EXISTS"}[o]
}

// Comparison tests one object path: "path [NOT] op value", or
// "[NOT] EXISTS path".
type Comparison struct {
	Path    ObjectPath
	Op      CmpOp
	Negated bool
	Value   Literal   // unused for IN and EXISTS
	Set     []Literal // IN only
	Offset  int

	m *cmpMatcher // compiled by compile.go
}

func (*CmpGroup) cmpExpr()   {}
func (*Comparison) cmpExpr() {}

// LitKind is the type of a literal.
type LitKind int

const (
	LitString LitKind = iota
	LitInt
	LitFloat
	LitBool
	LitTimestamp
	LitHex
	LitBinary
)

func (k LitKind) String() string {
	return [...]string{"string", "int", "float", "bool", "timestamp", "hex", "binary"}[k]
}

// Literal is a constant. Raw is the source text; the typed field that
// matches Kind holds the value (Bytes for hex and binary).
type Literal struct {
	Kind   LitKind
	Raw    string
	Str    string
	Int    int64
	Float  float64 // also set for LitInt; the only value when the int overflows int64
	Bool   bool
	Time   time.Time
	Bytes  []byte
	Offset int

	intOverflow bool
}

// StepKind is the kind of one object-path step.
type StepKind int

const (
	StepKey   StepKind = iota // .name or .'quoted name'
	StepIndex                 // [n], n may be negative (from the end)
	StepAny                   // [*]
)

// Step is one component of an object path after the object type.
type Step struct {
	Kind  StepKind
	Key   string
	Index int
}

// ObjectPath is "type:prop.step[...]...". Steps[0] is the first property.
type ObjectPath struct {
	Type   string
	Steps  []Step
	Offset int
}

// HasIndex reports whether the path has a list step.
func (p ObjectPath) HasIndex() bool {
	for _, s := range p.Steps {
		if s.Kind != StepKey {
			return true
		}
	}
	return false
}
