package rules

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

var shortDur = regexp.MustCompile(`^(\d+)\s*(s|m|h|d)$`)
var isoDur = regexp.MustCompile(`^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$`)

// ParseDuration reads rule durations as Sentinel YAML ("5m", "1h", "14d") and ARM
// templates ("PT5M", "P14D") write them.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if m := shortDur.FindStringSubmatch(strings.ToLower(s)); m != nil {
		n, _ := strconv.Atoi(m[1])
		unit := map[string]time.Duration{"s": time.Second, "m": time.Minute, "h": time.Hour, "d": 24 * time.Hour}[m[2]]
		return time.Duration(n) * unit, nil
	}
	if m := isoDur.FindStringSubmatch(strings.ToUpper(s)); m != nil && s != "P" && s != "PT" {
		var d time.Duration
		for i, unit := range []time.Duration{24 * time.Hour, time.Hour, time.Minute, time.Second} {
			if m[i+1] != "" {
				n, _ := strconv.Atoi(m[i+1])
				d += time.Duration(n) * unit
			}
		}
		return d, nil
	}
	return 0, fmt.Errorf("cannot read duration %q (want e.g. 5m, 1h, 14d or PT1H)", s)
}

// FormatDuration writes a duration the way Sentinel YAML does.
func FormatDuration(d time.Duration) string {
	switch {
	case d == 0:
		return ""
	case d%(24*time.Hour) == 0:
		return strconv.Itoa(int(d/(24*time.Hour))) + "d"
	case d%time.Hour == 0:
		return strconv.Itoa(int(d/time.Hour)) + "h"
	case d%time.Minute == 0:
		return strconv.Itoa(int(d/time.Minute)) + "m"
	}
	return strconv.Itoa(int(d/time.Second)) + "s"
}
