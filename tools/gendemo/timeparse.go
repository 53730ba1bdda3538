package main

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // zone rules for CSV exports in local time, the same on every machine
)

// Layouts seen in the corpora; times without a zone are read in the caller's location.
var timeLayouts = []string{
	"2006-01-02T15:04:05.999999999Z0700",  // 2020-11-05T12:59:43.881767+0100
	"2006-01-02T15:04:05.999999999",       // ISO without zone
	"2006-01-02 15:04:05.999999999Z07:00", // 2021-08-02 13:05:32.79+00:00
	"2006-01-02 15:04:05.999999999",       // Sysmon UtcTime, NXLog EventTime
	"1/2/2006, 3:04:05.999999999 PM",      // Log Analytics CSV/JSON export
	"1/2/2006 3:04:05 PM",
	"1/2/2006, 15:04:05.999999999",     // see fixHour
	"2006 Jan _2 15:04:05",             // Cisco UCS
	"Jan _2 2006 15:04:05",             // CEF ReceiptTime
	"Jan _2 2006 15:04:05.999999999",   //
	"Mon Jan _2 15:04:05 2006",         // ZPA LogTimestamp
	"2006-01-02T15:04:05.999999999-07", // offset in hours only
}

// parseTime reads a datetime string; loc applies to layouts without a zone.
func parseTime(s string, loc *time.Location) (time.Time, bool) {
	s = fixHour(strings.TrimSpace(s))
	if s == "" {
		return time.Time{}, false
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), true
	}
	for _, l := range timeLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// timeValue reads a datetime from a JSON value: text, or epoch seconds/milliseconds.
func timeValue(v any, loc *time.Location) (time.Time, bool) {
	switch x := v.(type) {
	case string:
		if t, ok := parseTime(x, loc); ok {
			return t, true
		}
		if isNumber(x) {
			return epochTime(x)
		}
	case json.Number:
		return epochTime(string(x))
	}
	return time.Time{}, false
}

var pmHourRE = regexp.MustCompile(`^(\d{1,2}/\d{1,2}/\d{4}, )(1[3-9]|2[0-3])(:\d{2}:\d{2}(?:\.\d+)?) PM$`)

// fixHour drops the "PM" of a 24-hour time that also says PM ("14:51:35.857 PM", seen
// in a hand-edited sample), which is unambiguous but no layout accepts.
func fixHour(s string) string {
	if m := pmHourRE.FindStringSubmatch(s); m != nil {
		return m[1] + m[2] + m[3]
	}
	return s
}

var numberRE = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

func isNumber(s string) bool { return numberRE.MatchString(s) }

// epochTime reads epoch seconds or milliseconds (by magnitude), as the server does.
func epochTime(s string) (time.Time, bool) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f <= 0 {
		return time.Time{}, false
	}
	if f >= 1e11 { // milliseconds
		return time.UnixMilli(int64(math.Round(f))).UTC(), true
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(math.Round(frac*1e6))*1e3).UTC(), true
}

// formatTime is the one datetime format of the output: RFC 3339, UTC, no trailing zeros.
func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// Log Analytics exports name the display time zone in the column header, e.g.
// "TimeGenerated [UTC]" or "TimeGenerated [Eastern Time (US and Canada)]".
var headerZoneRE = regexp.MustCompile(`^(.*?)\s*\[([^\]]*)\]$`)

// Windows display names of the zones found in the exports, mapped to IANA zones.
var windowsZones = map[string]string{
	"UTC":                                  "UTC",
	"Eastern Time (US and Canada)":         "America/New_York",
	"Pacific Time (US and Canada) Tijuana": "America/Tijuana",
}

// splitHeader returns the column name of an export header and the zone its times are in.
func splitHeader(h string) (string, *time.Location, error) {
	m := headerZoneRE.FindStringSubmatch(strings.TrimSpace(h))
	if m == nil {
		return strings.TrimSpace(h), time.UTC, nil
	}
	zone, ok := windowsZones[m[2]]
	if !ok {
		return "", nil, fmt.Errorf("column %q: unknown time zone %q", h, m[2])
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return "", nil, err
	}
	return m[1], loc, nil
}
