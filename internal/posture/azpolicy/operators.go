package azpolicy

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Condition operators with Azure Policy's semantics: strings compare
// ignoring case, a numeric string compares with a number by value, "true"
// and "false" compare with booleans, and an absent property fails every
// positive test except "exists": false (and equals null).

type opKind uint8

const (
	opEquals opKind = iota
	opNotEquals
	opLike
	opNotLike
	opMatch
	opNotMatch
	opMatchInsensitively
	opNotMatchInsensitively
	opContains
	opNotContains
	opIn
	opNotIn
	opContainsKey
	opNotContainsKey
	opLess
	opLessOrEquals
	opGreater
	opGreaterOrEquals
	opExists
)

var opNames = map[string]opKind{
	"equals":                opEquals,
	"notequals":             opNotEquals,
	"like":                  opLike,
	"notlike":               opNotLike,
	"match":                 opMatch,
	"notmatch":              opNotMatch,
	"matchinsensitively":    opMatchInsensitively,
	"notmatchinsensitively": opNotMatchInsensitively,
	"contains":              opContains,
	"notcontains":           opNotContains,
	"in":                    opIn,
	"notin":                 opNotIn,
	"containskey":           opContainsKey,
	"notcontainskey":        opNotContainsKey,
	"less":                  opLess,
	"lessorequals":          opLessOrEquals,
	"greater":               opGreater,
	"greaterorequals":       opGreaterOrEquals,
	"exists":                opExists,
}

// applyOp tests lhs (the field or value) against rhs (the operand).
func applyOp(op opKind, lhs, rhs any) (bool, error) {
	switch op {
	case opEquals:
		return looseEqual(lhs, rhs), nil
	case opNotEquals:
		return !looseEqual(lhs, rhs), nil
	case opLike, opNotLike:
		pat, ok := rhs.(string)
		if !ok {
			return false, fmt.Errorf("like needs a string pattern, not %s", typeName(rhs))
		}
		s, ok := lhs.(string)
		r := ok && likeMatch(fold(s), fold(pat))
		return r != (op == opNotLike), nil
	case opMatch, opNotMatch, opMatchInsensitively, opNotMatchInsensitively:
		pat, ok := rhs.(string)
		if !ok {
			return false, fmt.Errorf("match needs a string pattern, not %s", typeName(rhs))
		}
		s, ok := lhs.(string)
		insensitive := op == opMatchInsensitively || op == opNotMatchInsensitively
		r := ok && matchPattern(s, pat, insensitive)
		return r != (op == opNotMatch || op == opNotMatchInsensitively), nil
	case opContains:
		return containsValue(lhs, rhs), nil
	case opNotContains:
		return !containsValue(lhs, rhs), nil
	case opIn, opNotIn:
		if isNull(rhs) {
			return op == opNotIn, nil
		}
		list, ok := rhs.([]any)
		if !ok {
			return false, fmt.Errorf("in needs an array, not %s", typeName(rhs))
		}
		found := false
		if !isUndef(lhs) {
			for _, e := range list {
				if looseEqual(lhs, e) {
					found = true
					break
				}
			}
		}
		return found != (op == opNotIn), nil
	case opContainsKey, opNotContainsKey:
		key, ok := rhs.(string)
		if !ok {
			return false, fmt.Errorf("containsKey needs a string key, not %s", typeName(rhs))
		}
		found := false
		if m, ok := lhs.(map[string]any); ok {
			_, found = lookupKey(m, key)
		}
		return found != (op == opNotContainsKey), nil
	case opLess, opLessOrEquals, opGreater, opGreaterOrEquals:
		c, ok := compareOrdered(lhs, rhs)
		if !ok {
			return false, nil
		}
		switch op {
		case opLess:
			return c < 0, nil
		case opLessOrEquals:
			return c <= 0, nil
		case opGreater:
			return c > 0, nil
		}
		return c >= 0, nil
	case opExists:
		want, err := existsFlag(rhs)
		if err != nil {
			return false, err
		}
		return !isNull(lhs) == want, nil
	}
	return false, fmt.Errorf("unknown operator %d", op)
}

