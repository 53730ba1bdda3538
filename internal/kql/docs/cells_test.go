package docs

import (
	"html"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// cleanCell undoes the markdown rendering of a documentation cell.
func cleanCell(s string) string {
	s = strings.TrimSpace(s)
	for _, w := range []string{"**", "`"} {
		if len(s) >= 2*len(w) && strings.HasPrefix(s, w) && strings.HasSuffix(s, w) {
			s = strings.TrimSpace(s[len(w) : len(s)-len(w)])
		}
	}
	for _, br := range []string{"<br/>", "<br />", "<br>"} {
		s = strings.ReplaceAll(s, br, " ")
	}
	s = strings.ReplaceAll(s, "&nbsp;", "")
	if m := mdLinkRE.FindStringSubmatch(s); m != nil { // [text](url)
		s = m[1]
	}
	return strings.TrimSpace(html.UnescapeString(s))
}

func isNullCell(s string) bool { return s == "" || s == "null" || s == "(null)" }

// tolerance is how far a real may be from the value a doc prints with these digits.
func tolerance(text string, loose bool) float64 {
	v, _ := strconv.ParseFloat(text, 64)
	if loose {
		return math.Max(math.Abs(v)*0.05, 1)
	}
	mant, exp := text, 0
	if i := strings.IndexAny(text, "eE"); i >= 0 {
		mant = text[:i]
		exp, _ = strconv.Atoi(strings.TrimPrefix(text[i+1:], "+"))
	}
	digits := strings.Trim(strings.NewReplacer("-", "", "+", "", ".", "").Replace(mant), "0")
	rel := math.Abs(v) * 1e-9
	i := strings.IndexByte(mant, '.')
	if i < 0 || len(digits) >= 15 {
		return math.Max(rel, 1e-12)
	}
	decimals := len(mant) - i - 1
	return math.Max(rel, math.Pow(10, float64(exp-decimals))*1.0000001)
}

// parseReal reads the doc's spellings of reals, infinities and NaN.
func parseReal(s string) (float64, bool) {
	switch strings.ToLower(s) {
	case "nan":
		return math.NaN(), true
	case "∞", "infinity", "+inf", "inf", "+infinity":
		return math.Inf(1), true
	case "-∞", "-infinity", "-inf":
		return math.Inf(-1), true
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
	return v, err == nil
}

func realsEqual(exp string, act float64, loose bool) bool {
	e, ok := parseReal(exp)
	if !ok {
		return false
	}
	switch {
	case math.IsNaN(e) || math.IsNaN(act):
		return math.IsNaN(e) && math.IsNaN(act)
	case math.IsInf(e, 0) || math.IsInf(act, 0):
		return e == act
	}
	return math.Abs(e-act) <= tolerance(strings.ReplaceAll(exp, ",", ""), loose)
}

var mdLinkRE = regexp.MustCompile(`^\[(.*)\]\([^)]*\)$`)

var datetimeRE = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*Z?$`)

// parseDatetime returns 100-ns ticks since the epoch and the fraction digits printed.
func parseDatetime(s string) (ticks int64, digits int, ok bool) {
	m := datetimeRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, 0, false
	}
	n := func(i int) int { v, _ := strconv.Atoi(m[i]); return v }
	t := time.Date(n(1), time.Month(n(2)), n(3), n(4), n(5), n(6), 0, time.UTC)
	frac := m[7]
	digits = len(frac)
	if len(frac) > 7 {
		frac = frac[:7]
	}
	f, _ := strconv.ParseInt((frac + "0000000")[:7], 10, 64)
	return t.Unix()*1e7 + f, digits, true
}

var timespanRE = regexp.MustCompile(`^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d+))?$`)

// parseTimespan reads [-][d.]hh:mm:ss[.fffffff] as 100-ns ticks.
func parseTimespan(s string) (int64, int, bool) {
	m := timespanRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, 0, false
	}
	n := func(i int) int64 { v, _ := strconv.ParseInt(m[i], 10, 64); return v }
	frac := m[6]
	digits := len(frac)
	if len(frac) > 7 {
		frac = frac[:7]
	}
	f, _ := strconv.ParseInt((frac + "0000000")[:7], 10, 64)
	t := (((n(2)*24+n(3))*60+n(4))*60+n(5))*1e7 + f
	if m[1] != "" {
		t = -t
	}
	return t, digits, true
}

// truncTicks keeps the precision a doc printed.
func truncTicks(t int64, digits int) int64 {
	if digits >= 7 {
		return t
	}
	unit := int64(math.Pow10(7 - digits))
	return t - ((t%unit)+unit)%unit
}
