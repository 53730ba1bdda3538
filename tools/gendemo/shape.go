package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

type column struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

type tableSchema struct {
	Name string
	Cols []column
	idx  map[string]int
}

func (t *tableSchema) col(name string) (column, bool) {
	i, ok := t.idx[name]
	if !ok {
		return column{}, false
	}
	return t.Cols[i], true
}

func loadSchemas(path string) (map[string]*tableSchema, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var src map[string][]column
	if err := json.Unmarshal(raw, &src); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	out := make(map[string]*tableSchema, len(src))
	for name, cols := range src {
		t := &tableSchema{Name: name, idx: map[string]int{}}
		for _, c := range cols {
			if _, dup := t.idx[c.Name]; dup {
				continue
			}
			t.idx[c.Name] = len(t.Cols)
			t.Cols = append(t.Cols, c)
		}
		// Every stored table has TimeGenerated; a few validator schemas leave it out
		// (the server's catalogue adds it the same way).
		if c, ok := t.col("TimeGenerated"); !ok {
			t.idx["TimeGenerated"] = len(t.Cols)
			t.Cols = append(t.Cols, column{Name: "TimeGenerated", Type: "datetime"})
		} else if c.Type != "datetime" {
			t.Cols[t.idx["TimeGenerated"]].Type = "datetime"
		}
		out[name] = t
	}
	return out, nil
}

// keptExtras are real columns of the Sentinel tables that the 2022 validator schemas
// lack; sources that carry them keep them (the server files them in _AdditionalFields).
var keptExtras = map[string][]string{
	// Legacy columns AzureActivity still has next to their *Value replacements.
	"AzureActivity": {"ActivityStatus", "ActivitySubstatus", "Category", "OperationName", "ResourceProvider"},
	// Columns added to OfficeActivity after the schema snapshot.
	"OfficeActivity": {"AddOnGuid", "AppDistributionMode", "AppId", "AzureADAppId", "ChatName", "ClientAppId", "OperationProperties", "OperationScope", "TargetUserId"},
	// Cross-tenant columns added to SigninLogs in 2021.
	"SigninLogs": {"FlaggedForReview", "HomeTenantId", "ResourceTenantId", "SignInIdentifier", "SignInIdentifierType"},
}

// collectorSuffix is the type suffix the HTTP Data Collector API gives custom fields.
var collectorSuffix = regexp.MustCompile(`_([sdbtg])$`)

var suffixType = map[string]string{"s": "string", "d": "real", "b": "bool", "t": "datetime", "g": "guid"}

// extraType says whether key may be kept in table although the schema has no such
// column, and the type its value must fit.
func extraType(table, key string) (string, bool) {
	switch key {
	case "TenantId", "SourceSystem", "_ResourceId":
		return "string", true // standard columns of every Log Analytics table
	case "Computer", "MG", "ManagementGroupName", "RawData":
		if strings.HasSuffix(table, "_CL") {
			return "string", true // standard columns of custom log tables
		}
	}
	for _, k := range keptExtras[table] {
		if k == key {
			return "string", true
		}
	}
	// Custom tables grow a column for every field a sender posts; the validator schema
	// lists only those the rules use, so Data Collector fields (name_s, name_d, ...) stay.
	if strings.HasSuffix(table, "_CL") {
		if m := collectorSuffix.FindStringSubmatch(key); m != nil && len(key) > 2 {
			return suffixType[m[1]], true
		}
	}
	return "", false
}

// Union exports name a column "X_string", "X_dynamic", ... when its type differed
// between the unioned tables.
var unionSuffix = regexp.MustCompile(`^(.+)_(string|dynamic|int|long|real|bool|datetime|guid|timespan|decimal)$`)

