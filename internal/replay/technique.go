package replay

import "strings"

// parentOf returns T1003 for T1003.001 and "" for a technique without parent.
func parentOf(t string) string {
	if i := strings.IndexByte(t, '.'); i > 0 {
		return t[:i]
	}
	return ""
}

// covers reports whether an alert's technique meets a labelled one: the same id,
// or one of them is the other's parent (T1003 and T1003.001 meet each other both
// ways; siblings T1003.001 and T1003.002 never do).
func covers(label, alert string) bool {
	return label == alert || parentOf(alert) == label || parentOf(label) == alert
}

// coversStrict is the strict reading: same id, or the label is the alert's parent.
func coversStrict(label, alert string) bool {
	return label == alert || parentOf(alert) == label
}