// existsFlag reads the operand of "exists": a boolean or "true"/"false".
func existsFlag(v any) (bool, error) {
	switch x := v.(type) {
	case bool:
		return x, nil
	case string:
		switch strings.ToLower(x) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
	}
	return false, fmt.Errorf("exists needs true or false, not %s", toJSON(v))
}

// looseEqual is the equality of "equals", "in" and array "contains".
func looseEqual(a, b any) bool {
	if isNull(a) || isNull(b) {
		return isNull(a) && isNull(b)
	}
	if fa, _, ok := number(a); ok {
		return numberEquals(fa, b)
	}
	if fb, _, ok := number(b); ok {
		return numberEquals(fb, a)
	}
	switch x := a.(type) {
	case string:
		switch y := b.(type) {
		case string:
			return eqFold(x, y)
		case bool:
			return boolString(x, y)
		}
	case bool:
		switch y := b.(type) {
		case bool:
			return x == y
		case string:
			return boolString(y, x)
		}
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !looseEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := lookupKey(y, k)
			if !ok || !looseEqual(v, w) {
				return false
			}
		}
		return true
	}
	return false
}

func numberEquals(f float64, other any) bool {
	if g, _, ok := number(other); ok {
		return f == g
	}
	if s, ok := other.(string); ok {
		g, ok := numFromString(s)
		return ok && f == g
	}
	return false
}

func boolString(s string, b bool) bool {
	return strings.EqualFold(s, fmt.Sprint(b))
}

// compareOrdered orders numbers by value and strings ignoring case; a
// numeric string compares with a number as a number.
func compareOrdered(a, b any) (int, bool) {
	if isNull(a) || isNull(b) {
		return 0, false
	}
	fa, _, aNum := number(a)
	fb, _, bNum := number(b)
	sa, aStr := a.(string)
	sb, bStr := b.(string)
	switch {
	case aNum && bStr:
		fb, bNum = numFromString(sb)
	case bNum && aStr:
		fa, aNum = numFromString(sa)
	case aStr && bStr:
		return cmpFold(sa, sb), true
	}
	if !aNum || !bNum {
		return 0, false
	}
	switch {
	case fa < fb:
		return -1, true
	case fa > fb:
		return 1, true
	}
	return 0, true
}

// containsValue: substring for strings, membership for arrays.
func containsValue(container, item any) bool {
	switch x := container.(type) {
	case string:
		s, ok := item.(string)
		if !ok {
			if isNull(item) {
				return false
			}
			s = scalarString(item)
		}
		return strings.Contains(fold(x), fold(s))
	case []any:
		for _, e := range x {
			if looseEqual(e, item) {
				return true
			}
		}
	}
	return false
}

// likeMatch matches s against a pattern where '*' stands for any run of
// characters. Both are already case-folded. Matching the literal pieces
// leftmost in turn is exact for '*'-only patterns and linear in practice.
func likeMatch(s, pat string) bool {
	parts := strings.Split(pat, "*")
	if len(parts) == 1 {
		return s == pat
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return strings.HasSuffix(s, parts[len(parts)-1])
}

// matchPattern implements "match": '#' is a digit, '?' a letter, '.' any
// character, anything else itself; the whole value must match.
func matchPattern(s, pat string, insensitive bool) bool {
	for pat != "" {
		if s == "" {
			return false
		}
		p, pn := utf8.DecodeRuneInString(pat)
		r, rn := utf8.DecodeRuneInString(s)
		switch p {
		case '#':
			if r < '0' || r > '9' {
				return false
			}
		case '?':
			if !unicode.IsLetter(r) {
				return false
			}
		case '.':
		default:
			if r != p && !(insensitive && eqFold(string(r), string(p))) {
				return false
			}
		}
		pat, s = pat[pn:], s[rn:]
	}
	return s == ""
}