// timeSources lists, per table, where TimeGenerated comes from when a source has none:
// column names, or a path into a JSON column ("Col.0.field").
var timeSources = map[string][]string{
	"AuditLogs":         {"ActivityDateTime"},
	"AzureActivity":     {"EventSubmissionTimestamp"},
	"CommonSecurityLog": {"ReceiptTime"},
	"OfficeActivity":    {"Start_Time"},
	"SigninLogs":        {"CreatedDateTime", "AuthenticationDetails.0.authenticationStepDateTime"},
	"Syslog":            {"EventTime"},
	// isotimestamp_t is one placeholder value in every CiscoDuo_CL sample; the epochs are real.
	"CiscoDuo_CL":             {"timestamp_d", "surfaced_auth_timestamp_d", "isotimestamp_t"},
	"Cisco_Umbrella_proxy_CL": {"Timestamp_t"},
	"GCP_DNS_CL":              {"timestamp_t"},
	"Jira_Audit_CL":           {"created_t"},
	"TrendMicroCAS_CL":        {"message_detection_time_t"},
}

// lookupPath follows "Col.0.field" through a row, parsing JSON text on the way.
func lookupPath(row *Object, path string) (any, bool) {
	parts := strings.Split(path, ".")
	v, ok := row.Get(parts[0])
	for _, p := range parts[1:] {
		if !ok {
			return nil, false
		}
		if s, isStr := v.(string); isStr {
			v, ok = parseJSONText(s)
			if !ok {
				return nil, false
			}
		}
		switch x := v.(type) {
		case *Object:
			v, ok = x.Get(p)
		case []any:
			i, err := strconv.Atoi(p)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, ok
}

// shapeStats counts what shaping did to one source, for the README.
type shapeStats struct {
	In       int               // records read
	NoTime   int               // records left out: no parseable time
	Out      map[string]int    // rows written per table
	TimeFrom map[string]int    // which field gave TimeGenerated
	Unmapped map[string]int    // source fields with no column in the table
	Unfit    map[string]int    // "Table.Column (type)": values that do not fit the column type
	Example  map[string]string // first such value per Unfit key
}

func newShapeStats() *shapeStats {
	return &shapeStats{Out: map[string]int{}, TimeFrom: map[string]int{}, Unmapped: map[string]int{}, Unfit: map[string]int{}, Example: map[string]string{}}
}

// shapeRow turns a source record into a row of table: TimeGenerated first, then the
// table's columns in schema order, then deliberately kept extras by name. Values are
// checked against the column type the way the server coerces them; values that cannot
// be stored are left out (and counted) rather than making the server reject the file.
// zones gives the time zone of columns whose export header named one.
func shapeRow(t *tableSchema, in *Object, zones map[string]*time.Location, st *shapeStats) (*Object, time.Time, bool) {
	zone := func(k string) *time.Location {
		if z, ok := zones[k]; ok {
			return z
		}
		return time.UTC
	}
	// Fold union-suffixed columns into their column when it is empty.
	for _, k := range append([]string(nil), in.Keys()...) {
		m := unionSuffix.FindStringSubmatch(k)
		if m == nil {
			continue
		}
		if _, isCol := t.col(m[1]); !isCol {
			continue
		}
		v, _ := in.Get(k)
		if cur, ok := in.Get(m[1]); (ok && !isEmpty(cur)) || isEmpty(v) {
			in.Delete(k)
			continue
		}
		in.Set(m[1], v)
		in.Delete(k)
		if z, ok := zones[k]; ok {
			zones[m[1]] = z
		}
	}

	var tg time.Time
	found := false
	for _, src := range append([]string{"TimeGenerated"}, timeSources[t.Name]...) {
		if v, ok := lookupPath(in, src); ok {
			if ts, ok := timeValue(v, zone(strings.SplitN(src, ".", 2)[0])); ok {
				tg, found = ts, true
				st.TimeFrom[src]++
				break
			}
		}
	}
	if !found {
		st.NoTime++
		return nil, time.Time{}, false
	}

	out := newObject()
	out.Set("TimeGenerated", formatTime(tg))
	for _, c := range t.Cols {
		if c.Name == "TimeGenerated" {
			continue
		}
		if c.Name == "Type" {
			out.Set("Type", t.Name) // Sentinel's Type is always the table name
			continue
		}
		v, ok := in.Get(c.Name)
		if !ok {
			continue
		}
		switch fv, res := fitValue(c.Type, v, zone(c.Name)); res {
		case fitOK:
			out.Set(c.Name, fv)
		case fitBad:
			st.unfit(t.Name, c, v)
		}
	}
	var extras []string
	for _, k := range in.Keys() {
		if _, isCol := t.col(k); isCol || k == "Type" {
			continue
		}
		v, _ := in.Get(k)
		if isEmpty(v) {
			continue
		}
		if _, ok := extraType(t.Name, k); ok {
			extras = append(extras, k)
		} else {
			st.Unmapped[k]++
		}
	}
	sort.Strings(extras)
	for _, k := range extras {
		typ, _ := extraType(t.Name, k)
		v, _ := in.Get(k)
		switch fv, res := fitValue(typ, v, zone(k)); res {
		case fitOK:
			out.Set(k, fv)
		case fitBad:
			st.unfit(t.Name, column{k, typ}, v)
		}
	}
	st.Out[t.Name]++
	return out, tg, true
}

func (st *shapeStats) unfit(table string, c column, v any) {
	key := fmt.Sprintf("%s.%s (%s)", table, c.Name, c.Type)
	if st.Unfit[key] == 0 {
		st.Example[key] = clip(scalarText(v), 40)
	}
	st.Unfit[key]++
}

func isEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	}
	return false
}

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

