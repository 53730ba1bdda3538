package sigma

import (
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/rampart-soc/rampart/internal/sigma/rule"
)

// pred tests one field value (already looked up) against one Sigma value.
// ok reports whether the field exists.
type pred interface {
	test(c *evalCtx, v Value, ok bool) bool
	cost() int
}

// anyElem applies f to v, or to each element when v is an array.
func anyElem(v Value, f func(Value) bool) bool {
	if v.Kind == KindArray {
		for _, e := range v.Elems {
			if f(e) {
				return true
			}
		}
		return false
	}
	return f(v)
}

// patPred matches the text of a scalar against any of its patterns (the variants
// an expanding modifier produced).
type patPred struct{ pats []*pattern }

func (p *patPred) test(_ *evalCtx, v Value, ok bool) bool {
	if !ok {
		return false
	}
	if v.Kind != KindArray {
		return v.Scalar() && p.matchText(v.Str)
	}
	for _, e := range v.Elems {
		if e.Scalar() && p.matchText(e.Str) {
			return true
		}
	}
	return false
}

func (p *patPred) matchText(s string) bool {
	for _, pt := range p.pats {
		if pt.match(s) {
			return true
		}
	}
	return false
}

func (p *patPred) cost() int {
	c := 0
	for _, pt := range p.pats {
		switch pt.kind {
		case patExact, patAny:
			c += 2
		case patPrefix, patSuffix:
			c += 3
		case patContains:
			c += 4
		default:
			c += 6
		}
	}
	return c
}

// numPred matches a YAML number: the same number, or a string with its text.
type numPred struct {
	f    float64
	text string
}

func (p *numPred) test(_ *evalCtx, v Value, ok bool) bool {
	return ok && anyElem(v, func(e Value) bool {
		switch e.Kind {
		case KindNumber:
			return e.Num == p.f
		case KindString:
			return e.Str == p.text
		}
		return false
	})
}
func (p *numPred) cost() int { return 1 }

// boolPred matches a YAML boolean: a JSON bool or the text true/false.
type boolPred struct{ b bool }

func (p *boolPred) test(_ *evalCtx, v Value, ok bool) bool {
	want := "false"
	if p.b {
		want = "true"
	}
	return ok && anyElem(v, func(e Value) bool {
		return (e.Kind == KindBool || e.Kind == KindString) && equalFold(e.Str, want, false)
	})
}
func (p *boolPred) cost() int { return 1 }

// nullPred matches an absent field or a JSON null.
type nullPred struct{}

func (nullPred) test(_ *evalCtx, v Value, ok bool) bool { return !ok || v.Kind == KindNull }
func (nullPred) cost() int                              { return 1 }

// existsPred tests presence only; a JSON null counts as present.
type existsPred struct{ want bool }

func (p existsPred) test(_ *evalCtx, _ Value, ok bool) bool { return ok == p.want }
func (existsPred) cost() int                                { return 1 }

type rePred struct{ re *regexp.Regexp }

func (p *rePred) test(_ *evalCtx, v Value, ok bool) bool {
	return ok && anyElem(v, func(e Value) bool { return e.Scalar() && p.re.MatchString(e.Str) })
}
func (p *rePred) cost() int { return 10 }

type cidrPred struct{ prefix netip.Prefix }

func (p *cidrPred) test(_ *evalCtx, v Value, ok bool) bool {
	return ok && anyElem(v, func(e Value) bool {
		if e.Kind != KindString {
			return false
		}
		s := e.Str
		if i := strings.IndexByte(s, '%'); i >= 0 { // IPv6 zone
			s = s[:i]
		}
		a, err := netip.ParseAddr(strings.Trim(s, "[]"))
		if err != nil {
			return false
		}
		return p.prefix.Contains(a.Unmap())
	})
}
func (p *cidrPred) cost() int { return 5 }

type cmpOp uint8

const (
	opEq cmpOp = iota
	opGT
	opGTE
	opLT
	opLTE
)

func (o cmpOp) holds(x, y float64) bool {
	switch o {
	case opGT:
		return x > y
	case opGTE:
		return x >= y
	case opLT:
		return x < y
	case opLTE:
		return x <= y
	}
	return x == y
}

func numberOf(e Value) (float64, bool) {
	switch e.Kind {
	case KindNumber:
		return e.Num, true
	case KindString:
		f, err := strconv.ParseFloat(strings.TrimSpace(e.Str), 64)
		return f, err == nil
	}
	return 0, false
}

// cmpPred compares the field as a number; a non-numeric value never matches.
type cmpPred struct {
	op cmpOp
	f  float64
}

func (p *cmpPred) test(_ *evalCtx, v Value, ok bool) bool {
	return ok && anyElem(v, func(e Value) bool {
		x, ok := numberOf(e)
		return ok && p.op.holds(x, p.f)
	})
}
func (p *cmpPred) cost() int { return 2 }

// timePred extracts a part of a date/time value and compares it.
type timePred struct {
	part rule.Modifier
	op   cmpOp
	f    float64
}

var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02",
}

func parseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func (p *timePred) test(_ *evalCtx, v Value, ok bool) bool {
	return ok && anyElem(v, func(e Value) bool {
		if e.Kind != KindString {
			return false
		}
		t, ok := parseTime(e.Str)
		if !ok {
			return false
		}
		var x int
		switch p.part {
		case rule.ModMinute:
			x = t.Minute()
		case rule.ModHour:
			x = t.Hour()
		case rule.ModDay:
			x = t.Day()
		case rule.ModWeek:
			_, x = t.ISOWeek()
		case rule.ModMonth:
			x = int(t.Month())
		case rule.ModYear:
			x = t.Year()
		}
		return p.op.holds(float64(x), p.f)
	})
}
func (p *timePred) cost() int { return 8 }

// refPred compares the field with another field of the same event.
type refPred struct {
	other string
	oid   int32   // fieldID(other)
	shape patKind // patExact, patPrefix, patSuffix, patContains
	cased bool
}

func (p *refPred) test(c *evalCtx, v Value, ok bool) bool {
	if !ok {
		return false
	}
	o, ok := c.get(p.oid, p.other)
	if !ok || !o.Scalar() {
		return false
	}
	needle := o.Str
	if !p.cased {
		needle = foldString(needle)
	}
	return anyElem(v, func(e Value) bool {
		if !e.Scalar() {
			return false
		}
		switch p.shape {
		case patPrefix:
			return hasPrefixFold(e.Str, needle, p.cased)
		case patSuffix:
			return hasSuffixFold(e.Str, needle, len([]rune(needle)), p.cased)
		case patContains:
			s, _ := indexFold(e.Str, 0, needle, p.cased)
			return s >= 0
		}
		return equalFold(e.Str, needle, p.cased)
	})
}
func (p *refPred) cost() int { return 6 }
