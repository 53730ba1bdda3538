package cef

import (
	"strconv"
	"strings"
)

// SeverityClass reads a CEF Severity the way the CEF specification and
// Sentinel's field mapping describe it: 0-3 Low, 4-6 Medium, 7-8 High,
// 9-10 Very-High, or one of the words Unknown, Low, Medium, High,
// Very-High (any case; "Very High" and "VeryHigh" accepted). Anything
// else, including fractional or out-of-range numbers, is "Unknown".
func SeverityClass(sev string) string {
	s := strings.TrimSpace(sev)
	if n, err := strconv.Atoi(s); err == nil {
		switch {
		case n < 0 || n > 10:
			return "Unknown"
		case n <= 3:
			return "Low"
		case n <= 6:
			return "Medium"
		case n <= 8:
			return "High"
		}
		return "Very-High"
	}
	switch strings.NewReplacer("-", "", " ", "", "_", "").Replace(strings.ToLower(s)) {
	case "low":
		return "Low"
	case "medium":
		return "Medium"
	case "high":
		return "High"
	case "veryhigh":
		return "Very-High"
	}
	return "Unknown"
}