type fitResult int

const (
	fitOK    fitResult = iota
	fitEmpty           // no value: nothing to store
	fitBad             // a value the column type cannot hold
)

var (
	guidRE     = regexp.MustCompile(`^\{?[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}\}?$`)
	timespanRE = regexp.MustCompile(`^-?([0-9]+\.)?[0-9]+:[0-9]{2}:[0-9]{2}(\.[0-9]+)?$`)
)

// fitValue checks v against a KQL column type, keeping the source's own value where the
// server reads it as is (numbers in strings, "TRUE", ...) and normalising datetimes to
// RFC 3339 UTC and JSON text in dynamic columns to JSON.
func fitValue(typ string, v any, loc *time.Location) (any, fitResult) {
	if isEmpty(v) {
		return nil, fitEmpty
	}
	s, isStr := v.(string)
	if typ == "string" {
		// A number or flag in a string column becomes its text, as the server stores it.
		return scalarText(v), fitOK
	}
	// Exports write a missing number, bool or date as the text "null".
	if isStr && strings.EqualFold(strings.TrimSpace(s), "null") {
		return nil, fitEmpty
	}
	switch typ {
	case "dynamic":
		if isStr {
			if j, ok := parseJSONText(s); ok {
				return j, fitOK
			}
		}
		return v, fitOK
	case "datetime":
		if t, ok := timeValue(v, loc); ok {
			return formatTime(t), fitOK
		}
	case "int", "long":
		text := scalarText(v)
		if _, isBool := v.(bool); isBool {
			return v, fitOK
		}
		if n, ok := parseInteger(strings.TrimSpace(text)); ok {
			if typ == "int" && (n > math.MaxInt32 || n < math.MinInt32) {
				return nil, fitBad
			}
			return v, fitOK
		}
	case "real", "decimal":
		if _, isNum := v.(json.Number); isNum {
			return v, fitOK
		}
		if isStr {
			if f, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
				return v, fitOK
			}
		}
	case "bool":
		switch x := v.(type) {
		case bool:
			return v, fitOK
		case json.Number:
			if x == "0" || x == "1" {
				return v, fitOK
			}
		case string:
			switch strings.ToLower(strings.TrimSpace(x)) {
			case "true", "false", "1", "0", "yes", "no":
				return v, fitOK
			}
		}
	case "guid":
		if isStr && guidRE.MatchString(strings.TrimSpace(s)) {
			return v, fitOK
		}
	case "timespan":
		if isStr && timespanRE.MatchString(strings.TrimSpace(s)) {
			return v, fitOK
		}
	}
	return nil, fitBad
}

// parseInteger accepts what the server reads as an integer: decimal, 0x hex, integral floats.
func parseInteger(s string) (int64, bool) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, true
	}
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		if n, err := strconv.ParseUint(s[2:], 16, 64); err == nil {
			return int64(n), true
		}
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f == math.Trunc(f) && math.Abs(f) < 1<<63 {
		return int64(f), true
	}
	return 0, false
}
