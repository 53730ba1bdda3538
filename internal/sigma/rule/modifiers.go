package rule

import "fmt"

// Modifier is one value modifier from a `Field|mod` key.
type Modifier uint8

const (
	ModContains Modifier = iota + 1
	ModStartsWith
	ModEndsWith
	ModAll
	ModRe
	ModReI
	ModReM
	ModReS
	ModBase64
	ModBase64Offset
	ModUTF16LE
	ModUTF16BE
	ModUTF16
	ModWindash
	ModCIDR
	ModExists
	ModExpand
	ModFieldRef
	ModGT
	ModGTE
	ModLT
	ModLTE
	ModCased
	ModNeq
	ModMinute
	ModHour
	ModDay
	ModWeek
	ModMonth
	ModYear
)

var modifierNames = map[string]Modifier{
	"contains": ModContains, "startswith": ModStartsWith, "endswith": ModEndsWith,
	"all": ModAll, "re": ModRe,
	"i": ModReI, "ignorecase": ModReI, "m": ModReM, "multiline": ModReM, "s": ModReS, "dotall": ModReS,
	"base64": ModBase64, "base64offset": ModBase64Offset,
	"utf16le": ModUTF16LE, "wide": ModUTF16LE, "utf16be": ModUTF16BE, "utf16": ModUTF16,
	"windash": ModWindash, "cidr": ModCIDR, "exists": ModExists, "expand": ModExpand,
	"fieldref": ModFieldRef, "gt": ModGT, "gte": ModGTE, "lt": ModLT, "lte": ModLTE,
	"cased": ModCased, "neq": ModNeq,
	"minute": ModMinute, "hour": ModHour, "day": ModDay, "week": ModWeek, "month": ModMonth, "year": ModYear,
}

var modifierText = func() map[Modifier]string {
	m := map[Modifier]string{}
	for k, v := range modifierNames {
		if old, ok := m[v]; !ok || len(k) < len(old) || (len(k) == len(old) && k < old) {
			m[v] = k
		}
	}
	m[ModUTF16LE] = "utf16le"
	return m
}()

func (m Modifier) String() string {
	if s, ok := modifierText[m]; ok {
		return s
	}
	return fmt.Sprintf("modifier(%d)", uint8(m))
}

// ParseModifier maps a modifier name to its value.
func ParseModifier(s string) (Modifier, bool) {
	m, ok := modifierNames[s]
	return m, ok
}

// IsStringShape reports the modifiers that wrap a value in wildcards.
func (m Modifier) IsStringShape() bool {
	return m == ModContains || m == ModStartsWith || m == ModEndsWith
}

// IsNumericCompare reports gt/gte/lt/lte.
func (m Modifier) IsNumericCompare() bool {
	return m == ModGT || m == ModGTE || m == ModLT || m == ModLTE
}

// IsTimePart reports minute..year.
func (m Modifier) IsTimePart() bool { return m >= ModMinute && m <= ModYear }

// IsEncoding reports modifiers that turn the value into bytes of another encoding.
func (m Modifier) IsEncoding() bool {
	return m == ModBase64 || m == ModBase64Offset || m == ModUTF16LE || m == ModUTF16BE || m == ModUTF16
}

// checkModifiers validates a modifier chain and the values it applies to, returning
// one message per problem. Rules follow the specification where it speaks and the
// reference implementation's checks where it is silent.
func checkModifiers(mods []Modifier, values []Scalar, field string) []string {
	var errs []string
	seen := map[Modifier]bool{}
	shapes := 0
	for i, m := range mods {
		if seen[m] && m != ModBase64 {
			errs = append(errs, fmt.Sprintf("modifier %q given twice", m))
		}
		seen[m] = true
		switch {
		case m.IsStringShape():
			shapes++
		case m == ModRe || m == ModCIDR:
			if i != 0 {
				errs = append(errs, fmt.Sprintf("modifier %q must come first", m))
			}
		case m == ModReI || m == ModReM || m == ModReS:
			if !seen[ModRe] {
				errs = append(errs, fmt.Sprintf("regex flag %q needs a preceding \"re\"", m))
			}
		case m == ModExists:
			if len(mods) != 1 {
				errs = append(errs, "modifier \"exists\" must be the only modifier")
			}
			if field == "" {
				errs = append(errs, "modifier \"exists\" needs a field")
			}
			for _, v := range values {
				if v.Kind != ValBool {
					errs = append(errs, "modifier \"exists\" takes true or false")
					break
				}
			}
		case m == ModFieldRef:
			if field == "" {
				errs = append(errs, "modifier \"fieldref\" needs a field")
			}
		}
	}
	if shapes > 1 {
		errs = append(errs, "only one of contains, startswith, endswith may be used")
	}
	if seen[ModRe] {
		for _, m := range mods {
			switch m {
			case ModRe, ModReI, ModReM, ModReS, ModAll, ModNeq:
			default:
				errs = append(errs, fmt.Sprintf("modifier %q cannot be combined with \"re\"", m))
			}
		}
	}
	if seen[ModCIDR] {
		for _, m := range mods {
			if m != ModCIDR && m != ModAll && m != ModNeq {
				errs = append(errs, fmt.Sprintf("modifier %q cannot be combined with \"cidr\"", m))
			}
		}
	}
	numeric := false
	for _, m := range mods {
		if m.IsNumericCompare() || m.IsTimePart() {
			numeric = true
		}
	}
	if numeric {
		for _, v := range values {
			if v.Kind != ValInt && v.Kind != ValFloat {
				errs = append(errs, "numeric comparison needs a number")
				break
			}
		}
	}
	if seen[ModBase64] || seen[ModBase64Offset] {
		for _, v := range values {
			if v.Kind == ValString && hasUnescapedWildcard(v.Text) {
				errs = append(errs, "base64 modifiers cannot encode wildcards")
				break
			}
		}
		if seen[ModBase64] && seen[ModBase64Offset] {
			errs = append(errs, "base64 and base64offset cannot be combined")
		}
	}
	if seen[ModBase64Offset] && !seen[ModContains] {
		errs = append(errs, "base64offset only makes sense with contains")
	}
	enc := 0
	for _, m := range mods {
		if m == ModUTF16LE || m == ModUTF16BE || m == ModUTF16 {
			enc++
		}
	}
	if enc > 1 {
		errs = append(errs, "only one UTF-16 encoding may be given")
	}
	if seen[ModFieldRef] {
		for _, m := range mods {
			switch m {
			case ModFieldRef, ModContains, ModStartsWith, ModEndsWith, ModAll, ModNeq, ModCased:
			default:
				errs = append(errs, fmt.Sprintf("modifier %q cannot be combined with \"fieldref\"", m))
			}
		}
	}
	return errs
}

// hasUnescapedWildcard reports `*` or `?` not escaped by a backslash.
func hasUnescapedWildcard(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if i+1 < len(s) && (s[i+1] == '*' || s[i+1] == '?' || s[i+1] == '\\') {
				i++
			}
		case '*', '?':
			return true
		}
	}
	return false
}
