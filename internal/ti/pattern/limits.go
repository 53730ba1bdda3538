package pattern

// Limits bound the work one untrusted pattern can cause. Zero fields take
// the defaults. The largest real patterns seen (57,120 characters, big
// ORs of hashes) fit well inside the defaults.
type Limits struct {
	MaxLength       int // bytes of pattern text; default 1 MiB
	MaxDepth        int // nesting of parentheses and brackets; default 64
	MaxComparisons  int // comparisons in the whole pattern; default 20,000
	MaxObservations int // [ ... ] observation expressions; default 1,000
	MaxRepeats      int // REPEATS count; default 10,000
	MaxSetSize      int // members of one IN (...) set; default 10,000
	MaxRegexBytes   int // MATCHES operand; default 16 KiB (RE2 compile time grows faster than linearly on some inputs)
}

// DefaultLimits are used where a Limits field is zero.
var DefaultLimits = Limits{
	MaxLength:       1 << 20,
	MaxDepth:        64,
	MaxComparisons:  20000,
	MaxObservations: 1000,
	MaxRepeats:      10000,
	MaxSetSize:      10000,
	MaxRegexBytes:   16 << 10,
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.MaxLength > 0 {
		d.MaxLength = l.MaxLength
	}
	if l.MaxDepth > 0 {
		d.MaxDepth = l.MaxDepth
	}
	if l.MaxComparisons > 0 {
		d.MaxComparisons = l.MaxComparisons
	}
	if l.MaxObservations > 0 {
		d.MaxObservations = l.MaxObservations
	}
	if l.MaxRepeats > 0 {
		d.MaxRepeats = l.MaxRepeats
	}
	if l.MaxSetSize > 0 {
		d.MaxSetSize = l.MaxSetSize
	}
	if l.MaxRegexBytes > 0 {
		d.MaxRegexBytes = l.MaxRegexBytes
	}
	return d
}

// Options configure Parse.
type Options struct {
	Version Version
	Limits  Limits
}
